/* src/snapshot's private header: the snapshot reader's state, shared by the header pass
   (snapshot_read.c) and the block stream (snapshot_blocks.c), the bounded JSON scanner they
   read with, and the checked conversion of a snapshot's top-level members. Not for use
   outside src/snapshot (but by its tests). */
#ifndef HS_SNAPSHOT_PRIVATE_H
#define HS_SNAPSHOT_PRIVATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error.h"
#include "snapshot/snapshot.h"

/* A bounded streaming scanner over a JSON file: it walks the top level of a document too big
   to hold as JSON objects, hands the text of small members to jansson, and lets the block
   reader parse the large `blocks` array in place. Nesting depth and scalar length are
   bounded, so hostile input costs at most the file's size in memory and one pass in time. */

/* Deeper than any snapshot needs (the format nests 3 levels); jansson's own bound is 2048. */
#define HS_JSON_MAX_DEPTH 64
/* The longest number or literal accepted at the top of a member's value. */
#define HS_JSON_MAX_SCALAR 256

struct hs_json_scan {
	FILE *fp;
	unsigned char buf[1 << 16];
	size_t pos, len;
	uint64_t base;    /* file offset of buf[0] */
	bool eof;
	int read_errno;   /* set when reading failed (not at end of file) */
	const char *why;  /* what was wrong, after a scan function returned -1 */
	uint64_t where;   /* file offset of the problem */
};

/* Text captured from the file; grows as needed. */
struct hs_json_text {
	char *p;
	size_t len, cap;
};

void hs_json_scan_init(struct hs_json_scan *s, FILE *fp);
/* Positions the scanner at a file offset; -1 when the stream cannot seek. */
int hs_json_scan_seek(struct hs_json_scan *s, uint64_t offset);

/* Refills the buffer; returns the next byte or -1 at the end of the file (or on a read error). */
int hs_json_scan_fill(struct hs_json_scan *s);

static inline int hs_json_peek(struct hs_json_scan *s)
{
	return s->pos < s->len ? s->buf[s->pos] : hs_json_scan_fill(s);
}

static inline int hs_json_get(struct hs_json_scan *s)
{
	int c = hs_json_peek(s);
	if (c >= 0)
		s->pos++;
	return c;
}

static inline uint64_t hs_json_offset(const struct hs_json_scan *s)
{
	return s->base + s->pos;
}

/* Skips JSON whitespace; returns the next byte (not consumed) or -1. */
int hs_json_skip_ws(struct hs_json_scan *s);
/* Records a problem at the current offset; returns -1. */
int hs_json_scan_fail(struct hs_json_scan *s, const char *why);
/* Consumes the byte c (after whitespace) or fails naming it. */
int hs_json_expect(struct hs_json_scan *s, int c, const char *why);
/* Scans one string token (the opening quote next), at most max_len bytes of text, appending
   its raw text, quotes included, to out. */
int hs_json_scan_string(struct hs_json_scan *s, struct hs_json_text *out, size_t max_len);
/* Scans one JSON value of any kind; appends its raw text to out unless out is NULL. Checks
   brackets match and nesting stays within HS_JSON_MAX_DEPTH; the rest of the grammar is left
   to whoever parses the text. */
int hs_json_scan_value(struct hs_json_scan *s, struct hs_json_text *out);

void hs_json_text_free(struct hs_json_text *t);

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

/* Turning a snapshot's top-level members (parsed by jansson) into the snapshot model, checked
   against docs/snapshot-format.md. Private to the reader. */

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
