/* src/snapshot's public header. The snapshot model: what a take produces and what show/diff
   read (format in docs/snapshot-format.md). Blocks live in a compact array, not in JSON
   objects, so a snapshot of millions of blocks costs a few bytes per block. Beside the
   model: its block list, the group index, reading and writing snapshot files, and the
   printable form of strings read from them. */
#ifndef HS_SNAPSHOT_H
#define HS_SNAPSHOT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error.h"

/* A snapshot's block list, kept compact: millions of (address, size, type) rows in a few
   bytes each (LEB128 varints, each address as the distance from the one before), appended
   in any order and read back in address order. A walk appends in address order but for a
   few runs (blocks it could settle only after following the free lists; heaps outside the
   page scan): reading merges the runs, and sorts only when there are many. */

struct hs_block {
	uint64_t addr; /* user pointer */
	uint64_t size; /* usable size */
	uint32_t type; /* index into the snapshot's types */
};

/* A run of rows: where in the bytes it starts (its first row's address whole), its first and
   last addresses, the end of its blocks' bytes, its row count. */
struct hs_block_run {
	size_t offset;
	uint64_t first, last, end, count;
};

struct hs_block_log {
	uint8_t *bytes;
	size_t len, cap;
	uint64_t count, last_addr;
	struct hs_block_run *runs; /* each run of ascending addresses */
	size_t nruns, runs_cap;
	uint32_t *type_map; /* NULL, or the type each row's type is read back as */
	size_t ntype_map;
};

void hs_block_log_append(struct hs_block_log *log, uint64_t addr, uint64_t size, uint32_t type);
/* Appends every row of src, as runs of their own. */
void hs_block_log_append_log(struct hs_block_log *log, const struct hs_block_log *src);
/* From now on, a row appended with type t reads back with type map[t] (t < n). The log
   takes map over (malloc'd; freed with the log). */
void hs_block_log_renumber_types(struct hs_block_log *log, uint32_t *map, size_t n);
/* Calls visit on every block, in address order (equal addresses in the order appended);
   stops at, and returns, the first nonzero value visit returns. */
int hs_block_log_each(const struct hs_block_log *log, int (*visit)(void *arg, const struct hs_block *b),
		      void *arg);
/* A block's usable bytes: [addr, end). Side by side, so that a lookup's last step (the
   block's start, the previous block's end) reads one cache line, not two. */
struct hs_block_bounds {
	uint64_t addr, end;
};
/* Every block's bounds in address order into out (log->count of them), as hs_block_log_each
   gives them, without a call per block. */
void hs_block_log_bounds(const struct hs_block_log *log, struct hs_block_bounds *out);
/* The runs' indexes in the order of their first addresses (malloc'd, nruns of them), when
   each run ends before the next begins, as a walk's runs do (one per heap or stretch of one);
   else NULL. */
size_t *hs_block_log_runs_in_order(const struct hs_block_log *log);
/* Run r's blocks' bounds into out (runs[r].count of them); returns past the last. */
struct hs_block_bounds *hs_block_log_run_bounds(const struct hs_block_log *log, size_t r, struct hs_block_bounds *out);
void hs_block_log_free(struct hs_block_log *log);

#define HS_SNAPSHOT_VERSION 1

/* Counters of one arena or of the whole heap; field meanings as in the format reference. */
struct hs_totals {
	uint64_t live_blocks, live_bytes, live_chunk_bytes;
	uint64_t mmapped_blocks, mmapped_bytes;
	uint64_t tcache_blocks, tcache_bytes;
	uint64_t fastbin_blocks, fastbin_bytes;
	uint64_t free_blocks, free_bytes;
	uint64_t top_bytes, system_bytes, overhead_bytes;
};

/* The fields of struct hs_totals, in the format's order, with their snapshot keys: the one
   list that the snapshot's writer and reader, the heap image and the walk's sums go through. */
#define HS_TOTALS_NFIELDS 14
struct hs_totals_field {
	const char *key;
	size_t offset;
};
extern const struct hs_totals_field hs_totals_fields[HS_TOTALS_NFIELDS];
/* Field i of t. */
static inline uint64_t *hs_totals_field(struct hs_totals *t, size_t i)
{
	return (uint64_t *)((char *)t + hs_totals_fields[i].offset);
}
static inline uint64_t hs_totals_value(const struct hs_totals *t, size_t i)
{
	return *(const uint64_t *)((const char *)t + hs_totals_fields[i].offset);
}
/* sum += t, field by field. */
void hs_totals_add(struct hs_totals *sum, const struct hs_totals *t);

