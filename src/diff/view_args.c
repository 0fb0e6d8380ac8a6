/* Parsing show/diff command lines (see view_args.h). getopt_long runs with a leading '+',
   so it never reorders argv; each file name it stops at is collected and parsing resumes
   after it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diff/view_args.h"

enum hs_view_args hs_view_parse_args(int argc, char **argv, struct hs_view_options *o,
				     const char **files, size_t nfiles, char *why, size_t n)
{
	size_t nfound = 0;
	bool options_ended = false;
	int c;

	optind = 1;
	opterr = 0;
	while (optind < argc) {
		int before = optind;
		if (!options_ended && (c = getopt_long(argc, argv, "+:hvo:", hs_view_long_options, NULL)) != -1) {
			if (c == 'h' || c == HS_OPT_HELP)
				return HS_ARGS_HELP;
			if (c == ':' || c == '?') {
				snprintf(why, n, c == ':' ? "option '%s' needs a value" : "unknown option '%s'",
					 argv[optind - 1]);
				return HS_ARGS_USAGE;
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
	if (nfound < nfiles) {
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
