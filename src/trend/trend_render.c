/* Writing a trend in the --format asked for: a table for people (first and last size, slope
   per hour, p-value, a sparkline of the sizes, the key; the total's slope in the footer),
   JSON (docs/cli.md, trend --format=json) or CSV with a header row. The caller checks the
   stream for write errors. */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "snapshot/snapshot.h"
#include "trend/trend.h"

/* Eight levels, lowest to highest: each a three-byte UTF-8 character. */
static const char *const spark_levels[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };

static void sparkline(const struct hs_trend_row *row, size_t n, FILE *out)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (size_t i = 0; i < n; i++) {
		lo = row->sizes[i] < lo ? row->sizes[i] : lo;
		hi = row->sizes[i] > hi ? row->sizes[i] : hi;
	}
	for (size_t i = 0; i < n; i++)
		fputs(spark_levels[hi == lo ? 0 : (size_t)((double)(row->sizes[i] - lo) * 7 / (double)(hi - lo) + 0.5)],
		      out);
}

static void slope_text(const struct hs_trend *tr, double slope, char *buf, size_t n)
{
	size_t len;

	hs_unit_format_signed(&tr->opts->unit, (int64_t)llround(slope), true, buf, n);
	len = strlen(buf);
	snprintf(buf + len, n - len, "/h");
}

static void table_line(const struct hs_trend *tr, const struct hs_trend_row *row, const char *key, FILE *out)
{
	char first[48], last[48], slope[56];

	hs_unit_format(&tr->opts->unit, row->sizes[0], true, first, sizeof(first));
	hs_unit_format(&tr->opts->unit, row->sizes[tr->nsnaps - 1], true, last, sizeof(last));
	slope_text(tr, row->slope_per_hour, slope, sizeof(slope));
	fprintf(out, "%10s %10s %14s %8.2g %-7s  ", first, last, slope, row->p_value, row->growing ? "growing" : "");
	sparkline(row, tr->nsnaps, out);
	fprintf(out, "  %s\n", key);
}

static void render_table(const struct hs_trend *tr, FILE *out)
{
	char from[64], to[64], key[512], slope[56];

	fprintf(out, "%zu snapshots from %s to %s (%.0f s), grouped by %s\n", tr->nsnaps,
		hs_printable(tr->snaps[0].taken_at, from, sizeof(from)),
		hs_printable(tr->snaps[tr->nsnaps - 1].taken_at, to, sizeof(to)),
		tr->seconds[tr->nsnaps - 1] - tr->seconds[0], hs_group_by_name(tr->opts->group_by));
	fprintf(out, "%10s %10s %14s %8s %-7s  %-*s  %s\n", "first", "last", "slope", "p", "",
		(int)tr->nsnaps, "sizes", "key");
	for (size_t i = 0; i < tr->nshown; i++) {
		const struct hs_trend_row *row = &tr->rows[tr->order[i]];
		char *text = hs_key_text(tr->opts->group_by, &row->key);
		table_line(tr, row, hs_printable(text, key, sizeof(key)), out);
		free(text);
	}
	if (tr->nshown < tr->nrows)
		fprintf(out, "(%zu more groups; --limit=0 shows all)\n", tr->nrows - tr->nshown);
	table_line(tr, &tr->total, "total (all groups)", out);
	slope_text(tr, tr->total.slope_per_hour, slope, sizeof(slope));
	fprintf(out, "total slope %s, %s\n", slope,
		tr->total.growing ? "growing (Mann-Kendall p < 0.05)" : "not growing");
}

static json_t *series(const uint64_t *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer((json_int_t)v[i]));
	return a;
}

static json_t *json_row(const struct hs_trend *tr, const struct hs_trend_row *row, const char *key)
{
	json_t *o = json_pack("{s:o s:o s:f s:f s:b}", "sizes", series(row->sizes, tr->nsnaps),
			      "counts", series(row->counts, tr->nsnaps), "slope_bytes_per_hour",
			      row->slope_per_hour, "p_value", row->p_value, "growing", row->growing);

	if (key != NULL)
		json_object_set_new(o, "key", json_string(key));
	return o;
}

static void render_json(const struct hs_trend *tr, FILE *out)
{
	json_t *times = json_array(), *files = json_array(), *rows = json_array(), *doc;

	for (size_t k = 0; k < tr->nsnaps; k++) {
		json_array_append_new(times, json_string(tr->snaps[k].taken_at));
		json_array_append_new(files, json_string(tr->paths[k]));
	}
	for (size_t i = 0; i < tr->nshown; i++) {
		const struct hs_trend_row *row = &tr->rows[tr->order[i]];
		char *text = hs_key_text(tr->opts->group_by, &row->key);
		json_array_append_new(rows, json_row(tr, row, text));
		free(text);
	}
	doc = json_pack("{s:s s:o s:o s:I s:o s:o}", "group_by", hs_group_by_name(tr->opts->group_by),
			"times", times, "files", files, "groups", (json_int_t)tr->nrows, "rows", rows,
			"total", json_row(tr, &tr->total, NULL));
	json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	fputc('\n', out);
	json_decref(doc);
}

static void csv_line(const struct hs_trend *tr, const struct hs_trend_row *row, const char *key, FILE *out)
{
	hs_csv_field(key, out);
	fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%.0f,%.6g,%s\n", row->sizes[0], row->sizes[tr->nsnaps - 1],
		row->slope_per_hour, row->p_value, row->growing ? "yes" : "no");
}

static void render_csv(const struct hs_trend *tr, FILE *out)
{
	fputs("key,first_bytes,last_bytes,slope_bytes_per_hour,p_value,growing\n", out);
	for (size_t i = 0; i < tr->nshown; i++) {
		const struct hs_trend_row *row = &tr->rows[tr->order[i]];
		char *text = hs_key_text(tr->opts->group_by, &row->key);
		csv_line(tr, row, text, out);
		free(text);
	}
	csv_line(tr, &tr->total, "total", out);
}

void hs_trend_render(const struct hs_trend *tr, FILE *out)
{
	switch (tr->opts->format) {
	case HS_FORMAT_JSON: render_json(tr, out); break;
	case HS_FORMAT_CSV: render_csv(tr, out); break;
	case HS_FORMAT_TABLE: render_table(tr, out); break;
	case HS_FORMAT_PPROF:
	case HS_FORMAT_OPENMETRICS:
		break; /* refused by 'heapsnap trend' when it parses --format */
	}
}
