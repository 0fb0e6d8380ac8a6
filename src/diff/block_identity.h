/* Block identity across two snapshots (Chrome's #New / #Deleted): when both list their
   blocks and come from the same process, a block is the same block when its address,
   usable size and type name agree; every other block is new (only in NEW) or freed (only
   in OLD). Both block lists are sorted by address, so one merge-join over the two streams
   counts them with no memory per block. */
#ifndef HS_BLOCK_IDENTITY_H
#define HS_BLOCK_IDENTITY_H

#include "common/error.h"
#include "diff/comparison.h"
#include "snapshot/snapshot_read.h"

/* Decides whether identity is available, recording why not in c->identity.why. */
void hs_identity_decide(struct hs_comparison *c);
/* Reads both block streams to the end (checking them) and, with identity, adds new and
   freed counts to the rows and sums. */
int hs_identity_count(struct hs_comparison *c, struct hs_snapshot_reader *old,
		      struct hs_snapshot_reader *new, struct hs_error *err);

#endif
