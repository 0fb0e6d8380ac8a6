/* src/heapwalk's private header: the walk plan, the walkers and the finish phase, shared by
   the walker's files; not for use outside src/heapwalk.

   A walk has three phases. Planning (walk.c, one thread, target stopped) reads mp_, the ring
   of arenas, every thread's tcache and every heap's place, and decides which walker owns
   which arena's heaps: the result, struct walk_plan, is read-only from then on. Walking: each
   walker (struct walker: its own window, queue, sink, error, figures and records) walks the
   heaps it owns, the first also scanning for mmapped chunks and main-arena segments.
   Finishing (struct settle) reads nothing of the target: it follows the lists through all
   walkers' records and checks the figures.

   The free set is resolved from what the sequential walk reads, not by chasing each list
   node with a read of its own: a chunk that looks free (its successor's PREV_INUSE is clear)
   is recorded with its links for the bin check; a chunk that looks in use but could be in a
   tcache or fastbin (its key or link has the shape) is held back as pending. After the walk,
   every fastbin, tcache and bin list is followed through those records, and the pending
   chunks no list holds are emitted as live. */
#ifndef HS_HEAPWALK_PRIVATE_H
#define HS_HEAPWALK_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "attach/attach.h"
#include "common/u64map.h"
#include "heapwalk/heapwalk.h"

/* An index over an array of records sorted by chunk address: which record has this
   address? Built once the walk has recorded every free or maybe-cached chunk (in address
   order), then asked for each node of every free list. */

#define HS_ADDR_INDEX_NONE SIZE_MAX

struct hs_addr_index {
	const uint8_t *records; /* n records of `stride` bytes, each starting with its address */
	size_t n, stride;
	struct hs_addr_segment *segments;
	size_t nsegments;
	uint32_t *buckets;
	size_t buckets_cap;
};

/* Indexes n (below 2^32) records of `stride` bytes whose first 8 bytes are the address, in
   ascending order of address. The records must stay where they are while the index is used. */
void hs_addr_index_build(struct hs_addr_index *x, const void *records, size_t stride, size_t n);
/* The position of the record with address addr, or HS_ADDR_INDEX_NONE. */
size_t hs_addr_index_find(const struct hs_addr_index *x, uint64_t addr);
void hs_addr_index_free(struct hs_addr_index *x);

/* Naming live blocks on a second thread while the walk goes on: the walk hands each live
   block over (its address, size, the sink's shape verdict on its first bytes, taken on the
   walk's thread, and as many of those bytes as the sink's head asks), and the other thread
   classifies and emits the blocks in the order they were handed over. The sink's classify
   and emit are only ever used by that thread, until the queue is drained. The classifier
   reads the target (vtables, type objects) on that thread while the walk reads it on its
   own (attach.h says reads may run side by side). */

/* For a block that is not to be emitted, only named (a pending chunk: see below). */
#define HS_QUEUE_EMIT UINT32_MAX

struct hs_classify_queue;

/* Starts the queue's thread when `threaded` (a walker alone: the thread uses a processor
   the walk leaves idle), else, or when no thread can be started, a queue that classifies
   each block as it is handed over. */
struct hs_classify_queue *hs_classify_queue_start(const struct hs_block_sink *sink, bool threaded);
/* Hands one block over, its first `avail` bytes at `bytes` (looked at now, what classify
   needs of them copied). pending: HS_QUEUE_EMIT to emit the block, else the index under
   which its type is kept for hs_classify_queue_type. */
void hs_classify_queue_push(struct hs_classify_queue *q, uint64_t addr, uint64_t usable,
			    const uint8_t *bytes, size_t avail, const char *libc_name, uint32_t pending);
/* Waits until every block handed over has been classified and emitted. */
void hs_classify_queue_drain(struct hs_classify_queue *q);
/* After a drain: the type of the block handed over with that pending index. */
uint32_t hs_classify_queue_type(const struct hs_classify_queue *q, uint32_t pending);
/* Stops the thread (what is still queued is dropped) and frees the queue; NULL is fine. */
void hs_classify_queue_stop(struct hs_classify_queue *q);

/* A read window over target memory: a heap is read in large sequential pieces, so a walk
   touches each byte about once and heapsnap's memory does not grow with the heap. While the
   walk works through one piece, a reader thread reads the next into a second buffer, so
   that copying the target's memory and walking it overlap. */

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

