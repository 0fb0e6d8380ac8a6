/* The heap walk (see walk.h): read mp_ and the ring of arenas, collect the free set, walk
   every arena's memory and the mmapped chunks, then check the figures against malloc's own
   counters. A figure that does not add up means the heap changed under us, or is corrupt. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/big_array.h"
#include "common/xalloc.h"
#include "heapwalk/walk_private.h"

/* glibc creates at most 8 arenas per core; this bounds the ring walk on any machine. */
#define MAX_ARENAS 65536

int hs_walk_inconsistent(struct walk *w, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hs_fail(w->err, HS_ERR_WALK, "the heap is not consistent: %s", msg);
}

void hs_walk_add_heap(struct walk *w, const struct heap_region *r)
{
	xgrow((void **)&w->heaps, &w->heaps_cap, w->nheaps + 1, sizeof(*w->heaps));
	w->heaps[w->nheaps++] = *r;
}

int hs_walk_heap(struct walk *w, struct heap_region *r)
{
	if (r->walked)
		return 0;
	r->walked = true;
	return hs_walk_chunks(w, r->arena, r->first, r->end, r->top);
}

static int cmp_heap(const void *a, const void *b)
{
	const struct heap_region *x = a, *y = b;
	return (x->lo > y->lo) - (x->lo < y->lo);
}

static int read_arenas(struct walk *w)
{
	size_t cap = 0;
	uint64_t a = w->m->main_arena;

	do {
		struct arena *ar;

		if (w->narenas == MAX_ARENAS)
			return hs_walk_inconsistent(w, "the ring of arenas does not close");
		xgrow((void **)&w->arenas, &cap, w->narenas + 1, sizeof(*w->arenas));
		ar = &w->arenas[w->narenas++];
		memset(ar, 0, sizeof(*ar));
		ar->addr = a;
		ar->stats.address = a;
		ar->state = xmalloc(w->l->ms_sizeof);
		if (a % 8 != 0 || w->t->ops->read(w->t, a, ar->state, w->l->ms_sizeof) != (ssize_t)w->l->ms_sizeof)
			return hs_walk_inconsistent(w, "arena 0x%" PRIx64 " is unreadable", a);
		ar->stats.totals.system_bytes = rd64(ar->state, w->l->ms_system_mem);
		a = rd64(ar->state, w->l->ms_next);
	} while (a != w->m->main_arena);
	return 0;
}

static uint64_t accounted(const struct hs_totals *t)
{
	return t->live_chunk_bytes + t->tcache_bytes + t->fastbin_bytes + t->free_bytes +
	       t->top_bytes + t->overhead_bytes;
}

static int check_arena(struct walk *w, const struct arena *a)
{
	const struct hs_totals *t = &a->stats.totals;

	if (accounted(t) != t->system_bytes)
		return hs_walk_inconsistent(w, "arena 0x%" PRIx64 ": chunks account for %" PRIu64 " bytes, "
					    "system_mem is %" PRIu64, a->addr, accounted(t), t->system_bytes);
	return 0;
}

/* The mmapped chunks found must be the ones malloc counts. glibc 2.43's mremap_chunk adds 16
   bytes too many to mmapped_mem each time it resizes a chunk, so there the counter may exceed
   the mappings by a multiple of 16: the snapshot keeps the mappings' true size and says so. */
static int check_mmapped(struct walk *w, const struct hs_totals *found)
{
	uint64_t count = rd32(w->mp, w->l->mp_n_mmaps), bytes = rd64(w->mp, w->l->mp_mmapped_mem);

	if (found->mmapped_blocks == count && found->mmapped_bytes == bytes)
		return 0;
	if (found->mmapped_blocks == count && w->l->mmapped_size_excludes_prev &&
	    bytes > found->mmapped_bytes && (bytes - found->mmapped_bytes) % 16 == 0) {
		hs_snapshot_warn(w->snap, "malloc's mmapped_mem (mallinfo hblkhd) is %" PRIu64 " bytes above the "
				 "%" PRIu64 " bytes of the mmapped chunks' mappings: glibc %s counts 16 bytes too "
				 "many per mremap of an mmapped chunk", bytes - found->mmapped_bytes,
				 found->mmapped_bytes, w->m->version);
		return 0;
	}
	return hs_walk_inconsistent(w, "found %" PRIu64 " mmapped chunks of %" PRIu64 " bytes, malloc "
				    "counts %" PRIu64 " of %" PRIu64, found->mmapped_blocks,
				    found->mmapped_bytes, count, bytes);
}

static void add_totals(struct hs_totals *sum, const struct hs_totals *t)
{
	sum->live_blocks += t->live_blocks;
	sum->live_bytes += t->live_bytes;
	sum->live_chunk_bytes += t->live_chunk_bytes;
	sum->mmapped_blocks += t->mmapped_blocks;
	sum->mmapped_bytes += t->mmapped_bytes;
	sum->tcache_blocks += t->tcache_blocks;
	sum->tcache_bytes += t->tcache_bytes;
	sum->fastbin_blocks += t->fastbin_blocks;
	sum->fastbin_bytes += t->fastbin_bytes;
	sum->free_blocks += t->free_blocks;
	sum->free_bytes += t->free_bytes;
	sum->top_bytes += t->top_bytes;
	sum->system_bytes += t->system_bytes;
	sum->overhead_bytes += t->overhead_bytes;
}

/* Everything that reads the target: the arenas, the tcaches, every heap's chunks (the main
   walker's share here, the second walker's beside it), and the naming of blocks, whose
   rules read vtables and type objects. */
