/* heapsnap report: one or more snapshots as a self-contained HTML page (src/report). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_private.h"
#include "common/output_file.h"
#include "common/xalloc.h"
#include "report/report.h"
#include "snapshot/snapshot.h"

static const char report_help[] =
	"usage: heapsnap report FILE... -o REPORT.html [options]\n"
	"\n"
	"Writes one self-contained HTML page (no network, no external file: it opens offline)\n"
	"describing the snapshots: the last one's totals, arenas and largest types in a sortable\n"
	"table and a bar chart; given two or more, the change from the first to the last and a\n"
	"line chart of the most growing types across all of them (in the order given).\n"
	"\n"
	"  -o, --output=FILE    the page (whole or not at all, mode 0600); '-' is stdout\n"
	"  --limit=N            types listed per snapshot and in the change (default 50)\n"
	"  -h, --help           this help\n"
	"\n"
	"Exit: 0 written, 2 usage, 3 a snapshot cannot be read, 5 output error.\n";

enum { OPT_LIMIT = 300 };

static const struct option report_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int report(char **files, size_t n, size_t limit, const char *output, struct hs_error *err)
{
	struct hs_snapshot *snaps = hs_xcalloc(n, sizeof(*snaps));
	const struct hs_snapshot **list = hs_xcalloc(n, sizeof(*list));
	struct hs_output o;
	size_t nread = 0;
	int rc = -1;

	/* Only the groups stay in memory: the blocks are read to check them, as show does. */
	for (; nread < n && err->kind == HS_OK; nread++) {
		struct hs_snapshot_reader *reader = NULL;
		hs_snapshot_init(&snaps[nread]);
		list[nread] = &snaps[nread];
		if (hs_snapshot_open(files[nread], &snaps[nread], &reader, err) == 0)
			hs_snapshot_check_blocks(reader, err);
		hs_snapshot_close(reader);
	}
	if (err->kind == HS_OK && hs_output_open(&o, output, err) == 0) {
		json_t *data = hs_report_data(list, (const char *const *)files, n, limit);
		hs_report_page(data, o.fp);
		json_decref(data);
		rc = hs_output_commit(&o, err);
	}
	for (size_t i = 0; i < nread; i++)
		hs_snapshot_free(&snaps[i]);
	free(list);
	free(snaps);
	return rc;
}

int hs_cmd_report(int argc, char **argv)
{
	struct hs_error err = { 0 };
	const char *output = NULL;
	size_t limit = 50;
	char *end;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ho:", report_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(report_help, stdout);
			return 0;
		case 'o':
			output = optarg;
			break;
		case OPT_LIMIT:
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' || errno != 0 || v == 0 || v > 100000)
				return hs_cli_usage_error("report", "--limit takes a number of types from 1 to 100000, not '%s'",
						       optarg);
			limit = (size_t)v;
			break;
		case ':':
			return hs_cli_usage_error("report", "option '%s' needs a value", argv[optind - 1]);
		default:
			return hs_cli_usage_error("report", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return hs_cli_usage_error("report", "missing the snapshot FILE");
	if (output == NULL)
		return hs_cli_usage_error("report", "give the page's name with -o FILE (-o - for standard output)");
	if (report(argv + optind, (size_t)(argc - optind), limit, output, &err) < 0)
		return hs_report(&err);
	return 0;
}