struct hs_arena_stats {
	uint64_t address;
	uint64_t heaps;
	struct hs_totals totals;
};

struct hs_type {
	char *name;
	char *kind; /* vtable, string, pointers, zero, python, libc, debuginfo, unknown */
};

struct hs_group {
	uint32_t type;
	uint64_t size, count;
};

/* One frame of a thread's stack: its return address (the pc for the innermost frame) and,
   when known, the function and the module's path holding it (NULL otherwise). */
struct hs_stack_frame {
	uint64_t address;
	char *function, *module;
};

struct hs_thread_stack {
	int64_t tid;
	char *name; /* comm, or NULL when the target does not say */
	struct hs_stack_frame *frames;
	size_t nframes;
};

/* Reference data (take --refs; docs/snapshot-format.md, "roots", "block_refs", "refs"). */
enum hs_root_kind { HS_ROOT_GLOBAL, HS_ROOT_STACK, HS_ROOT_REGISTER, HS_ROOT_TLS, HS_ROOT_MAPPING,
		    HS_ROOT_NKINDS };
extern const char *const hs_root_kind_names[HS_ROOT_NKINDS];

struct hs_root {
	enum hs_root_kind kind;
	char *name;
	char *module;     /* NULL when none */
	int64_t tid;      /* -1 when none */
	uint64_t address, size;
};

/* block_refs' values that are not indices. */
#define HS_HOLDER_NONE INT32_MIN /* null: nothing points to the block */
enum { HS_OWNER_SEVERAL = -1, HS_OWNER_DIRECT = -2, HS_OWNER_INDIRECT = -3 };

/* One block's [holder, offset, owner]: holder >= 0 a block index, < 0 root -holder-1. */
struct hs_block_ref {
	int32_t holder, owner;
	uint64_t offset;
};

struct hs_refs_figures {
	uint64_t roots, scanned_bytes, unreadable_bytes, reachable_blocks;
	uint64_t leaked_direct_blocks, leaked_direct_bytes, leaked_indirect_blocks, leaked_indirect_bytes;
	double scan_ms;
};

struct hs_snapshot_refs {
	struct hs_root *roots;
	size_t nroots, roots_cap;
	struct hs_block_ref *blocks; /* parallel to the snapshot's blocks in address order */
	size_t nblocks;
	struct hs_refs_figures figures;
};

/* Frees what refs holds (not refs itself). */
void hs_snapshot_refs_free(struct hs_snapshot_refs *refs);

struct hs_snapshot {
	char *taken_at; /* RFC 3339 UTC */
	char *label;    /* may be NULL */

	struct {
		int64_t pid;
		char *exe, *build_id, *source;
		char **cmdline;
		size_t ncmdline;
		uint64_t threads;
	} target;

	struct {
		char *version, *libc_path, *located_by;
		uint64_t main_arena;
		bool safe_linking, tcache;
	} glibc;

	struct {
		double pause_ms, duration_ms;
		uint64_t retries;
		char **warnings;
		size_t nwarnings, warnings_cap;
	} walk;

	bool has_threads; /* the snapshot records stacks ("threads", absent before format revision 1.2) */
	struct hs_thread_stack *threads;
	size_t nthreads;

	struct hs_totals totals;
	uint64_t narenas;
	struct hs_arena_stats *arenas;

	struct hs_type *types;
	size_t ntypes, types_cap;

	struct hs_group *groups;
	size_t ngroups;

	bool has_blocks;
	struct hs_block_log blocks;

	struct hs_snapshot_refs *refs; /* NULL unless taken with --refs */

	void *builder; /* private to snapshot.c while blocks are being added */
};

void hs_snapshot_init(struct hs_snapshot *s);
void hs_snapshot_free(struct hs_snapshot *s);
/* Index of the type (name, kind), adding it when new. */
uint32_t hs_snapshot_type(struct hs_snapshot *s, const char *name, const char *kind);
void hs_snapshot_add_block(struct hs_snapshot *s, uint64_t addr, uint64_t size, uint32_t type);
/* Adds the blocks added to part (whose types are s's) to s, and frees part. */
void hs_snapshot_absorb(struct hs_snapshot *s, struct hs_snapshot *part);
/* Gives the i-th block in address order the type type_of[i] (UINT32_MAX: keeps its own) and
   counts the groups again; only with the block list kept (has_blocks), before
   hs_snapshot_finish_blocks. */
