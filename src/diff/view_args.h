/* The command line of show and diff: the shared options anywhere among the file names (as
   users type `diff s1.json s2.json --sort=size`), "--" ending the options. */
#ifndef HS_VIEW_ARGS_H
#define HS_VIEW_ARGS_H

#include <stddef.h>

#include "diff/view_options.h"

enum hs_view_args { HS_ARGS_OK, HS_ARGS_HELP, HS_ARGS_USAGE };

/* Fills o and the nfiles file names (exactly that many must be given); on HS_ARGS_USAGE
   why says what is wrong. */
enum hs_view_args hs_view_parse_args(int argc, char **argv, struct hs_view_options *o,
				     const char **files, size_t nfiles, char *why, size_t n);

#endif
