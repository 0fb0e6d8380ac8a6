/* src/diff's public header: show and diff's view of snapshots, shared by the commands
   that group, compare and render them (show, diff, leaks, watch, trend, why): the view
   options and their command line, group keys, the root split, comparisons and block
   identity, the growth gate, the leaks view, byte units and every output format. */
#ifndef HS_DIFF_H
#define HS_DIFF_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error.h"
#include "snapshot/snapshot.h"

/* Byte amounts for people: the units of --unit (IEC KiB/MiB/GiB, SI kB/MB/GB, B, or auto,
   which picks an IEC unit per value) and parsing amounts such as "10MiB" for --min-delta
   and --fail-if-growth. */

struct hs_unit {
	const char *name; /* canonical spelling: "auto", "B", "KiB", ... */
	uint64_t bytes;   /* bytes in one unit; 0 for auto */
};

/* Case-insensitive; returns -1 for a name that is no unit (never a silent fallback). */
int hs_unit_parse(const char *text, struct hs_unit *u);
/* The accepted names, for messages: "auto, B, KiB, ...". */
const char *hs_unit_names(void);

/* "117 B", "8.00 KiB", "64.0 KiB", "523 MiB": three significant digits (whole bytes in B).
   With with_unit false the unit is left out (csv cells under a fixed unit). */
void hs_unit_format(const struct hs_unit *u, uint64_t bytes, bool with_unit, char *buf, size_t n);
/* The same with a sign always: "+4.3 KiB", "-300 B", "+0 B". */
void hs_unit_format_signed(const struct hs_unit *u, int64_t bytes, bool with_unit, char *buf,
			   size_t n);

/* A byte amount: digits with an optional fraction and an optional unit ("4096", "1.5MiB",
   "2 kB"); rounds to whole bytes. Returns -1 when malformed or 2^63 or more. */
int hs_parse_bytes(const char *text, uint64_t *out);

/* The options show and diff share: grouping, ordering, filtering and output (docs/cli.md).
   One getopt_long table for both commands; each option's value is checked here, and the
   command turns a rejected value into a usage error. */

/* HS_BY_ROOT: the root node owning each block (snapshots taken with --refs; the root split,
   below). */
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

/* The command line of show and diff: the shared options anywhere among the file names (as
   users type `diff s1.json s2.json --sort=size`), "--" ending the options. A command with
   options of its own (leaks) adds them to the same table. */

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

/* --filter and --exclude: which type names a view keeps. */

/* True when name matches a --filter glob (or none was given) and no --exclude glob. */
bool hs_type_kept(const struct hs_view_options *o, const char *name);

/* Group keys: what --group-by makes of a (type, usable size) group, how keys compare, and
   how they read. A key is a text part (type name or kind) and a numeric part (a size, or
   the lower bound of a size class), so sizes order as numbers, not as strings. */

struct hs_key {
	const char *text; /* type name or kind, "" when the key is a size; not owned */
	uint64_t lo, hi;  /* size, or size class lo..hi; 0 when the key is text only */
};

struct hs_key hs_group_key(enum hs_group_by by, const char *type_name, const char *kind,
			   uint64_t size);
/* Orders text, then the numbers; 0 when the keys are the same group. */
int hs_key_compare(const struct hs_key *a, const struct hs_key *b);
/* The key as the user reads it, allocated: "ns::Widget", "48", "ns::Widget|48", "vtable",
   "513-1024". */
char *hs_key_text(enum hs_group_by by, const struct hs_key *k);

/* --group-by=root: a snapshot's groups split by the root node that owns each block (the
   owner of block_refs, computed at take time as the dominating root). A part is one
   (group, root key) pair; every block is credited to one part, so the parts of a group add
   up to it and the comparison can build its rows from parts as it does from groups. */

struct hs_root_part {
	size_t group;   /* index into the snapshot's groups */
	uint32_t key;   /* index into keys */
	uint64_t count; /* blocks */
};

struct hs_root_split {
	char **keys; /* one per root node, then "several roots", then "leaked" */
	size_t nkeys;
	struct hs_root_part *parts;
	size_t nparts;
	uint32_t *block_part; /* per block, in address order: its part (NULL unless per_block) */
	size_t nblocks;
};

/* The key of one root node as show and diff print it: "global SYMBOL (MODULE-basename)",
   "stack TID (NAME)", "tls TID (NAME)", "mapping 0xSTART" (allocated). */
char *hs_root_key(const struct hs_root *root);

/* Reads s's block_refs and streams its blocks (checking them) into split, then rewinds the
   block stream. per_block keeps each block's part (for diff's block identity); without it
   s's block_refs rows are let go once read, so that trend's many snapshots hold their parts
   only. A snapshot without reference data is an HS_ERR_TARGET error saying to take it with
   --refs. */
int hs_root_split_read(struct hs_root_split *split, struct hs_snapshot *s, const char *path,
		       struct hs_snapshot_reader *r, bool per_block, struct hs_error *err);
void hs_root_split_free(struct hs_root_split *split);