#define MINSIZE 32
#define PREV_INUSE 1u
#define IS_MMAPPED 2u
#define NON_MAIN_ARENA 4u
#define SIZE_BITS 7u
#define NBINS 128
/* M_MXFAST's largest setting makes fastbins hold chunks up to this size. */
#define MAX_FASTBIN_CHUNK 0xb0
#define MMAPPED_ARENA UINT32_MAX

/* One arena as the plan knows it before any walker starts: what planning read and found
   (its malloc_state, system_mem, heaps, the overhead of its heaps' headers) and which walker
   walks it. */
struct arena {
	uint64_t addr;
	uint8_t *state;  /* malloc_state bytes */
	struct hs_arena_stats stats; /* what planning found; the walkers' tallies add to it */
	/* Bit b: a chunk of this arena in tcache bin b (sizes up to 1040) may be in a tcache or a
	   fastbin (some thread's tcache bin b, or this arena's fastbin b, is not empty). */
	uint64_t cached_bins;
	unsigned owner;  /* the walker that walks its heaps */
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
   non-main arena): excluded from the page scan, and walked by its owner (the first walker
   when the scan reaches it, so that blocks come out in address order). */
struct heap_region {
	uint64_t lo, hi;          /* the memory reserved for it: skipped by the scan */
	uint64_t first, end, top; /* its chunks, as hs_walk_chunks takes them */
	uint32_t arena;
	unsigned owner;           /* its arena's walker */
};

/* At most this many walkers: the first, on the calling thread, scans anonymous memory and
   walks the heaps it owns as the scan reaches them; any other walks its heaps on a thread. */
#define MAX_WALKERS 2

/* The walk plan: everything read and decided before any walker starts, and read-only from
   then on (walkers and the finish phase see it as const). */
struct walk_plan {
	struct hs_target *t;
	const struct hs_malloc_info *m;
	const struct hs_glibc_layout *l;
	struct hs_snapshot *snap;  /* for warnings */
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

	struct heap_region *heaps; /* sorted by address */
	size_t nheaps, heaps_cap;
	unsigned nwalkers;         /* 1 or MAX_WALKERS */
};

/* What a walker counts for one arena it owns. */
struct arena_tally {
	uint64_t heaps;          /* main arena, non-contiguous: the segments found */
	uint64_t segment_bytes;  /* ... and their bytes */
	struct hs_totals totals;
};

/* One walker: its own read window, classification queue, sink, error, figures and records,
   over the plan's heaps it owns. */
struct walker {
	const struct walk_plan *p;
	unsigned id;
	const struct hs_block_sink *sink; /* used directly only once the queue is drained */
	struct hs_classify_queue *queue;   /* where live blocks go during the walk */
	struct hs_error *err;
	struct hs_window win;
	const struct hs_mapping *last_link_map; /* writable: where the last plausible link pointed */
	struct arena_tally *tally;  /* per arena; only its own arenas' are counted into */
	struct hs_totals mmapped;   /* the mmapped chunks it found (the first walker's scan) */
	bool *heap_walked;          /* per heap of the plan */

	/* Both recorded in address order (the walk's), indexed once the walk is done. */
	struct bin_chunk *bin_chunks;
	size_t nbin_chunks, bin_chunks_cap;
	struct hs_addr_index bin_index;
	struct pending *pending;
	size_t npending, pending_cap;
	struct hs_addr_index pending_index;
};

/* The figures the finish phase settles: the plan's arena stats plus every walker's tally,
   then what the free lists add. */
struct walk_figures {
	struct hs_arena_stats *arenas;
	uint64_t main_segment_bytes;
	struct hs_totals mmapped;
};

