/* Ordering a comparison (see diff.h). diff ranks the change of the --sort figure:
   `absolute` by its magnitude, `positive` with every growing row first; ties fall back on
   tracemalloc's order (|size change|, size, |count change|, count) and finally the key, so
   the output never depends on the input's order. show ranks the figure itself. */
#include <stdlib.h>

#include "common/xalloc.h"
#include "diff/diff.h"

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

/* Compares a and b, largest first. */
static int desc(uint64_t a, uint64_t b)
{
	return (a < b) - (a > b);
}

static int64_t figure_change(const struct hs_figures *f, enum hs_sort_by sort)
{
	switch (sort) {
	case HS_SORT_COUNT:
		return hs_count_diff(f);
	case HS_SORT_AVG:
		return (int64_t)(hs_avg(f, HS_NEW) - hs_avg(f, HS_OLD));
	case HS_SORT_SIZE:
	case HS_SORT_NAME:
		break;
	}
	return hs_size_diff(f);
}

static uint64_t figure(const struct hs_figures *f, enum hs_sort_by sort)
{
	return sort == HS_SORT_COUNT ? f->count[HS_NEW]
	       : sort == HS_SORT_AVG ? hs_avg(f, HS_NEW)
				     : f->size[HS_NEW];
}

static int compare_rows(const void *pa, const void *pb, void *arg)
{
	const struct hs_comparison *c = arg;
	const struct hs_row *a = &c->rows[*(const size_t *)pa], *b = &c->rows[*(const size_t *)pb];
	const struct hs_figures *x = &a->f, *y = &b->f;
	enum hs_sort_by sort = c->opts->sort;
	int r = 0;

	if (sort == HS_SORT_NAME)
		return hs_key_compare(&a->key, &b->key);
	if (!hs_is_diff(c)) {
		if ((r = desc(figure(x, sort), figure(y, sort))) != 0)
			return r;
	} else {
		int64_t dx = figure_change(x, sort), dy = figure_change(y, sort);
		if (c->opts->order == HS_ORDER_POSITIVE && (dx > 0) != (dy > 0))
			return dx > 0 ? -1 : 1;
		if ((r = desc(magnitude(dx), magnitude(dy))) != 0)
			return r;
	}
	if ((r = desc(magnitude(hs_size_diff(x)), magnitude(hs_size_diff(y)))) != 0 ||
	    (r = desc(x->size[HS_NEW], y->size[HS_NEW])) != 0 ||
	    (r = desc(magnitude(hs_count_diff(x)), magnitude(hs_count_diff(y)))) != 0 ||
	    (r = desc(x->count[HS_NEW], y->count[HS_NEW])) != 0)
		return r;
	return hs_key_compare(&a->key, &b->key);
}

static void add(struct hs_sum *s, const struct hs_figures *f)
{
	s->groups++;
	for (int side = 0; side < 2; side++) {
		s->f.size[side] += f->size[side];
		s->f.count[side] += f->count[side];
	}
	s->f.new_blocks += f->new_blocks;
	s->f.freed_blocks += f->freed_blocks;
	for (int k = HS_DIRECT; k <= HS_INDIRECT; k++) {
		s->f.leak_count[k] += f->leak_count[k];
		s->f.leak_size[k] += f->leak_size[k];
	}
}

void hs_comparison_order(struct hs_comparison *c)
{
	const struct hs_view_options *o = c->opts;

	c->order = hs_xmalloc(c->nrows * sizeof(*c->order));
	for (size_t i = 0; i < c->nrows; i++) {
		struct hs_row *row = &c->rows[i];
		if (row->fate == HS_SHOWN && hs_is_diff(c) && magnitude(hs_size_diff(&row->f)) < o->min_delta)
			row->fate = HS_HIDDEN_MIN_DELTA;
		if (row->fate == HS_SHOWN)
			c->order[c->nvisible++] = i;
		else
			add(&c->hidden[row->fate], &row->f);
	}
	qsort_r(c->order, c->nvisible, sizeof(*c->order), compare_rows, c);
	c->nshown = o->limit != 0 && o->limit < c->nvisible ? o->limit : c->nvisible;
	for (size_t i = c->nshown; i < c->nvisible; i++)
		add(&c->other, &c->rows[c->order[i]].f);
}