/* A comparison: the rows of a diff of two snapshots (or of one snapshot's composition, for
   show), keyed by --group-by, with each side's figures, the rows hidden and why, the
   `other` and total sums, and whether blocks could be matched across the snapshots.
   Built in three steps: hs_comparison_build (rows from groups), hs_identity_count (new and
   freed blocks, diff only), hs_comparison_order (hide, sort, limit). */

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
	/* heapsnap leaks: the view snap[HS_NEW] is made of (the leaks view below), whose split the
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

/* Block identity across two snapshots (Chrome's #New / #Deleted): when both list their
   blocks and come from the same process, a block is the same block when its address,
   usable size and type name agree; every other block is new (only in NEW) or freed (only
   in OLD). Both block lists are sorted by address, so one merge-join over the two streams
   counts them with no memory per block. */

/* Decides whether identity is available, recording why not in c->identity.why. */
void hs_identity_decide(struct hs_comparison *c);
/* Reads both block streams to the end (checking them) and, with identity, adds new and
   freed counts to the rows and sums. */
int hs_identity_count(struct hs_comparison *c, struct hs_snapshot_reader *old,
		      struct hs_snapshot_reader *new, struct hs_error *err);

/* --fail-if-growth: the CI gate. Trips when the total live bytes (all groups, before any
   filter) grew by more than an amount of bytes or a percentage of the old total. */

/* True when the gate is set and tripped; then why says by how much, for people. */
bool hs_growth_gate_tripped(const struct hs_comparison *c, char *why, size_t n);

/* Writing a comparison in the --format asked for: a table for people (numbers first, the
   key last, as pprof's top), JSON (docs/cli.md, diff --format=json), CSV with a header
   row, pprof's profile.proto or OpenMetrics text. Only the caller checks the stream for write errors. */

void hs_render(const struct hs_comparison *c, FILE *out);
/* hs_render to the file the options name (-o; stdout without), whole or not at all.
   Returns 0, or -1 with err set (HS_ERR_OUTPUT). */
int hs_render_output(const struct hs_comparison *c, struct hs_error *err);

void hs_render_table(const struct hs_comparison *c, FILE *out);
void hs_render_json(const struct hs_comparison *c, FILE *out);
void hs_render_csv(const struct hs_comparison *c, FILE *out);
void hs_render_pprof(const struct hs_comparison *c, FILE *out);
/* show only (one snapshot's figures): c->snap[HS_OLD] must be NULL. */
void hs_render_openmetrics(const struct hs_comparison *c, FILE *out);

/* One CSV field (RFC 4180): quoted, quotes doubled, when it holds a comma, a quote or a
   line break. */
void hs_csv_field(const char *s, FILE *out);

/* show --threads in a table: a block per thread, "TID NAME", then "#N 0xADDR FUNCTION
   (MODULE)" per frame (module by its basename). */
void hs_render_threads(const struct hs_snapshot *s, FILE *out);

/* The change as a percentage of the old figure, "+25.0%" (no decimal from 100% on: "+307%");
   "new" when the old figure is 0 and the new is not. */
void hs_format_pct(int64_t diff, uint64_t old, char *buf, size_t n);

/* A snapshot's OpenMetrics text written to a file whole or not at all (node_exporter's
   textfile collector reads such files; `watch --metrics-file` rewrites one per take). */

/* The totals, the arenas and the top `limit` types (0 = all) of snap, as `show
   --format=openmetrics --limit=LIMIT` prints them, written to path (temporary file then
   rename, mode 0600). Returns 0, or -1 with err set (HS_ERR_OUTPUT). */
int hs_openmetrics_write_file(const struct hs_snapshot *snap, size_t limit, const char *path,
			      struct hs_error *err);

/* heapsnap leaks' view of a snapshot taken with --refs: a snapshot of its leaked blocks
   alone (the blocks no root reaches), which show's builder groups, ranks and renders like
   any other, each block marked direct or indirect (LeakSanitizer's split) so that every row
   can carry the split. Blocks are offered in address order with their block_refs owner. */

struct hs_leaks_view {
	struct hs_snapshot only;  /* the leaked blocks, under the source's header */
	uint8_t *indirect;        /* per leaked block, in address order: HS_DIRECT or HS_INDIRECT */
	size_t nblocks, cap;
	uint64_t count[2], size[2]; /* [HS_DIRECT], [HS_INDIRECT] */
};

/* An empty view over src's types. */
void hs_leaks_view_init(struct hs_leaks_view *v, const struct hs_snapshot *src);
/* Keeps b (a block of src) when its block_refs owner says it is leaked. */
void hs_leaks_view_offer(struct hs_leaks_view *v, const struct hs_block *b, int32_t owner);
/* After the last block: groups the leaked blocks, and moves src's label, time, pid and
   thread stacks over for the output's header. */
void hs_leaks_view_finish(struct hs_leaks_view *v, struct hs_snapshot *src);
/* Credits every row of c, built over v->only, and its total with their blocks' split. */
void hs_leaks_view_split(struct hs_comparison *c, const struct hs_leaks_view *v);
/* Calls visit(arg, block, HS_DIRECT or HS_INDIRECT) on every leaked block in address order;
   stops at, and returns, the first nonzero value visit returns. */
int hs_leaks_view_each(const struct hs_leaks_view *v,
		       int (*visit)(void *arg, const struct hs_block *b, int split), void *arg);
void hs_leaks_view_free(struct hs_leaks_view *v);

#endif
