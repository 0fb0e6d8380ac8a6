/* JSON output, as docs/cli.md's `diff --format=json` describes: numbers are always plain
   bytes and counts, whatever --unit says. Beyond the contract's members it adds `identity`
   (whether new/freed counts could be made, and why not) and `hidden` (rows left out by
   filters, glibc-internal rows, rows under --min-delta). show writes `new` only and no
   change figures. leaks adds each row's direct/indirect split, the split of the total and
   the leaked blocks. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "diff/diff.h"
#include "snapshot/snapshot.h"

static json_t *snapshot_json(const struct hs_snapshot *s)
{
	return json_pack("{s:s? s:s s:I s:I s:I}", "label", s->label, "taken_at", s->taken_at,
			 "pid", (json_int_t)s->target.pid,
			 "live_blocks", (json_int_t)s->totals.live_blocks,
			 "live_bytes", (json_int_t)s->totals.live_bytes);
}

static void set_int(json_t *o, const char *name, json_int_t v)
{
	json_object_set_new(o, name, json_integer(v));
}

/* Adds size, size_diff, count, count_diff (show: size, count), avg when asked, and new/freed
   with identity, in the contract's order. */
static void add_figures(const struct hs_comparison *c, json_t *o, const struct hs_figures *f,
			bool with_avg)
{
	bool diff = hs_is_diff(c);

	set_int(o, "size", (json_int_t)f->size[HS_NEW]);
	if (diff)
		set_int(o, "size_diff", hs_size_diff(f));
	set_int(o, "count", (json_int_t)f->count[HS_NEW]);
	if (diff)
		set_int(o, "count_diff", hs_count_diff(f));
	if (with_avg)
		set_int(o, "avg", (json_int_t)hs_avg(f, HS_NEW));
	if (diff && c->identity.available) {
		set_int(o, "new_blocks", (json_int_t)f->new_blocks);
		set_int(o, "freed_blocks", (json_int_t)f->freed_blocks);
	}
	if (c->leaks != NULL) {
		set_int(o, "direct_count", (json_int_t)f->leak_count[HS_DIRECT]);
		set_int(o, "indirect_count", (json_int_t)f->leak_count[HS_INDIRECT]);
		set_int(o, "direct_size", (json_int_t)f->leak_size[HS_DIRECT]);
		set_int(o, "indirect_size", (json_int_t)f->leak_size[HS_INDIRECT]);
	}
}

static json_t *rows_json(const struct hs_comparison *c)
{
	json_t *rows = json_array();

	for (size_t i = 0; i < c->nshown; i++) {
		const struct hs_row *row = &c->rows[c->order[i]];
		char *key = hs_key_text(c->opts->group_by, &row->key);
		json_t *o = json_object();
		json_object_set_new(o, "key", json_string(key));
		free(key);
		add_figures(c, o, &row->f, true);
		json_array_append_new(rows, o);
	}
	return rows;
}

static json_t *sum_json(const struct hs_comparison *c, const struct hs_sum *s, bool with_groups)
{
	json_t *o = json_object();

	if (with_groups)
		set_int(o, "groups", (json_int_t)s->groups);
	add_figures(c, o, &s->f, false);
	return o;
}

static json_t *hidden_json(const struct hs_comparison *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "filtered", sum_json(c, &c->hidden[HS_HIDDEN_FILTER], true));
	json_object_set_new(o, "libc", sum_json(c, &c->hidden[HS_HIDDEN_LIBC], true));
	if (hs_is_diff(c))
		json_object_set_new(o, "min_delta", sum_json(c, &c->hidden[HS_HIDDEN_MIN_DELTA], true));
	return o;
}

/* leaks' total: show's figures, and the split as issue 18 names it. */
static json_t *leaks_total_json(const struct hs_comparison *c)
{
	json_t *o = sum_json(c, &c->total, false);
	const struct hs_figures *f = &c->total.f;

	json_object_set_new(o, "direct", json_pack("{s:I s:I}", "count", (json_int_t)f->leak_count[HS_DIRECT],
						  "size", (json_int_t)f->leak_size[HS_DIRECT]));
	json_object_set_new(o, "indirect", json_pack("{s:I s:I}", "count", (json_int_t)f->leak_count[HS_INDIRECT],
						    "size", (json_int_t)f->leak_size[HS_INDIRECT]));
	return o;
}

struct leaked_blocks {
	const struct hs_snapshot *s;
	json_t *list;
};

static int leaked_block_json(void *arg, const struct hs_block *b, int split)
{
	struct leaked_blocks *l = arg;
	char addr[24];

	snprintf(addr, sizeof(addr), "0x%" PRIx64, b->addr);
	json_array_append_new(l->list, json_pack("[s I s s]", addr, (json_int_t)b->size, l->s->types[b->type].name,
						 split == HS_INDIRECT ? "indirect" : "direct"));
	return 0;
}

/* [address, usable size, type, "direct"|"indirect"] per leaked block, in address order. */
static json_t *leaked_blocks_json(const struct hs_comparison *c)
{
	struct leaked_blocks l = { c->snap[HS_NEW], json_array() };

	hs_leaks_view_each(c->leaks, leaked_block_json, &l);
	return l.list;
}

void hs_render_json(const struct hs_comparison *c, FILE *out)
{
	const struct hs_view_options *o = c->opts;
	json_t *doc = json_object();

	if (hs_is_diff(c))
		json_object_set_new(doc, "old", snapshot_json(c->snap[HS_OLD]));
	json_object_set_new(doc, "new", snapshot_json(c->snap[HS_NEW]));
	json_object_set_new(doc, "group_by", json_string(hs_group_by_name(o->group_by)));
	json_object_set_new(doc, "sort", json_string(hs_sort_name(o->sort)));
	if (hs_is_diff(c))
		json_object_set_new(doc, "diff", json_string(hs_order_name(o->order)));
	json_object_set_new(doc, "unit", json_string(o->unit.name));
	if (hs_is_diff(c))
		json_object_set_new(doc, "identity",
				    c->identity.available
					    ? json_pack("{s:b}", "available", 1)
					    : json_pack("{s:b s:s}", "available", 0, "reason", c->identity.why));
	json_object_set_new(doc, "rows", rows_json(c));
	json_object_set_new(doc, "other", sum_json(c, &c->other, true));
	json_object_set_new(doc, "total", c->leaks ? leaks_total_json(c) : sum_json(c, &c->total, false));
	json_object_set_new(doc, "hidden", hidden_json(c));
	if (o->threads)
		json_object_set_new(doc, "threads", hs_snapshot_threads_json(c->snap[HS_NEW]));
	if (c->leaks)
		json_object_set_new(doc, "blocks", leaked_blocks_json(c));
	json_dumpf(doc, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(doc);
}
