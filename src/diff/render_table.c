/* The table for people: a header naming the snapshots, the rows with the numbers in
   right-aligned columns sized to their content and the key last (so long C++ names never
   push the numbers out of an 80-column terminal), the `other` row, then the totals and
   what was hidden. File-supplied text is made printable first. leaks adds a line with the
   direct/indirect split first and each row's split in two more columns. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "diff/diff.h"
#include "snapshot/snapshot.h"

#define MAX_COLS 8
#define CELL 40

struct line {
	char cell[MAX_COLS][CELL];
	char key[512];
};

/* Each "+/-" is the change of the figure to its left, as tracemalloc's "size=X (+D)". */
static const char *const diff_headers[] = { "size", "+/-", "count", "+/-", "+/-%", "avg", "new",
					    "freed" };
static const char *const show_headers[] = { "size", "size%", "sum%", "count", "avg", "direct",
					    "indirect" };

static void fmt_size(const struct hs_comparison *c, uint64_t v, char *buf)
{
	hs_unit_format(&c->opts->unit, v, true, buf, CELL);
}

static void fill_diff(const struct hs_comparison *c, const struct hs_figures *f, struct line *l)
{
	fmt_size(c, f->size[HS_NEW], l->cell[0]);
	hs_unit_format_signed(&c->opts->unit, hs_size_diff(f), true, l->cell[1], CELL);
	snprintf(l->cell[2], CELL, "%" PRIu64, f->count[HS_NEW]);
	snprintf(l->cell[3], CELL, "%+" PRId64, hs_count_diff(f));
	hs_format_pct(hs_size_diff(f), f->size[HS_OLD], l->cell[4], CELL);
	fmt_size(c, hs_avg(f, HS_NEW), l->cell[5]);
	snprintf(l->cell[6], CELL, "%" PRIu64, f->new_blocks);
	snprintf(l->cell[7], CELL, "%" PRIu64, f->freed_blocks);
}

