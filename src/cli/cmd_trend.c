/* heapsnap trend: which groups keep growing across many snapshots (a Theil–Sen slope and a
   Mann–Kendall test per group). The shared options' values are parsed by
   diff/view_options.c, as for show and diff; --sort and --fail-if-growing are trend's own. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_private.h"
#include "trend/trend.h"

static const char trend_help[] =
	"usage: heapsnap trend FILE... [options]\n"
	"\n"
	"Orders the snapshots by the time they were taken and, for each group (by type unless\n"
	"--group-by says otherwise), shows the first and last size, a Theil-Sen slope in bytes\n"
	"per hour, the Mann-Kendall p-value for a steady increase and a sparkline of the sizes.\n"
	"A group is 'growing' when p < 0.05 and its slope is positive. Only the snapshots'\n"
	"groups are read, so --no-blocks snapshots serve as well.\n"
	"\n"
	"  --group-by=KEY       type (default), size, type,size, kind, sizeclass or root\n"
	"                       (snapshots taken with --refs: the root holding each block)\n"
	"  --sort=FIGURE        slope (default), size (last size) or name\n"
	"  --limit=N            rows shown (default 30, 0 = all)\n"
	"  --unit=UNIT          auto (default), B, KiB, MiB, GiB, kB, MB, GB; any case\n"
	"  --filter=GLOB[,...]  keep only types whose name matches a glob\n"
	"  --exclude=GLOB[,...] drop types whose name matches a glob\n"
	"  --format=FORMAT      table (default), json or csv\n"
	"  --fail-if-growing    exit 1 when a shown group is growing\n"
	"  -v, --verbose        also show glibc's own blocks (kind libc)\n"
	"  -h, --help           this help\n"
	"\n"
	"Exit: 0 shown, 1 a shown group is growing (with --fail-if-growing), 2 usage,\n"
	"3 a snapshot cannot be read (or fewer than two were given), 5 output error.\n";

enum { OPT_SORT = 400, OPT_FAIL_IF_GROWING };

static const struct option trend_options[] = {
	{ "group-by", required_argument, NULL, HS_OPT_GROUP_BY },
	{ "limit", required_argument, NULL, HS_OPT_LIMIT },
	{ "unit", required_argument, NULL, HS_OPT_UNIT },
	{ "filter", required_argument, NULL, HS_OPT_FILTER },
	{ "exclude", required_argument, NULL, HS_OPT_EXCLUDE },
	{ "format", required_argument, NULL, HS_OPT_FORMAT },
	{ "verbose", no_argument, NULL, HS_OPT_VERBOSE },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "fail-if-growing", no_argument, NULL, OPT_FAIL_IF_GROWING },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct trend_args {
	struct hs_view_options view;
	enum hs_trend_sort sort;
	bool fail_if_growing;
	const char **files;
	size_t nfiles;
};

static int parse_sort(const char *arg, enum hs_trend_sort *sort)
{
	static const char *const names[] = { "slope", "size", "name" };

	for (int i = 0; i < 3; i++)
		if (strcmp(arg, names[i]) == 0)
			return *sort = (enum hs_trend_sort)i, 0;
	return hs_cli_usage_error("trend", "--sort takes slope, size or name, not '%s'", arg);
}

/* Options anywhere among the file names ("--" ends them); returns -1 to go on, or the exit
   code (0 after --help). */
static int parse_args(int argc, char **argv, struct trend_args *a)
{
	bool options_ended = false;
	char why[512];
	int c;

	a->files = calloc((size_t)argc, sizeof(*a->files));
	optind = 1;
	opterr = 0;
	while (optind < argc) {
		int before = optind;
		if (!options_ended && (c = getopt_long(argc, argv, "+:hv", trend_options, NULL)) != -1) {
			if (c == 'h')
				return fputs(trend_help, stdout), 0;
			if (c == ':' || c == '?')
				return hs_cli_usage_error("trend", c == ':' ? "option '%s' needs a value" : "unknown option '%s'",
						       argv[optind - 1]);
			if (c == OPT_SORT) {
				if (parse_sort(optarg, &a->sort) != 0)
					return 2;
			} else if (c == OPT_FAIL_IF_GROWING) {
				a->fail_if_growing = true;
			} else if (hs_view_option(&a->view, c == 'v' ? HS_OPT_VERBOSE : c, optarg, why, sizeof(why)) < 0) {
				return hs_cli_usage_error("trend", "%s", why);
			}
			continue;
		}
		if (!options_ended && optind > before && strcmp(argv[before], "--") == 0) {
			options_ended = true;
			continue;
		}
		a->files[a->nfiles++] = argv[optind++];
	}
	if (a->view.format == HS_FORMAT_PPROF || a->view.format == HS_FORMAT_OPENMETRICS)
		return hs_cli_usage_error("trend", "--format takes table, json or csv here; pprof and openmetrics describe one snapshot: use 'heapsnap show'");
	if (a->nfiles < 2) {
		fprintf(stderr, "heapsnap: trend: %s: give two snapshots or more (e.g. the files of 'heapsnap watch')\n",
			a->nfiles == 0 ? "no snapshot given" : "one snapshot has no trend");
		return 3;
	}
	return -1;
}

int hs_cmd_trend(int argc, char **argv)
{
	struct trend_args args = { .sort = HS_TREND_BY_SLOPE };
	struct hs_error err = { 0 };
	struct hs_trend tr;
	int rc;

	hs_view_options_init(&args.view);
	rc = parse_args(argc, argv, &args);
	if (rc < 0) {
		rc = 0;
		if (hs_trend_build(&tr, &args.view, args.sort, args.files, args.nfiles, &err) == 0) {
			hs_trend_render(&tr, stdout);
			if (fflush(stdout) != 0 || ferror(stdout))
				hs_fail(&err, HS_ERR_OUTPUT, "cannot write the output (%s): check the output's destination",
					strerror(errno));
			else if (args.fail_if_growing && hs_trend_any_growing(&tr))
				rc = 1;
		}
		hs_trend_free(&tr);
		if (err.kind != HS_OK)
			rc = hs_report(&err);
	}
	free(args.files);
	hs_view_options_free(&args.view);
	return rc;
}
