/* The conservative word scan: memory read through the target in windows of at most
   SCAN_WINDOW bytes (heapsnap's memory does not grow with the heap's bytes), each aligned
   word looked up in the block index. Neighbouring blocks are read in one call. Memory that
   cannot be read is counted and holds no references. Most words fall outside every span of
   the block index and stop there; the others wait in the scanner's queue with their lookups
   started (a word's bytes are gone when the window moves on, so the queue keeps values),
   and a full queue, or the end of a scan call, finishes them and calls visit in word
   order. Visits may change what the caller scans next, never what this call scans. */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "refs/refs_private.h"

#define SCAN_WINDOW ((size_t)1 << 20)
/* Blocks closer than this are read together (the bytes between are read and skipped). */
#define SCAN_GAP 4096

void hs_scanner_init(struct scanner *s, struct hs_target *t, const struct hs_block_index *bi, bool with_worker)
{
	*s = (struct scanner){ .t = t, .bi = bi, .buf = hs_xmalloc(SCAN_WINDOW) };
	if (bi->nspans > 0) {
		s->lo = bi->span[0].lo;
		s->hi = bi->span[bi->nspans - 1].hi;
	}
	if (with_worker)
		s->worker = hs_scan_worker_start(t, bi);
}

void hs_scanner_free(struct scanner *s)
{
	hs_scan_worker_stop(s->worker);
	s->worker = NULL;
	free(s->buf);
	s->buf = NULL;
}

/* Finishes the queued lookups and visits the words that point into a block, in order. */
static void flush(struct scanner *s)
{
	hs_block_index_finish(s->bi, s->value, s->granule, s->dst, s->queued);
	if (s->prefetch != NULL)
		for (size_t k = 0; k < s->queued; k++)
			if (s->dst[k] != HS_NO_BLOCK)
				s->prefetch(s->arg, s->dst[k]);
	for (size_t k = 0; k < s->queued; k++)
		if (s->dst[k] != HS_NO_BLOCK)
			s->visit(s->arg, s->src[k], s->dst[k], s->at[k]);
	s->queued = 0;
}

static void queue_words(struct scanner *s, const uint64_t *words, size_t n, uint64_t base, uint32_t src)
{
	for (size_t i = 0; i < n; i++) {
		const uint32_t *granule;

		if (words[i] < s->lo || words[i] >= s->hi ||
		    (granule = hs_block_index_start(s->bi, words[i], &s->span_hint)) == NULL)
			continue;
		s->value[s->queued] = words[i];
		s->at[s->queued] = base + 8 * i;
		s->src[s->queued] = src;
		s->granule[s->queued] = granule;
		if (++s->queued == SCAN_QUEUE)
			flush(s);
	}
}

static void begin(struct scanner *s, hs_word_visit visit, void *arg)
{
	s->visit = visit;
	s->arg = arg;
	s->queued = 0;
}

void hs_scan_words(struct scanner *s, const uint64_t *words, size_t n, uint64_t base, uint32_t src,
		   hs_word_visit visit, void *arg)
{
	begin(s, visit, arg);
	queue_words(s, words, n, base, src);
	flush(s);
}

/* Reads [start, start + len) (len <= SCAN_WINDOW) into the buffer; returns the bytes read. */
static size_t read_window(struct scanner *s, uint64_t start, size_t len)
{
	ssize_t got = s->t->ops->read(s->t, start, s->buf, len);
	size_t n = got > 0 ? (size_t)got : 0;

	s->unreadable_bytes += len - n;
	return n;
}

static void queue_range(struct scanner *s, uint64_t start, uint64_t end, uint32_t src)
{
	start = (start + 7) & ~(uint64_t)7;
	while (start + 8 <= end) {
		size_t len = (end - start < SCAN_WINDOW ? (size_t)(end - start) : SCAN_WINDOW) & ~(size_t)7;
		size_t got = read_window(s, start, len);

		s->scanned_bytes += got;
		queue_words(s, (const uint64_t *)s->buf, got / 8, start, src);
		if (got < len) {
			/* An unreadable page: go on after it (read_window counted the whole rest). */
			uint64_t next = ((start + got) & ~(uint64_t)4095) + 4096;

			if (next < start + len)
				s->unreadable_bytes -= start + len - next;
			start = next;
			continue;
		}
		start += len;
	}
}

void hs_scan_range(struct scanner *s, uint64_t start, uint64_t end, uint32_t src, hs_word_visit visit,
		   void *arg)
{
	begin(s, visit, arg);
	queue_range(s, start, end, src);
	flush(s);
}

static void queue_blocks(struct scanner *s, const uint32_t *idx, size_t n)
{
	const struct hs_block_index *bi = s->bi;
	size_t i = 0;

	while (i < n) {
		uint64_t lo = bi->block[idx[i]].addr, hi = bi->block[idx[i]].end;
		size_t j = i + 1, got;

		if (hi - lo > SCAN_WINDOW) {
			queue_range(s, lo, hi, idx[i]);
			i++;
			continue;
		}
		while (j < n && bi->block[idx[j]].addr - hi <= SCAN_GAP && bi->block[idx[j]].end - lo <= SCAN_WINDOW)
			hi = bi->block[idx[j++]].end;
		got = read_window(s, lo, (size_t)(hi - lo));
		for (; i < j; i++) {
			uint64_t a = bi->block[idx[i]].addr, e = bi->block[idx[i]].end;

			if (e > lo + got)
				e = a > lo + got ? a : lo + got;
			s->scanned_bytes += e - a;
			queue_words(s, (const uint64_t *)(s->buf + (a - lo)), (size_t)(e - a) / 8, a, idx[i]);
		}
	}
}

/* The end of the piece of idx starting at i: as many blocks as SCAN_PIECE bytes hold, at
   least one; *bytes gets their bytes. */
static size_t piece_end(const struct hs_block_index *bi, const uint32_t *idx, size_t i, size_t n, uint64_t *bytes)
{
	const struct hs_block_bounds *b = &bi->block[idx[i]];

	*bytes = b->end - b->addr;
	for (i++; i < n; i++) {
		b = &bi->block[idx[i]];
		if (*bytes + (b->end - b->addr) > SCAN_PIECE)
			break;
		*bytes += b->end - b->addr;
	}
	return i;
}

void hs_scan_blocks(struct scanner *s, const uint32_t *idx, size_t n, hs_word_visit visit, void *arg)
{
	size_t i = 0;

	begin(s, visit, arg);
	if (s->worker == NULL) {
		queue_blocks(s, idx, n);
		flush(s);
		return;
	}
	/* Pieces in turn: this thread's, then the worker's (found while this one's was scanned,
	   visited after it), unless the worker's would be one block over SCAN_PIECE bytes. */
	while (i < n) {
		uint64_t bytes;
		size_t mine = piece_end(s->bi, idx, i, n, &bytes), theirs = mine;

		if (mine < n) {
			theirs = piece_end(s->bi, idx, mine, n, &bytes);
			if (bytes <= SCAN_PIECE)
				hs_scan_worker_give(s->worker, idx + mine, theirs - mine);
			else
				theirs = mine;
		}
		queue_blocks(s, idx + i, mine - i);
		flush(s);
		if (theirs > mine)
			hs_scan_worker_visit(s->worker, s);
		i = theirs;
	}
}
