/* The root list: the roots as the snapshot names them, the memory each one covers, the root
   node each one's blocks belong to, and the memory already covered (so that no word is the
   root of two roots). */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "refs/refs_private.h"

uint32_t hs_root_add(struct root_set *rs, enum hs_root_kind kind, char *name, const char *module,
		     int64_t tid, uint64_t address, uint64_t size)
{
	struct hs_snapshot_refs *refs = rs->refs;
	size_t i = refs->nroots;

	hs_xgrow((void **)&refs->roots, &refs->roots_cap, i + 1, sizeof(*refs->roots));
	hs_xgrow((void **)&rs->node, &rs->node_cap, i + 1, sizeof(*rs->node));
	refs->roots[i] = (struct hs_root){ .kind = kind, .name = name,
					   .module = module ? hs_xstrdup(module) : NULL,
					   .tid = tid, .address = address, .size = size };
	rs->node[i] = (int32_t)i;
	refs->nroots++;
	return (uint32_t)i;
}

void hs_root_add_piece(struct root_set *rs, uint32_t root, uint64_t start, uint64_t end,
		       const uint64_t *words)
{
	if (end <= start)
		return;
	hs_xgrow((void **)&rs->pieces, &rs->pieces_cap, rs->npieces + 1, sizeof(*rs->pieces));
	rs->pieces[rs->npieces++] = (struct root_piece){ .root = root, .start = start, .end = end,
							 .words = words };
}

void hs_covered_add(struct covered *c, uint64_t start, uint64_t end)
{
	if (end <= start)
		return;
	hs_xgrow((void **)&c->range, &c->cap, c->n + 1, sizeof(*c->range));
	c->range[c->n][0] = start;
	c->range[c->n][1] = end;
	c->n++;
}

bool hs_covered_overlaps(const struct covered *c, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->range[i][0] < end && start < c->range[i][1])
			return true;
	return false;
}
