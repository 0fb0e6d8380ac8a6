/* The conservative word scan: memory read through the target in windows of at most
   SCAN_WINDOW bytes (heapsnap's memory does not grow with the heap's bytes), each aligned
   word looked up in the block index. Neighbouring blocks are read in one call. Memory that
   cannot be read is counted and holds no references. */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "refs/refs_private.h"

#define SCAN_WINDOW ((size_t)1 << 20)
/* Blocks closer than this are read together (the bytes between are read and skipped). */
#define SCAN_GAP 4096

void hs_scanner_init(struct scanner *s, struct hs_target *t, const struct block_index *bi)
{
	*s = (struct scanner){ .t = t, .bi = bi, .buf = hs_xmalloc(SCAN_WINDOW) };
}

void hs_scanner_free(struct scanner *s)
{
	free(s->buf);
	s->buf = NULL;
}

void hs_scan_words(struct scanner *s, const uint64_t *words, size_t n, uint64_t base, uint32_t src,
		   hs_word_visit visit, void *arg)
{
	const struct block_index *bi = s->bi;
	uint64_t lo, hi;

	if (bi->nspans == 0)
		return;
	lo = bi->span[0].lo;
	hi = bi->span[bi->nspans - 1].hi;
	for (size_t i = 0; i < n; i++) {
		uint64_t v = words[i];
		uint32_t dst;

		/* Most words are no address in the heap: leave them before the lookup. */
		if (v < lo || v >= hi)
			continue;
		dst = hs_block_index_find(bi, v);
		if (dst != HS_NO_BLOCK)
			visit(arg, src, dst, base + 8 * i);
	}
}

/* Reads [start, start + len) (len <= SCAN_WINDOW) into the buffer; returns the bytes read. */
static size_t read_window(struct scanner *s, uint64_t start, size_t len)
{
	ssize_t got = s->t->ops->read(s->t, start, s->buf, len);
	size_t n = got > 0 ? (size_t)got : 0;

	s->unreadable_bytes += len - n;
	return n;
}

void hs_scan_range(struct scanner *s, uint64_t start, uint64_t end, uint32_t src, hs_word_visit visit,
		   void *arg)
{
	start = (start + 7) & ~(uint64_t)7;
	while (start + 8 <= end) {
		size_t len = (end - start < SCAN_WINDOW ? (size_t)(end - start) : SCAN_WINDOW) & ~(size_t)7;
		size_t got = read_window(s, start, len);

		s->scanned_bytes += got;
		hs_scan_words(s, (const uint64_t *)s->buf, got / 8, start, src, visit, arg);
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

void hs_scan_blocks(struct scanner *s, const uint32_t *idx, size_t n, hs_word_visit visit, void *arg)
{
	const struct block_index *bi = s->bi;
	size_t i = 0;

	while (i < n) {
		uint64_t lo = bi->block[idx[i]].addr, hi = bi->block[idx[i]].end;
		size_t j = i + 1, got;

		if (hi - lo > SCAN_WINDOW) {
			hs_scan_range(s, lo, hi, idx[i], visit, arg);
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
			hs_scan_words(s, (const uint64_t *)(s->buf + (a - lo)), (size_t)(e - a) / 8, a, idx[i],
				      visit, arg);
		}
	}
}
