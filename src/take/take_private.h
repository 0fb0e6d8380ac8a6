/* The take stage's parts shared by the live and the core paths: walking and classifying a
   stopped target, and describing it in the snapshot. */
#ifndef HS_TAKE_PRIVATE_H
#define HS_TAKE_PRIVATE_H

#include <time.h>

#include "attach/target.h"
#include "heapwalk/locate.h"
#include "take/take.h"

/* Walks the heap of a stopped target, naming each block, into snap (blocks and groups done).
   With recording non-NULL (--save-image), the walk reads through a recording of t, left in
   *recording (to close, or to save with hs_take_save_image once the target runs again). */
int hs_take_walk(struct hs_target *t, const struct hs_malloc_info *m, struct hs_target **recording,
		 struct hs_snapshot *snap, struct hs_error *err);
/* Writes the recording of the successful walk to --save-image's file and closes it. */
int hs_take_save_image(struct hs_target *recording, const struct hs_malloc_info *m,
		       const struct hs_take_options *o, const struct hs_snapshot *snap,
		       struct hs_error *err);
/* Fills the snapshot's header: target, glibc, label, the time the target was stopped. */
void hs_take_describe(struct hs_target *t, const struct hs_malloc_info *m,
		      const struct hs_take_options *o, time_t stopped_at, struct hs_snapshot *snap);
double hs_take_now_ms(void);

int hs_take_live(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_error *err);
int hs_take_core(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_error *err);

#endif
