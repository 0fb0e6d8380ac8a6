/* The heap walk (see heapwalk.h and heapwalk_private.h): plan (mp_, the ring of arenas, the
   tcaches, every heap's place, who walks what), walk (every walker over its heaps, the first
   also over the mmapped chunks), then finish from what was read, checking the figures
   against malloc's own counters. A figure that does not add up means the heap changed under
   us, or is corrupt. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/big_array.h"
#include "common/xalloc.h"
#include "heapwalk/heapwalk_private.h"

/* glibc creates at most 8 arenas per core; this bounds the ring walk on any machine. */
#define MAX_ARENAS 65536

void hs_plan_add_heap(struct walk_plan *p, const struct heap_region *r)
{
	hs_xgrow((void **)&p->heaps, &p->heaps_cap, p->nheaps + 1, sizeof(*p->heaps));
	p->heaps[p->nheaps++] = *r;
}

static int cmp_heap(const void *a, const void *b)
{
	const struct heap_region *x = a, *y = b;
	return (x->lo > y->lo) - (x->lo < y->lo);
}

static int read_arenas(struct walk_plan *p, struct hs_error *err)
{
	size_t cap = 0;
	uint64_t a = p->m->main_arena;

	do {
		struct arena *ar;

		if (p->narenas == MAX_ARENAS)
			return hs_walk_inconsistent(err, "the ring of arenas does not close");
		hs_xgrow((void **)&p->arenas, &cap, p->narenas + 1, sizeof(*p->arenas));
		ar = &p->arenas[p->narenas++];
		memset(ar, 0, sizeof(*ar));
		ar->addr = a;
		ar->stats.address = a;
		ar->state = hs_xmalloc(p->l->ms_sizeof);
		if (a % 8 != 0 || p->t->ops->read(p->t, a, ar->state, p->l->ms_sizeof) != (ssize_t)p->l->ms_sizeof)
			return hs_walk_inconsistent(err, "arena 0x%" PRIx64 " is unreadable", a);
		ar->stats.totals.system_bytes = rd64(ar->state, p->l->ms_system_mem);
		a = rd64(ar->state, p->l->ms_next);
	} while (a != p->m->main_arena);
	return 0;
}

/* The plan: mp_, the arenas, the tcaches, every heap's place, and who walks what. */
static int make_plan(struct walk_plan *p, const struct hs_block_sink *sink, struct hs_error *err)
{
	p->mp = hs_xmalloc(p->l->mp_sizeof);
	if (p->t->ops->read(p->t, p->m->mp, p->mp, p->l->mp_sizeof) != (ssize_t)p->l->mp_sizeof)
		return hs_walk_inconsistent(err, "malloc's parameters (mp_) at 0x%" PRIx64 " are unreadable",
					    p->m->mp);
	if (read_arenas(p, err) < 0 || hs_read_tcaches(p, err) < 0)
		return -1;
	hs_find_cached_bins(p);
	if (!main_arena_noncontiguous(p))
		hs_find_main_contiguous(p);
	for (uint32_t i = 1; i < p->narenas; i++)
		if (hs_find_arena_heaps(p, i, err) < 0)
			return -1;
	qsort(p->heaps, p->nheaps, sizeof(*p->heaps), cmp_heap);
	hs_plan_assign_walkers(p, sink);
	return 0;
}

static void free_plan(struct walk_plan *p)
{
	for (size_t i = 0; i < p->narenas; i++)
		free(p->arenas[i].state);
	free(p->arenas);
	free(p->heaps);
	free(p->mp);
	free(p->tcaches);
	hs_u64map_free(&p->tcache_structs);
}

static uint64_t accounted(const struct hs_totals *t)
{
	return t->live_chunk_bytes + t->tcache_bytes + t->fastbin_bytes + t->free_bytes +
	       t->top_bytes + t->overhead_bytes;
}

static int check_arena(const struct settle *s, size_t i)
{
	const struct hs_totals *t = &s->fig->arenas[i].totals;

	if (accounted(t) != t->system_bytes)
		return hs_walk_inconsistent(s->err, "arena 0x%" PRIx64 ": chunks account for %" PRIu64 " bytes, "
					    "system_mem is %" PRIu64, s->p->arenas[i].addr, accounted(t),
					    t->system_bytes);
	return 0;
}