void hs_snapshot_retype_blocks(struct hs_snapshot *s, const uint32_t *type_of);
void hs_snapshot_warn(struct hs_snapshot *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Derives the groups from the blocks added, and puts the types in the order of their names
   (the groups' and blocks' types renumbered to match). */
void hs_snapshot_finish_blocks(struct hs_snapshot *s);

/* Finding a snapshot's group by (type, usable size): an open-addressing table over the
   `groups` array, used to check that blocks and groups agree and to credit a block to its
   group while blocks stream past. */

#define HS_NO_GROUP SIZE_MAX

struct hs_group_index {
	size_t *slots; /* group index + 1, 0 empty */
	size_t nslots;
};

/* Indexes the snapshot's groups; returns the index of the first group whose (type, size)
   repeats an earlier one, or HS_NO_GROUP when all are distinct. */
size_t hs_group_index_build(struct hs_group_index *ix, const struct hs_snapshot *s);
size_t hs_group_index_find(const struct hs_group_index *ix, const struct hs_snapshot *s,
			   uint32_t type, uint64_t size);
void hs_group_index_free(struct hs_group_index *ix);

/* Strings from a snapshot file shown to people: one line, bounded, no control characters,
   so a hostile type name or label cannot forge output lines or terminal escapes. */

/* Copies s into out (size n), control bytes as '?'; cut with "..." past n - 1 bytes.
   Returns out. */
char *hs_printable(const char *s, char *out, size_t n);

/* Reading a snapshot file (docs/snapshot-format.md) for show and diff. Everything but the
   block list is loaded and checked when the file is opened; blocks then stream one at a
   time, checked as they pass, so a diff of two snapshots of tens of millions of blocks needs
   memory for their groups only. Any problem is an HS_ERR_TARGET error naming the file. */

struct hs_snapshot_reader;

/* Opens path and loads its header, types and groups into s (initialized by the caller, freed
   by the caller with hs_snapshot_free after hs_snapshot_close). s->has_blocks tells whether
   the file lists blocks. *out is set even when it fails: the caller closes it either way. */
int hs_snapshot_open(const char *path, struct hs_snapshot *s, struct hs_snapshot_reader **out,
		     struct hs_error *err);

/* The next block in address order and the index of its group in s->groups. Returns 1 for a
   block, 0 after the last one (once the blocks are known to agree with the groups; at once
   when the file has no blocks), -1 on a problem. */
int hs_snapshot_next_block(struct hs_snapshot_reader *r, struct hs_block *b, size_t *group,
			   struct hs_error *err);

/* Streams the blocks again from the first (after a pass that read them all). */
void hs_snapshot_rewind_blocks(struct hs_snapshot_reader *r);

/* Reads the remaining blocks only to check them. */
int hs_snapshot_check_blocks(struct hs_snapshot_reader *r, struct hs_error *err);

/* With reference data (s->refs set by hs_snapshot_open): reads block_refs into
   s->refs->blocks, one row per block, each checked (snapshot_refs_read.c). */
int hs_snapshot_read_block_refs(struct hs_snapshot_reader *r, struct hs_error *err);

void hs_snapshot_close(struct hs_snapshot_reader *r);

/* The whole snapshot, blocks in s->blocks. */
int hs_snapshot_read(const char *path, struct hs_snapshot *s, struct hs_error *err);

/* Writing a snapshot as JSON (docs/snapshot-format.md): the document through jansson, the
   block list streamed; the file appears whole (mode 0600) or not at all. */

/* Writes to path ("-" = stdout) atomically: a temporary file in the same directory, renamed. */
int hs_snapshot_write_file(const struct hs_snapshot *s, const char *path, struct hs_error *err);
/* Writes the JSON to an open stream; returns 0 or -1 on a write error. */
int hs_snapshot_write_stream(const struct hs_snapshot *s, FILE *out);
/* The "threads" member's value (also `show --threads --format=json`): a new reference. */
json_t *hs_snapshot_threads_json(const struct hs_snapshot *s);
/* A "totals" object (the snapshot's, an arena's; also the report's data): a new reference. */
json_t *hs_totals_json(const struct hs_totals *t);

#endif
