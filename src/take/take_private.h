/* The take stage's parts shared by the live and the core paths: walking and classifying a
   stopped target, and describing it in the snapshot. */
#ifndef HS_TAKE_PRIVATE_H
#define HS_TAKE_PRIVATE_H

#include <time.h>

#include "attach/target.h"
#include "heapwalk/locate.h"
#include "take/take.h"

/* Walks the heap of a stopped target, naming each block, into snap. The walk reads through
   `through` (t itself, or a recording of t for --save-image). The caller sorts the blocks
   (hs_snapshot_finish_blocks) once the target runs again: that needs only snap. */
int hs_take_walk(struct hs_target *t, struct hs_target *through, const struct hs_malloc_info *m,
		 struct hs_snapshot *snap, struct hs_error *err);
/* Fills the snapshot's header: target, glibc, label, the time the target was stopped. */
void hs_take_describe(struct hs_target *t, const struct hs_malloc_info *m,
		      const struct hs_take_options *o, time_t stopped_at, struct hs_snapshot *snap);
double hs_take_now_ms(void);

int hs_take_live(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_error *err);
int hs_take_core(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_error *err);

#endif