/* The mmapped chunks found must be the ones malloc counts. glibc 2.43's mremap_chunk adds 16
   bytes too many to mmapped_mem each time it resizes a chunk, so there the counter may exceed
   the mappings by a multiple of 16: the snapshot keeps the mappings' true size and says so. */
static int check_mmapped(const struct settle *s)
{
	const struct walk_plan *p = s->p;
	const struct hs_totals *found = &s->fig->mmapped;
	uint64_t count = rd32(p->mp, p->l->mp_n_mmaps), bytes = rd64(p->mp, p->l->mp_mmapped_mem);

	if (found->mmapped_blocks == count && found->mmapped_bytes == bytes)
		return 0;
	if (found->mmapped_blocks == count && p->l->mmapped_size_excludes_prev &&
	    bytes > found->mmapped_bytes && (bytes - found->mmapped_bytes) % 16 == 0) {
		hs_snapshot_warn(p->snap, "malloc's mmapped_mem (mallinfo hblkhd) is %" PRIu64 " bytes above the "
				 "%" PRIu64 " bytes of the mmapped chunks' mappings: glibc %s counts 16 bytes too "
				 "many per mremap of an mmapped chunk", bytes - found->mmapped_bytes,
				 found->mmapped_bytes, p->m->version);
		return 0;
	}
	return hs_walk_inconsistent(s->err, "found %" PRIu64 " mmapped chunks of %" PRIu64 " bytes, malloc "
				    "counts %" PRIu64 " of %" PRIu64, found->mmapped_blocks,
				    found->mmapped_bytes, count, bytes);
}

/* What a walk carries from reading the target to settling the free lists. */
struct hs_heap_walk {
	struct walk_plan plan;
	struct walker *walkers[MAX_WALKERS];
	struct hs_error walker_errs[MAX_WALKERS]; /* the others' errors; the first uses the caller's */
	const struct hs_block_sink *sink;
	const struct hs_block_sink *forked[MAX_WALKERS]; /* the sinks the others got from fork */
	struct walker_thread *threads[MAX_WALKERS];
	struct hs_error *err;
};

/* Everything that reads the target: the plan, every heap's chunks (the first walker's share
   here, the others' beside it), and the naming of blocks, whose rules read vtables and type
   objects. */
static int read_everything(struct hs_heap_walk *hw)
{
	struct walk_plan *p = &hw->plan;
	bool alone;
	int rc;

	if (make_plan(p, hw->sink, hw->err) < 0)
		return -1;
	alone = p->nwalkers == 1;
	for (unsigned k = 1; k < p->nwalkers; k++) {
		hw->forked[k] = hw->sink->fork(hw->sink->arg);
		/* Two walkers keep both processors busy: neither reads ahead on a third thread. */
		hw->walkers[k] = hs_walker_new(p, k, hw->forked[k], &hw->walker_errs[k], false);
		hw->threads[k] = hs_walker_thread_start(hw->walkers[k]);
	}
	/* Nothing is read or named before this: with other walkers, no read-ahead thread, and
	   each walker names its own blocks. */
	hw->walkers[0] = hs_walker_new(p, 0, hw->sink, hw->err, alone);
	if (hs_scan_anonymous(hw->walkers[0]) < 0)
		return -1;
	/* A heap in memory the scan does not cover is walked all the same, out of order. */
	if (hs_walker_walk_heaps(hw->walkers[0]) < 0)
		return -1;
	for (unsigned k = 1; k < p->nwalkers; k++) {
		rc = hs_walker_thread_wait(hw->threads[k]);
		hw->threads[k] = NULL;
		hs_window_free(&hw->walkers[k]->win);
		if (rc < 0) {
			*hw->err = hw->walker_errs[k];
			return -1;
		}
	}
	for (unsigned k = 0; k < p->nwalkers; k++)
		hs_classify_queue_drain(hw->walkers[k]->queue);
	return 0;
}

