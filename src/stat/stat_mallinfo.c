/* mallinfo2's figures as glibc's int_mallinfo computes them from what hs_stat_read found:
   top counts as one free block, fastbin chunks as small free blocks (none from 2.43),
   tcache chunks as in use, the mmap counters and keepcost from the main arena. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "stat/stat.h"

static void add_arena(const struct hs_stat_arena *a, bool main_arena, int32_t n_mmaps,
		      uint64_t mmapped_mem, struct hs_mallinfo2 *mi)
{
	uint64_t avail = a->top_size + a->fast_avail, nblocks = 1, nfast = 0;

	for (unsigned i = 0; i < HS_STAT_NFASTBINS; i++)
		nfast += a->fast_count[i];
	for (unsigned i = 1; i < HS_STAT_NBINS; i++) {
		nblocks += a->bins[i].count;
		avail += a->bins[i].masked_total;
	}
	mi->smblks += nfast;
	mi->ordblks += nblocks;
	mi->fordblks += avail;
	mi->uordblks += a->system_mem - avail;
	mi->arena += a->system_mem;
	mi->fsmblks += a->fast_avail;
	if (main_arena) {
		mi->hblks = (uint64_t)(int64_t)n_mmaps;
		mi->hblkhd = mmapped_mem;
		mi->usmblks = 0;
		mi->keepcost = a->top_size;
	}
}

void hs_stat_mallinfo(const struct hs_malloc_stats *s, size_t arena, struct hs_mallinfo2 *mi)
{
	memset(mi, 0, sizeof(*mi));
	for (size_t i = 0; i < s->narenas; i++)
		if (arena == SIZE_MAX || arena == i)
			add_arena(&s->arenas[i], i == 0, s->n_mmaps, s->mmapped_mem, mi);
}
