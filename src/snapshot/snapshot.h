/* The snapshot model: what a take produces and what show/diff read (format in
   docs/snapshot-format.md). Blocks live in a compact array, not in JSON objects, so a
   snapshot of millions of blocks costs a few bytes per block. */
#ifndef HS_SNAPSHOT_H
#define HS_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot/block_log.h"

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
void hs_snapshot_warn(struct hs_snapshot *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Derives the groups from the blocks added, and puts the types in the order of their names
   (the groups' and blocks' types renumbered to match). */
void hs_snapshot_finish_blocks(struct hs_snapshot *s);

#endif
