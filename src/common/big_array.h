/* Growable arrays that reach tens of megabytes on a big heap (the free chunks recorded, the
   blocks of a snapshot): grown like xgrow, and backed by transparent huge pages. */
#ifndef HS_BIG_ARRAY_H
#define HS_BIG_ARRAY_H

#include <stddef.h>

/* Grows *p (an array of *cap elements of elem bytes) so that it holds at least need. */
void hs_big_array_grow(void **p, size_t *cap, size_t need, size_t elem);

#endif