static int read_everything(struct walk *w, struct hs_totals *mmapped)
{
	if (read_arenas(w) < 0 || hs_read_tcaches(w) < 0)
		return -1;
	hs_find_cached_bins(w);
	if (!main_arena_noncontiguous(w))
		hs_find_main_contiguous(w);
	for (uint32_t i = 1; i < w->narenas; i++)
		if (hs_find_arena_heaps(w, i) < 0)
			return -1;
	qsort(w->heaps, w->nheaps, sizeof(*w->heaps), cmp_heap);
	hs_second_walker_start(w);
	/* Nothing is read or named before this: with a second walker, no read-ahead thread, and
	   each walker names its own blocks. */
	hs_window_init(&w->win, w->t, w->second == NULL);
	w->queue = hs_classify_queue_start(w->sink, w->second == NULL);
	if (hs_scan_anonymous(w, mmapped) < 0)
		return -1;
	/* A heap in memory the scan does not cover is walked all the same, out of order. */
	for (size_t i = 0; i < w->nheaps; i++)
		if (hs_walk_heap(w, &w->heaps[i]) < 0)
			return -1;
	if (hs_second_walker_wait(w) < 0)
		return -1;
	hs_classify_queue_drain(w->queue);
	hs_second_walker_drain(w);
	return 0;
}

/* The rest, from what was read: the free lists followed, the figures checked. */
static int settle_everything(struct walk *w, struct hs_totals *mmapped)
{
	const struct arena *main_arena = &w->arenas[0];

	if (hs_resolve_free_lists(w, mmapped) < 0)
		return -1;
	if (main_arena_noncontiguous(w) &&
	    main_arena->segment_bytes != main_arena->stats.totals.system_bytes)
		return hs_walk_inconsistent(w, "the main arena's segments found hold %" PRIu64 " bytes, "
					    "system_mem says %" PRIu64, main_arena->segment_bytes,
					    main_arena->stats.totals.system_bytes);
	for (size_t i = 0; i < w->narenas; i++)
		if (check_arena(w, &w->arenas[i]) < 0)
			return -1;
	return check_mmapped(w, mmapped);
}

static void fill_snapshot(const struct walk *w, const struct hs_totals *mmapped, struct hs_snapshot *snap)
{
	memset(&snap->totals, 0, sizeof(snap->totals));
	free(snap->arenas);
	snap->arenas = xcalloc(w->narenas, sizeof(*snap->arenas));
	snap->narenas = w->narenas;
	for (size_t i = 0; i < w->narenas; i++) {
		snap->arenas[i] = w->arenas[i].stats;
		add_totals(&snap->totals, &w->arenas[i].stats.totals);
	}
	add_totals(&snap->totals, mmapped);
	snap->glibc.safe_linking = w->l->safe_linking;
	snap->glibc.tcache = w->m->have_tcache_slot;
}

/* What a walk carries from reading the target to settling the free lists. */
struct hs_heap_walk {
	struct walk w;
	struct hs_totals mmapped;
};

void hs_walk_free_own(struct walk *w)
{
	hs_classify_queue_stop(w->queue);
	hs_window_free(&w->win);
	hs_big_array_free(w->bin_chunks, w->bin_chunks_cap, sizeof(*w->bin_chunks));
	hs_big_array_free(w->pending, w->pending_cap, sizeof(*w->pending));
	hs_addr_index_free(&w->bin_index);
	hs_addr_index_free(&w->pending_index);
}

static void free_walk(struct hs_heap_walk *hw)
{
	struct walk *w = &hw->w;

	/* First: when the walk failed, the second walker may still be reading what is freed
	   below. */
	hs_second_walker_free(w);
	for (size_t i = 0; i < w->narenas; i++)
		free(w->arenas[i].state);
	free(w->arenas);
	free(w->heaps);
	free(w->mp);
	free(w->tcaches);
	u64map_free(&w->tcache_structs);
	hs_walk_free_own(w);
	free(hw);
}

int hs_heap_walk_read(struct hs_target *t, const struct hs_malloc_info *m, const struct hs_block_sink *sink,
		      struct hs_snapshot *snap, struct hs_error *err, struct hs_heap_walk **out)
{
	struct hs_heap_walk *hw = xcalloc(1, sizeof(*hw));
	struct walk *w = &hw->w;
	int rc;

	*w = (struct walk){ .t = t, .m = m, .l = m->layout, .sink = sink, .err = err, .snap = snap,
			    .pagesize = 4096 };
	w->mp = xmalloc(w->l->mp_sizeof);
	if (t->ops->read(t, m->mp, w->mp, w->l->mp_sizeof) != (ssize_t)w->l->mp_sizeof)
		rc = hs_walk_inconsistent(w, "malloc's parameters (mp_) at 0x%" PRIx64 " are unreadable", m->mp);
	else
		rc = read_everything(w, &hw->mmapped);
	if (rc < 0) {
		free_walk(hw);
		*out = NULL;
		return -1;
	}
	/* Done reading: the windows' buffers go now. */
	hs_window_free(&w->win);
	*out = hw;
	return 0;
}

int hs_heap_walk_finish(struct hs_heap_walk *hw)
{
	int rc = settle_everything(&hw->w, &hw->mmapped);

	if (rc == 0)
		fill_snapshot(&hw->w, &hw->mmapped, hw->w.snap);
	free_walk(hw);
	return rc;
}

int hs_heap_walk(struct hs_target *t, const struct hs_malloc_info *m, const struct hs_block_sink *sink,
		 struct hs_snapshot *snap, struct hs_error *err)
{
	struct hs_heap_walk *hw;

	if (hs_heap_walk_read(t, m, sink, snap, err, &hw) < 0)
		return -1;
	return hs_heap_walk_finish(hw);
}
