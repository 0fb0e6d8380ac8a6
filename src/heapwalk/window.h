/* A read window over target memory: a heap is read in large sequential pieces, so a walk
   touches each byte about once and heapsnap's memory does not grow with the heap. */
#ifndef HS_WINDOW_H
#define HS_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "attach/target.h"

#define HS_WINDOW_BYTES (1u << 20)

struct hs_window {
	struct hs_target *t;
	uint64_t base, len;  /* bytes [base, base+len) are in buf */
	uint64_t start, limit; /* reads never leave [start, limit), the region walked */
	uint8_t *buf;
};

void hs_window_init(struct hs_window *w, struct hs_target *t);
/* Sets the region being walked, [start, limit), and forgets what was read. */
void hs_window_region(struct hs_window *w, uint64_t start, uint64_t limit);
/* Bytes [addr, addr+n) of the target, or NULL when they cannot be read or pass the limit. */
const uint8_t *hs_window_get(struct hs_window *w, uint64_t addr, size_t n);
void hs_window_free(struct hs_window *w);

#endif
