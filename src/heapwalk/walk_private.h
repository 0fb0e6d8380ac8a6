/* State shared by the walker's files (freelists.c, chunks.c, mmapped.c, main_segments.c,
   anon_scan.c, walk.c); not for use outside src/heapwalk.

   The free set is resolved from what the sequential walk reads, not by chasing each list
   node with a read of its own: a chunk that looks free (its successor's PREV_INUSE is clear)
   is recorded with its links for the bin check; a chunk that looks in use but could be in a
   tcache or fastbin (its key or link has the shape) is held back as pending. After the walk,
   every fastbin, tcache and bin list is followed through those records, and the pending
   chunks no list holds are emitted as live. */
#ifndef HS_WALK_PRIVATE_H
#define HS_WALK_PRIVATE_H

#include <stdbool.h>
#include <string.h>

#include "heapwalk/addr_index.h"
#include "common/u64map.h"
#include "heapwalk/classify_queue.h"
#include "heapwalk/walk.h"
#include "heapwalk/window.h"

#define MINSIZE 32
#define PREV_INUSE 1u
#define IS_MMAPPED 2u
#define NON_MAIN_ARENA 4u
#define SIZE_BITS 7u
#define NBINS 128
/* M_MXFAST's largest setting makes fastbins hold chunks up to this size. */
#define MAX_FASTBIN_CHUNK 0xb0
#define MMAPPED_ARENA UINT32_MAX

struct arena {
	uint64_t addr;
	uint8_t *state;  /* malloc_state bytes */
	struct hs_arena_stats stats;
	uint64_t segment_bytes; /* main arena, non-contiguous: bytes of the segments found */
	/* Bit b: a chunk of this arena in tcache bin b (sizes up to 1040) may be in a tcache or a
	   fastbin (some thread's tcache bin b, or this arena's fastbin b, is not empty). */
	uint64_t cached_bins;
};

/* The records are packed (hundreds of thousands are written while the target is stopped,
   each page of them new memory): a chunk too large for them ends the walk. 2^47 bytes is
   the whole of a 4-level-paging address space. */
#define BIN_CHUNK_SIZE_BITS 47
#define PENDING_SIZE_BITS 48

/* A chunk the walk saw free (in some bin); arena indices are below MAX_ARENAS, 65536. */
struct bin_chunk {
	uint64_t addr, fd, bk;
	uint64_t size : BIN_CHUNK_SIZE_BITS, listed : 1, arena : 16; /* 32 bytes a record */
};

/* A chunk that looks in use but may be in a tcache or fastbin. Its type comes from the
   classification queue, which knows it by the chunk's place in the order of recording. */
enum { PENDING_UNDECIDED, PENDING_TCACHE, PENDING_FASTBIN };
struct pending {
	uint64_t addr, link; /* link: the raw word at the user pointer */
	uint64_t size : PENDING_SIZE_BITS, header : 8, where : 8; /* header: size - usable */
	uint32_t recorded, arena; /* recorded: the index in its walker's queue */
};
_Static_assert(sizeof(struct bin_chunk) == 32 && sizeof(struct pending) == 32, "records stay packed");

struct thread_tcache {
	pid_t tid;
	uint64_t addr;                /* the struct's user pointer */
	uint64_t entries[80];
	unsigned counts[80];
};

/* A stretch of arena memory found before the walk (the main arena's sbrk heap, a heap of a
   non-main arena): excluded from the page scan, and walked when the scan reaches it, so that
   blocks come out in address order. */
struct heap_region {
	uint64_t lo, hi;          /* the memory reserved for it: skipped by the scan */
	uint64_t first, end, top; /* its chunks, as hs_walk_chunks takes them */
	uint32_t arena;
	bool walked;
	bool second; /* walked by the second walker */
};

struct walk {
	struct hs_target *t;
	const struct hs_malloc_info *m;
	const struct hs_glibc_layout *l;
	const struct hs_block_sink *sink; /* used directly only once the queue is drained */
	struct hs_classify_queue *queue;   /* where live blocks go during the walk */
	struct hs_error *err;
	struct hs_snapshot *snap;  /* for warnings */
	struct hs_window win;
	uint8_t *mp;               /* malloc_par bytes */
	uint64_t pagesize;
	struct arena *arenas;
	size_t narenas;

	struct thread_tcache *tcaches;
	size_t ntcaches;
	struct u64map tcache_structs; /* chunk address of each thread's tcache struct */
	uint64_t tcache_struct_size;  /* their chunks' size field; 0: not all the same */
	uint64_t tcache_key;       /* 2.34+: the key every tcache entry carries */
	bool tcache_key_known;
	uint64_t tcache_max_chunk; /* largest chunk a tcache takes; 0 when no tcache holds any */
	uint64_t nonempty_tcache_bins[2]; /* bitmap over tcache bins with an entry in some thread */
	const struct hs_mapping *last_link_map; /* writable: where the last plausible link pointed */

