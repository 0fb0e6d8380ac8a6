/* The walkers (see heapwalk_private.h): how many there are and which heaps each owns, and one
   walker's life. On a machine with processors to spare, whole non-main arenas, about half of
   the arena bytes, go to a second walker that walks them on a thread of its own while the
   first does the rest. Each walker copies and reads its own bytes (the bytes of a heap are
   then in the cache of the processor that looks at them), has its own read window,
   classification queue and sink, and records its own figures and free and pending chunks;
   the finish phase follows the free lists through all walkers' records. */
#include <pthread.h>
#include <stdlib.h>

#include "common/big_array.h"
#include "common/worker_thread.h"
#include "common/xalloc.h"
#include "heapwalk/heapwalk_private.h"

/* Less arena memory than this is not worth a thread. */
#define MIN_SECOND_BYTES (16u << 20)

/* Arena indices, largest first (ties by index): the partition must not depend on timing. */
static int cmp_arena_bytes(const void *a, const void *b, void *arg)
{
	const struct arena *arenas = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t bx = arenas[x].stats.totals.system_bytes, by = arenas[y].stats.totals.system_bytes;

	if (bx != by)
		return bx > by ? -1 : 1;
	return (x > y) - (x < y);
}

/* Which arenas a second walker would take (owner 1); returns the bytes taken. */
static uint64_t choose_arenas(struct walk_plan *p)
{
	uint32_t *order = hs_xmalloc(p->narenas * sizeof(*order));
	uint64_t total = 0, taken = 0;

	for (uint32_t i = 0; i < p->narenas; i++) {
		order[i] = i;
		total += p->arenas[i].stats.totals.system_bytes;
	}
	qsort_r(order, p->narenas, sizeof(*order), cmp_arena_bytes, p->arenas);
	for (uint32_t k = 0; k < p->narenas; k++) {
		uint64_t bytes = p->arenas[order[k]].stats.totals.system_bytes;
		if (order[k] != 0 && 2 * (taken + bytes) <= total) {
			p->arenas[order[k]].owner = 1;
			taken += bytes;
		}
	}
	free(order);
	return taken;
}

void hs_plan_assign_walkers(struct walk_plan *p, const struct hs_block_sink *sink)
{
	p->nwalkers = 1;
	if (sink->fork != NULL && p->narenas >= 2 && hs_processors_to_spare() &&
	    choose_arenas(p) >= MIN_SECOND_BYTES)
		p->nwalkers = MAX_WALKERS;
	for (size_t i = 0; i < p->narenas; i++)
		if (p->nwalkers == 1)
			p->arenas[i].owner = 0;
	for (size_t i = 0; i < p->nheaps; i++)
		p->heaps[i].owner = p->arenas[p->heaps[i].arena].owner;
}

struct walker *hs_walker_new(const struct walk_plan *p, unsigned id, const struct hs_block_sink *sink,
			     struct hs_error *err, bool read_ahead)
{
	struct walker *w = hs_xcalloc(1, sizeof(*w));

	*w = (struct walker){ .p = p, .id = id, .sink = sink, .err = err };
	w->tally = hs_xcalloc(p->narenas, sizeof(*w->tally));
	w->heap_walked = hs_xcalloc(p->nheaps ? p->nheaps : 1, sizeof(*w->heap_walked));
	hs_window_init(&w->win, p->t, read_ahead);
	w->queue = hs_classify_queue_start(sink, read_ahead);
	return w;
}

void hs_walker_free(struct walker *w)
{
	if (w == NULL)
		return;
	hs_classify_queue_stop(w->queue);
	hs_window_free(&w->win);
	hs_big_array_free(w->bin_chunks, w->bin_chunks_cap, sizeof(*w->bin_chunks));
	hs_big_array_free(w->pending, w->pending_cap, sizeof(*w->pending));
	hs_addr_index_free(&w->bin_index);
	hs_addr_index_free(&w->pending_index);
	free(w->tally);
	free(w->heap_walked);
	free(w);
}

int hs_walker_walk_heap(struct walker *w, size_t i)
{
	const struct heap_region *r = &w->p->heaps[i];

	if (r->owner != w->id || w->heap_walked[i])
		return 0;
	w->heap_walked[i] = true;
	return hs_walk_chunks(w, r->arena, r->first, r->end, r->top);
}

int hs_walker_walk_heaps(struct walker *w)
{
	for (size_t i = 0; i < w->p->nheaps; i++)
		if (hs_walker_walk_heap(w, i) < 0)
			return -1;
	return 0;
}

struct walker_thread {
	struct walker *w;
	pthread_t thread;
	bool running;
	int rc;
};

static void *walk_on_thread(void *arg)
{
	struct walker_thread *wt = arg;

	wt->rc = hs_walker_walk_heaps(wt->w);
	return NULL;
}

struct walker_thread *hs_walker_thread_start(struct walker *w)
{
	struct walker_thread *wt = hs_xcalloc(1, sizeof(*wt));

	wt->w = w;
	wt->running = hs_worker_start(&wt->thread, walk_on_thread, wt);
	if (!wt->running)
		walk_on_thread(wt); /* no thread after all: the same work, in turn */
	return wt;
}

int hs_walker_thread_wait(struct walker_thread *wt)
{
	int rc;

	if (wt == NULL)
		return 0;
	if (wt->running)
		pthread_join(wt->thread, NULL);
	rc = wt->rc;
	free(wt);
	return rc;
}
