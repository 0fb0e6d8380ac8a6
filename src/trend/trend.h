/* A trend: the same groups as show and diff (--group-by through diff/diff.h) followed
   across several snapshots in the order of their taken_at, each row with its sizes over
   time, a Theil–Sen slope in bytes per hour and a Mann–Kendall p-value for an increase.
   Only each snapshot's groups are read, never its block list; but under --group-by=root
   its block list and block_refs, once, for its (group, root) parts. */
#ifndef HS_TREND_H
#define HS_TREND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error.h"
#include "diff/diff.h"
#include "snapshot/snapshot.h"

/* A row is growing when p < this and its slope is positive. */
#define HS_TREND_ALPHA 0.05

enum hs_trend_sort { HS_TREND_BY_SLOPE, HS_TREND_BY_SIZE, HS_TREND_BY_NAME };

struct hs_trend_row {
	struct hs_key key;
	uint64_t *sizes, *counts; /* one per snapshot, in time order */
	double slope_per_hour;    /* bytes per hour */
	double p_value;
	bool growing;
};

struct hs_trend {
	const struct hs_view_options *opts;
	size_t nsnaps;
	struct hs_snapshot *snaps;  /* groups and header only, in time order */
	struct hs_root_split *splits; /* --group-by=root: each snapshot's parts, in time order */
	const char **paths;         /* in time order */
	double *seconds;            /* taken_at as seconds since the epoch, in time order */
	struct hs_trend_row *rows;  /* the groups --filter, --exclude and --verbose keep */
	size_t nrows;
	size_t *order, nshown;      /* rows shown, in --sort order, cut at --limit */
	struct hs_trend_row total;  /* every group, before any filter */
};

/* Reads the snapshots' groups, orders them by taken_at and computes every row. Fails (an
   HS_ERR_TARGET naming the file) when a file cannot be read or its taken_at is not an
   RFC 3339 UTC time. tr is freed with hs_trend_free either way. */
int hs_trend_build(struct hs_trend *tr, const struct hs_view_options *o, enum hs_trend_sort sort,
		   const char *const *paths, size_t npaths, struct hs_error *err);
void hs_trend_free(struct hs_trend *tr);

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS[.fraction]Z"; -1 when malformed. */
int hs_parse_rfc3339(const char *text, double *seconds);

/* True when a shown row is growing (--fail-if-growing). */
bool hs_trend_any_growing(const struct hs_trend *tr);

void hs_trend_render(const struct hs_trend *tr, FILE *out);

#endif
