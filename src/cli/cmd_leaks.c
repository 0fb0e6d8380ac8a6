/* heapsnap leaks: the blocks of a snapshot taken with --refs that no root reaches, grouped
   and ranked as show does, with LeakSanitizer's split into direct leaks (no other leaked
   block points to them) and indirect ones (reached only from leaked blocks). */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/xalloc.h"
#include "diff/comparison.h"
#include "diff/render.h"
#include "diff/units.h"
#include "diff/view_args.h"
#include "snapshot/snapshot_read.h"

static const char leaks_help[] =
	"usage: heapsnap leaks FILE [options]\n"
	"\n"
	"Shows the leaked blocks of a snapshot taken with 'heapsnap take --refs': the blocks no\n"
	"root (global, stack, register, TLS, other mapping) reaches, grouped as show groups them,\n"
	"after a line with LeakSanitizer's split: direct leaks (no other leaked block points to\n"
	"them) and indirect ones (reached only from leaked blocks).\n"
	"\n"
	"      --fail-if-leaks=BYTES  exit 1 when the leaked blocks hold more than BYTES\n"
	"%s"
	"\n"
	"Exit: 0 shown, 1 --fail-if-leaks tripped, 2 usage, 3 the snapshot cannot be read or has\n"
	"no reference data, 5 output error.\n";

struct leaked {
	struct hs_snapshot only;   /* the leaked blocks, as a snapshot show can render */
	uint64_t count[2], size[2]; /* [0] direct, [1] indirect */
	json_t *blocks;            /* for --format=json */
};

static int read_leaks(const char *file, const struct hs_view_options *opts, struct hs_snapshot *snap,
		      struct leaked *l, struct hs_error *err)
{
	struct hs_snapshot_reader *r = NULL;
	struct hs_block b;
	size_t group, i = 0;
	int rc = hs_snapshot_open(file, snap, &r, err);

	if (rc == 0 && (snap->refs == NULL || !snap->has_blocks))
		rc = hs_fail(err, HS_ERR_TARGET, "%s has no reference data: take it with 'heapsnap take --refs'", file);
	if (rc == 0)
		rc = hs_snapshot_read_block_refs(r, err);
	for (size_t t = 0; rc == 0 && t < snap->ntypes; t++)
		hs_snapshot_type(&l->only, snap->types[t].name, snap->types[t].kind);
	while (rc == 0 && (rc = hs_snapshot_next_block(r, &b, &group, err)) > 0) {
		int32_t owner = snap->refs->blocks[i++].owner;
		int indirect = owner == HS_OWNER_INDIRECT;
		char addr[24];

		rc = 0;
		if (owner != HS_OWNER_DIRECT && !indirect)
			continue;
		l->count[indirect]++;
		l->size[indirect] += b.size;
		hs_snapshot_add_block(&l->only, b.addr, b.size, b.type);
		if (opts->format == HS_FORMAT_JSON) {
			snprintf(addr, sizeof(addr), "0x%" PRIx64, b.addr);
			json_array_append_new(l->blocks, json_pack("[s I s s]", addr, (json_int_t)b.size,
								  snap->types[b.type].name,
								  indirect ? "indirect" : "direct"));
		}
	}
	hs_snapshot_close(r);
	return rc;
}

