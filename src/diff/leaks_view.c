/* heapsnap leaks' view of a snapshot (see diff.h). */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "diff/diff.h"
#include "snapshot/snapshot.h"

void hs_leaks_view_init(struct hs_leaks_view *v, const struct hs_snapshot *src)
{
	memset(v, 0, sizeof(*v));
	hs_snapshot_init(&v->only);
	v->only.has_blocks = true;
	/* Same order, so a block's type index means the same in both. */
	for (size_t t = 0; t < src->ntypes; t++)
		hs_snapshot_type(&v->only, src->types[t].name, src->types[t].kind);
}

void hs_leaks_view_offer(struct hs_leaks_view *v, const struct hs_block *b, int32_t owner)
{
	int split = owner == HS_OWNER_INDIRECT ? HS_INDIRECT : HS_DIRECT;

	if (owner != HS_OWNER_DIRECT && owner != HS_OWNER_INDIRECT)
		return;
	hs_xgrow((void **)&v->indirect, &v->cap, v->nblocks + 1, sizeof(*v->indirect));
	v->indirect[v->nblocks++] = (uint8_t)split;
	v->count[split]++;
	v->size[split] += b->size;
	hs_snapshot_add_block(&v->only, b->addr, b->size, b->type);
}

void hs_leaks_view_finish(struct hs_leaks_view *v, struct hs_snapshot *src)
{
	struct hs_snapshot *s = &v->only;

	hs_snapshot_finish_blocks(s);
	s->taken_at = src->taken_at ? hs_xstrdup(src->taken_at) : NULL;
	s->label = src->label ? hs_xstrdup(src->label) : NULL;
	s->target.pid = src->target.pid;
	s->has_threads = src->has_threads;
	s->threads = src->threads;
	s->nthreads = src->nthreads;
	src->threads = NULL;
	src->nthreads = 0;
	s->totals.live_blocks = v->count[HS_DIRECT] + v->count[HS_INDIRECT];
	s->totals.live_bytes = v->size[HS_DIRECT] + v->size[HS_INDIRECT];
}

struct walk {
	const struct hs_leaks_view *v;
	size_t next; /* index of the next block in v->indirect */
	int (*visit)(void *arg, const struct hs_block *b, int split);
	void *arg;
};

static int visit_block(void *arg, const struct hs_block *b)
{
	struct walk *w = arg;

	return w->visit(w->arg, b, w->v->indirect[w->next++]);
}

int hs_leaks_view_each(const struct hs_leaks_view *v,
		       int (*visit)(void *arg, const struct hs_block *b, int split), void *arg)
{
	struct walk w = { v, 0, visit, arg };

	return hs_block_log_each(&v->only.blocks, visit_block, &w);
}

struct credit {
	struct hs_comparison *c;
	struct hs_group_index ix;
};

static int credit_block(void *arg, const struct hs_block *b, int split)
{
	struct credit *k = arg;
	const struct hs_snapshot *s = k->c->snap[HS_NEW];
	struct hs_figures *fig[2] = {
		&k->c->rows[k->c->group_row[HS_NEW][hs_group_index_find(&k->ix, s, b->type, b->size)]].f,
		&k->c->total.f,
	};

	for (int i = 0; i < 2; i++) {
		fig[i]->leak_count[split]++;
		fig[i]->leak_size[split] += b->size;
	}
	return 0;
}

void hs_leaks_view_split(struct hs_comparison *c, const struct hs_leaks_view *v)
{
	struct credit k = { .c = c };

	c->leaks = v;
	/* The groups were derived from these very blocks: each has its group. */
	hs_group_index_build(&k.ix, &v->only);
	hs_leaks_view_each(v, credit_block, &k);
	hs_group_index_free(&k.ix);
}

void hs_leaks_view_free(struct hs_leaks_view *v)
{
	hs_snapshot_free(&v->only);
	free(v->indirect);
	memset(v, 0, sizeof(*v));
}
