/* heapsnap diff: compare two snapshots (tracemalloc's compare_to, with per-block new and
   freed counts when the snapshots allow) and gate CI on growth. */
#include <stdio.h>

#include "cli/cli_private.h"
#include "diff/diff.h"
#include "snapshot/snapshot.h"

static const char diff_help[] =
	"usage: heapsnap diff OLD NEW [options]\n"
	"\n"
	"Compares two snapshots: for every group (by type unless --group-by says otherwise) the\n"
	"NEW bytes and blocks and their change since OLD, largest change first. When both\n"
	"snapshots list their blocks and come from the same process, each row also counts new\n"
	"blocks (only in NEW) and freed blocks (only in OLD); a block is the same when its\n"
	"address, usable size and type agree.\n"
	"\n"
	"  --diff=ORDER         absolute (default: largest change first) or positive (every\n"
	"                       growing group first)\n"
	"  --min-delta=BYTES    hide groups whose size changed by less (e.g. 4096, 4KiB)\n"
	"  --fail-if-growth=BYTES|PCT%%\n"
	"                       exit 1 when the total live bytes grew by more\n"
	"%s"
	"\n"
	"The total line counts every group, before --filter, --exclude, --min-delta, --limit.\n"
	"Exit: 0 compared, 1 --fail-if-growth tripped, 2 usage, 3 a snapshot cannot be read,\n"
	"5 output error.\n";

/* The comparison, with the growth gate decided; rc is the exit code. */
static int compare(const struct hs_view_options *opts, const char *const files[2],
		   struct hs_error *err)
{
	struct hs_snapshot snap[2];
	struct hs_snapshot_reader *reader[2] = { NULL, NULL };
	struct hs_comparison cmp;
	struct hs_cli_pprof_holders holders = { 0 };
	struct hs_root_split split[2] = { { 0 }, { 0 } };
	bool by_root = opts->group_by == HS_BY_ROOT;
	char why[512];
	int rc = -1;

	hs_snapshot_init(&snap[HS_OLD]);
	hs_snapshot_init(&snap[HS_NEW]);
	if (hs_snapshot_open(files[HS_OLD], &snap[HS_OLD], &reader[HS_OLD], err) == 0 &&
	    hs_snapshot_open(files[HS_NEW], &snap[HS_NEW], &reader[HS_NEW], err) == 0 &&
	    (!by_root || (hs_root_split_read(&split[HS_OLD], &snap[HS_OLD], files[HS_OLD], reader[HS_OLD], true, err) == 0 &&
			  hs_root_split_read(&split[HS_NEW], &snap[HS_NEW], files[HS_NEW], reader[HS_NEW], true, err) == 0))) {
		hs_comparison_build_by_root(&cmp, opts, &snap[HS_OLD], files[HS_OLD], by_root ? &split[HS_OLD] : NULL,
					    &snap[HS_NEW], files[HS_NEW], by_root ? &split[HS_NEW] : NULL);
		hs_identity_decide(&cmp);
		if (hs_identity_count(&cmp, reader[HS_OLD], reader[HS_NEW], err) == 0) {
			hs_comparison_order(&cmp);
			if (hs_cli_pprof_holders(&cmp, &holders, err) == 0 && hs_render_output(&cmp, err) == 0) {
				if (hs_growth_gate_tripped(&cmp, why, sizeof(why)))
					hs_fail(err, HS_ERR_GATE, "%s", why);
				else
					rc = 0;
			}
		}
		hs_cli_pprof_holders_free(&holders);
		hs_comparison_free(&cmp);
	}
	for (int side = 0; side < 2; side++) {
		hs_root_split_free(&split[side]);
		hs_snapshot_close(reader[side]);
		hs_snapshot_free(&snap[side]);
	}
	return rc;
}

int hs_cmd_diff(int argc, char **argv)
{
	struct hs_view_options opts;
	struct hs_error err = { 0 };
	const char *files[2];
	char why[512];
	int rc = 0;

	hs_view_options_init(&opts);
	switch (hs_view_parse_args(argc, argv, &opts, files, 2, why, sizeof(why))) {
	case HS_ARGS_HELP:
		printf(diff_help, hs_view_options_help);
		break;
	case HS_ARGS_USAGE:
		rc = hs_cli_usage_error("diff", "%s", why);
		break;
	case HS_ARGS_OK:
		if (opts.format == HS_FORMAT_OPENMETRICS)
			rc = hs_cli_usage_error("diff", "--format=openmetrics describes one snapshot: use 'heapsnap show'");
		else if (opts.show_only != NULL)
			rc = hs_cli_usage_error("diff", "%s shows one snapshot; it belongs to 'heapsnap show'",
						 opts.show_only);
		else if (compare(&opts, files, &err) < 0)
			rc = hs_report(&err);
		break;
	}
	hs_view_options_free(&opts);
	return rc;
}