static double share(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* *cum accumulates sum% down the rows, as pprof's top does. */
static void fill_show(const struct hs_comparison *c, const struct hs_figures *f, uint64_t *cum,
		      struct line *l)
{
	*cum += f->size[HS_NEW];
	fmt_size(c, f->size[HS_NEW], l->cell[0]);
	snprintf(l->cell[1], CELL, "%.1f%%", share(f->size[HS_NEW], c->total.f.size[HS_NEW]));
	snprintf(l->cell[2], CELL, "%.1f%%", share(*cum, c->total.f.size[HS_NEW]));
	snprintf(l->cell[3], CELL, "%" PRIu64, f->count[HS_NEW]);
	fmt_size(c, hs_avg(f, HS_NEW), l->cell[4]);
	snprintf(l->cell[5], CELL, "%" PRIu64, f->leak_count[HS_DIRECT]);
	snprintf(l->cell[6], CELL, "%" PRIu64, f->leak_count[HS_INDIRECT]);
}

static void describe(const struct hs_comparison *c, int side, const char *role, FILE *out)
{
	const struct hs_snapshot *s = c->snap[side];
	char label[200], taken[64];

	fprintf(out, "%s: %s", role, c->path[side]);
	if (s->label)
		fprintf(out, ", label \"%s\"", hs_printable(s->label, label, sizeof(label)));
	fprintf(out, ", pid %" PRId64 ", taken %s\n", s->target.pid, hs_printable(s->taken_at, taken, sizeof(taken)));
}

static void title(const struct hs_comparison *c, FILE *out)
{
	const struct hs_view_options *o = c->opts;
	static const char *const figure[] = { "size", "count", "avg" };

	if (c->nshown < c->nvisible)
		fprintf(out, "Top %zu of %zu groups by %s", c->nshown, c->nvisible, hs_group_by_name(o->group_by));
	else
		fprintf(out, "%zu group%s by %s", c->nvisible, c->nvisible == 1 ? "" : "s",
			hs_group_by_name(o->group_by));
	if (o->sort == HS_SORT_NAME)
		fprintf(out, ", by name:\n");
	else if (!hs_is_diff(c))
		fprintf(out, ", largest %s first:\n", figure[o->sort]);
	else if (o->order == HS_ORDER_POSITIVE)
		fprintf(out, ", growth of %s first, then largest %s change:\n", figure[o->sort], figure[o->sort]);
	else
		fprintf(out, ", largest %s change first:\n", figure[o->sort]);
}

static void print_lines(const struct hs_comparison *c, const char *const *headers, size_t ncols,
			const struct line *lines, size_t nlines, FILE *out)
{
	size_t width[MAX_COLS];

	for (size_t j = 0; j < ncols; j++) {
		width[j] = strlen(headers[j]);
		for (size_t i = 0; i < nlines; i++)
			if (strlen(lines[i].cell[j]) > width[j])
				width[j] = strlen(lines[i].cell[j]);
	}
	for (size_t j = 0; j < ncols; j++)
		fprintf(out, "%*s  ", (int)width[j], headers[j]);
	fprintf(out, "%s\n", c->opts->group_by == HS_BY_TYPE_SIZE ? "type|size" : hs_group_by_name(c->opts->group_by));
	for (size_t i = 0; i < nlines; i++) {
		for (size_t j = 0; j < ncols; j++)
			fprintf(out, "%*s  ", (int)width[j], lines[i].cell[j]);
		fprintf(out, "%s\n", lines[i].key);
	}
}

static void print_rows(const struct hs_comparison *c, FILE *out)
{
	bool diff = hs_is_diff(c);
	size_t ncols = diff ? (c->identity.available ? 8 : 6) : c->leaks ? 7 : 5, n = 0;
	struct line *lines = hs_xcalloc(c->nshown + 1, sizeof(*lines));
	uint64_t cum = 0;

	for (size_t i = 0; i < c->nshown; i++) {
		const struct hs_row *row = &c->rows[c->order[i]];
		char *key = hs_key_text(c->opts->group_by, &row->key);
		if (diff)
			fill_diff(c, &row->f, &lines[n]);
		else
			fill_show(c, &row->f, &cum, &lines[n]);
		hs_printable(key, lines[n++].key, sizeof(lines[0].key));
		free(key);
	}
	if (c->other.groups > 0) {
		if (diff)
			fill_diff(c, &c->other.f, &lines[n]);
		else
			fill_show(c, &c->other.f, &cum, &lines[n]);
		snprintf(lines[n++].key, sizeof(lines[0].key), "%zu other", c->other.groups);
	}
	if (n == 0)
		fprintf(out, "(no groups to show)\n");
	else
		print_lines(c, diff ? diff_headers : show_headers, ncols, lines, n, out);
	free(lines);
}

static void footer(const struct hs_comparison *c, FILE *out)
{
	const struct hs_figures *t = &c->total.f;
	char a[CELL], b[CELL], d[CELL], p[CELL];

	fmt_size(c, t->size[HS_NEW], b);
	if (!hs_is_diff(c)) {
		fprintf(out, "Total: %s; blocks %" PRIu64 "\n", b, t->count[HS_NEW]);
		return;
	}
	fmt_size(c, t->size[HS_OLD], a);
	hs_unit_format_signed(&c->opts->unit, hs_size_diff(t), true, d, sizeof(d));
	hs_format_pct(hs_size_diff(t), t->size[HS_OLD], p, sizeof(p));
	fprintf(out, "Total: %s -> %s (%s, %s); blocks %" PRIu64 " -> %" PRIu64 "\n", a, b, d, p,
		t->count[HS_OLD], t->count[HS_NEW]);
}

/* One line per kind of hidden rows: how many, their bytes (and change), how to see them. */
static void hidden(const struct hs_comparison *c, FILE *out)
{
	static const char *const what[HS_NFATES][2] = {
		[HS_HIDDEN_FILTER] = { "left out by --filter/--exclude", "" },
		[HS_HIDDEN_LIBC] = { "of glibc's own blocks", "; --verbose shows them" },
		[HS_HIDDEN_MIN_DELTA] = { "that changed by less than --min-delta", "" },
	};

	for (int k = HS_HIDDEN_FILTER; k < HS_NFATES; k++) {
		const struct hs_sum *h = &c->hidden[k];
		char size[CELL], d[CELL + 2] = "";
		if (h->groups == 0)
			continue;
		fmt_size(c, h->f.size[HS_NEW], size);
		if (hs_is_diff(c)) {
			strcpy(d, ", ");
			hs_unit_format_signed(&c->opts->unit, hs_size_diff(&h->f), true, d + 2, CELL);
		}
		fprintf(out, "hidden: %zu group%s %s (%s%s)%s\n", h->groups, h->groups == 1 ? "" : "s",
			what[k][0], size, d, what[k][1]);
	}
}

void hs_render_table(const struct hs_comparison *c, FILE *out)
{
	if (hs_is_diff(c)) {
		describe(c, HS_OLD, "old", out);
		describe(c, HS_NEW, "new", out);
		if (c->identity.available)
			fprintf(out, "blocks matched by address, size and type: %" PRIu64 " new, %" PRIu64 " freed\n",
				c->total.f.new_blocks, c->total.f.freed_blocks);
		else
			fprintf(out, "block identity unavailable (no new/freed counts): %s\n", c->identity.why);
	} else {
		if (c->leaks) {
			const struct hs_figures *t = &c->total.f;
			fprintf(out, "leaked: %" PRIu64 " blocks (%" PRIu64 " bytes) direct, %" PRIu64
				" blocks (%" PRIu64 " bytes) indirect\n", t->leak_count[HS_DIRECT],
				t->leak_size[HS_DIRECT], t->leak_count[HS_INDIRECT], t->leak_size[HS_INDIRECT]);
		}
		describe(c, HS_NEW, "snapshot", out);
	}
	title(c, out);
	print_rows(c, out);
	footer(c, out);
	hidden(c, out);
	if (c->opts->threads)
		hs_render_threads(c->snap[HS_NEW], out);
}
