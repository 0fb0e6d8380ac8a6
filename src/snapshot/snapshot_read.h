/* Reading a snapshot file (docs/snapshot-format.md) for show and diff. Everything but the
   block list is loaded and checked when the file is opened; blocks then stream one at a
   time, checked as they pass, so a diff of two snapshots of tens of millions of blocks needs
   memory for their groups only. Any problem is an HS_ERR_TARGET error naming the file. */
#ifndef HS_SNAPSHOT_READ_H
#define HS_SNAPSHOT_READ_H

#include <stddef.h>

#include "common/error.h"
#include "snapshot/snapshot.h"

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

#endif
