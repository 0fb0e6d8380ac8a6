/* The snapshot reader's state, shared by the header pass (snapshot_read.c) and the block
   stream (snapshot_blocks.c). Private to src/snapshot. */
#ifndef HS_SNAPSHOT_READP_H
#define HS_SNAPSHOT_READP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error.h"
#include "snapshot/group_index.h"
#include "snapshot/json_scan.h"
#include "snapshot/snapshot.h"

/* How a problem is worded for the user; see hs_reader_fail(). */
enum hs_read_problem {
	HS_READ_IO,           /* the file cannot be opened or read */
	HS_READ_JSON,         /* not (complete) JSON */
	HS_READ_NOT_SNAPSHOT, /* JSON, but not a heapsnap snapshot */
	HS_READ_VERSION,      /* a format version this heapsnap does not read */
	HS_READ_CORRUPT,      /* a snapshot whose content contradicts itself or the format */
};

struct hs_snapshot_reader {
	char *path;
	FILE *fp;
	struct hs_snapshot *snap;
	struct hs_json_scan scan;

	uint64_t blocks_offset;  /* where the blocks array's '[' is */
	uint64_t block_refs_offset; /* where block_refs' '[' is (with refs) */
	struct hs_group_index groups;
	uint64_t *group_seen;    /* blocks seen per group, to check against the group's count */
	uint64_t nblocks;        /* blocks read so far */
	uint64_t prev_addr;      /* the previous block's address */
	uint64_t prev_end;       /* address just past the previous block */
	enum { BLOCKS_UNREAD, BLOCKS_READING, BLOCKS_DONE } state;
};

/* Records "PATH: PROBLEM: ADVICE" as an HS_ERR_TARGET error; returns -1. */
int hs_reader_fail(struct hs_snapshot_reader *r, struct hs_error *err, enum hs_read_problem kind,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Reports the scanner's recorded problem (bad JSON, truncation, read error). */
int hs_reader_scan_fail(struct hs_snapshot_reader *r, struct hs_error *err);

#endif
