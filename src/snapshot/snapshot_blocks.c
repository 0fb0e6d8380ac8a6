/* The block stream: parses `blocks` rows "[address, usable_size, type]" straight from the
   file, one at a time, and checks each against the format and the groups: integers within
   2^53, a known type, strictly increasing non-overlapping addresses, a group for its
   (type, size), and in the end exactly the blocks the groups count. */
#include <inttypes.h>

#include "snapshot/snapshot_private.h"

static int json_problem(struct hs_snapshot_reader *r, struct hs_error *err, const char *why)
{
	hs_json_scan_fail(&r->scan, hs_json_peek(&r->scan) < 0 ? "the file ends inside the blocks (truncated?)"
							       : why);
	return hs_reader_scan_fail(r, err);
}

static int block_problem(struct hs_snapshot_reader *r, struct hs_error *err, uint64_t at,
			 const char *what)
{
	return hs_reader_fail(r, err, HS_READ_CORRUPT, "block %" PRIu64 " (byte %" PRIu64 "): %s",
			   r->nblocks, at, what);
}

/* A JSON integer from 0 to 2^53 - 1; `what` names it in messages. */
static int read_uint(struct hs_snapshot_reader *r, const char *what, uint64_t *out,
		     struct hs_error *err)
{
	struct hs_json_scan *s = &r->scan;
	int c = hs_json_skip_ws(s);
	uint64_t at = hs_json_offset(s), v = 0;
	char msg[64];

	if (c == '-') {
		snprintf(msg, sizeof(msg), "the %s is negative", what);
		return block_problem(r, err, at, msg);
	}
	if (c < '0' || c > '9')
		return json_problem(r, err, "expected a number in a block row");
	if (c == '0') {
		hs_json_get(s);
		c = hs_json_peek(s);
		if (c >= '0' && c <= '9')
			return json_problem(r, err, "a number has a leading zero");
	}
	for (; c >= '0' && c <= '9'; c = hs_json_peek(s)) {
		v = v * 10 + (uint64_t)(c - '0');
		if (v > HS_SNAPSHOT_INT_MAX) {
			snprintf(msg, sizeof(msg), "the %s is 2^53 or more", what);
			return block_problem(r, err, at, msg);
		}
		hs_json_get(s);
	}
	if (c == '.' || c == 'e' || c == 'E') {
		snprintf(msg, sizeof(msg), "the %s is not an integer", what);
		return block_problem(r, err, at, msg);
	}
	*out = v;
	return 0;
}

static int read_row(struct hs_snapshot_reader *r, struct hs_block *b, size_t *group,
		    struct hs_error *err)
{
	const struct hs_snapshot *snap = r->snap;
	uint64_t at, addr, size, type;
	char msg[160];

	if (hs_json_skip_ws(&r->scan) != '[')
		return json_problem(r, err, "expected '[' to start a block row");
	at = hs_json_offset(&r->scan);
	hs_json_get(&r->scan);
	if (read_uint(r, "address", &addr, err) < 0)
		return -1;
	if (hs_json_expect(&r->scan, ',', "expected ',' after a block's address") < 0)
		return hs_reader_scan_fail(r, err);
	if (read_uint(r, "size", &size, err) < 0)
		return -1;
	if (hs_json_expect(&r->scan, ',', "expected ',' after a block's size") < 0)
		return hs_reader_scan_fail(r, err);
	if (read_uint(r, "type index", &type, err) < 0)
		return -1;
	if (hs_json_expect(&r->scan, ']', "expected ']' after a block's type (rows have 3 numbers)") < 0)
		return hs_reader_scan_fail(r, err);

	if (type >= snap->ntypes) {
		snprintf(msg, sizeof(msg), "type index %" PRIu64 " is out of range (the snapshot has %zu types)",
			 type, snap->ntypes);
		return block_problem(r, err, at, msg);
	}
	if (addr == 0)
		return block_problem(r, err, at, "address 0 is no block");
	if (r->nblocks > 0 && addr <= r->prev_addr) {
		snprintf(msg, sizeof(msg), "blocks are not sorted by address (%" PRIu64 " follows %" PRIu64 ")",
			 addr, r->prev_addr);
		return block_problem(r, err, at, msg);
	}
	if (addr < r->prev_end) {
		snprintf(msg, sizeof(msg), "the block at %" PRIu64 " overlaps the previous one (which ends at %" PRIu64 ")",
			 addr, r->prev_end);
		return block_problem(r, err, at, msg);
	}
	if (size > HS_SNAPSHOT_INT_MAX - addr)
		return block_problem(r, err, at, "the block ends beyond 2^53");
	*group = hs_group_index_find(&r->groups, snap, (uint32_t)type, size);
	if (*group == HS_NO_GROUP) {
		snprintf(msg, sizeof(msg), "no group has type %" PRIu64 " and size %" PRIu64 " (groups and blocks disagree)",
			 type, size);
		return block_problem(r, err, at, msg);
	}
	if (++r->group_seen[*group] > snap->groups[*group].count) {
		snprintf(msg, sizeof(msg), "more blocks of type %" PRIu64 " and size %" PRIu64 " than groups[%zu] counts",
			 type, size, *group);
		return block_problem(r, err, at, msg);
	}
	*b = (struct hs_block){ .addr = addr, .size = size, .type = (uint32_t)type };
	r->prev_addr = addr;
	r->prev_end = addr + size;
	r->nblocks++;
	return 1;
}

/* After the last row: every group's count must have been met. */
static int finish(struct hs_snapshot_reader *r, struct hs_error *err)
{
	r->state = BLOCKS_DONE;
	if (r->nblocks != r->snap->totals.live_blocks)
		return hs_reader_fail(r, err, HS_READ_CORRUPT,
				   "\"blocks\" lists %" PRIu64 " blocks but the groups count %" PRIu64,
				   r->nblocks, r->snap->totals.live_blocks);
	return 0;
}

int hs_snapshot_next_block(struct hs_snapshot_reader *r, struct hs_block *b, size_t *group,
			   struct hs_error *err)
{
	int c;

	switch (r->state) {
	case BLOCKS_DONE:
		return 0;
	case BLOCKS_UNREAD:
		if (!r->snap->has_blocks) {
			r->state = BLOCKS_DONE;
			return 0;
		}
		if (hs_json_scan_seek(&r->scan, r->blocks_offset) < 0)
			return hs_reader_fail(r, err, HS_READ_IO, "cannot go back to the blocks (the file is not seekable)");
		hs_json_get(&r->scan); /* the '[' seen by the header pass */
		r->state = BLOCKS_READING;
		if (hs_json_skip_ws(&r->scan) == ']')
			return finish(r, err);
		return read_row(r, b, group, err);
	case BLOCKS_READING:
		break;
	}
	c = hs_json_skip_ws(&r->scan);
	if (c == ',' || c == ']')
		hs_json_get(&r->scan);
	if (c == ']')
		return finish(r, err);
	if (c != ',')
		return json_problem(r, err, "expected ',' or ']' after a block row");
	return read_row(r, b, group, err);
}
