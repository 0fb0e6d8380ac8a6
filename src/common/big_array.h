/* Growable arrays that reach tens of megabytes on a big heap (the free chunks recorded, the
   blocks of a snapshot): each in address space of its own, reserved ahead so that it never
   moves while it grows, backed by transparent huge pages, and, while a live target is
   stopped, by pages faulted in before the stop (page_pool.h). */
#ifndef HS_BIG_ARRAY_H
#define HS_BIG_ARRAY_H

#include <stddef.h>

/* hs_big_array_grow's work when the array must grow (need > *cap). */
void hs_big_array_extend(void **p, size_t *cap, size_t need, size_t elem);

/* Grows *p (an array of *cap elements of elem bytes; NULL and 0 at first) so that it holds
   at least need; the new elements read as zero. Inline: walks call it for every record, and it seldom has work to do. */
static inline void hs_big_array_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need > *cap)
		hs_big_array_extend(p, cap, need, elem);
}
/* Frees an array that hs_big_array_grow made; NULL is fine. */
void hs_big_array_free(void *p, size_t cap, size_t elem);
/* Faults in about `bytes` for the arrays to grow into, before a live target stops. */
void hs_big_array_prefault(size_t bytes);
/* Gives back what of that no array took, once the target runs again. */
void hs_big_array_prefault_end(void);

#endif
