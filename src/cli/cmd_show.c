/* heapsnap show: one snapshot's composition, grouped and ranked (pprof's top). */
#include <stdio.h>
#include <string.h>

#include "cli/cli_private.h"
#include "diff/diff.h"
#include "snapshot/snapshot.h"

static const char show_help[] =
	"usage: heapsnap show FILE [options]\n"
	"\n"
	"Shows a snapshot's live blocks grouped (by type unless --group-by says otherwise),\n"
	"largest first, with each group's share of the live bytes and the running sum.\n"
	"\n"
	"%s"
	"  --threads            also each thread's stack when the snapshot was taken: after\n"
	"                       the table, or as \"threads\" with --format=json\n"
	"\n"
	"Exit: 0 shown, 2 usage, 3 the snapshot cannot be read, 5 output error.\n";

int hs_cli_show(const struct hs_view_options *opts, const struct hs_snapshot *snap, const char *path,
		const struct hs_leaks_view *leaks, const struct hs_root_split *split, struct hs_error *err)
{
	struct hs_comparison cmp;
	struct hs_cli_pprof_holders holders;
	int rc;

	if (opts->threads && !snap->has_threads)
		return hs_fail(err, HS_ERR_TARGET, "%s holds no thread stacks (an older heapsnap took it): take "
			       "it again to see them", path);
	hs_comparison_build_by_root(&cmp, opts, NULL, NULL, NULL, snap, path, split);
	if (leaks != NULL)
		hs_leaks_view_split(&cmp, leaks);
	hs_comparison_order(&cmp);
	memset(&holders, 0, sizeof(holders));
	rc = leaks == NULL ? hs_cli_pprof_holders(&cmp, &holders, err) : 0; /* a view has no file */
	if (rc == 0)
		rc = hs_render_output(&cmp, err);
	hs_cli_pprof_holders_free(&holders);
	hs_comparison_free(&cmp);
	return rc;
}

int hs_cli_show_refuse(const char *cmd, const struct hs_view_options *opts)
{
	if (opts->diff_only != NULL)
		return hs_cli_usage_error(cmd, "%s compares two snapshots; it belongs to 'heapsnap diff'",
					  opts->diff_only);
	if (opts->threads && opts->format == HS_FORMAT_CSV)
		return hs_cli_usage_error(cmd, "--threads has no CSV form: use --format=table or json");
	return 0;
}

static int show(const struct hs_view_options *opts, const char *file, struct hs_error *err)
{
	struct hs_snapshot snap;
	struct hs_snapshot_reader *reader = NULL;
	struct hs_root_split split = { 0 };
	bool by_root = opts->group_by == HS_BY_ROOT;
	int rc = -1;

	hs_snapshot_init(&snap);
	/* The blocks are read only to check them (or, by root, to split the groups by owner):
	   show's figures come from the groups. */
	if (hs_snapshot_open(file, &snap, &reader, err) == 0 &&
	    (by_root ? hs_root_split_read(&split, &snap, file, reader, false, err)
		     : hs_snapshot_check_blocks(reader, err)) == 0)
		rc = hs_cli_show(opts, &snap, file, NULL, by_root ? &split : NULL, err);
	hs_root_split_free(&split);
	hs_snapshot_close(reader);
	hs_snapshot_free(&snap);
	return rc;
}

int hs_cmd_show(int argc, char **argv)
{
	struct hs_view_options opts;
	struct hs_error err = { 0 };
	const char *file;
	char why[512];
	int rc = 0;

	hs_view_options_init(&opts);
	switch (hs_view_parse_args(argc, argv, &opts, &file, 1, why, sizeof(why))) {
	case HS_ARGS_HELP:
		printf(show_help, hs_view_options_help);
		break;
	case HS_ARGS_USAGE:
		rc = hs_cli_usage_error("show", "%s", why);
		break;
	case HS_ARGS_OK:
		if ((rc = hs_cli_show_refuse("show", &opts)) == 0 && show(&opts, file, &err) < 0)
			rc = hs_report(&err);
		break;
	}
	hs_view_options_free(&opts);
	return rc;
}
