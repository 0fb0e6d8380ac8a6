/* A comparison: the rows of a diff of two snapshots (or of one snapshot's composition, for
   show), keyed by --group-by, with each side's figures, the rows hidden and why, the
   `other` and total sums, and whether blocks could be matched across the snapshots.
   Built in three steps: hs_comparison_build (rows from groups), hs_identity_count (new and
   freed blocks, diff only), hs_comparison_order (hide, sort, limit). */
#ifndef HS_COMPARISON_H
#define HS_COMPARISON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff/group_key.h"
#include "diff/root_split.h"
#include "diff/view_options.h"
#include "snapshot/snapshot.h"

enum { HS_OLD = 0, HS_NEW = 1 };

/* Why a row is not shown; HS_SHOWN rows are displayed or summed in `other`. */
enum hs_fate { HS_SHOWN, HS_HIDDEN_FILTER, HS_HIDDEN_LIBC, HS_HIDDEN_MIN_DELTA, HS_NFATES };

struct hs_figures {
	uint64_t size[2], count[2];        /* bytes and blocks, [HS_OLD] and [HS_NEW] */
	uint64_t new_blocks, freed_blocks; /* with block identity only */
	uint64_t leak_count[2], leak_size[2]; /* leaks only: [HS_DIRECT] and [HS_INDIRECT] */
};

enum { HS_DIRECT = 0, HS_INDIRECT = 1 };
struct hs_leaks_view;

/* pprof's holder chains, for a snapshot taken with --refs (heapsnap show and diff build them
   from why's chains): the blocks aggregated by (chain, type, usable size). A chain is a node
   of a tree whose nodes name a frame each: the nearest holder's type, then its holder's, up
   to a root node (a root's key, or "leaked (direct)"); runs of one type are one frame, and
   chains longer than HS_PPROF_MAX_HOLDERS frames are cut at their root end. */
#define HS_PPROF_MAX_HOLDERS 32
#define HS_PPROF_NO_PARENT UINT32_MAX
struct hs_pprof_node {
	uint32_t parent; /* toward the root; HS_PPROF_NO_PARENT at a root node */
	uint32_t name;   /* index into names */
	uint32_t depth;  /* frames from the root node, which is 1 */
};
struct hs_pprof_sample {
	uint32_t node, type; /* the chain holding the blocks, and their type (snapshot's) */
	uint64_t size, count;
};
struct hs_pprof_stacks {
	char **names; /* names[t] is the snapshot's type t's name; root keys after */
	size_t nnames, names_cap;
	struct hs_pprof_node *nodes;
	size_t nnodes, nodes_cap;
	struct hs_pprof_sample *samples;
	size_t nsamples;
};

struct hs_row {
	struct hs_key key;
	enum hs_fate fate;
	struct hs_figures f;
};

struct hs_sum {
	size_t groups; /* rows summed */
	struct hs_figures f;
};

struct hs_comparison {
	const struct hs_view_options *opts;
	const struct hs_snapshot *snap[2]; /* snap[HS_OLD] is NULL for show */
	const char *path[2];
	const struct hs_root_split *split[2]; /* --group-by=root: each side's parts; else NULL */
	struct hs_row *rows;
	size_t nrows;
	size_t *group_row[2];     /* the row each snapshot group (each part, by root) adds to */
	size_t *order;            /* shown rows in display order */
	size_t nvisible, nshown;  /* rows passing every filter; rows displayed */
	struct hs_sum other;      /* visible rows past --limit */
	struct hs_sum total;      /* everything, before any filter */
	struct hs_sum hidden[HS_NFATES];
	struct {
		bool available;
		char why[512];    /* the reason it is unavailable, for people */
	} identity;
	/* heapsnap leaks: the view snap[HS_NEW] is made of (leaks_view.h), whose split the
	   rows carry; NULL for show and diff. */
	const struct hs_leaks_view *leaks;
	/* --format=pprof over snapshots taken with --refs: each side's holder chains (both
	   sides or neither); NULL otherwise. */
	const struct hs_pprof_stacks *stacks[2];
};

/* Rows from the groups of old (NULL for show) and new. */
void hs_comparison_build(struct hs_comparison *c, const struct hs_view_options *o,
			 const struct hs_snapshot *old, const char *old_path,
			 const struct hs_snapshot *new, const char *new_path);
/* The same under --group-by=root: rows from the parts of each side's split (old_split NULL
   for show). */
void hs_comparison_build_by_root(struct hs_comparison *c, const struct hs_view_options *o,
				 const struct hs_snapshot *old, const char *old_path,
				 const struct hs_root_split *old_split, const struct hs_snapshot *new,
				 const char *new_path, const struct hs_root_split *new_split);
/* Applies --min-delta and the hidden kinds, sorts, and cuts at --limit. */
void hs_comparison_order(struct hs_comparison *c);
void hs_comparison_free(struct hs_comparison *c);

static inline bool hs_is_diff(const struct hs_comparison *c)
{
	return c->snap[HS_OLD] != NULL;
}

static inline int64_t hs_size_diff(const struct hs_figures *f)
{
	return (int64_t)(f->size[HS_NEW] - f->size[HS_OLD]);
}

static inline int64_t hs_count_diff(const struct hs_figures *f)
{
	return (int64_t)(f->count[HS_NEW] - f->count[HS_OLD]);
}

/* Average usable size of a side's blocks, in whole bytes (0 without blocks). */
static inline uint64_t hs_avg(const struct hs_figures *f, int side)
{
	return f->count[side] ? f->size[side] / f->count[side] : 0;
}

#endif
