/* The report's data (see report.h), built from show's and diff's comparisons so that the
   page's figures are the ones the table commands print. */
#include <inttypes.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "diff/diff.h"
#include "report/report.h"

#define GROWTH_SERIES 8 /* lines in the chart of growing types */

/* A JSON string of s; a name jansson refuses (not UTF-8) becomes "?". */
static json_t *text(const char *s)
{
	json_t *j = s ? json_string(s) : json_null();
	return j ? j : json_string("?");
}

/* The shown rows of a comparison, each with the figures of the sides asked for. */
static json_t *rows_json(const struct hs_comparison *c, bool both_sides)
{
	json_t *rows = json_array();

	for (size_t i = 0; i < c->nshown; i++) {
		const struct hs_row *r = &c->rows[c->order[i]];
		char *key = hs_key_text(c->opts->group_by, &r->key);
		json_t *row = json_pack("{s:o s:I s:I}", "name", text(key),
					both_sides ? "new_bytes" : "bytes", (json_int_t)r->f.size[HS_NEW],
					both_sides ? "new_blocks" : "blocks", (json_int_t)r->f.count[HS_NEW]);
		if (both_sides) {
			json_object_set_new(row, "old_bytes", json_integer((json_int_t)r->f.size[HS_OLD]));
			json_object_set_new(row, "old_blocks", json_integer((json_int_t)r->f.count[HS_OLD]));
		}
		json_array_append_new(rows, row);
		free(key);
	}
	return rows;
}

static json_t *snapshot_json(const struct hs_snapshot *s, const char *path, const struct hs_comparison *c)
{
	json_t *arenas = json_array();
	char address[32];

	for (size_t a = 0; a < s->narenas; a++) {
		snprintf(address, sizeof(address), "0x%" PRIx64, s->arenas[a].address);
		json_array_append_new(arenas, json_pack("{s:s s:I s:o}", "address", address,
							"heaps", (json_int_t)s->arenas[a].heaps,
							"totals", hs_totals_json(&s->arenas[a].totals)));
	}
	return json_pack("{s:o s:o s:o s:I s:o s:o s:o}", "path", text(path), "label", text(s->label),
			 "taken_at", text(s->taken_at), "pid", (json_int_t)s->target.pid,
			 "totals", hs_totals_json(&s->totals), "arenas", arenas, "types", rows_json(c, false));
}

/* The bytes of a group key in a show comparison; 0 when the snapshot has no such group. */
static uint64_t bytes_of(const struct hs_comparison *c, const struct hs_key *key)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].fate == HS_SHOWN && hs_key_compare(&c->rows[i].key, key) == 0)
			return c->rows[i].f.size[HS_NEW];
	return 0;
}

/* The change from the first snapshot to the last, and the growing types' bytes in each. */
static void add_change(json_t *data, const struct hs_snapshot *const *snaps, const char *const *paths,
		       size_t n, size_t limit, const struct hs_comparison *shows)
{
	struct hs_view_options opts;
	struct hs_comparison c;
	json_t *series = json_array();

	hs_view_options_init(&opts);
	opts.limit = limit;
	hs_comparison_build(&c, &opts, snaps[0], paths[0], snaps[n - 1], paths[n - 1]);
	hs_comparison_order(&c);
	json_object_set_new(data, "diff", json_pack("{s:I s:I s:o}",
		"total_bytes", (json_int_t)hs_size_diff(&c.total.f),
		"total_blocks", (json_int_t)hs_count_diff(&c.total.f), "rows", rows_json(&c, true)));
	hs_comparison_free(&c);

	opts.order = HS_ORDER_POSITIVE;
	opts.limit = GROWTH_SERIES;
	hs_comparison_build(&c, &opts, snaps[0], paths[0], snaps[n - 1], paths[n - 1]);
	hs_comparison_order(&c);
	for (size_t i = 0; i < c.nshown; i++) {
		const struct hs_row *r = &c.rows[c.order[i]];
		if (hs_size_diff(&r->f) <= 0)
			break;
		json_t *values = json_array();
		for (size_t s = 0; s < n; s++)
			json_array_append_new(values, json_integer((json_int_t)bytes_of(&shows[s], &r->key)));
		char *key = hs_key_text(opts.group_by, &r->key);
		json_array_append_new(series, json_pack("{s:o s:o}", "name", text(key), "bytes", values));
		free(key);
	}
	hs_comparison_free(&c);
	hs_view_options_free(&opts);
	json_object_set_new(data, "growth", json_pack("{s:o}", "series", series));
}

json_t *hs_report_data(const struct hs_snapshot *const *snaps, const char *const *paths, size_t n,
		       size_t limit)
{
	struct hs_view_options opts;
	struct hs_comparison *shows = hs_xcalloc(n, sizeof(*shows));
	json_t *data = json_object(), *list = json_array();

	hs_view_options_init(&opts);
	opts.limit = limit;
	for (size_t s = 0; s < n; s++) {
		hs_comparison_build(&shows[s], &opts, NULL, NULL, snaps[s], paths[s]);
		hs_comparison_order(&shows[s]);
		json_array_append_new(list, snapshot_json(snaps[s], paths[s], &shows[s]));
	}
	json_object_set_new(data, "generator", json_string(PACKAGE_STRING));
	json_object_set_new(data, "snapshots", list);
	if (n >= 2)
		add_change(data, snaps, paths, n, limit, shows);
	for (size_t s = 0; s < n; s++)
		hs_comparison_free(&shows[s]);
	free(shows);
	hs_view_options_free(&opts);
	return data;
}
