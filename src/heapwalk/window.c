/* The read window (see heapwalk_private.h). A piece read ahead starts a little before the end
   of the piece being walked, where the next refill would start: the walk reads a chunk's header,
   then the next one's, then the chunk's first bytes, so a refill keeps READ_BEHIND bytes
   before the address asked for. A piece read ahead that does not cover what is asked (the
   walk jumped over a large chunk) is dropped and the window reads where it is told, a small
   piece at first. */
#include <stdlib.h>

#include "common/big_array.h"
#include "common/worker_thread.h"
#include "common/xalloc.h"
#include "heapwalk/heapwalk_private.h"

/* What a refill reads after the walk jumped past the window: enough for a large chunk's
   header and head, and for the next chunk's header should it be small too. */
#define JUMP_BYTES (64u << 10)
/* A chunk's header and the first bytes of the chunk shown to the classifier. */
#define READ_BEHIND (HS_BLOCK_HEAD_BYTES + 32)

struct hs_window_ahead {
	struct hs_job_worker worker;
	uint8_t *buf;           /* the piece being read, or read, ahead */
	uint64_t from, want;    /* what was asked: [from, from+want) */
	ssize_t got;            /* what the read returned */
};

static void read_piece_ahead(void *arg)
{
	struct hs_window *w = arg;
	struct hs_window_ahead *a = w->ahead;

	a->got = w->t->ops->read(w->t, a->from, a->buf, a->want);
}

static uint8_t *window_buffer(void)
{
	uint8_t *buf = NULL;
	size_t cap = 0;

	hs_big_array_grow((void **)&buf, &cap, HS_WINDOW_BYTES, 1);
	return buf;
}

static void start_reading_ahead(struct hs_window *w)
{
	struct hs_window_ahead *a = hs_xcalloc(1, sizeof(*a));

	w->ahead = a;
	if (!hs_job_worker_start(&a->worker, read_piece_ahead, w)) {
		free(a);
		w->ahead = NULL;
		return;
	}
	a->buf = window_buffer();
}

void hs_window_init(struct hs_window *w, struct hs_target *t, bool read_ahead)
{
	w->t = t;
	w->base = w->len = 0;
	w->start = w->limit = 0;
	w->buf = window_buffer();
	w->ahead = NULL;
	if (read_ahead)
		start_reading_ahead(w);
}

/* Waits for the read ahead in flight, if any, and forgets it; the piece it read, when it
   holds [from, from+need), is swapped in as the window and true returned. need 0: the piece
   is only waited for. */
static bool take_ahead(struct hs_window *w, uint64_t from, uint64_t need)
{
	struct hs_window_ahead *a = w->ahead;
	bool usable;

	if (a == NULL)
		return false;
	usable = hs_job_worker_wait(&a->worker) && need > 0 && a->got > 0 && a->from <= from &&
		 from + need <= a->from + (uint64_t)a->got;
	if (usable) {
		uint8_t *walked = w->buf;
		w->buf = a->buf;
		a->buf = walked;
		w->base = a->from;
		w->len = (uint64_t)a->got;
	}
	return usable;
}

/* Asks for the piece after the window: from where a refill for the last header that ends
   past the window would start. */
static void ask_ahead(struct hs_window *w)
{
	struct hs_window_ahead *a = w->ahead;
	uint64_t end = w->base + w->len, from = end - w->start > 2 * READ_BEHIND ? end - 2 * READ_BEHIND : w->start;

	if (a == NULL || end >= w->limit || w->len < HS_WINDOW_BYTES)
		return;
	a->from = from;
	a->want = w->limit - from < HS_WINDOW_BYTES ? w->limit - from : HS_WINDOW_BYTES;
	hs_job_worker_ask(&a->worker);
}

void hs_window_region(struct hs_window *w, uint64_t start, uint64_t limit)
{
	take_ahead(w, 0, 0);
	w->start = start;
	w->limit = limit;
	w->len = 0;
}

const uint8_t *hs_window_refill(struct hs_window *w, uint64_t addr, size_t n)
{
	uint64_t from, want;
	ssize_t got;

	if (addr < w->start || addr + n > w->limit || addr + n < addr)
		return NULL;
	from = addr - w->start < READ_BEHIND ? w->start : addr - READ_BEHIND;
	if (n > HS_WINDOW_BYTES - (addr - from))
		return NULL;
	if (!take_ahead(w, from, addr + n - from)) {
		/* After a jump over a large chunk a whole piece would mostly be the next large
		   chunk's bytes: a small one is read, and no piece ahead. */
		uint64_t piece = w->len > 0 && addr > w->base + w->len + HS_WINDOW_BYTES ? JUMP_BYTES : HS_WINDOW_BYTES;
		if (piece < addr + n - from)
			piece = HS_WINDOW_BYTES;
		want = w->limit - from < piece ? w->limit - from : piece;
		got = w->t->ops->read(w->t, from, w->buf, want);
		w->base = from;
		w->len = got > 0 ? (uint64_t)got : 0;
	}
	ask_ahead(w);
	return addr + n <= w->base + w->len ? w->buf + (addr - w->base) : NULL;
}

void hs_window_free(struct hs_window *w)
{
	struct hs_window_ahead *a = w->ahead;

	if (a != NULL) {
		hs_job_worker_stop(&a->worker);
		hs_big_array_free(a->buf, HS_WINDOW_BYTES, 1);
		free(a);
		w->ahead = NULL;
	}
	hs_big_array_free(w->buf, HS_WINDOW_BYTES, 1);
	w->buf = NULL;
}
