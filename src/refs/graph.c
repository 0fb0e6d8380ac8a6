/* The passes over the reference graph. No edge is stored: each pass reads the blocks it
   needs again through the scanner, level by level in address order, so heapsnap's memory is
   a few arrays of one entry per block whatever the number of pointers.

   1. Reachability: breadth-first from every root (in root order), each level's blocks scanned
      in address order, so a block's holder is the first hop of a shortest chain, ties going
      to the lower root index and then the lower block address.
   2. Owners: each block's label is the root node that reaches it, or "several"; a label only
      goes unset -> one node -> several, and a block whose label changed after it was
      scanned is scanned again, so each block is scanned at most three times in all.
   3. Leaks (what 1 did not reach), LeakSanitizer's split: a leaked block no other leaked
      block points to is direct; the rest are indirect, with as holder a leaked block on a
      chain from a direct one. A leaked cycle that nothing outside points to would have no
      direct entry: its lowest-address member not reached from a direct leak is made direct,
      and demoted again (to indirect) if a later such entry reaches it, so that every leaked
      structure has exactly its entries direct. */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "refs/refs_private.h"

#define LABEL_UNSET INT32_MIN

enum {
	F_SCANNED = 1, /* scanned with its label of the time */
	F_DIRTY = 2,   /* label changed since: waits in the dirty list */
	F_LEAKED = 4,
	F_POINTED = 8, /* a leaked block (not itself) points to it */
	F_SEEN = 16,   /* reached in the leaked passes */
	F_PICK = 32,   /* made direct as a cycle's entry */
};

struct list {
	uint32_t *v;
	size_t n, cap;
};

static void list_push(struct list *l, uint32_t x)
{
	if (l->n == l->cap)
		hs_xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = x;
}

/* Sorts l with a least-significant-byte-first radix sort through spare (grown to l's size):
   a level can hold most of the blocks, and qsort's comparisons were a tenth of the scan. A
   byte that is the same in every entry costs one counting pass and no move. */
static void sort_list(struct list *l, struct list *spare)
{
	uint32_t *from = l->v, *to;

	if (spare->cap < l->n)
		hs_xgrow((void **)&spare->v, &spare->cap, l->n, sizeof(*spare->v));
	to = spare->v;
	for (unsigned shift = 0; shift < 32; shift += 8) {
		size_t count[256] = { 0 }, at = 0;

		for (size_t i = 0; i < l->n; i++)
			count[(from[i] >> shift) & 0xff]++;
		if (count[(from[0] >> shift) & 0xff] == l->n)
			continue;
		for (size_t d = 0; d < 256; d++) {
			size_t c = count[d];
			count[d] = at;
			at += c;
		}
		for (size_t i = 0; i < l->n; i++)
			to[count[(from[i] >> shift) & 0xff]++] = from[i];
		to = from;
		from = to == l->v ? spare->v : l->v;
	}
	if (from != l->v) { /* the sorted entries are in spare's array: swap the arrays */
		struct list t = *l;

		l->v = spare->v;
		l->cap = spare->cap;
		spare->v = t.v;
		spare->cap = t.cap;
	}
}

struct graph {
	struct scanner *s;
	const struct root_set *rs;
	struct hs_block_ref *ref; /* holder, offset; owner holds the label until the leak pass */
	uint8_t *flags;
	struct list next, dirty;
	struct list spare;        /* sort_list's other array */
	int32_t root_label;       /* the root node being scanned, in the root pass */
	uint32_t pick;            /* the entry being followed, in the leaked pass */
};

static int32_t merge(int32_t have, int32_t add)
{
	if (have == LABEL_UNSET || have == add)
		return add;
	return HS_OWNER_SEVERAL;
}

static void relabel(struct graph *g, uint32_t dst, int32_t label)
{
	int32_t now = merge(g->ref[dst].owner, label);

	if (now == g->ref[dst].owner)
		return;
	g->ref[dst].owner = now;
	if ((g->flags[dst] & (F_SCANNED | F_DIRTY)) == F_SCANNED) {
		g->flags[dst] |= F_DIRTY;
		list_push(&g->dirty, dst);
	}
}

static void visit_root(void *arg, uint32_t root, uint32_t dst, uint64_t at)
{
	struct graph *g = arg;

	if (g->ref[dst].holder == HS_HOLDER_NONE) {
		g->ref[dst].holder = -(int32_t)root - 1;
		g->ref[dst].offset = at - g->rs->refs->roots[root].address;
		list_push(&g->next, dst);
	}
	relabel(g, dst, g->root_label);
}

static void visit_reach(void *arg, uint32_t src, uint32_t dst, uint64_t at)
{
	struct graph *g = arg;

	if (g->ref[dst].holder == HS_HOLDER_NONE) {
		g->ref[dst].holder = (int32_t)src;
		g->ref[dst].offset = at - g->s->bi->block[src].addr;
		list_push(&g->next, dst);
	}
	relabel(g, dst, g->ref[src].owner);
}

static void visit_label(void *arg, uint32_t src, uint32_t dst, uint64_t at)
{
	struct graph *g = arg;

	(void)at;
	relabel(g, dst, g->ref[src].owner);
}

/* The state every visit reads of its found block. */
static void prefetch_dst(void *arg, uint32_t dst)
{
	struct graph *g = arg;

	__builtin_prefetch(&g->ref[dst]);
	__builtin_prefetch(&g->flags[dst]);
}

/* Scans the blocks of list l (sorted here) with visit, marking them scanned first. */
static void scan_level(struct graph *g, struct list *l, hs_word_visit visit)
{
	if (l->n > 1)
		sort_list(l, &g->spare);
	for (size_t i = 0; i < l->n; i++)
		g->flags[l->v[i]] = (uint8_t)((g->flags[l->v[i]] | F_SCANNED) & ~F_DIRTY);
	hs_scan_blocks(g->s, l->v, l->n, visit, g);
}

