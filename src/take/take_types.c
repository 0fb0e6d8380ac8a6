/* A take's DWARF types (src/typing): on unless --no-debuginfo. The names go to blocks found by
   address, so the take keeps the block list even with --no-blocks, and drops it once the
   blocks are named (the groups keep the names). The modules' DWARF is read before a live
   target is stopped, from its /proc/PID/maps, so that the pause holds only the reads of
   pointers; a module loaded between that read and the stop gives no types. */
#include <elfutils/libdwfl.h>

#include "take/take_private.h"

void hs_take_types_begin(struct hs_take_types *tt, const struct hs_take_options *o, struct hs_target *t)
{
	*tt = (struct hs_take_types){ 0 };
	if (o->no_debuginfo)
		return;
	tt->dwfl = t != NULL ? t->dwfl : hs_dwfl_of_pid(o->pid, o->debug_dirs);
	tt->own_dwfl = t == NULL;
	if (tt->dwfl == NULL)
		return;
	tt->di = hs_debuginfo_new();
	hs_typing_read_modules(tt->di, tt->dwfl);
	if (hs_debuginfo_ntypes(tt->di) == 0)
		hs_take_types_end(tt);
}

struct hs_typing *hs_take_types_decide(struct hs_take_types *tt, struct hs_target *t, const struct hs_snapshot *snap,
				       const struct hs_block_index *index)
{
	return tt->di != NULL ? hs_typing_decide(t, tt->di, tt->dwfl, snap, index) : NULL;
}

bool hs_take_types_keep_blocks(const struct hs_take_types *tt, const struct hs_take_options *o)
{
	return !o->no_blocks || tt->di != NULL;
}

void hs_take_types_apply(struct hs_typing *ty, const struct hs_take_options *o, struct hs_snapshot *snap)
{
	hs_typing_apply(ty, snap);
	if (o->no_blocks && snap->has_blocks) {
		hs_block_log_free(&snap->blocks);
		snap->has_blocks = false;
	}
}

void hs_take_types_end(struct hs_take_types *tt)
{
	if (tt->di != NULL)
		hs_debuginfo_free(tt->di);
	if (tt->own_dwfl && tt->dwfl != NULL)
		dwfl_end(tt->dwfl);
	*tt = (struct hs_take_types){ 0 };
}
