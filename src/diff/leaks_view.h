/* heapsnap leaks' view of a snapshot taken with --refs: a snapshot of its leaked blocks
   alone (the blocks no root reaches), which show's builder groups, ranks and renders like
   any other, each block marked direct or indirect (LeakSanitizer's split) so that every row
   can carry the split. Blocks are offered in address order with their block_refs owner. */
#ifndef HS_LEAKS_VIEW_H
#define HS_LEAKS_VIEW_H

#include <stdint.h>

#include "diff/comparison.h"
#include "snapshot/snapshot.h"

struct hs_leaks_view {
	struct hs_snapshot only;  /* the leaked blocks, under the source's header */
	uint8_t *indirect;        /* per leaked block, in address order: HS_DIRECT or HS_INDIRECT */
	size_t nblocks, cap;
	uint64_t count[2], size[2]; /* [HS_DIRECT], [HS_INDIRECT] */
};

/* An empty view over src's types. */
void hs_leaks_view_init(struct hs_leaks_view *v, const struct hs_snapshot *src);
/* Keeps b (a block of src) when its block_refs owner says it is leaked. */
void hs_leaks_view_offer(struct hs_leaks_view *v, const struct hs_block *b, int32_t owner);
/* After the last block: groups the leaked blocks, and moves src's label, time, pid and
   thread stacks over for the output's header. */
void hs_leaks_view_finish(struct hs_leaks_view *v, struct hs_snapshot *src);
/* Credits every row of c, built over v->only, and its total with their blocks' split. */
void hs_leaks_view_split(struct hs_comparison *c, const struct hs_leaks_view *v);
/* Calls visit(arg, block, HS_DIRECT or HS_INDIRECT) on every leaked block in address order;
   stops at, and returns, the first nonzero value visit returns. */
int hs_leaks_view_each(const struct hs_leaks_view *v,
		       int (*visit)(void *arg, const struct hs_block *b, int split), void *arg);
void hs_leaks_view_free(struct hs_leaks_view *v);

#endif