/* The plan's figures plus every walker's tally. */
static void gather_figures(const struct walk_plan *p, struct walker *const *walkers, struct walk_figures *fig)
{
	fig->arenas = hs_xcalloc(p->narenas, sizeof(*fig->arenas));
	for (size_t i = 0; i < p->narenas; i++)
		fig->arenas[i] = p->arenas[i].stats;
	for (unsigned k = 0; k < p->nwalkers; k++) {
		const struct walker *w = walkers[k];
		for (size_t i = 0; i < p->narenas; i++) {
			fig->arenas[i].heaps += w->tally[i].heaps;
			hs_totals_add(&fig->arenas[i].totals, &w->tally[i].totals);
		}
		fig->main_segment_bytes += w->tally[0].segment_bytes;
		hs_totals_add(&fig->mmapped, &w->mmapped);
	}
}

/* The rest, from what was read: the free lists followed, the figures checked. */
static int settle_everything(const struct settle *s)
{
	const struct walk_plan *p = s->p;
	uint64_t system_mem = s->fig->arenas[0].totals.system_bytes;

	if (hs_resolve_free_lists(s) < 0)
		return -1;
	if (main_arena_noncontiguous(p) && s->fig->main_segment_bytes != system_mem)
		return hs_walk_inconsistent(s->err, "the main arena's segments found hold %" PRIu64 " bytes, "
					    "system_mem says %" PRIu64, s->fig->main_segment_bytes, system_mem);
	for (size_t i = 0; i < p->narenas; i++)
		if (check_arena(s, i) < 0)
			return -1;
	return check_mmapped(s);
}

static void fill_snapshot(const struct walk_plan *p, struct walk_figures *fig, struct hs_snapshot *snap)
{
	memset(&snap->totals, 0, sizeof(snap->totals));
	free(snap->arenas);
	snap->arenas = fig->arenas;
	fig->arenas = NULL;
	snap->narenas = p->narenas;
	for (size_t i = 0; i < p->narenas; i++)
		hs_totals_add(&snap->totals, &snap->arenas[i].totals);
	hs_totals_add(&snap->totals, &fig->mmapped);
	snap->glibc.safe_linking = p->l->safe_linking;
	snap->glibc.tcache = p->m->have_tcache_slot;
}

static void free_walk(struct hs_heap_walk *hw)
{
	/* First: when the walk failed, the other walkers may still be reading what is freed
	   below. */
	for (unsigned k = 1; k < MAX_WALKERS; k++) {
		hs_walker_thread_wait(hw->threads[k]);
		if (hw->walkers[k] != NULL) {
			hs_walker_free(hw->walkers[k]);
			hw->sink->join(hw->sink->arg, hw->forked[k]);
		}
	}
	free_plan(&hw->plan);
	hs_walker_free(hw->walkers[0]);
	free(hw);
}

int hs_heap_walk_read(struct hs_target *t, const struct hs_malloc_info *m, const struct hs_block_sink *sink,
		      struct hs_snapshot *snap, struct hs_error *err, struct hs_heap_walk **out)
{
	struct hs_heap_walk *hw = hs_xcalloc(1, sizeof(*hw));

	hw->plan = (struct walk_plan){ .t = t, .m = m, .l = m->layout, .snap = snap, .pagesize = 4096 };
	hw->sink = sink;
	hw->err = err;
	if (read_everything(hw) < 0) {
		free_walk(hw);
		*out = NULL;
		return -1;
	}
	/* Done reading: the window's buffers go now. */
	hs_window_free(&hw->walkers[0]->win);
	*out = hw;
	return 0;
}

int hs_heap_walk_finish(struct hs_heap_walk *hw)
{
	struct walk_figures fig = { 0 };
	const struct settle s = { .p = &hw->plan, .walkers = hw->walkers, .nwalkers = hw->plan.nwalkers,
				  .fig = &fig, .sink = hw->sink, .err = hw->err };
	int rc;

	gather_figures(&hw->plan, hw->walkers, &fig);
	rc = settle_everything(&s);
	if (rc == 0)
		fill_snapshot(&hw->plan, &fig, hw->plan.snap);
	free(fig.arenas);
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
