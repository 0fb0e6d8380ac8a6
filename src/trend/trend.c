/* Building a trend (see trend.h): each snapshot opened for its groups only (its block list
   is skimmed by the reader, never parsed; under --group-by=root it is read once to split
   the groups by root), snapshots put in taken_at order, every group (or root part) keyed
   and the parts folded into rows sorted by key, as show and diff do, then the statistics
   of each row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/xalloc.h"
#include "diff/diff.h"
#include "snapshot/snapshot.h"
#include "trend/trend.h"
#include "trend/trend_private.h"

struct part {
	struct hs_key key;
	size_t snap;
	uint64_t bytes, count;
};

int hs_parse_rfc3339(const char *text, double *seconds)
{
	struct tm tm = { 0 };
	int len = 0;
	double fraction = 0, scale = 0.1;

	if (text == NULL || sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
				   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &len) != 6 || len != 19)
		return -1;
	if (text[len] == '.') {
		if (text[++len] < '0' || text[len] > '9')
			return -1;
		for (; text[len] >= '0' && text[len] <= '9'; len++, scale /= 10)
			fraction += (text[len] - '0') * scale;
	}
	if (strcmp(text + len, "Z") != 0 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*seconds = (double)timegm(&tm) + fraction;
	return 0;
}

static int compare_parts(const void *a, const void *b)
{
	const struct part *x = a, *y = b;
	int c = hs_key_compare(&x->key, &y->key);

	return c != 0 ? c : (x->snap > y->snap) - (x->snap < y->snap);
}

static bool kept(const struct hs_view_options *o, const struct hs_type *t)
{
	return hs_type_kept(o, t->name) && (o->verbose || strcmp(t->kind, "libc") != 0);
}

static void new_row(struct hs_trend_row *row, struct hs_key key, size_t nsnaps)
{
	row->key = key;
	row->sizes = hs_xcalloc(nsnaps, sizeof(*row->sizes));
	row->counts = hs_xcalloc(nsnaps, sizeof(*row->counts));
}

static void compute(struct hs_trend_row *row, const double *seconds, size_t n)
{
	double *t = hs_xmalloc(n * sizeof(*t)), *y = hs_xmalloc(n * sizeof(*y));

	for (size_t i = 0; i < n; i++) {
		t[i] = seconds[i] - seconds[0];
		y[i] = (double)row->sizes[i];
	}
	row->slope_per_hour = hs_theil_sen_slope(t, y, n) * 3600;
	row->p_value = hs_mann_kendall_p(y, n);
	row->growing = row->p_value < HS_TREND_ALPHA && row->slope_per_hour > 0;
	free(t);
	free(y);
}

/* Opens each file for its groups, then orders the snapshots by time (ties keep the order
   the files were given in). */
static int read_snapshots(struct hs_trend *tr, const char *const *paths, size_t n, struct hs_error *err)
{
	struct hs_snapshot *snaps = hs_xcalloc(n, sizeof(*snaps));
	struct hs_root_split *splits = hs_xcalloc(n, sizeof(*splits));
	double *seconds = hs_xcalloc(n, sizeof(*seconds));
	size_t *by_time = hs_xmalloc(n * sizeof(*by_time));
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		hs_snapshot_init(&snaps[i]);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct hs_snapshot_reader *reader;
		rc = hs_snapshot_open(paths[i], &snaps[i], &reader, err);
		if (rc == 0 && tr->opts->group_by == HS_BY_ROOT)
			rc = hs_root_split_read(&splits[i], &snaps[i], paths[i], reader, false, err);
		hs_snapshot_close(reader);
		if (rc == 0 && hs_parse_rfc3339(snaps[i].taken_at, &seconds[i]) < 0)
			rc = hs_fail(err, HS_ERR_TARGET, "%s: taken_at is not an RFC 3339 UTC time: "
				     "give snapshots written by 'heapsnap take'", paths[i]);
	}
	/* Insertion sort: a stable order of a few hundred files at most. */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		for (; j > 0 && seconds[by_time[j - 1]] > seconds[i]; j--)
			by_time[j] = by_time[j - 1];
		by_time[j] = i;
	}
	tr->nsnaps = n;
	tr->snaps = hs_xcalloc(n, sizeof(*tr->snaps));
	tr->splits = hs_xcalloc(n, sizeof(*tr->splits));
	tr->paths = hs_xcalloc(n, sizeof(*tr->paths));
	tr->seconds = hs_xcalloc(n, sizeof(*tr->seconds));
	for (size_t k = 0; k < n; k++) {
		tr->snaps[k] = snaps[by_time[k]];
		tr->splits[k] = splits[by_time[k]];
		tr->paths[k] = paths[by_time[k]];
		tr->seconds[k] = seconds[by_time[k]];
	}
	free(snaps);
	free(splits);
	free(seconds);
	free(by_time);
	return rc;
}

