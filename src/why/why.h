/* heapsnap why: who holds a block. Over a snapshot taken with --refs, the chain of holders
   from a root to a block (block_refs' holder and offset, one shortest chain), or for a type
   glob every matching block's chain aggregated by (root, hop types). Leaked blocks have no
   root: their chain is the leaked one from a direct leak. Every walk over holders is bounded
   by the block count, so a hostile file whose holders loop is an error, not a hang. */
#ifndef HS_WHY_H
#define HS_WHY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error.h"
#include "snapshot/snapshot.h"

/* A snapshot with its blocks and block_refs in arrays, for walks in any direction. */
struct hs_why_snapshot {
	const char *path;        /* the file, for messages; not owned */
	struct hs_snapshot snap; /* header, types, roots, block_refs */
	uint64_t *addr, *size;   /* per block, in address order */
	uint32_t *type;
	size_t nblocks;
};

/* One hop of a chain: a block (address unknown when the aggregated blocks differ there) and
   where the pointer to it sits in its holder (unknown for a direct leak, or when the
   aggregated blocks differ). */
struct hs_why_hop {
	uint64_t address, offset;
	bool address_known, offset_known;
	uint32_t type;
};

struct hs_why_path {
	const char *query;    /* not owned: the command line's */
	int32_t root;         /* index into roots; -1 for leaked blocks */
	int32_t leak;         /* 0 held, HS_OWNER_DIRECT or HS_OWNER_INDIRECT */
	struct hs_why_hop *hops; /* root side first; the last is the block (for an address) */
	size_t nhops;
	uint64_t count, size; /* blocks and their usable bytes */
	bool is_address;      /* an address query: the block and the offset of the address in it */
	uint64_t block, inside;
};

/* Paths a glob had past --limit. */
struct hs_why_cut {
	const char *query;
	size_t paths;
	uint64_t count, size;
};

struct hs_why_answer {
	struct hs_why_path *paths;
	size_t npaths, paths_cap;
	struct hs_why_cut *cuts;
	size_t ncuts, cuts_cap;
	const char **unmatched; /* globs no block's type matches */
	size_t nunmatched, unmatched_cap;
};

/* Loads path (kept, not copied, for messages); a snapshot without reference data is an
   HS_ERR_TARGET error saying to take it with --refs. */
int hs_why_load(struct hs_why_snapshot *w, const char *path, struct hs_error *err);
void hs_why_free(struct hs_why_snapshot *w);

/* The block holding address (its start or inside it), or w->nblocks when none does. */
size_t hs_why_find_block(const struct hs_why_snapshot *w, uint64_t address);
/* The chain to block i (bounded): the hops from the root (or the direct leak) to i, and the
   root index (-1 when leaked). HS_ERR_TARGET when the holders loop or a held block's chain
   ends nowhere. */
int hs_why_chain(const struct hs_why_snapshot *w, size_t i, struct hs_why_path *path, struct hs_error *err);

/* Adds the path of the block at address (query its text). */
int hs_why_address(const struct hs_why_snapshot *w, const char *query, uint64_t address,
		   struct hs_why_answer *a, struct hs_error *err);
/* Adds the largest limit (0 = all) aggregated paths of the blocks whose type name matches
   the glob (fnmatch, as --filter), and a cut for the rest; the glob is unmatched when no
   block matches. */
int hs_why_glob(const struct hs_why_snapshot *w, const char *glob, size_t limit, struct hs_why_answer *a,
		struct hs_error *err);
void hs_why_answer_free(struct hs_why_answer *a);

struct hs_pprof_stacks;
/* pprof's holder chains of every block (diff/diff.h), aggregated by (chain, type,
   size); HS_ERR_TARGET when a chain of holders loops or a held block's ends nowhere. */
int hs_why_pprof_stacks(const struct hs_why_snapshot *w, struct hs_pprof_stacks *out, struct hs_error *err);
void hs_pprof_stacks_free(struct hs_pprof_stacks *s);

/* Output: one paragraph per path, or {"paths": [...]} (docs/cli.md, "why"). */
void hs_why_render_text(const struct hs_why_snapshot *w, const struct hs_why_answer *a, FILE *out);
void hs_why_render_json(const struct hs_why_snapshot *w, const struct hs_why_answer *a, FILE *out);

#endif
