/* Naming live blocks on a second thread while the walk goes on: the walk hands each live
   block over (its address, size, the sink's shape verdict on its first bytes, taken on the
   walk's thread, and as many of those bytes as the sink's head asks), and the other thread
   classifies and emits the blocks in the order they were handed over. The sink's classify
   and emit are only ever used by that thread, until the queue is drained. The classifier
   reads the target (vtables, type objects) on that thread while the walk reads it on its
   own (target.h says reads may run side by side). */
#ifndef HS_CLASSIFY_QUEUE_H
#define HS_CLASSIFY_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "heapwalk/walk.h"

/* For a block that is not to be emitted, only named (a pending chunk: see heapwalk_private.h). */
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

#endif
