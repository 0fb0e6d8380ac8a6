/* The page scan of anonymous writable memory. malloc keeps no list of its mmapped chunks
   (only their count and bytes in mp_), and a non-contiguous main arena keeps no list of its
   segments, so both are found where they must start: at a page boundary, with a header of
   the right shape. Page headers are read in batches; a hit jumps past what it covers, so
   data inside a chunk is never taken for a header. The counts found are then checked
   against mp_ and system_mem. The heaps found beforehand are walked when the scan reaches
   them, so that every block is emitted in address order. The scan ends once it has found as
   many mmapped chunks, and bytes, as mp_ counts, and as many segment bytes as the main
   arena's system_mem: past that point nothing is left to find (the heaps it has not reached
   are walked after it, still in address order). A process without mmapped chunks, the
   common case, skips it: thread stacks and other large mappings cost a read per page. */
#include <inttypes.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "heapwalk/walk_private.h"

#define BATCH 512

/* The heap region holding p, or NULL. */
static struct heap_region *heap_at(struct walk *w, uint64_t p)
{
	for (size_t i = 0; i < w->nheaps; i++)
		if (p >= w->heaps[i].lo && p < w->heaps[i].hi)
			return &w->heaps[i];
	return NULL;
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
static bool all_found(const struct walk *w, const struct hs_totals *totals)
{
	const struct arena *main_arena = &w->arenas[0];

	return totals->mmapped_blocks >= rd32(w->mp, w->l->mp_n_mmaps) &&
	       totals->mmapped_bytes >= rd64(w->mp, w->l->mp_mmapped_mem) &&
	       (!main_arena_noncontiguous(w) ||
		main_arena->segment_bytes >= main_arena->stats.totals.system_bytes);
}

static int scan_range(struct walk *w, uint64_t lo, uint64_t hi, struct hs_totals *totals)
{
	bool noncontiguous = main_arena_noncontiguous(w);
	uint64_t addrs[BATCH], hdrs[BATCH][2];
	void *bufs[BATCH];
	size_t lens[BATCH];
	uint64_t p = lo;

	for (size_t i = 0; i < BATCH; i++) {
		bufs[i] = hdrs[i];
		lens[i] = 16;
	}
	while (p < hi && !all_found(w, totals)) {
		bool readable[BATCH];
		struct heap_region *heap;
		size_t n = 0;

		for (uint64_t q = p; q < hi && n < BATCH; q += w->pagesize)
			addrs[n++] = q;
		/* A page that cannot be read (e.g. dropped from a core) fails the whole batch: then
		   each page is read alone, so it costs one read and the others are still seen. */
		if (w->t->ops->readv(w->t, addrs, bufs, lens, n) == 0)
			for (size_t i = 0; i < n; i++)
				readable[i] = true;
		else
			for (size_t i = 0; i < n; i++)
				readable[i] = w->t->ops->read(w->t, addrs[i], hdrs[i], 16) == 16;
		p = addrs[n - 1] + w->pagesize;
		for (size_t i = 0; i < n; i++) {
			int64_t next = 0;

			if ((heap = heap_at(w, addrs[i])) != NULL) {
				if (hs_walk_heap(w, heap) < 0)
					return -1;
				p = heap->hi;
				break;
			}
			if (!readable[i])
				continue;
			/* 2.43 marks huge-page mappings with bit 0 of prev_size. */
			if ((hdrs[i][0] & ~(uint64_t)w->l->mmapped_prev_flags) == 0 &&
			    (hdrs[i][1] & SIZE_BITS) == IS_MMAPPED)
				next = hs_mmapped_chunk_at(w, addrs[i], hdrs[i], hi, totals);
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

int hs_scan_anonymous(struct walk *w, struct hs_totals *totals)
{
	for (size_t i = 0; i < w->t->nmaps; i++) {
		const struct hs_mapping *map = &w->t->maps[i];

		if (is_scanned_mapping(map) && scan_range(w, map->start, map->end, totals) < 0)
			return -1;
	}
	return 0;
}
