/* Walking glibc malloc's heaps from outside: every arena, every heap of each, every mmapped
   chunk, and the free set from every bin, fastbin and thread's tcache. Each live block goes
   to a sink; the figures go to the snapshot's totals and arenas. Any inconsistency (a thread
   was inside malloc, a list or chunk does not check out) ends the walk with HS_ERR_WALK so
   the caller can resume the target briefly and try again. */
#ifndef HS_WALK_H
#define HS_WALK_H

#include "attach/target.h"
#include "heapwalk/locate.h"
#include "snapshot/snapshot.h"

struct hs_block_sink {
	/* Names one block while the target is stopped: its user address, usable size, the
	   first `avail` bytes of it, and the glibc structure it is when the walker knows (else
	   NULL). Returns a type index of the snapshot. */
	uint32_t (*classify)(void *arg, uint64_t addr, uint64_t usable, const uint8_t *bytes,
			     size_t avail, const char *libc_name);
	/* One live block, with the type classify gave it. A block that might sit in a tcache
	   or fastbin is classified during the walk and emitted once the lists are resolved. */
	void (*emit)(void *arg, uint64_t addr, uint64_t usable, uint32_t type);
	void *arg;
};

/* How many bytes of each block the classifier is shown (already in the read window, so
   showing them costs no extra read). */
#define HS_BLOCK_HEAD_BYTES 4096

/* Walks the heap; fills snap->totals, snap->arenas, snap->narenas, snap->glibc.{safe_linking,
   tcache}. On failure the snapshot's figures are meaningless. */
int hs_heap_walk(struct hs_target *t, const struct hs_malloc_info *m, const struct hs_block_sink *sink,
		 struct hs_snapshot *snap, struct hs_error *err);

/* Whether any thread is inside malloc's code (unwound with libunwind) or any arena's lock is
   held: then a walk would see a heap in mid-change. Writes the reason into why and, when one
   thread is to blame, its index into *thread (else SIZE_MAX). */
int hs_malloc_busy(struct hs_target *t, const struct hs_malloc_info *m, char *why, size_t whylen,
		   size_t *thread);

#endif
