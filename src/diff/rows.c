/* Building a comparison's rows (see diff.h): every group of both snapshots becomes a
   part with its key and fate; parts sorted by (fate, key) fold into rows, so a key present
   in one snapshot only simply has zeros on the other side. Under --group-by=root the parts
   are the root split's (group, root) parts instead of the groups. Types match across snapshots by
   name, since type indices are per snapshot. */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "diff/diff.h"

struct part {
	struct hs_key key;
	enum hs_fate fate;
	int side;
	size_t group; /* the side's group, or under --group-by=root its root part */
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

static void add_side(struct hs_figures *f, int side, uint64_t size, uint64_t count)
{
	f->size[side] += size * count;
	f->count[side] += count;
}

/* The parts of one side: its groups, or under --group-by=root the (group, root) parts of
   its split, keyed by the root. */
static size_t side_parts(struct hs_comparison *c, int side, struct part *parts)
{
	const struct hs_snapshot *s = c->snap[side];
	const struct hs_root_split *split = c->split[side];
	size_t n = split ? split->nparts : s->ngroups;

	c->group_row[side] = hs_xmalloc((n ? n : 1) * sizeof(size_t));
	for (size_t p = 0; p < n; p++) {
		const struct hs_group *g = &s->groups[split ? split->parts[p].group : p];
		const struct hs_type *t = &s->types[g->type];
		struct hs_key key = split ? (struct hs_key){ split->keys[split->parts[p].key], 0, 0 }
					  : hs_group_key(c->opts->group_by, t->name, t->kind, g->size);

		parts[p] = (struct part){ key, fate_of(c->opts, t), side, p };
	}
	return n;
}

/* The size and count of a side's part p. */
static void part_figures(const struct hs_comparison *c, int side, size_t p, uint64_t *size, uint64_t *count)
{
	const struct hs_root_split *split = c->split[side];
	const struct hs_group *g = &c->snap[side]->groups[split ? split->parts[p].group : p];

	*size = g->size;
	*count = split ? split->parts[p].count : g->count;
}

static void build(struct hs_comparison *c)
{
	size_t nparts = 0, n = 0;
	struct part *parts;
	uint64_t size, count;

	for (int side = 0; side < 2; side++)
		if (c->snap[side] != NULL)
			nparts += c->split[side] ? c->split[side]->nparts : c->snap[side]->ngroups;
	parts = hs_xmalloc((nparts ? nparts : 1) * sizeof(*parts));
	for (int side = 0; side < 2; side++)
		if (c->snap[side] != NULL)
			n += side_parts(c, side, parts + n);
	qsort(parts, n, sizeof(*parts), compare_parts);
	c->rows = hs_xcalloc(n ? n : 1, sizeof(*c->rows));
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || compare_parts(&parts[i - 1], &parts[i]) != 0)
			c->rows[c->nrows++] = (struct hs_row){ .key = parts[i].key, .fate = parts[i].fate };
		c->group_row[parts[i].side][parts[i].group] = c->nrows - 1;
		part_figures(c, parts[i].side, parts[i].group, &size, &count);
		add_side(&c->rows[c->nrows - 1].f, parts[i].side, size, count);
		add_side(&c->total.f, parts[i].side, size, count);
	}
	free(parts);
}

void hs_comparison_build(struct hs_comparison *c, const struct hs_view_options *o,
			 const struct hs_snapshot *old, const char *old_path,
			 const struct hs_snapshot *new, const char *new_path)
{
	hs_comparison_build_by_root(c, o, old, old_path, NULL, new, new_path, NULL);
}

void hs_comparison_build_by_root(struct hs_comparison *c, const struct hs_view_options *o,
				 const struct hs_snapshot *old, const char *old_path,
				 const struct hs_root_split *old_split, const struct hs_snapshot *new,
				 const char *new_path, const struct hs_root_split *new_split)
{
	memset(c, 0, sizeof(*c));
	c->opts = o;
	c->snap[HS_OLD] = old;
	c->snap[HS_NEW] = new;
	c->path[HS_OLD] = old_path;
	c->path[HS_NEW] = new_path;
	c->split[HS_OLD] = old_split;
	c->split[HS_NEW] = new_split;
	build(c);
}

void hs_comparison_free(struct hs_comparison *c)
{
	free(c->rows);
	free(c->group_row[HS_OLD]);
	free(c->group_row[HS_NEW]);
	free(c->order);
	memset(c, 0, sizeof(*c));
}
