/* The page scan of anonymous writable memory. malloc keeps no list of its mmapped chunks
   (only their count and bytes in mp_), and a non-contiguous main arena keeps no list of its
   segments, so both are found where they must start: at a page boundary, with a header of
   the right shape. Page headers are read in batches; a hit jumps past what it covers, so
   data inside a chunk is never taken for a header. The counts found are then checked
   against mp_ and system_mem. The heaps the first walker owns are walked when the scan
   reaches them, so that its blocks are emitted in address order (a second walker's heaps are
   skipped here: its blocks come through its own sink). The scan ends once it has found as
   many mmapped chunks, and bytes, as mp_ counts, and as many segment bytes as the main
   arena's system_mem: past that point nothing is left to find (the heaps it has not reached
   are walked after it, still in address order). A process without mmapped chunks, the
   common case, skips it: thread stacks and other large mappings cost a read per page, on a
   live target per page ever touched (the page probe, attach.h: a read of a page never
   touched would map the zero page into the target). */
#include <inttypes.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "heapwalk/heapwalk_private.h"

/* The index of the heap region holding addr, or SIZE_MAX. */
static size_t heap_at(const struct walk_plan *p, uint64_t addr)
{
	for (size_t i = 0; i < p->nheaps; i++)
		if (addr >= p->heaps[i].lo && addr < p->heaps[i].hi)
			return i;
	return SIZE_MAX;
}

static int is_scanned_mapping(const struct hs_mapping *map)
{
	if ((map->perms & (HS_MAP_R | HS_MAP_W)) != (HS_MAP_R | HS_MAP_W))
		return 0;
	/* User space ends far below 2^63: a mapping above it (only a damaged core or image
	   names one) holds no heap, and page addresses past it would not fit the int64_t the
	   chunk and segment finders return, nor stay clear of wrapping. */
	if (map->end > (uint64_t)INT64_MAX)
		return 0;
	return map->path == NULL || strcmp(map->path, "[heap]") == 0;
}

/* Whether every mmapped chunk and main-arena segment malloc counts has been found. */
static bool all_found(const struct walker *w)
{
	return w->mmapped.mmapped_blocks >= rd32(w->p->mp, w->p->l->mp_n_mmaps) &&
	       w->mmapped.mmapped_bytes >= rd64(w->p->mp, w->p->l->mp_mmapped_mem) &&
	       (!main_arena_noncontiguous(w->p) ||
		w->tally[0].segment_bytes >= w->p->arenas[0].stats.totals.system_bytes);
}

static int scan_range(struct walker *w, struct hs_page_probe *probe, uint64_t lo, uint64_t hi)
{
	bool noncontiguous = main_arena_noncontiguous(w->p);
	uint64_t addrs[HS_PROBE_BATCH], hdrs[HS_PROBE_BATCH][2];
	uint64_t p = lo;

	while (p < hi && !all_found(w)) {
		bool readable[HS_PROBE_BATCH];
		size_t heap;
		size_t n = 0;

		/* A page a live target never touched holds no header. A heap ends the batch: it
		   is walked when the scan reaches it, then the scan goes on past it. */
		for (; p < hi && n < HS_PROBE_BATCH; p += w->p->pagesize) {
			if (heap_at(w->p, p) != SIZE_MAX) {
				addrs[n++] = p;
				break;
			}
			if (hs_page_probe_used(probe, p))
				addrs[n++] = p;
		}
		if (n == 0)
			continue;
		hs_page_probe_read(probe, addrs, n, hdrs, readable);
		for (size_t i = 0; i < n; i++) {
			int64_t next = 0;

			if ((heap = heap_at(w->p, addrs[i])) != SIZE_MAX) {
				if (hs_walker_walk_heap(w, heap) < 0)
					return -1;
				p = w->p->heaps[heap].hi;
				break;
			}
			if (!readable[i])
				continue;
			/* 2.43 marks huge-page mappings with bit 0 of prev_size. */
			if ((hdrs[i][0] & ~(uint64_t)w->p->l->mmapped_prev_flags) == 0 &&
			    (hdrs[i][1] & SIZE_BITS) == IS_MMAPPED)
				next = hs_mmapped_chunk_at(w, addrs[i], hdrs[i], hi);
			else if (noncontiguous && hdrs[i][0] == 0 && (hdrs[i][1] & SIZE_BITS) == PREV_INUSE)
				next = hs_main_segment_at(w, addrs[i], hi);
			if (next < 0)
				return -1;
			if (next > 0) {
				p = (uint64_t)next;
				break;
			}
		}
	}
	return 0;
}

int hs_scan_anonymous(struct walker *w)
{
	struct hs_page_probe *probe = hs_page_probe_open(w->p->t);
	int rc = 0;

	for (size_t i = 0; i < w->p->t->nmaps && rc == 0; i++) {
		const struct hs_mapping *map = &w->p->t->maps[i];

		if (is_scanned_mapping(map))
			rc = scan_range(w, probe, map->start, map->end);
	}
	hs_page_probe_close(probe);
	return rc;
}
