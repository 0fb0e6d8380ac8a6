/* src/heapwalk's public header. Walking glibc malloc's heaps from outside: every arena, every
   heap of each, every mmapped chunk, and the free set from every bin, fastbin and thread's
   tcache. Each live block goes to a sink; the figures go to the snapshot's totals and
   arenas. Any inconsistency (a thread was inside malloc, a list or chunk does not check out)
   ends the walk with HS_ERR_WALK so the caller can resume the target briefly and try again. */
#ifndef HS_HEAPWALK_H
#define HS_HEAPWALK_H

#include "attach/attach.h"
#include "locate/locate.h"
#include "snapshot/snapshot.h"

struct hs_block_sink {
	/* Naming a block comes in two parts, so that the walk and the naming can run on two
	   threads. First, on the walker's thread while the block's first `avail` bytes are in
	   view: `shape`, a verdict on those bytes alone (it runs beside `classify`, so it may
	   keep nothing that changes a verdict, only hints that speed the next; NULL gives 0), and `head`, how many of those bytes `classify` will need
	   (NULL: all of them). */
	uint8_t (*shape)(void *arg, uint64_t usable, const uint8_t *bytes, size_t avail);
	size_t (*head)(void *arg, const uint8_t *bytes, size_t avail);
	/* Then, on one thread and in the order the walk met the blocks: the block's type, from
	   its user address, usable size, first `avail` bytes (as many as `head` asked for), the
	   shape verdict, and the glibc structure it is when the walker knows (else NULL).
	   Returns a type index of the snapshot. */
	uint32_t (*classify)(void *arg, uint64_t addr, uint64_t usable, const uint8_t *bytes,
			     size_t avail, uint8_t shape, const char *libc_name);
	/* One live block, with the type classify gave it. A block that might sit in a tcache
	   or fastbin is classified during the walk and emitted once the lists are resolved. */
	void (*emit)(void *arg, uint64_t addr, uint64_t usable, uint32_t type);
	void *arg;
	/* For a second walker, on its own thread (NULL: the walk stays on one): a sink of its
	   own, whose classify and emit run beside this one's; after that walker is done, join
	   hands back what its sink collected. Blocks that sink emits are no longer in
	   address order with this one's. */
	const struct hs_block_sink *(*fork)(void *arg);
	void (*join)(void *arg, const struct hs_block_sink *child);
};

/* How many bytes of each block the classifier is shown (already in the read window, so
   showing them costs no extra read). */
#define HS_BLOCK_HEAD_BYTES 4096

/* A walk comes in two parts, so that a live target runs again as soon as it can. The first
   reads the target, which must stay stopped until it returns: every chunk is read and every
   block named (the sink's classify may read the target too); blocks that cannot be in a free
   list are emitted. On success *out holds what the second part needs; on failure nothing
   is left to finish. The sink, snap and err must outlive the walk. */
struct hs_heap_walk;
int hs_heap_walk_read(struct hs_target *t, const struct hs_malloc_info *m, const struct hs_block_sink *sink,
		      struct hs_snapshot *snap, struct hs_error *err, struct hs_heap_walk **out);
/* The second part reads nothing of the target: it follows every free list through what was
   read, emits the blocks no list holds, checks the figures against malloc's counters and
   fills snap->totals, snap->arenas, snap->narenas, snap->glibc.{safe_linking, tcache}; it
   frees the walk. A failure (HS_ERR_WALK: the heap was in mid-change or is corrupt) leaves
   the snapshot's figures meaningless. */
int hs_heap_walk_finish(struct hs_heap_walk *walk);
/* Both parts in turn. */
int hs_heap_walk(struct hs_target *t, const struct hs_malloc_info *m, const struct hs_block_sink *sink,
		 struct hs_snapshot *snap, struct hs_error *err);

#endif
