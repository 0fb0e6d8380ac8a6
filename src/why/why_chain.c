/* why for an address (see why.h): the chain of holders from the block up to its root, or to
   the direct leak that holds a leaked block, at most one step per block of the snapshot; and
   the climb up the holders that this walk, why_glob.c's and why_stacks.c's share. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "why/why_private.h"

bool hs_why_leaked(const struct hs_why_snapshot *w, size_t i)
{
	int32_t owner = w->snap.refs->blocks[i].owner;

	return owner == HS_OWNER_DIRECT || owner == HS_OWNER_INDIRECT;
}

ssize_t hs_why_climb(const struct hs_why_snapshot *w, size_t i, bool leaked, const uint32_t *memo,
		     uint32_t unset, size_t **stack, size_t *cap, enum hs_why_top *top, uint32_t *at,
		     struct hs_error *err)
{
	const struct hs_block_ref *refs = w->snap.refs->blocks;
	size_t n = 0, j = i;

	for (;;) {
		int32_t holder;

		if (memo != NULL && memo[j] != unset) {
			*top = HS_WHY_TOP_MEMO;
			*at = (uint32_t)j;
			return (ssize_t)n;
		}
		if (n == w->nblocks)
			return hs_fail(err, HS_ERR_TARGET, "%s: block_refs: the holders of block 0x%" PRIx64 " loop: the "
				       "snapshot is damaged, take it again", w->path, w->addr[i]);
		hs_xgrow((void **)stack, cap, n + 1, sizeof(**stack));
		(*stack)[n++] = j;
		holder = refs[j].holder;
		if (holder == HS_HOLDER_NONE && !leaked)
			return hs_fail(err, HS_ERR_TARGET, "%s: block_refs: the chain of block 0x%" PRIx64 " reaches no root "
				       "though the block is held: the snapshot is damaged, take it again", w->path, w->addr[i]);
		if (holder < 0) {
			/* A leaked block has no root, whatever a hostile file says. */
			*top = leaked ? HS_WHY_TOP_LEAK : HS_WHY_TOP_ROOT;
			*at = holder == HS_HOLDER_NONE ? 0 : (uint32_t)(-(int64_t)holder - 1);
			return (ssize_t)n;
		}
		j = (size_t)holder;
	}
}

int hs_why_chain(const struct hs_why_snapshot *w, size_t i, struct hs_why_path *path, struct hs_error *err)
{
	const struct hs_block_ref *refs = w->snap.refs->blocks;
	size_t *up = NULL, cap = 0;
	bool leaked = hs_why_leaked(w, i);
	enum hs_why_top top;
	uint32_t root;
	ssize_t climbed = hs_why_climb(w, i, leaked, NULL, 0, &up, &cap, &top, &root, err);
	size_t n = climbed > 0 ? (size_t)climbed : 0;

	if (climbed < 0) {
		free(up);
		return -1;
	}
	path->root = top == HS_WHY_TOP_ROOT ? (int32_t)root : -1;
	path->leak = leaked ? w->snap.refs->blocks[i].owner : 0;
	path->nhops = n;
	path->hops = hs_xmalloc(n * sizeof(*path->hops));
	for (size_t k = 0; k < n; k++) {
		size_t b = up[n - 1 - k];

		path->hops[k] = (struct hs_why_hop){ .address = w->addr[b], .address_known = true, .type = w->type[b],
						     .offset = refs[b].offset,
						     .offset_known = refs[b].holder != HS_HOLDER_NONE };
	}
	free(up);
	return 0;
}

struct hs_why_path *hs_why_add_path(struct hs_why_answer *a, const char *query)
{
	struct hs_why_path *p;

	hs_xgrow((void **)&a->paths, &a->paths_cap, a->npaths + 1, sizeof(*a->paths));
	p = &a->paths[a->npaths++];
	memset(p, 0, sizeof(*p));
	p->query = query;
	p->root = -1;
	return p;
}

int hs_why_address(const struct hs_why_snapshot *w, const char *query, uint64_t address,
		   struct hs_why_answer *a, struct hs_error *err)
{
	size_t i = hs_why_find_block(w, address);
	struct hs_why_path *p;

	if (i == w->nblocks)
		return hs_fail(err, HS_ERR_USAGE, "%s is in no live block of the snapshot: give an address inside "
			       "a block (the snapshot's \"blocks\" list them)", query);
	p = hs_why_add_path(a, query);
	p->is_address = true;
	p->block = w->addr[i];
	p->inside = address - w->addr[i];
	p->count = 1;
	p->size = w->size[i];
	return hs_why_chain(w, i, p, err);
}

void hs_why_answer_free(struct hs_why_answer *a)
{
	for (size_t p = 0; p < a->npaths; p++)
		free(a->paths[p].hops);
	free(a->paths);
	free(a->cuts);
	free(a->unmatched);
	memset(a, 0, sizeof(*a));
}
