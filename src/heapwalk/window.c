/* The read window (see window.h). */
#include <stdlib.h>

#include "heapwalk/big_array.h"
#include "heapwalk/window.h"

void hs_window_init(struct hs_window *w, struct hs_target *t)
{
	size_t cap = 0;

	w->t = t;
	w->base = w->len = 0;
	w->limit = 0;
	w->buf = NULL;
	hs_big_array_grow((void **)&w->buf, &cap, HS_WINDOW_BYTES, 1);
}

void hs_window_limit(struct hs_window *w, uint64_t limit)
{
	w->limit = limit;
	w->len = 0;
}

const uint8_t *hs_window_get(struct hs_window *w, uint64_t addr, size_t n)
{
	uint64_t want;
	ssize_t got;

	if (addr >= w->base && addr + n <= w->base + w->len && addr + n >= addr)
		return w->buf + (addr - w->base);
	if (n > HS_WINDOW_BYTES || addr + n > w->limit || addr + n < addr)
		return NULL;
	want = w->limit - addr < HS_WINDOW_BYTES ? w->limit - addr : HS_WINDOW_BYTES;
	got = w->t->ops->read(w->t, addr, w->buf, want);
	w->base = addr;
	w->len = got > 0 ? (uint64_t)got : 0;
	return w->len >= n ? w->buf : NULL;
}

void hs_window_free(struct hs_window *w)
{
	free(w->buf);
	w->buf = NULL;
}
