/* --group-by=root: a snapshot's groups split by the root node that owns each block (the
   owner of block_refs, computed at take time as the dominating root). A part is one
   (group, root key) pair; every block is credited to one part, so the parts of a group add
   up to it and the comparison can build its rows from parts as it does from groups. */
#ifndef HS_ROOT_SPLIT_H
#define HS_ROOT_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "snapshot/snapshot.h"
#include "snapshot/snapshot_read.h"

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

#endif