static void build_rows(struct hs_trend *tr)
{
	const struct hs_view_options *o = tr->opts;
	size_t nparts = 0, n = 0;
	struct part *parts;

	for (size_t k = 0; k < tr->nsnaps; k++)
		nparts += o->group_by == HS_BY_ROOT ? tr->splits[k].nparts : tr->snaps[k].ngroups;
	parts = hs_xmalloc((nparts + 1) * sizeof(*parts));
	new_row(&tr->total, (struct hs_key){ "", 0, 0 }, tr->nsnaps);
	for (size_t k = 0; k < tr->nsnaps; k++) {
		const struct hs_snapshot *s = &tr->snaps[k];
		const struct hs_root_split *split = o->group_by == HS_BY_ROOT ? &tr->splits[k] : NULL;
		size_t np = split ? split->nparts : s->ngroups;

		for (size_t p = 0; p < np; p++) {
			const struct hs_group *grp = &s->groups[split ? split->parts[p].group : p];
			const struct hs_type *t = &s->types[grp->type];
			uint64_t count = split ? split->parts[p].count : grp->count;
			struct hs_key key = split ? (struct hs_key){ split->keys[split->parts[p].key], 0, 0 }
						  : hs_group_key(o->group_by, t->name, t->kind, grp->size);

			tr->total.sizes[k] += grp->size * count;
			tr->total.counts[k] += count;
			if (kept(o, t))
				parts[n++] = (struct part){ key, k, grp->size * count, count };
		}
	}
	qsort(parts, n, sizeof(*parts), compare_parts);
	tr->rows = hs_xcalloc(n + 1, sizeof(*tr->rows));
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || hs_key_compare(&parts[i - 1].key, &parts[i].key) != 0)
			new_row(&tr->rows[tr->nrows++], parts[i].key, tr->nsnaps);
		tr->rows[tr->nrows - 1].sizes[parts[i].snap] += parts[i].bytes;
		tr->rows[tr->nrows - 1].counts[parts[i].snap] += parts[i].count;
	}
	free(parts);
	for (size_t r = 0; r < tr->nrows; r++)
		compute(&tr->rows[r], tr->seconds, tr->nsnaps);
	compute(&tr->total, tr->seconds, tr->nsnaps);
}

/* --sort: slope (steepest growth first), size (largest last size first) or name; ties by key. */
struct sorting {
	const struct hs_trend *tr;
	enum hs_trend_sort by;
};

static int compare_rows(const void *a, const void *b, void *arg)
{
	const struct sorting *how = arg;
	const struct hs_trend_row *x = &how->tr->rows[*(const size_t *)a], *y = &how->tr->rows[*(const size_t *)b];
	size_t last = how->tr->nsnaps - 1;

	if (how->by == HS_TREND_BY_SLOPE && x->slope_per_hour != y->slope_per_hour)
		return x->slope_per_hour > y->slope_per_hour ? -1 : 1;
	if (how->by != HS_TREND_BY_NAME && x->sizes[last] != y->sizes[last])
		return x->sizes[last] > y->sizes[last] ? -1 : 1;
	return hs_key_compare(&x->key, &y->key);
}

int hs_trend_build(struct hs_trend *tr, const struct hs_view_options *o, enum hs_trend_sort sort,
		   const char *const *paths, size_t npaths, struct hs_error *err)
{
	memset(tr, 0, sizeof(*tr));
	tr->opts = o;
	if (read_snapshots(tr, paths, npaths, err) < 0)
		return -1;
	build_rows(tr);
	tr->order = hs_xmalloc((tr->nrows + 1) * sizeof(*tr->order));
	for (size_t r = 0; r < tr->nrows; r++)
		tr->order[r] = r;
	qsort_r(tr->order, tr->nrows, sizeof(*tr->order), compare_rows, &(struct sorting){ tr, sort });
	tr->nshown = o->limit != 0 && o->limit < tr->nrows ? o->limit : tr->nrows;
	return 0;
}

bool hs_trend_any_growing(const struct hs_trend *tr)
{
	for (size_t i = 0; i < tr->nshown; i++)
		if (tr->rows[tr->order[i]].growing)
			return true;
	return false;
}

static void free_row(struct hs_trend_row *row)
{
	free(row->sizes);
	free(row->counts);
}

void hs_trend_free(struct hs_trend *tr)
{
	for (size_t r = 0; r < tr->nrows; r++)
		free_row(&tr->rows[r]);
	free_row(&tr->total);
	free(tr->rows);
	free(tr->order);
	for (size_t k = 0; k < tr->nsnaps; k++) {
		hs_root_split_free(&tr->splits[k]);
		hs_snapshot_free(&tr->snaps[k]);
	}
	free(tr->splits);
	free(tr->snaps);
	free(tr->paths);
	free(tr->seconds);
	memset(tr, 0, sizeof(*tr));
}
