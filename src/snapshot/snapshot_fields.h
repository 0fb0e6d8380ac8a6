/* Turning a snapshot's top-level members (parsed by jansson) into the snapshot model, checked
   against docs/snapshot-format.md. Private to the reader. */
#ifndef HS_SNAPSHOT_FIELDS_H
#define HS_SNAPSHOT_FIELDS_H

#include <jansson.h>
#include <stddef.h>

#include "snapshot/snapshot.h"

/* JSON integers are exact below 2^53; every count, size and address must be within it. */
#define HS_SNAPSHOT_INT_MAX ((UINT64_C(1) << 53) - 1)

/* The top-level members the format defines, in the order they are checked. */
enum hs_member {
	HS_M_FORMAT, HS_M_VERSION, HS_M_TAKEN_AT, HS_M_LABEL, HS_M_TARGET, HS_M_GLIBC, HS_M_WALK,
	HS_M_THREADS, HS_M_TOTALS, HS_M_ARENAS, HS_M_TYPES, HS_M_GROUPS, HS_M_BLOCKS, HS_M_REFS,
	HS_M_ROOTS, HS_M_BLOCK_REFS, HS_M_COUNT
};

/* What kind of problem a check found; the reader words its advice from it. */
enum hs_problem { HS_PROBLEM_NOT_SNAPSHOT, HS_PROBLEM_VERSION, HS_PROBLEM_CORRUPT };

/* The member named name, or -1 for a member the format does not define (ignored). */
int hs_member_lookup(const char *name);

/* Loads the members present (NULL = absent; blocks and block_refs are streamed) into s, checking
   types, ranges and that groups agree with totals. On failure writes the problem (no file
   name) to problem and its kind to *kind, and returns -1. */
int hs_snapshot_load_members(struct hs_snapshot *s, json_t *const members[HS_M_COUNT],
			     char *problem, size_t n, enum hs_problem *kind);

#endif
