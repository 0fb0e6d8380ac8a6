/* The command line of show and diff: the shared options anywhere among the file names (as
   users type `diff s1.json s2.json --sort=size`), "--" ending the options. A command with
   options of its own (leaks) adds them to the same table. */
#ifndef HS_VIEW_ARGS_H
#define HS_VIEW_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "diff/view_options.h"

enum hs_view_args { HS_ARGS_OK, HS_ARGS_HELP, HS_ARGS_USAGE };

/* A command's own options, parsed in the same pass as the shared ones. */
struct hs_view_extra {
	const struct option *options; /* NULL-ended; ids other than the shared HS_OPT_* ones */
	/* Applies one of them; returns 0, or -1 with the reason written to why. */
	int (*apply)(void *arg, int id, const char *value, char *why, size_t n);
	void *arg;
	bool files_optional; /* fewer than nfiles names is fine: the rest are set to NULL */
};

/* Fills o and the nfiles file names (exactly that many must be given); on HS_ARGS_USAGE
   why says what is wrong. */
enum hs_view_args hs_view_parse_args(int argc, char **argv, struct hs_view_options *o,
				     const char **files, size_t nfiles, char *why, size_t n);
/* The same with a command's own options (extra may be NULL). */
enum hs_view_args hs_view_parse_args_extra(int argc, char **argv, struct hs_view_options *o,
					   const char **files, size_t nfiles,
					   const struct hs_view_extra *extra, char *why, size_t n);

#endif