static void swap_lists(struct list *a, struct list *b)
{
	struct list t = *a;
	*a = *b;
	*b = t;
}

static void reach(struct graph *g)
{
	const struct root_set *rs = g->rs;
	struct list level = { 0 };

	for (size_t p = 0; p < rs->npieces; p++) {
		const struct root_piece *piece = &rs->pieces[p];

		g->root_label = rs->node[piece->root];
		if (piece->words != NULL)
			hs_scan_words(g->s, piece->words, (size_t)(piece->end - piece->start) / 8, piece->start,
				      piece->root, visit_root, g);
		else
			hs_scan_range(g->s, piece->start, piece->end, piece->root, visit_root, g);
	}
	/* Each level holds blocks reached for the first time: every block is in one level. */
	while (g->next.n > 0) {
		swap_lists(&level, &g->next);
		g->next.n = 0;
		scan_level(g, &level, visit_reach);
	}
	while (g->dirty.n > 0) {
		swap_lists(&level, &g->dirty);
		g->dirty.n = 0;
		scan_level(g, &level, visit_label);
	}
	free(level.v);
}

static void visit_pointed(void *arg, uint32_t src, uint32_t dst, uint64_t at)
{
	struct graph *g = arg;

	(void)at;
	if (dst != src && (g->flags[dst] & F_LEAKED))
		g->flags[dst] |= F_POINTED;
}

static void visit_leaked(void *arg, uint32_t src, uint32_t dst, uint64_t at)
{
	struct graph *g = arg;
	uint8_t f = g->flags[dst];

	if (!(f & F_LEAKED) || dst == src)
		return;
	if (f & F_SEEN) {
		/* An earlier cycle entry reached from this structure is not an entry after all. */
		if ((f & F_PICK) && dst != g->pick && g->ref[dst].owner == HS_OWNER_DIRECT) {
			g->ref[dst] = (struct hs_block_ref){ .holder = (int32_t)src, .owner = HS_OWNER_INDIRECT,
							     .offset = at - g->s->bi->block[src].addr };
		}
		return;
	}
	g->flags[dst] |= F_SEEN;
	g->ref[dst] = (struct hs_block_ref){ .holder = (int32_t)src, .owner = HS_OWNER_INDIRECT,
					     .offset = at - g->s->bi->block[src].addr };
	list_push(&g->next, dst);
}

/* Breadth-first over leaked blocks from g->next. */
static void follow_leaked(struct graph *g, struct list *level)
{
	while (g->next.n > 0) {
		swap_lists(level, &g->next);
		g->next.n = 0;
		scan_level(g, level, visit_leaked);
	}
}

static void leaks(struct graph *g, size_t n)
{
	struct list leaked = { 0 }, level = { 0 };

	for (size_t i = 0; i < n; i++)
		if (g->ref[i].holder == HS_HOLDER_NONE) {
			g->flags[i] |= F_LEAKED;
			list_push(&leaked, (uint32_t)i);
		}
	if (leaked.n == 0)
		return;
	hs_scan_blocks(g->s, leaked.v, leaked.n, visit_pointed, g);
	g->pick = HS_NO_BLOCK;
	for (size_t k = 0; k < leaked.n; k++) {
		uint32_t i = leaked.v[k];

		g->ref[i] = (struct hs_block_ref){ .holder = HS_HOLDER_NONE, .owner = HS_OWNER_DIRECT };
		if (!(g->flags[i] & F_POINTED)) {
			g->flags[i] |= F_SEEN;
			list_push(&g->next, i);
		}
	}
	follow_leaked(g, &level);
	/* What is left is only reached through leaked cycles: entries in address order. */
	for (size_t k = 0; k < leaked.n; k++) {
		uint32_t i = leaked.v[k];

		if (g->flags[i] & F_SEEN)
			continue;
		g->flags[i] |= F_SEEN | F_PICK;
		g->pick = i;
		list_push(&g->next, i);
		follow_leaked(g, &level);
	}
	free(level.v);
	free(leaked.v);
}

static void count(struct hs_snapshot_refs *refs, const struct hs_block_index *bi)
{
	struct hs_refs_figures *f = &refs->figures;

	for (size_t i = 0; i < refs->nblocks; i++) {
		uint64_t size = bi->block[i].end - bi->block[i].addr;

		if (refs->blocks[i].owner == HS_OWNER_DIRECT) {
			f->leaked_direct_blocks++;
			f->leaked_direct_bytes += size;
		} else if (refs->blocks[i].owner == HS_OWNER_INDIRECT) {
			f->leaked_indirect_blocks++;
			f->leaked_indirect_bytes += size;
		} else {
			f->reachable_blocks++;
		}
	}
}

void hs_refs_graph(struct scanner *s, const struct root_set *rs, struct hs_snapshot_refs *refs)
{
	size_t n = s->bi->n;
	struct graph g = { .s = s, .rs = rs };

	refs->nblocks = n;
	refs->blocks = hs_xmalloc((n ? n : 1) * sizeof(*refs->blocks));
	for (size_t i = 0; i < n; i++)
		refs->blocks[i] = (struct hs_block_ref){ .holder = HS_HOLDER_NONE, .owner = LABEL_UNSET };
	g.ref = refs->blocks;
	g.flags = hs_xcalloc(n ? n : 1, 1);
	s->prefetch = prefetch_dst;
	reach(&g);
	leaks(&g, n);
	count(refs, s->bi);
	free(g.flags);
	free(g.next.v);
	free(g.spare.v);
	free(g.dirty.v);
}
