/* State shared by the walker's files (freelists.c, chunks.c, mmapped.c, main_segments.c,
   walk.c); not for use outside src/heapwalk. */
#ifndef HS_WALK_PRIVATE_H
#define HS_WALK_PRIVATE_H

#include <stdbool.h>
#include <string.h>

#include "heapwalk/addr_set.h"
#include "heapwalk/walk.h"
#include "heapwalk/window.h"

#define MINSIZE 32
#define PREV_INUSE 1u
#define IS_MMAPPED 2u
#define NON_MAIN_ARENA 4u
#define SIZE_BITS 7u
#define NBINS 128

/* Where a free chunk was found. */
enum { FREE_TCACHE = 1, FREE_FASTBIN = 2, FREE_BIN = 3, TCACHE_STRUCT = 4 };

struct arena {
	uint64_t addr;
	uint8_t *state;  /* malloc_state bytes */
	struct hs_arena_stats stats;
	uint64_t listed_bin_blocks, listed_bin_bytes; /* from the bins, checked against the walk */
	uint64_t listed_fast_blocks;
	uint64_t segment_bytes; /* main arena, non-contiguous: bytes of the segments found */
};

struct range {
	uint64_t lo, hi;
};

struct walk {
	struct hs_target *t;
	const struct hs_malloc_info *m;
	const struct hs_glibc_layout *l;
	const struct hs_block_sink *sink;
	struct hs_error *err;
	struct hs_window win;
	uint8_t *mp;               /* malloc_par bytes */
	struct arena *arenas;
	size_t narenas;
	struct hs_addr_set free;   /* chunk address -> FREE_* or TCACHE_STRUCT */
	uint64_t listed_tcache_blocks, seen_tcache_blocks;
	struct range *heaps;       /* arena memory, excluded from the mmapped-chunk scan */
	size_t nheaps, heaps_cap;
	uint64_t pagesize;
};

static inline uint64_t rd64(const uint8_t *p, unsigned off)
{
	uint64_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

static inline uint32_t rd32(const uint8_t *p, unsigned off)
{
	uint32_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* Safe-linking (2.32+): a stored link is (its own address >> 12) XOR the pointer. */
static inline uint64_t reveal(const struct walk *w, uint64_t stored_at, uint64_t v)
{
	return w->l->safe_linking ? (stored_at >> 12) ^ v : v;
}

int hs_walk_inconsistent(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hs_walk_add_heap(struct walk *w, uint64_t lo, uint64_t hi);

int hs_collect_free_lists(struct walk *w);
/* Walks [first, end). top: the arena's top chunk when it lies in this stretch; 0 for an
   older heap of a non-main arena (which ends in an end marker); NOT_TOP otherwise. */
#define NOT_TOP 1
int hs_walk_chunks(struct walk *w, struct arena *a, uint64_t first, uint64_t end, uint64_t top);
int hs_walk_arena_heaps(struct walk *w, struct arena *a);
int hs_walk_main_contiguous(struct walk *w, struct arena *a);
/* The scan of anonymous memory outside the arenas' heaps, page by page: mmapped chunks,
   and the segments of a non-contiguous main arena. */
int hs_scan_anonymous(struct walk *w, struct arena *main_arena, struct hs_totals *totals);
/* Called for a page whose header looks like an mmapped chunk; returns the address to go on
   from (past the chunk's mapping), 0 when it was no chunk, -1 on an inconsistency. */
int64_t hs_mmapped_chunk_at(struct walk *w, uint64_t page, const uint64_t hdr[2], uint64_t range_end,
			    struct hs_totals *totals);
/* Called for a page that may start a segment of a non-contiguous main arena; same returns. */
int64_t hs_main_segment_at(struct walk *w, struct arena *a, uint64_t page, uint64_t range_end);

#endif