static void print_json(const struct hs_comparison *cmp, const struct leaked *l)
{
	json_t *rows = json_array(), *doc;

	for (size_t k = 0; k < cmp->nshown; k++) {
		const struct hs_row *row = &cmp->rows[cmp->order[k]];
		char *key = hs_key_text(cmp->opts->group_by, &row->key);

		json_array_append_new(rows, json_pack("{ss sI sI}", "key", key, "count",
						      (json_int_t)row->f.count[HS_NEW], "size",
						      (json_int_t)row->f.size[HS_NEW]));
		free(key);
	}
	doc = json_pack("{s{s{sIsI}s{sIsI}} so sO}", "total", "direct", "count", (json_int_t)l->count[0], "size",
			(json_int_t)l->size[0], "indirect", "count", (json_int_t)l->count[1], "size",
			(json_int_t)l->size[1], "rows", rows, "blocks", l->blocks);
	json_dumpf(doc, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(doc);
}

static int leaks(const struct hs_view_options *opts, const char *file, uint64_t fail_over, bool gate,
		 struct hs_error *err)
{
	struct hs_snapshot snap;
	struct leaked l = { .blocks = json_array() };
	struct hs_comparison cmp;
	int rc;

	hs_snapshot_init(&snap);
	hs_snapshot_init(&l.only);
	rc = read_leaks(file, opts, &snap, &l, err);
	if (rc == 0) {
		hs_snapshot_finish_blocks(&l.only);
		/* What the table's header names. */
		l.only.taken_at = snap.taken_at ? hs_xstrdup(snap.taken_at) : NULL;
		l.only.label = snap.label ? hs_xstrdup(snap.label) : NULL;
		l.only.target.pid = snap.target.pid;
		for (size_t g = 0; g < l.only.ngroups; g++) {
			l.only.totals.live_blocks += l.only.groups[g].count;
			l.only.totals.live_bytes += l.only.groups[g].count * l.only.groups[g].size;
		}
		hs_comparison_build(&cmp, opts, NULL, NULL, &l.only, file);
		hs_comparison_order(&cmp);
		if (opts->format == HS_FORMAT_JSON) {
			print_json(&cmp, &l);
		} else {
			if (opts->format == HS_FORMAT_TABLE)
				printf("leaked: %" PRIu64 " blocks (%" PRIu64 " bytes) direct, %" PRIu64
				       " blocks (%" PRIu64 " bytes) indirect\n",
				       l.count[0], l.size[0], l.count[1], l.size[1]);
			hs_render(&cmp, stdout);
		}
		hs_comparison_free(&cmp);
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = hs_fail(err, HS_ERR_OUTPUT, "cannot write the output (%s): check the output's destination",
				     strerror(errno));
		else if (gate && l.size[0] + l.size[1] > fail_over)
			rc = 1;
	}
	json_decref(l.blocks);
	hs_snapshot_free(&l.only);
	hs_snapshot_free(&snap);
	return rc;
}

int hs_cmd_leaks(int argc, char **argv)
{
	struct hs_view_options opts;
	struct hs_error err = { 0 };
	const char *file;
	char why[512];
	uint64_t fail_over = 0;
	bool gate = false;
	int rc = 0, kept = 0;

	/* --fail-if-leaks is leaks' own; the rest are show's options. */
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--fail-if-leaks=", 16) == 0) {
			if (hs_parse_bytes(argv[i] + 16, &fail_over) < 0)
				return hs_cli_usage_error("leaks", "--fail-if-leaks takes a size in bytes (e.g. 1MiB), not '%s'",
						       argv[i] + 16);
			gate = true;
			continue;
		}
		argv[kept++] = argv[i];
	}
	argc = kept;
	hs_view_options_init(&opts);
	switch (hs_view_parse_args(argc, argv, &opts, &file, 1, why, sizeof(why))) {
	case HS_ARGS_HELP:
		printf(leaks_help, hs_view_options_help);
		break;
	case HS_ARGS_USAGE:
		rc = hs_cli_usage_error("leaks", "%s", why);
		break;
	case HS_ARGS_OK:
		if (opts.diff_only != NULL)
			rc = hs_cli_usage_error("leaks", "%s compares two snapshots; it belongs to 'heapsnap diff'",
					     opts.diff_only);
		else if (opts.group_by == HS_BY_ROOT)
			rc = hs_cli_usage_error("leaks", "--group-by=root: no root holds a leaked block; "
						"'heapsnap show --group-by=root' shows the held ones");
		else if ((rc = leaks(&opts, file, fail_over, gate, &err)) < 0)
			rc = hs_report(&err);
		break;
	}
	hs_view_options_free(&opts);
	return rc;
}
