/* Allocation that cannot fail quietly: out of memory ends heapsnap with exit 5 and a message.
   heapsnap's own memory is bounded by the number of blocks, so this is a real limit. */
#ifndef HS_XALLOC_H
#define HS_XALLOC_H
#include <stddef.h>

void *hs_xmalloc(size_t n);
void *hs_xcalloc(size_t n, size_t size);
void *hs_xrealloc(void *p, size_t n);
/* Grows *p (an array of *cap elements of elem bytes) so that it holds at least need. */
void hs_xgrow(void **p, size_t *cap, size_t need, size_t elem);
char *hs_xstrdup(const char *s);
/* Ends heapsnap as when n bytes could not be had. */
_Noreturn void hs_xalloc_fail(size_t n);

#endif
