/* why for a type glob (see why.h): each held block's chain is a path in a trie of (parent
   path or root, hop type) nodes, computed once per block and shared with every block it
   holds, so aggregating a million blocks under a long list costs one walk per block, not
   one per block and hop. Leaked blocks aggregate into one path per direct/indirect. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "common/u64map.h"
#include "common/xalloc.h"
#include "why/why_private.h"

#define NO_NODE UINT32_MAX
#define ROOT_CODE 0x80000000u /* a first hop's parent code: ROOT_CODE | root index */
enum { BLOCK_UNSET = -2, BLOCK_SEVERAL = -1 };

struct node {
	uint32_t parent; /* a node, or ROOT_CODE | root for the first hop */
	uint32_t type;
	int64_t block;   /* the one block at this hop, BLOCK_UNSET or BLOCK_SEVERAL */
	uint64_t offset; /* where the pointer sits in the holder, when all agree */
	bool offset_mixed;
	uint64_t count, size; /* the matching blocks whose path ends here */
};

struct trie {
	const struct hs_why_snapshot *w;
	struct node *nodes;
	size_t nnodes, cap;
	struct u64map index;
	uint32_t *path_of; /* per block: its node, or NO_NODE */
	size_t *stack;
	size_t stack_cap;
};

static uint32_t intern(struct trie *t, uint32_t parent, size_t block)
{
	const struct hs_block_ref *ref = &t->w->snap.refs->blocks[block];
	uint32_t type = t->w->type[block];
	uint64_t key = ((uint64_t)parent << 32 | type) + 1, found;
	struct node *n;

	if (!hs_u64map_get(&t->index, key, &found)) {
		found = t->nnodes;
		hs_xgrow((void **)&t->nodes, &t->cap, t->nnodes + 1, sizeof(*t->nodes));
		t->nodes[t->nnodes++] = (struct node){ parent, type, BLOCK_UNSET, ref->offset, false, 0, 0 };
		hs_u64map_put(&t->index, key, found);
	}
	n = &t->nodes[found];
	if (n->block == BLOCK_UNSET)
		n->block = (int64_t)block;
	else if (n->block != (int64_t)block)
		n->block = BLOCK_SEVERAL;
	n->offset_mixed |= n->offset != ref->offset;
	t->path_of[block] = (uint32_t)found;
	return (uint32_t)found;
}

/* The node of held block i's chain: up the holders to a known node or a root, then down
   again interning each hop. */
static int path_of(struct trie *t, size_t i, uint32_t *node, struct hs_error *err)
{
	enum hs_why_top top;
	uint32_t at, parent;
	ssize_t n = hs_why_climb(t->w, i, false, t->path_of, NO_NODE, &t->stack, &t->stack_cap, &top, &at, err);

	if (n < 0)
		return -1;
	parent = top == HS_WHY_TOP_MEMO ? t->path_of[at] : ROOT_CODE | at;
	while (n > 0)
		parent = intern(t, parent, t->stack[--n]);
	*node = parent;
	return 0;
}

/* A path before it is chosen: a node, or a leaked aggregate (node NO_NODE). */
struct candidate {
	uint32_t node;
	int32_t leak;
	uint64_t count, size;
};

/* Largest size first, then count, then held before leaked, then the order found. */
static int compare_candidates(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (x->node > y->node) - (x->node < y->node);
}

/* The path ending at node: hops from the root down, from the parents (depth < nnodes). */
static void fill_path(const struct trie *t, uint32_t node, struct hs_why_path *p)
{
	size_t depth = 0;
	uint32_t k;

	for (k = node; !(k & ROOT_CODE); k = t->nodes[k].parent)
		depth++;
	p->root = (int32_t)(k & ~ROOT_CODE);
	p->nhops = depth;
	p->hops = hs_xmalloc(depth * sizeof(*p->hops));
	for (k = node; !(k & ROOT_CODE); k = t->nodes[k].parent) {
		const struct node *n = &t->nodes[k];

		p->hops[--depth] = (struct hs_why_hop){
			.address = n->block >= 0 ? t->w->addr[n->block] : 0, .address_known = n->block >= 0,
			.offset = n->offset, .offset_known = !n->offset_mixed, .type = n->type };
	}
}

int hs_why_glob(const struct hs_why_snapshot *w, const char *glob, size_t limit, struct hs_why_answer *a,
		struct hs_error *err)
{
	struct trie t = { .w = w };
	struct candidate leaked[2] = { { NO_NODE, HS_OWNER_DIRECT, 0, 0 }, { NO_NODE, HS_OWNER_INDIRECT, 0, 0 } };
	struct candidate *found;
	bool *matches = hs_xcalloc(w->snap.ntypes + 1, sizeof(*matches));
	size_t nfound = 0, shown;
	uint32_t node = NO_NODE;
	int rc = 0;

	for (size_t k = 0; k < w->snap.ntypes; k++)
		matches[k] = fnmatch(glob, w->snap.types[k].name, 0) == 0;
	t.path_of = hs_xmalloc((w->nblocks + 1) * sizeof(*t.path_of));
	memset(t.path_of, 0xff, (w->nblocks + 1) * sizeof(*t.path_of));
	for (size_t i = 0; rc == 0 && i < w->nblocks; i++) {
		if (!matches[w->type[i]])
			continue;
		if (hs_why_leaked(w, i)) {
			struct candidate *l = &leaked[w->snap.refs->blocks[i].owner == HS_OWNER_INDIRECT];

			l->count++;
			l->size += w->size[i];
		} else if ((rc = path_of(&t, i, &node, err)) == 0) {
			t.nodes[node].count++;
			t.nodes[node].size += w->size[i];
		}
	}
	/* Every node with blocks ending there is a path; the two leaked ones after them. */
	found = hs_xmalloc((t.nnodes + 2) * sizeof(*found));
	for (size_t k = 0; rc == 0 && k < t.nnodes; k++)
		if (t.nodes[k].count > 0)
			found[nfound++] = (struct candidate){ (uint32_t)k, 0, t.nodes[k].count, t.nodes[k].size };
	for (int d = 0; rc == 0 && d < 2; d++)
		if (leaked[d].count > 0)
			found[nfound++] = leaked[d];
	qsort(found, nfound, sizeof(*found), compare_candidates);
	if (rc == 0 && nfound == 0) {
		hs_xgrow((void **)&a->unmatched, &a->unmatched_cap, a->nunmatched + 1, sizeof(*a->unmatched));
		a->unmatched[a->nunmatched++] = glob;
	}
	shown = limit == 0 || limit > nfound ? nfound : limit;
	for (size_t k = 0; k < shown; k++) {
		struct hs_why_path *p = hs_why_add_path(a, glob);

		p->leak = found[k].leak;
		p->count = found[k].count;
		p->size = found[k].size;
		if (found[k].node != NO_NODE)
			fill_path(&t, found[k].node, p);
	}
	if (shown < nfound) {
		struct hs_why_cut *c;

		hs_xgrow((void **)&a->cuts, &a->cuts_cap, a->ncuts + 1, sizeof(*a->cuts));
		c = &a->cuts[a->ncuts++];
		*c = (struct hs_why_cut){ .query = glob, .paths = nfound - shown };
		for (size_t k = shown; k < nfound; k++) {
			c->count += found[k].count;
			c->size += found[k].size;
		}
	}
	free(found);
	free(matches);
	free(t.nodes);
	free(t.path_of);
	free(t.stack);
	hs_u64map_free(&t.index);
	return rc;
}
