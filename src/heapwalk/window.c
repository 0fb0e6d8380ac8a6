/* The read window (see window.h). */
#include <stdlib.h>

#include "heapwalk/big_array.h"

/* What a refill keeps before the address asked for: a chunk's header and the first 4 KiB
   of the chunk shown to the classifier. */
#define READ_BEHIND (4096 + 32)
#include "heapwalk/window.h"

void hs_window_init(struct hs_window *w, struct hs_target *t)
{
	size_t cap = 0;

	w->t = t;
	w->base = w->len = 0;
	w->start = w->limit = 0;
	w->buf = NULL;
	hs_big_array_grow((void **)&w->buf, &cap, HS_WINDOW_BYTES, 1);
}

void hs_window_region(struct hs_window *w, uint64_t start, uint64_t limit)
{
	w->start = start;
	w->limit = limit;
	w->len = 0;
}

const uint8_t *hs_window_get(struct hs_window *w, uint64_t addr, size_t n)
{
	uint64_t from, want;
	ssize_t got;

	if (addr >= w->base && addr + n <= w->base + w->len && addr + n >= addr)
		return w->buf + (addr - w->base);
	if (addr < w->start || addr + n > w->limit || addr + n < addr)
		return NULL;
	/* The walk reads a chunk's header, then the next one's, then the chunk's first bytes:
	   a refill for the next header keeps a little of what lies before it. */
	from = addr - w->start < READ_BEHIND ? w->start : addr - READ_BEHIND;
	if (n > HS_WINDOW_BYTES - (addr - from))
		return NULL;
	want = w->limit - from < HS_WINDOW_BYTES ? w->limit - from : HS_WINDOW_BYTES;
	got = w->t->ops->read(w->t, from, w->buf, want);
	w->base = from;
	w->len = got > 0 ? (uint64_t)got : 0;
	return addr + n <= w->base + w->len ? w->buf + (addr - from) : NULL;
}

void hs_window_free(struct hs_window *w)
{
	free(w->buf);
	w->buf = NULL;
}
