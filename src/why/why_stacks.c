/* pprof's holder chains (diff.h, hs_pprof_stacks) from a snapshot's block_refs: every
   block's chain of holders, as a node of a tree shared by the chains, then the blocks
   aggregated by (node, type, usable size). Each block's node is found once, from its
   holder's (so a list of a million nodes costs a million steps, not their squares); a chain
   of holders that loops or ends nowhere is an error, as in why_chain.c. Sizes are below
   2^53 (the loader checks), so size + 1 is a u64map key. */
#include <stdlib.h>
#include <string.h>

#include "common/u64map.h"
#include "common/xalloc.h"
#include "diff/diff.h"
#include "why/why_private.h"

#define UNSET UINT32_MAX

struct tree {
	struct hs_pprof_stacks *out;
	struct u64map child; /* (parent, name) + 1 -> node */
};

static uint32_t add_name(struct hs_pprof_stacks *out, char *name)
{
	hs_xgrow((void **)&out->names, &out->names_cap, out->nnames + 1, sizeof(*out->names));
	out->names[out->nnames] = name;
	return (uint32_t)out->nnames++;
}

static uint32_t add_node(struct hs_pprof_stacks *out, uint32_t parent, uint32_t name)
{
	uint32_t depth = parent == HS_PPROF_NO_PARENT ? 1 : out->nodes[parent].depth + 1;

	hs_xgrow((void **)&out->nodes, &out->nodes_cap, out->nnodes + 1, sizeof(*out->nodes));
	out->nodes[out->nnodes] = (struct hs_pprof_node){ parent, name, depth };
	return (uint32_t)out->nnodes++;
}

/* The node of a chain one holder longer than parent's: the holder's type `name`. */
static uint32_t extend(struct tree *t, uint32_t parent, uint32_t name)
{
	const struct hs_pprof_node *p = &t->out->nodes[parent];
	uint64_t key = ((uint64_t)parent << 32 | name) + 1, found;

	if (p->name == name || p->depth >= HS_PPROF_MAX_HOLDERS)
		return parent; /* a run of one type is one frame; a long chain is cut */
	if (hs_u64map_get(&t->child, key, &found))
		return (uint32_t)found;
	found = add_node(t->out, parent, name);
	hs_u64map_put(&t->child, key, found);
	return (uint32_t)found;
}

/* Sets node[i] and the nodes of the holders above it that have none yet: a block's node is
   the chain of its holders. */
static int node_of(const struct hs_why_snapshot *w, struct tree *t, const uint32_t *root_node,
		   uint32_t leaked_node, uint32_t *node, size_t i, size_t **stack, size_t *cap,
		   struct hs_error *err)
{
	enum hs_why_top top;
	uint32_t at, above;
	ssize_t n = hs_why_climb(w, i, hs_why_leaked(w, i), node, UNSET, stack, cap, &top, &at, err);

	if (n <= 0)
		return (int)n;
	switch (top) {
	case HS_WHY_TOP_MEMO: above = extend(t, node[at], w->type[at]); break;
	case HS_WHY_TOP_ROOT: above = root_node[at]; break;
	default: above = leaked_node; break;
	}
	node[(*stack)[n - 1]] = above;
	for (ssize_t k = n - 2; k >= 0; k--) {
		size_t holder = (*stack)[k + 1];

		node[(*stack)[k]] = extend(t, node[holder], w->type[holder]);
	}
	return 0;
}

/* The key of a (first, second) pair of 32-bit ids in a u64map (whose 0 marks empty slots). */
static uint64_t pair_key(uint64_t first, uint64_t second)
{
	return (first << 32 | second) + 1;
}

/* The dense id of key in map, numbering a new key *n. */
static uint64_t dense_id(struct u64map *map, uint64_t key, uint64_t *n)
{
	uint64_t id;

	if (!hs_u64map_get(map, key, &id)) {
		id = (*n)++;
		hs_u64map_put(map, key, id);
	}
	return id;
}

/* The samples: the blocks aggregated by (node, type, size), in the order each first appears
   in the address order (sizes and (type, size) pairs numbered densely on the way, so that
   every key fits a u64map's 64 bits). */
static void aggregate(const struct hs_why_snapshot *w, const uint32_t *node, struct hs_pprof_stacks *out)
{
	struct u64map size_ids = { 0 }, pair_ids = { 0 }, sample_of = { 0 };
	uint64_t nsizes = 0, npairs = 0, nsamples = 0;
	size_t cap = 0;

	for (size_t i = 0; i < w->nblocks; i++) {
		uint64_t size_id = dense_id(&size_ids, w->size[i] + 1, &nsizes);
		uint64_t pair = dense_id(&pair_ids, pair_key(w->type[i], size_id), &npairs);
		uint64_t k = dense_id(&sample_of, pair_key(node[i], pair), &nsamples);

		if (k == out->nsamples) {
			hs_xgrow((void **)&out->samples, &cap, out->nsamples + 1, sizeof(*out->samples));
			out->samples[out->nsamples++] = (struct hs_pprof_sample){ node[i], w->type[i], w->size[i], 0 };
		}
		out->samples[k].count++;
	}
	hs_u64map_free(&size_ids);
	hs_u64map_free(&pair_ids);
	hs_u64map_free(&sample_of);
}

int hs_why_pprof_stacks(const struct hs_why_snapshot *w, struct hs_pprof_stacks *out, struct hs_error *err)
{
	const struct hs_snapshot_refs *refs = w->snap.refs;
	struct tree t = { .out = out };
	uint32_t *root_node = hs_xmalloc((refs->nroots ? refs->nroots : 1) * sizeof(*root_node)), leaked_node;
	uint32_t *node = hs_xmalloc((w->nblocks ? w->nblocks : 1) * sizeof(*node));
	size_t *stack = NULL, cap = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < w->snap.ntypes; k++)
		add_name(out, hs_xstrdup(w->snap.types[k].name));
	for (size_t r = 0; r < refs->nroots; r++)
		root_node[r] = add_node(out, HS_PPROF_NO_PARENT, add_name(out, hs_root_key(&refs->roots[r])));
	leaked_node = add_node(out, HS_PPROF_NO_PARENT, add_name(out, hs_xstrdup("leaked (direct)")));
	for (size_t i = 0; i < w->nblocks; i++)
		node[i] = UNSET;
	for (size_t i = 0; i < w->nblocks && rc == 0; i++)
		rc = node_of(w, &t, root_node, leaked_node, node, i, &stack, &cap, err);
	if (rc == 0)
		aggregate(w, node, out);
	else
		hs_pprof_stacks_free(out);
	hs_u64map_free(&t.child);
	free(root_node);
	free(node);
	free(stack);
	return rc;
}

void hs_pprof_stacks_free(struct hs_pprof_stacks *s)
{
	for (size_t i = 0; i < s->nnames; i++)
		free(s->names[i]);
	free(s->names);
	free(s->nodes);
	free(s->samples);
	memset(s, 0, sizeof(*s));
}
