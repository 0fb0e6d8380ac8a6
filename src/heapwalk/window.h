/* A read window over target memory: a heap is read in large sequential pieces, so a walk
   touches each byte about once and heapsnap's memory does not grow with the heap. While the
   walk works through one piece, a reader thread reads the next into a second buffer, so
   that copying the target's memory and walking it overlap. */
#ifndef HS_WINDOW_H
#define HS_WINDOW_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attach/attach.h"

#define HS_WINDOW_BYTES (2u << 20)

struct hs_window_ahead; /* the reader thread and the piece it reads (window.c) */

struct hs_window {
	struct hs_target *t;
	uint64_t base, len;  /* bytes [base, base+len) are in buf */
	uint64_t start, limit; /* reads never leave [start, limit), the region walked */
	uint8_t *buf;
	struct hs_window_ahead *ahead; /* NULL: every piece is read when it is needed */
};

/* read_ahead: with a read-ahead thread, when there are processors to spare. */
void hs_window_init(struct hs_window *w, struct hs_target *t, bool read_ahead);
/* Sets the region being walked, [start, limit), and forgets what was read. */
void hs_window_region(struct hs_window *w, uint64_t start, uint64_t limit);
/* Reads the piece that holds [addr, addr+n), for hs_window_get. */
const uint8_t *hs_window_refill(struct hs_window *w, uint64_t addr, size_t n);

/* Bytes [addr, addr+n) of the target, or NULL when they cannot be read or pass the limit.
   The pointer is good until the next call. Inline: the walk asks for every chunk's header
   and first bytes, nearly always already in the window. */
static inline const uint8_t *hs_window_get(struct hs_window *w, uint64_t addr, size_t n)
{
	if (addr >= w->base && addr + n <= w->base + w->len && addr + n >= addr)
		return w->buf + (addr - w->base);
	return hs_window_refill(w, addr, n);
}
void hs_window_free(struct hs_window *w);

#endif
