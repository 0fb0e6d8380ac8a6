/* src/typing's public header: naming blocks by the C and C++ types their pointers have in
   the target's DWARF. Typed roots (globals and statics, `__thread` variables, the locals of
   every thread's frames) type the blocks they point to the start of; typed blocks type the
   blocks their pointer members point to, until nothing changes; a block several pointers
   disagree on takes what most of them say. The pointer words are read while the target is
   stopped (or from the core) and kept nowhere: only the names go into the snapshot. */
#ifndef HS_TYPING_H
#define HS_TYPING_H

#include "attach/attach.h"
#include "debuginfo/debuginfo.h"
#include "snapshot/snapshot.h"

struct hs_block_index; /* refs.h */

struct hs_typing;

/* Reads the DWARF of every module of dwfl that has it (once per module: what di already
   read is kept). Reads files only, not the target's memory, so for a live target it can
   run before the stop (dwfl from hs_dwfl_of_pid); dwfl must outlive di. */
void hs_typing_read_modules(struct hs_debuginfo *di, struct Dwfl *dwfl);
/* Decides a type for the blocks of snap (its block list complete, bi its index) that typed
   pointers point to, reading through t, which must stay stopped until this returns; dwfl's
   modules (read into di) are the ones whose TLS and frames count. NULL when no module has a
   type. */
struct hs_typing *hs_typing_decide(struct hs_target *t, struct hs_debuginfo *di, struct Dwfl *dwfl,
				   const struct hs_snapshot *snap, const struct hs_block_index *bi);
/* Gives the decided blocks their names (kind "debuginfo"; a block named by its vtable, a
   CPython type or glibc keeps its name), counts disagreements in snap's warnings, and frees
   ty (NULL: nothing to do). Reads nothing of the target: for a live take it runs once the target runs again. */
void hs_typing_apply(struct hs_typing *ty, struct hs_snapshot *snap);
/* Frees ty unapplied (NULL is fine). */
void hs_typing_free(struct hs_typing *ty);

#endif
