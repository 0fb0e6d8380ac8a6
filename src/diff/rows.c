/* Building a comparison's rows (see comparison.h): every group of both snapshots becomes a
   part with its key and fate; parts sorted by (fate, key) fold into rows, so a key present
   in one snapshot only simply has zeros on the other side. Types match across snapshots by
   name, since type indices are per snapshot. */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "diff/comparison.h"
#include "diff/type_filter.h"

struct part {
	struct hs_key key;
	enum hs_fate fate;
	int side;
	size_t group;
};

static int compare_parts(const void *a, const void *b)
{
	const struct part *x = a, *y = b;

	if (x->fate != y->fate)
		return x->fate < y->fate ? -1 : 1;
	return hs_key_compare(&x->key, &y->key);
}

static enum hs_fate fate_of(const struct hs_view_options *o, const struct hs_type *t)
{
	if (!hs_type_kept(o, t->name))
		return HS_HIDDEN_FILTER;
	/* glibc's own structures (the tcache, ...) are noise to most users, as the Datadog
	   profiler's --verbose sources are. */
	if (!o->verbose && strcmp(t->kind, "libc") == 0)
		return HS_HIDDEN_LIBC;
	return HS_SHOWN;
}

static void add_side(struct hs_figures *f, int side, const struct hs_group *g)
{
	f->size[side] += g->size * g->count;
	f->count[side] += g->count;
}

void hs_comparison_build(struct hs_comparison *c, const struct hs_view_options *o,
			 const struct hs_snapshot *old, const char *old_path,
			 const struct hs_snapshot *new, const char *new_path)
{
	size_t nparts = (old ? old->ngroups : 0) + new->ngroups, n = 0;
	struct part *parts = hs_xmalloc(nparts * sizeof(*parts));

	memset(c, 0, sizeof(*c));
	c->opts = o;
	c->snap[HS_OLD] = old;
	c->snap[HS_NEW] = new;
	c->path[HS_OLD] = old_path;
	c->path[HS_NEW] = new_path;
	for (int side = 0; side < 2; side++) {
		const struct hs_snapshot *s = c->snap[side];
		if (s == NULL)
			continue;
		c->group_row[side] = hs_xmalloc(s->ngroups * sizeof(size_t));
		for (size_t g = 0; g < s->ngroups; g++) {
			const struct hs_type *t = &s->types[s->groups[g].type];
			parts[n++] = (struct part){ hs_group_key(o->group_by, t->name, t->kind, s->groups[g].size),
						    fate_of(o, t), side, g };
			add_side(&c->total.f, side, &s->groups[g]);
		}
	}
	qsort(parts, n, sizeof(*parts), compare_parts);
	c->rows = hs_xcalloc(n, sizeof(*c->rows));
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || compare_parts(&parts[i - 1], &parts[i]) != 0)
			c->rows[c->nrows++] = (struct hs_row){ .key = parts[i].key, .fate = parts[i].fate };
		c->group_row[parts[i].side][parts[i].group] = c->nrows - 1;
		add_side(&c->rows[c->nrows - 1].f, parts[i].side,
			 &c->snap[parts[i].side]->groups[parts[i].group]);
	}
	free(parts);
}

void hs_comparison_free(struct hs_comparison *c)
{
	free(c->rows);
	free(c->group_row[HS_OLD]);
	free(c->group_row[HS_NEW]);
	free(c->order);
	memset(c, 0, sizeof(*c));
}