	/* Both recorded in address order (the walk's), indexed once the walk is done. */
	struct bin_chunk *bin_chunks;
	size_t nbin_chunks, bin_chunks_cap;
	struct hs_addr_index bin_index;
	struct pending *pending;
	size_t npending, pending_cap;
	struct hs_addr_index pending_index;

	struct heap_region *heaps; /* sorted by address once all are known */
	size_t nheaps, heaps_cap;

	struct second_walker *second;  /* the main walker's second, when there is one */
	struct walk *other;            /* once the lists are followed: the second's records too */
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

/* The main arena's flag for an sbrk heap in pieces (NONCONTIGUOUS_BIT). */
static inline bool main_arena_noncontiguous(const struct walk *w)
{
	return rd32(w->arenas[0].state, w->l->ms_flags) & 2;
}

/* Safe-linking (2.32+): a stored link is (its own address >> 12) XOR the pointer. */
static inline uint64_t reveal(const struct walk *w, uint64_t stored_at, uint64_t v)
{
	return w->l->safe_linking ? (stored_at >> 12) ^ v : v;
}

int hs_walk_inconsistent(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hs_walk_add_heap(struct walk *w, const struct heap_region *r);
/* Frees what one walker has of its own: its queue, window, free and pending records and
   their indexes (the rest of a second walker's struct walk is the main walker's). */
void hs_walk_free_own(struct walk *w);
/* Walks a heap region's chunks (once). */
int hs_walk_heap(struct walk *w, struct heap_region *r);

/* freelists.c: before the walk, read every thread's tcache; during it, decide what a chunk
   may be; after it (reading nothing more of the target, once the queues are drained),
   follow every list and settle the pending chunks. */
int hs_read_tcaches(struct walk *w);
/* Once the tcaches and arenas are read: every arena's cached_bins. */
void hs_find_cached_bins(struct walk *w);
bool hs_may_be_cached_by_shape(struct walk *w, uint32_t arena, uint64_t chunk, uint64_t size,
			       const uint8_t *user16);

/* Whether an in-use-looking chunk may be in a tcache or fastbin. Most chunks are of a size
   no list holds right now: one bit says so, on every chunk the walk meets. */
static inline bool hs_may_be_cached(struct walk *w, uint32_t arena, uint64_t chunk, uint64_t size,
				    const uint8_t *user16)
{
	uint64_t bin = (size - MINSIZE) / 16;

	if (arena != MMAPPED_ARENA && size >= MINSIZE && bin < 64 && !(w->arenas[arena].cached_bins >> bin & 1))
		return false;
	return hs_may_be_cached_by_shape(w, arena, chunk, size, user16);
}
/* Records a maybe-cached chunk and hands its first bytes (avail of them, at least 8) to
   the classification queue. */
int hs_add_pending(struct walk *w, uint32_t arena, uint64_t chunk, uint64_t size, uint64_t usable,
		   const uint8_t *head, size_t avail);
int hs_add_bin_chunk(struct walk *w, uint32_t arena, uint64_t chunk, uint64_t size, uint64_t fd,
		     uint64_t bk);
int hs_resolve_free_lists(struct walk *w, struct hs_totals *mmapped);

/* The second walker (second_walker.c), on the main walker's struct walk. start: once the
   heaps are known, takes about half the arena bytes (whole non-main arenas) and walks them
   on a thread, or does nothing. wait: waits until it is done reading; -1 with the error it
   met. drain: waits until its queue has named every block. walk: its struct walk (its free
   and pending records, its queue), NULL when there is none. free: stops it, hands its sink
   back (the sink's join), frees it. */
void hs_second_walker_start(struct walk *w);
int hs_second_walker_wait(struct walk *w);
void hs_second_walker_drain(struct walk *w);
struct walk *hs_second_walker_walk(struct walk *w);
void hs_second_walker_free(struct walk *w);

/* Walks [first, end). top: the arena's top chunk when it lies in this stretch; 0 for an
   older heap of a non-main arena (which ends in an end marker); NOT_TOP otherwise. */
#define NOT_TOP 1
int hs_walk_chunks(struct walk *w, uint32_t arena, uint64_t first, uint64_t end, uint64_t top);
/* Record the heap regions (heap_info chains are checked here; the chunks are walked later). */
int hs_find_arena_heaps(struct walk *w, uint32_t arena);
void hs_find_main_contiguous(struct walk *w);
/* The scan of anonymous memory, page by page, in address order: mmapped chunks and the
   segments of a non-contiguous main arena are found there, and each heap region is walked
   when the scan reaches it. */
int hs_scan_anonymous(struct walk *w, struct hs_totals *totals);
/* Called for a page whose header looks like an mmapped chunk; returns the address to go on
   from (past the chunk's mapping), 0 when it was no chunk, -1 on an inconsistency. */
int64_t hs_mmapped_chunk_at(struct walk *w, uint64_t page, const uint64_t hdr[2], uint64_t range_end,
			    struct hs_totals *totals);
/* Called for a page that may start a segment of a non-contiguous main arena; same returns. */
int64_t hs_main_segment_at(struct walk *w, uint64_t page, uint64_t range_end);

#endif
