/* The main arena's memory: one contiguous stretch from sbrk_base when brk served it, or
   (brk failed, or glibc.malloc.hugetlb=2 forced mmap) several mmapped segments. malloc
   records no list of segments: each but the newest ends in two (or, after a 16-byte old-top
   remnant, three) 16-byte fenceposts ending on a page boundary; the newest ends with top. */
#include <inttypes.h>

#include "heapwalk/heapwalk_private.h"

/* Follows chunk sizes from page; returns the segment's end, or 0 when this is no segment. */
static uint64_t segment_end(struct walker *w, uint64_t page, uint64_t range_end, uint64_t top)
{
	uint64_t c = page, bound = (range_end - page) / 16 + 1;
	int fenceposts = 0;

	hs_window_region(&w->win, page, range_end);
	while (c < range_end && bound-- > 0) {
		const uint8_t *hdr = hs_window_get(&w->win, c, 16);
		uint64_t size;

		if (hdr == NULL)
			return 0;
		size = rd64(hdr, 8) & ~(uint64_t)SIZE_BITS;
		if (c == top)
			return c + size <= range_end ? c + size : 0;
		if (size < 16 || size % 16 != 0 || size > range_end - c || (rd64(hdr, 8) & NON_MAIN_ARENA))
			return 0;
		fenceposts = size == 16 ? fenceposts + 1 : 0;
		c += size;
		if (fenceposts >= 2 && c % w->p->pagesize == 0)
			return c;
	}
	return 0;
}

int64_t hs_main_segment_at(struct walker *w, uint64_t page, uint64_t range_end)
{
	const struct arena *a = &w->p->arenas[0];
	uint64_t top = rd64(a->state, w->p->l->ms_top);
	uint64_t end = segment_end(w, page, range_end, top);

	if (end == 0)
		return 0;
	if (hs_walk_chunks(w, 0, page, end, top >= page && top < end ? top : NOT_TOP) < 0)
		return -1;
	w->tally[0].heaps++;
	w->tally[0].segment_bytes += end - page;
	return (int64_t)end;
}

void hs_find_main_contiguous(struct walk_plan *p)
{
	struct arena *a = &p->arenas[0];
	uint64_t sbrk_base = rd64(p->mp, p->l->mp_sbrk_base);
	uint64_t system_mem = a->stats.totals.system_bytes;
	uint64_t first = (sbrk_base + 15) & ~15ull;

	if (system_mem == 0)
		return; /* malloc has not used the main arena yet */
	a->stats.heaps = 1;
	a->stats.totals.overhead_bytes += first - sbrk_base;
	hs_plan_add_heap(p, &(struct heap_region){ .lo = sbrk_base, .hi = sbrk_base + system_mem,
						   .first = first, .end = sbrk_base + system_mem,
						   .top = rd64(a->state, p->l->ms_top), .arena = 0 });
}
