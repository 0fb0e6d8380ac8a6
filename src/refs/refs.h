/* take --refs: the conservative reference scan of a stopped target. Every root (a thread's
   registers, stack and static TLS, the writable segments of every module, every other
   writable mapping that is not malloc's) and every live block is scanned for words that
   point into a live block; from that graph, per block, the shortest chain from a root, the
   root node that owns it, and for the blocks nothing reaches, LeakSanitizer's split into
   direct and indirect leaks. The result goes into snap->refs (docs/snapshot-format.md). */
#ifndef HS_REFS_H
#define HS_REFS_H

#include "attach/attach.h"
#include "common/error.h"
#include "locate/locate.h"
#include "snapshot/snapshot.h"

/* Scans t (stopped, or a core) for references between the blocks already in snap (its block
   list complete: the walk finished) and sets snap->refs. Reads block contents through t and
   stores none of them. */
int hs_refs_take(struct hs_target *t, const struct hs_malloc_info *m, struct hs_snapshot *snap,
		 struct hs_error *err);

#endif
