/* heapsnap why: who holds a block, or the blocks of a type (src/why). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_private.h"
#include "common/xalloc.h"
#include "why/why.h"

static const char why_help[] =
	"usage: heapsnap why FILE ADDR|TYPE-GLOB... [--limit=N] [--format=table|json]\n"
	"\n"
	"Says who holds blocks of a snapshot taken with 'heapsnap take --refs': the chain from\n"
	"a root (global, stack, register, TLS, other mapping) through each holding block, with\n"
	"the offset of the pointer in each holder, to the block. A leaked block has no root:\n"
	"it is a direct or an indirect leak, and an indirect one shows the leaked chain holding it.\n"
	"\n"
	"  ADDR                 0x...: any address inside a live block\n"
	"  TYPE-GLOB            the blocks whose type name matches (fnmatch, as --filter):\n"
	"                       their chains aggregated by root and hop types, largest first\n"
	"  --limit=N            paths per glob (default 10, 0 = all)\n"
	"  --format=FORMAT      table (default) or json\n"
	"  -h, --help           this help\n"
	"\n"
	"Exit: 0 shown, 2 usage (also an address in no live block), 3 the snapshot cannot be\n"
	"read or has no reference data, 5 output error.\n";

struct why_args {
	const char *file;
	char **queries;
	size_t nqueries, limit;
	bool json;
};

enum { OPT_LIMIT = 400, OPT_FORMAT };

static const struct option why_options[] = {
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_option(int c, const char *arg, struct why_args *a)
{
	char *end;

	if (c == OPT_LIMIT) {
		errno = 0;
		a->limit = (size_t)strtoull(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0)
			return hs_cli_usage_error("why", "--limit takes a number of paths (0 = all), not '%s'", arg);
		return -1;
	}
	if (strcmp(arg, "table") != 0 && strcmp(arg, "json") != 0)
		return hs_cli_usage_error("why", "--format takes table or json, not '%s'", arg);
	a->json = arg[0] == 'j';
	return -1;
}

/* Options anywhere among the arguments ("--" ends them); returns -1 to go on, or the exit
   code (0 after --help). */
static int parse_args(int argc, char **argv, struct why_args *a)
{
	bool options_ended = false;
	int c, rc;

	a->limit = 10;
	a->queries = hs_xcalloc((size_t)argc + 1, sizeof(*a->queries));
	optind = 1;
	opterr = 0;
	while (optind < argc) {
		int before = optind;

		if (!options_ended && (c = getopt_long(argc, argv, "+:h", why_options, NULL)) != -1) {
			if (c == 'h')
				return fputs(why_help, stdout), 0;
			if (c == ':' || c == '?')
				return hs_cli_usage_error("why", c == ':' ? "option '%s' needs a value" : "unknown option '%s'",
							  argv[optind - 1]);
			if ((rc = parse_option(c, optarg, a)) >= 0)
				return rc;
			continue;
		}
		if (!options_ended && optind > before && strcmp(argv[before], "--") == 0) {
			options_ended = true;
			continue;
		}
		if (a->file == NULL)
			a->file = argv[optind++];
		else
			a->queries[a->nqueries++] = argv[optind++];
	}
	if (a->file == NULL || a->nqueries == 0)
		return hs_cli_usage_error("why", "give a snapshot and at least one address or type glob");
	return -1;
}

/* An address: "0x" and hex digits, nothing else. */
static bool parse_address(const char *s, uint64_t *address)
{
	char *end;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || s[2] == '\0' || s[2] == '-' || s[2] == '+')
		return false;
	errno = 0;
	*address = strtoull(s + 2, &end, 16);
	return *end == '\0' && errno == 0;
}

static int why(const struct why_args *a, struct hs_error *err)
{
	struct hs_why_snapshot w;
	struct hs_why_answer answer = { 0 };
	uint64_t address;
	int rc = hs_why_load(&w, a->file, err);

	for (size_t q = 0; rc == 0 && q < a->nqueries; q++) {
		if (parse_address(a->queries[q], &address))
			rc = hs_why_address(&w, a->queries[q], address, &answer, err);
		else
			rc = hs_why_glob(&w, a->queries[q], a->limit, &answer, err);
	}
	if (rc == 0) {
		if (a->json)
			hs_why_render_json(&w, &answer, stdout);
		else
			hs_why_render_text(&w, &answer, stdout);
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = hs_fail(err, HS_ERR_OUTPUT, "cannot write the output (%s): check the output's destination",
				     strerror(errno));
	}
	hs_why_answer_free(&answer);
	hs_why_free(&w);
	return rc;
}

int hs_cmd_why(int argc, char **argv)
{
	struct why_args args = { 0 };
	struct hs_error err = { 0 };
	int rc = parse_args(argc, argv, &args);

	if (rc < 0)
		rc = why(&args, &err) < 0 ? hs_report(&err) : 0;
	free(args.queries);
	return rc;
}
