/* The options show and diff share: grouping, ordering, filtering and output (docs/cli.md).
   One getopt_long table for both commands; each option's value is checked here, and the
   command turns a rejected value into a usage error. */
#ifndef HS_VIEW_OPTIONS_H
#define HS_VIEW_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff/units.h"

/* HS_BY_ROOT: the root node owning each block (snapshots taken with --refs; root_split.h). */
enum hs_group_by { HS_BY_TYPE, HS_BY_SIZE, HS_BY_TYPE_SIZE, HS_BY_KIND, HS_BY_SIZECLASS, HS_BY_ROOT };
enum hs_sort_by { HS_SORT_SIZE, HS_SORT_COUNT, HS_SORT_AVG, HS_SORT_NAME };
enum hs_order { HS_ORDER_ABSOLUTE, HS_ORDER_POSITIVE };
enum hs_format { HS_FORMAT_TABLE, HS_FORMAT_JSON, HS_FORMAT_CSV, HS_FORMAT_PPROF, HS_FORMAT_OPENMETRICS };

struct hs_view_options {
	enum hs_group_by group_by;
	enum hs_sort_by sort;
	enum hs_order order;
	enum hs_format format;
	size_t limit;           /* rows shown; 0 = all */
	struct hs_unit unit;
	char **filters, **excludes; /* globs on type names */
	size_t nfilters, nexcludes;
	uint64_t min_delta;     /* hide rows whose size changed by less */
	bool verbose;           /* show glibc-internal (kind "libc") groups */
	const char *output;     /* -o FILE; NULL for stdout */
	bool threads;           /* show --threads: also each thread's stack */
	struct {
		bool set, percent;
		uint64_t bytes;
		double pct;
		const char *text;
	} fail_if_growth;
	/* Options given that only diff understands, for show to refuse, and the reverse. */
	const char *diff_only, *show_only;
};

/* The ids getopt_long returns for the shared options. */
enum {
	HS_OPT_GROUP_BY = 300, HS_OPT_SORT, HS_OPT_DIFF, HS_OPT_LIMIT, HS_OPT_UNIT, HS_OPT_FILTER,
	HS_OPT_EXCLUDE, HS_OPT_MIN_DELTA, HS_OPT_FORMAT, HS_OPT_FAIL_IF_GROWTH, HS_OPT_VERBOSE,
	HS_OPT_HELP, HS_OPT_OUTPUT, HS_OPT_THREADS,
};

/* The option table, for getopt_long with the short options "+:hvo:". */
extern const struct option hs_view_long_options[];
/* The --help text of the shared options. */
extern const char hs_view_options_help[];

void hs_view_options_init(struct hs_view_options *o);
void hs_view_options_free(struct hs_view_options *o);
/* Applies option id with its argument; returns 0, or -1 with the reason written to why. */
int hs_view_option(struct hs_view_options *o, int id, const char *arg, char *why, size_t n);

/* The names of the settings, as JSON output reports them. */
const char *hs_group_by_name(enum hs_group_by g);
const char *hs_sort_name(enum hs_sort_by s);
const char *hs_order_name(enum hs_order o);

#endif
