/* The scan's second thread: while the caller scans a piece of a level, the worker reads and
   looks up the next piece with a scanner of its own and records the words it finds (holder,
   block, place); the caller then visits them, so that the visits stay on one thread and in
   the order an unshared scan makes them. A piece is at most SCAN_PIECE bytes of blocks, so
   the record holds at most SCAN_PIECE / 8 words. Reading the target from a second thread is
   what the walk's read-ahead does too (process_vm_readv, or pread of /proc/PID/mem or of a
   core). */
#include <stdlib.h>

#include "common/worker_thread.h"
#include "common/xalloc.h"
#include "refs/refs_private.h"

struct scan_hit {
	uint32_t src, dst;
	uint64_t at;
};

struct scan_worker {
	struct hs_job_worker worker;
	struct scanner s;       /* the worker's own: buffer, queue, counters */
	const uint32_t *idx;    /* the piece asked for */
	size_t n;
	struct scan_hit *hit;   /* what the piece's words point to, in word order */
	size_t nhits, hits_cap;
};

static void record(void *arg, uint32_t src, uint32_t dst, uint64_t at)
{
	struct scan_worker *w = arg;

	if (w->nhits == w->hits_cap)
		hs_xgrow((void **)&w->hit, &w->hits_cap, w->nhits + 1, sizeof(*w->hit));
	w->hit[w->nhits++] = (struct scan_hit){ .src = src, .dst = dst, .at = at };
}

static void scan_piece(void *arg)
{
	struct scan_worker *w = arg;

	w->nhits = 0;
	hs_scan_blocks(&w->s, w->idx, w->n, record, w);
}

struct scan_worker *hs_scan_worker_start(struct hs_target *t, const struct hs_block_index *bi)
{
	struct scan_worker *w = hs_xcalloc(1, sizeof(*w));

	hs_scanner_init(&w->s, t, bi, false);
	if (!hs_job_worker_start(&w->worker, scan_piece, w)) {
		hs_scanner_free(&w->s);
		free(w);
		return NULL;
	}
	return w;
}

void hs_scan_worker_give(struct scan_worker *w, const uint32_t *idx, size_t n)
{
	w->idx = idx;
	w->n = n;
	hs_job_worker_ask(&w->worker);
}

void hs_scan_worker_visit(struct scan_worker *w, struct scanner *s)
{
	hs_job_worker_wait(&w->worker);
	s->scanned_bytes += w->s.scanned_bytes;
	s->unreadable_bytes += w->s.unreadable_bytes;
	w->s.scanned_bytes = w->s.unreadable_bytes = 0;
	/* A queue's worth at a time: the graph's state of those blocks fetched, then visited. */
	for (size_t i = 0; i < w->nhits; i += SCAN_QUEUE) {
		size_t end = w->nhits - i < SCAN_QUEUE ? w->nhits : i + SCAN_QUEUE;

		if (s->prefetch != NULL)
			for (size_t k = i; k < end; k++)
				s->prefetch(s->arg, w->hit[k].dst);
		for (size_t k = i; k < end; k++)
			s->visit(s->arg, w->hit[k].src, w->hit[k].dst, w->hit[k].at);
	}
}

void hs_scan_worker_stop(struct scan_worker *w)
{
	if (w == NULL)
		return;
	hs_job_worker_stop(&w->worker);
	hs_scanner_free(&w->s);
	free(w->hit);
	free(w);
}
