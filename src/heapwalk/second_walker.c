/* A second walker (see walk_private.h): on a machine with processors to spare, whole
   non-main arenas, about half of the arena bytes, are walked on a thread of their own while
   the main walker does the rest. Each walker copies and reads its own bytes (the bytes of a
   heap are then in the cache of the processor that looks at them), has its own read window,
   classification queue and sink, and records its own free and pending chunks; the free
   lists are followed through both walkers' records, and the sink's join takes its blocks. */
#include <pthread.h>
#include <stdlib.h>

#include "common/worker_thread.h"
#include "common/xalloc.h"
#include "heapwalk/walk_private.h"

/* Less arena memory than this is not worth a thread. */
#define MIN_SECOND_BYTES (16u << 20)

struct second_walker {
	struct walk w;
	struct hs_error err;
	pthread_t thread;
	bool running;
	int rc;
	const struct hs_block_sink *sink;
};

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

/* Marks the heaps of the arenas the second walker takes; returns the bytes taken. */
static uint64_t choose_arenas(struct walk *w)
{
	uint32_t *order = xmalloc(w->narenas * sizeof(*order));
	uint64_t total = 0, taken = 0;
	bool *second = xcalloc(w->narenas, sizeof(*second));

	for (uint32_t i = 0; i < w->narenas; i++) {
		order[i] = i;
		total += w->arenas[i].stats.totals.system_bytes;
	}
	qsort_r(order, w->narenas, sizeof(*order), cmp_arena_bytes, w->arenas);
	for (uint32_t k = 0; k < w->narenas; k++) {
		uint64_t bytes = w->arenas[order[k]].stats.totals.system_bytes;
		if (order[k] != 0 && 2 * (taken + bytes) <= total) {
			second[order[k]] = true;
			taken += bytes;
		}
	}
	for (size_t i = 0; i < w->nheaps; i++)
		if (second[w->heaps[i].arena])
			w->heaps[i].second = true;
	free(order);
	free(second);
	return taken;
}

static void *walk_second(void *arg)
{
	struct second_walker *s = arg;
	struct walk *w = &s->w;

	for (size_t i = 0; i < w->nheaps && s->rc == 0; i++) {
		const struct heap_region *r = &w->heaps[i];
		if (r->second)
			s->rc = hs_walk_chunks(w, r->arena, r->first, r->end, r->top);
	}
	return NULL;
}

void hs_second_walker_start(struct walk *w)
{
	struct second_walker *s;

	if (w->sink->fork == NULL || w->narenas < 2 || !hs_processors_to_spare() ||
	    choose_arenas(w) < MIN_SECOND_BYTES) {
		for (size_t i = 0; i < w->nheaps; i++)
			w->heaps[i].second = false;
		return;
	}
	s = xcalloc(1, sizeof(*s));
	s->sink = w->sink->fork(w->sink->arg);
	s->w = (struct walk){ .t = w->t, .m = w->m, .l = w->l, .sink = s->sink, .err = &s->err,
			      .snap = w->snap, .mp = w->mp, .pagesize = w->pagesize,
			      .arenas = w->arenas, .narenas = w->narenas, .tcaches = w->tcaches,
			      .ntcaches = w->ntcaches, .tcache_structs = w->tcache_structs,
			      .tcache_struct_size = w->tcache_struct_size, .tcache_key = w->tcache_key,
			      .tcache_key_known = w->tcache_key_known,
			      .tcache_max_chunk = w->tcache_max_chunk, .heaps = w->heaps,
			      .nheaps = w->nheaps };
	s->w.nonempty_tcache_bins[0] = w->nonempty_tcache_bins[0];
	s->w.nonempty_tcache_bins[1] = w->nonempty_tcache_bins[1];
	/* Two walkers keep both processors busy: neither reads ahead on a third thread. */
	hs_window_init(&s->w.win, w->t, false);
	s->w.queue = hs_classify_queue_start(s->sink, false);
	for (size_t i = 0; i < w->nheaps; i++)
		if (w->heaps[i].second)
			w->heaps[i].walked = true;
	w->second = s;
	s->running = hs_worker_start(&s->thread, walk_second, s);
	if (!s->running)
		walk_second(s); /* no thread after all: the same work, in turn */
}

int hs_second_walker_wait(struct walk *w)
{
	struct second_walker *s = w->second;

	if (s == NULL)
		return 0;
	if (s->running) {
		pthread_join(s->thread, NULL);
		s->running = false;
	}
	hs_window_free(&s->w.win);
	if (s->rc < 0) {
		*w->err = s->err;
		return -1;
	}
	return 0;
}

struct walk *hs_second_walker_walk(struct walk *w)
{
	return w->second != NULL ? &w->second->w : NULL;
}

void hs_second_walker_drain(struct walk *w)
{
	if (w->second != NULL)
		hs_classify_queue_drain(w->second->w.queue);
}

void hs_second_walker_free(struct walk *w)
{
	struct second_walker *s = w->second;

	if (s == NULL)
		return;
	if (s->running)
		pthread_join(s->thread, NULL);
	hs_walk_free_own(&s->w);
	w->sink->join(w->sink->arg, s->sink);
	free(s);
	w->second = NULL;
}
