/* The take stage's parts shared by the live and the core paths: walking and classifying a
   stopped target, and describing it in the snapshot. */
#ifndef HS_TAKE_PRIVATE_H
#define HS_TAKE_PRIVATE_H

#include <time.h>

#include "attach/attach.h"
#include "locate/locate.h"
#include "debuginfo/debuginfo.h"
#include "refs/refs.h"
#include "take/take.h"
#include "typing/typing.h"

/* Walks the heap of a stopped target, naming each block, into snap, in the two parts of
   heapwalk.h: read, while the target is stopped (through `through`: t itself, or a recording of
   t for --save-image), then finish, which reads nothing of it and may run once it runs
   again. The caller sorts the blocks (hs_snapshot_finish_blocks) afterwards. */
struct hs_take_walk;
int hs_take_walk_read(struct hs_target *t, struct hs_target *through, const struct hs_malloc_info *m,
		      struct hs_snapshot *snap, struct hs_error *err, struct hs_take_walk **out);
int hs_take_walk_finish(struct hs_take_walk *walk);
/* Fills the snapshot's header: target, glibc, label, the time the target was stopped. */
void hs_take_describe(struct hs_target *t, const struct hs_malloc_info *m,
		      const struct hs_take_options *o, struct timespec stopped_at, struct hs_snapshot *snap);
/* Fills the snapshot's "threads" from the stacks the busy check unwound while t was
   stopped; names their frames, which reads only the modules' files (so may run once a live
   target runs again). */
void hs_take_threads(struct hs_target *t, struct hs_snapshot *snap);
double hs_take_now_ms(void);
/* take_types.c: naming blocks from DWARF. begin reads the modules' DWARF: of t (a core), or,
   t NULL, of the live process o->pid before it is stopped; tt->di stays NULL when nothing is
   to be named (--no-debuginfo, no module with types). decide runs while t is
   stopped, with the block index --refs uses too; its result is applied (hs_typing_apply)
   once the target runs again. */
struct hs_take_types {
	struct hs_debuginfo *di;
	struct Dwfl *dwfl;
	bool own_dwfl;
};
void hs_take_types_begin(struct hs_take_types *tt, const struct hs_take_options *o, struct hs_target *t);
struct hs_typing *hs_take_types_decide(struct hs_take_types *tt, struct hs_target *t, const struct hs_snapshot *snap,
				       const struct hs_block_index *index);
/* Whether the walk keeps the block list: without --no-blocks, or to name blocks. */
bool hs_take_types_keep_blocks(const struct hs_take_types *tt, const struct hs_take_options *o);
/* Names the blocks (hs_typing_apply, ty may be NULL), then drops the block list that
   --no-blocks did not want. */
void hs_take_types_apply(struct hs_typing *ty, const struct hs_take_options *o, struct hs_snapshot *snap);
void hs_take_types_end(struct hs_take_types *tt);

int hs_take_live(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_error *err);
int hs_take_core(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_error *err);

#endif