/* The finish phase: reads nothing of the target (the plan is const). */
struct settle {
	const struct walk_plan *p;
	struct walker *const *walkers;
	unsigned nwalkers;
	struct walk_figures *fig;
	const struct hs_block_sink *sink; /* the first walker's */
	struct hs_error *err;
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
static inline bool main_arena_noncontiguous(const struct walk_plan *p)
{
	return rd32(p->arenas[0].state, p->l->ms_flags) & 2;
}

/* Safe-linking (2.32+): a stored link is (its own address >> 12) XOR the pointer. */
static inline uint64_t reveal(const struct walk_plan *p, uint64_t stored_at, uint64_t v)
{
	return p->l->safe_linking ? (stored_at >> 12) ^ v : v;
}

/* Records an HS_ERR_WALK error, the heap is not consistent: what (a format and its
   arguments); returns -1. */
#define hs_walk_inconsistent(err, ...) hs_fail((err), HS_ERR_WALK, "the heap is not consistent: " __VA_ARGS__)

/* Building the plan (the target is read; nothing is walked yet). */
void hs_plan_add_heap(struct walk_plan *p, const struct heap_region *r);
/* freelists.c: every thread's tcache; then, once the arenas are read too, every arena's
   cached_bins. */
int hs_read_tcaches(struct walk_plan *p, struct hs_error *err);
void hs_find_cached_bins(struct walk_plan *p);
/* Record the heap regions (heap_info chains are checked here; the chunks are walked later). */
int hs_find_arena_heaps(struct walk_plan *p, uint32_t arena, struct hs_error *err);
void hs_find_main_contiguous(struct walk_plan *p);
/* walkers.c: how many walkers, and which arenas (and so heaps) each owns: whole non-main
   arenas, about half of the arena bytes, go to a second walker when a processor is spare. */
void hs_plan_assign_walkers(struct walk_plan *p, const struct hs_block_sink *sink);

/* Walking. */
/* A walker over p's heaps owned by id; read_ahead: its window reads ahead on a thread. */
struct walker *hs_walker_new(const struct walk_plan *p, unsigned id, const struct hs_block_sink *sink,
			     struct hs_error *err, bool read_ahead);
/* Frees the walker: its queue, window, records and indexes. NULL is fine. */
void hs_walker_free(struct walker *w);
/* Walks the heap of index i when w owns it and has not walked it yet. */
int hs_walker_walk_heap(struct walker *w, size_t i);
/* Walks every heap w owns, in address order. */
int hs_walker_walk_heaps(struct walker *w);
/* Runs hs_walker_walk_heaps on a thread of its own (or in turn, when none can be started);
   wait joins it and returns its result. */
struct walker_thread;
struct walker_thread *hs_walker_thread_start(struct walker *w);
int hs_walker_thread_wait(struct walker_thread *wt);

/* Whether an in-use-looking chunk may be in a tcache or fastbin. Most chunks are of a size
   no list holds right now: one bit says so, on every chunk the walk meets. */
bool hs_may_be_cached_by_shape(struct walker *w, uint32_t arena, uint64_t chunk, uint64_t size,
			       const uint8_t *user16);
static inline bool hs_may_be_cached(struct walker *w, uint32_t arena, uint64_t chunk, uint64_t size,
				    const uint8_t *user16)
{
	uint64_t bin = (size - MINSIZE) / 16;

	if (arena != MMAPPED_ARENA && size >= MINSIZE && bin < 64 && !(w->p->arenas[arena].cached_bins >> bin & 1))
		return false;
	return hs_may_be_cached_by_shape(w, arena, chunk, size, user16);
}
/* Records a maybe-cached chunk and hands its first bytes (avail of them, at least 8) to
   the classification queue. */
int hs_add_pending(struct walker *w, uint32_t arena, uint64_t chunk, uint64_t size, uint64_t usable,
		   const uint8_t *head, size_t avail);
int hs_add_bin_chunk(struct walker *w, uint32_t arena, uint64_t chunk, uint64_t size, uint64_t fd,
		     uint64_t bk);

/* Walks [first, end). top: the arena's top chunk when it lies in this stretch; 0 for an
   older heap of a non-main arena (which ends in an end marker); NOT_TOP otherwise. */
#define NOT_TOP 1
int hs_walk_chunks(struct walker *w, uint32_t arena, uint64_t first, uint64_t end, uint64_t top);
/* The scan of anonymous memory, page by page, in address order (the first walker): mmapped
   chunks and the segments of a non-contiguous main arena are found there, and each heap
   region it owns is walked when the scan reaches it. */
int hs_scan_anonymous(struct walker *w);
/* Called for a page whose header looks like an mmapped chunk; returns the address to go on
   from (past the chunk's mapping), 0 when it was no chunk, -1 on an inconsistency. */
int64_t hs_mmapped_chunk_at(struct walker *w, uint64_t page, const uint64_t hdr[2], uint64_t range_end);
/* Called for a page that may start a segment of a non-contiguous main arena; same returns. */
int64_t hs_main_segment_at(struct walker *w, uint64_t page, uint64_t range_end);

/* Finishing (freelists.c): every list followed through all walkers' records, the pending
   chunks no list holds emitted as live. */
int hs_resolve_free_lists(const struct settle *s);

#endif
