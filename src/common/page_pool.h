/* Memory faulted in before a live target stops, for the arrays a walk fills while it is
   stopped. The first write to a page costs far more than the bytes written, above all on a
   virtual machine (bench/results.md), and a walk of a big heap writes tens of
   megabytes of records. So a take faults in about that much before the stop, in pieces of
   2 MiB, and big arrays (big_array.h) take pieces as they grow: mremap moves a piece's pages
   under the array, without a copy and without a fault. */
#ifndef HS_PAGE_POOL_H
#define HS_PAGE_POOL_H

#include <stdbool.h>
#include <stddef.h>

/* A piece: one transparent huge page where the system allows them. */
#define HS_PAGE_POOL_PIECE ((size_t)2 << 20)

/* A piece-aligned private anonymous mapping of `bytes` with prot and the extra mmap flags,
   or NULL. */
void *hs_page_pool_map(size_t bytes, int prot, int flags);
/* Faults in `bytes` (rounded down to pieces) for hs_page_pool_take, on this thread and one
   more when there is a processor to spare; nothing when that memory cannot be had. Called
   while no piece is being taken. */
void hs_page_pool_fill(size_t bytes);
/* Moves a piece over [dst, dst + HS_PAGE_POOL_PIECE), which must be piece-aligned and lie
   in one private anonymous mapping of the caller's, replacing what was there; false when
   no piece is left. Safe from several threads at once. */
bool hs_page_pool_take(void *dst);
/* Gives back the pieces nobody took. Called while no piece is being taken. */
void hs_page_pool_drain(void);

#endif
