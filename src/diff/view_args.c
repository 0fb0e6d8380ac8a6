/* Parsing show/diff command lines (see diff.h). getopt_long runs with a leading '+',
   so it never reorders argv; each file name it stops at is collected and parsing resumes
   after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xalloc.h"
#include "diff/diff.h"

/* The shared table followed by the command's own options. */
static struct option *option_table(const struct hs_view_extra *extra)
{
	size_t nshared = 0, nextra = 0;
	struct option *table;

	while (hs_view_long_options[nshared].name != NULL)
		nshared++;
	while (extra != NULL && extra->options[nextra].name != NULL)
		nextra++;
	table = hs_xmalloc((nshared + nextra + 1) * sizeof(*table));
	memcpy(table, hs_view_long_options, nshared * sizeof(*table));
	if (nextra > 0)
		memcpy(table + nshared, extra->options, nextra * sizeof(*table));
	memset(&table[nshared + nextra], 0, sizeof(*table));
	return table;
}

static bool is_extra(const struct hs_view_extra *extra, int c)
{
	for (size_t i = 0; extra != NULL && extra->options[i].name != NULL; i++)
		if (extra->options[i].val == c)
			return true;
	return false;
}

static enum hs_view_args parse(int argc, char **argv, struct hs_view_options *o, const char **files,
			       size_t nfiles, const struct hs_view_extra *extra, const struct option *table,
			       char *why, size_t n)
{
	size_t nfound = 0;
	bool options_ended = false;
	int c;

	optind = 1;
	opterr = 0;
	while (optind < argc) {
		int before = optind;
		if (!options_ended && (c = getopt_long(argc, argv, "+:hvo:", table, NULL)) != -1) {
			if (c == 'h' || c == HS_OPT_HELP)
				return HS_ARGS_HELP;
			if (c == ':' || c == '?') {
				snprintf(why, n, c == ':' ? "option '%s' needs a value" : "unknown option '%s'",
					 argv[optind - 1]);
				return HS_ARGS_USAGE;
			}
			if (is_extra(extra, c)) {
				if (extra->apply(extra->arg, c, optarg, why, n) < 0)
					return HS_ARGS_USAGE;
				continue;
			}
			if (hs_view_option(o, c == 'v' ? HS_OPT_VERBOSE : c == 'o' ? HS_OPT_OUTPUT : c, optarg, why, n) < 0)
				return HS_ARGS_USAGE;
			continue;
		}
		/* getopt stopped at "--" (it consumed it) or at a file name. */
		if (!options_ended && optind > before && strcmp(argv[before], "--") == 0) {
			options_ended = true;
			continue;
		}
		if (nfound == nfiles) {
			snprintf(why, n, "unexpected argument '%s'", argv[optind]);
			return HS_ARGS_USAGE;
		}
		files[nfound++] = argv[optind++];
	}
	for (size_t i = nfound; extra != NULL && extra->files_optional && i < nfiles; i++)
		files[i] = NULL;
	if (nfound < nfiles && !(extra != NULL && extra->files_optional)) {
		snprintf(why, n, nfiles == 1 ? "missing the snapshot FILE" : "missing %s",
			 nfound == 0 ? "the OLD and NEW snapshots" : "the NEW snapshot");
		return HS_ARGS_USAGE;
	}
	if (o->format == HS_FORMAT_PPROF && o->output == NULL && isatty(STDOUT_FILENO)) {
		snprintf(why, n, "--format=pprof writes compressed binary data: give -o FILE (-o - for standard output)");
		return HS_ARGS_USAGE;
	}
	return HS_ARGS_OK;
}

enum hs_view_args hs_view_parse_args_extra(int argc, char **argv, struct hs_view_options *o,
					   const char **files, size_t nfiles,
					   const struct hs_view_extra *extra, char *why, size_t n)
{
	struct option *table = option_table(extra);
	enum hs_view_args r = parse(argc, argv, o, files, nfiles, extra, table, why, n);

	free(table);
	return r;
}

enum hs_view_args hs_view_parse_args(int argc, char **argv, struct hs_view_options *o,
				     const char **files, size_t nfiles, char *why, size_t n)
{
	return hs_view_parse_args_extra(argc, argv, o, files, nfiles, NULL, why, n);
}
