/* The classification queue (see heapwalk_private.h). Naming blocks is much of a walk's work,
   and the target's threads are stopped, so their processors are free. The walker's thread
   reads, follows chunks, and judges each block's bytes by their shape while they are in the
   read window; a second thread runs the rules that learn as they go (vtables, type objects,
   FILEs), in block order, and emits the blocks. Blocks travel in batches (each with the few
   first bytes those rules need): the walk fills one while the thread works through the
   others, and a lock is taken once per batch. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/worker_thread.h"
#include "common/xalloc.h"
#include "common/big_array.h"
#include "heapwalk/heapwalk_private.h"

#define NBATCHES 8
#define BATCH_JOBS 8192
/* At least one block's HS_BLOCK_HEAD_BYTES. */
#define BATCH_BYTES (512u << 10)

struct job {
	uint64_t addr, usable;
	const char *libc_name;
	uint32_t offset, avail, pending;
	uint8_t shape;
};

struct batch {
	struct job jobs[BATCH_JOBS];
	uint8_t bytes[BATCH_BYTES];
	size_t njobs, nbytes;
};

struct hs_classify_queue {
	const struct hs_block_sink *sink;
	/* Batch number n lives in batches[n % NBATCHES]. The walk fills number `handed`; the
	   thread has finished those below `done` and works on those in [done, handed). */
	uint64_t handed, done;
	bool threaded, stopping;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	uint32_t *types; /* by pending index; written by the thread only, until a drain */
	size_t types_cap;
	struct batch batches[NBATCHES];
};

static void keep_type(struct hs_classify_queue *q, uint32_t pending, uint32_t type)
{
	hs_big_array_grow((void **)&q->types, &q->types_cap, (size_t)pending + 1, sizeof(*q->types));
	q->types[pending] = type;
}

static void run_job(struct hs_classify_queue *q, const struct job *j, const uint8_t *bytes)
{
	const struct hs_block_sink *s = q->sink;
	uint32_t type = s->classify(s->arg, j->addr, j->usable, j->avail ? bytes : NULL, j->avail,
				    j->shape, j->libc_name);

	if (j->pending == HS_QUEUE_EMIT)
		s->emit(s->arg, j->addr, j->usable, type);
	else
		keep_type(q, j->pending, type);
}

static void *classify_thread(void *arg)
{
	struct hs_classify_queue *q = arg;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (q->done == q->handed && !q->stopping)
			pthread_cond_wait(&q->changed, &q->lock);
		if (q->stopping)
			break;
		struct batch *b = &q->batches[q->done % NBATCHES];
		pthread_mutex_unlock(&q->lock);
		for (size_t i = 0; i < b->njobs; i++)
			run_job(q, &b->jobs[i], b->bytes + b->jobs[i].offset);
		pthread_mutex_lock(&q->lock);
		q->done++;
		pthread_cond_broadcast(&q->changed);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

struct hs_classify_queue *hs_classify_queue_start(const struct hs_block_sink *sink, bool threaded)
{
	/* Megabytes, written before they are read: neither zeroed nor reserved beyond that. */
	struct hs_classify_queue *q = hs_xmalloc(sizeof(*q));

	q->sink = sink;
	q->handed = q->done = 0;
	q->stopping = false;
	q->types = NULL;
	q->types_cap = 0;
	q->batches[0].njobs = q->batches[0].nbytes = 0;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->changed, NULL);
	/* On one processor a thread would only add the copying and the handing over. */
	q->threaded = threaded && hs_processors_to_spare() && hs_worker_start(&q->thread, classify_thread, q);
	return q;
}

/* Hands the batch being filled to the thread and waits for a free one. */
static void hand_over(struct hs_classify_queue *q)
{
	struct batch *next;

	pthread_mutex_lock(&q->lock);
	q->handed++;
	pthread_cond_broadcast(&q->changed);
	while (q->handed - q->done >= NBATCHES)
		pthread_cond_wait(&q->changed, &q->lock);
	pthread_mutex_unlock(&q->lock);
	next = &q->batches[q->handed % NBATCHES];
	next->njobs = next->nbytes = 0;
}

void hs_classify_queue_push(struct hs_classify_queue *q, uint64_t addr, uint64_t usable,
			    const uint8_t *bytes, size_t avail, const char *libc_name, uint32_t pending)
{
	const struct hs_block_sink *s = q->sink;
	struct batch *b = &q->batches[q->handed % NBATCHES];
	uint8_t shape = 0;
	size_t head = 0;
	struct job *j;

	if (libc_name == NULL) {
		shape = s->shape != NULL ? s->shape(s->arg, usable, bytes, avail) : 0;
		head = s->head != NULL ? s->head(s->arg, bytes, avail) : avail;
		if (head > avail)
			head = avail;
	}
	if (!q->threaded) {
		run_job(q, &(struct job){ .addr = addr, .usable = usable, .libc_name = libc_name,
					  .avail = (uint32_t)head, .pending = pending, .shape = shape }, bytes);
		return;
	}
	if (b->njobs == BATCH_JOBS || b->nbytes + head > BATCH_BYTES) {
		hand_over(q);
		b = &q->batches[q->handed % NBATCHES];
	}
	j = &b->jobs[b->njobs++];
	j->addr = addr;
	j->usable = usable;
	j->libc_name = libc_name;
	j->offset = (uint32_t)b->nbytes;
	j->avail = (uint32_t)head;
	j->pending = pending;
	j->shape = shape;
	if (head > 0)
		memcpy(b->bytes + b->nbytes, bytes, head);
	b->nbytes += head;
}

void hs_classify_queue_drain(struct hs_classify_queue *q)
{
	if (!q->threaded)
		return;
	if (q->batches[q->handed % NBATCHES].njobs > 0)
		hand_over(q);
	pthread_mutex_lock(&q->lock);
	while (q->done != q->handed)
		pthread_cond_wait(&q->changed, &q->lock);
	pthread_mutex_unlock(&q->lock);
}

uint32_t hs_classify_queue_type(const struct hs_classify_queue *q, uint32_t pending)
{
	return q->types[pending];
}

void hs_classify_queue_stop(struct hs_classify_queue *q)
{
	if (q == NULL)
		return;
	if (q->threaded)
		hs_worker_stop(q->thread, &q->lock, &q->changed, &q->stopping);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->changed);
	hs_big_array_free(q->types, q->types_cap, sizeof(*q->types));
	free(q);
}
