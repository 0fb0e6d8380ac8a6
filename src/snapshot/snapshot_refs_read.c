/* The block_refs stream (take --refs): rows "[holder, offset, owner]" parsed straight from
   the file into the compact hs_block_ref array, each checked: one row per block, holder null
   (with offset null) or a block index other than the row's own or a root index, owner a
   root index or -1..-3. Chains of holders may still loop: their readers bound the walk. */
#include <inttypes.h>

#include "common/xalloc.h"
#include "snapshot/snapshot_private.h"

static int row_problem(struct hs_snapshot_reader *r, struct hs_error *err, size_t row, const char *what)
{
	return hs_reader_fail(r, err, HS_READ_CORRUPT, "block_refs[%zu]: %s", row, what);
}

static int json_problem(struct hs_snapshot_reader *r, struct hs_error *err, const char *why)
{
	hs_json_scan_fail(&r->scan, hs_json_peek(&r->scan) < 0 ? "the file ends inside block_refs (truncated?)"
							       : why);
	return hs_reader_scan_fail(r, err);
}

/* An integer within +-2^53, or null when *is_null is given; returns 0 or -1. */
static int read_int(struct hs_snapshot_reader *r, struct hs_error *err, bool *is_null, int64_t *out)
{
	struct hs_json_scan *s = &r->scan;
	int c = hs_json_skip_ws(s);
	bool neg = false;
	uint64_t v = 0;
	int digits = 0;

	if (c == 'n' && is_null != NULL) {
		for (const char *p = "null"; *p; p++)
			if (hs_json_get(s) != *p)
				return json_problem(r, err, "expected null or a number in block_refs");
		*is_null = true;
		return 0;
	}
	if (c == '-') {
		neg = true;
		hs_json_get(s);
		c = hs_json_peek(s);
	}
	for (; c >= '0' && c <= '9'; c = hs_json_peek(s), digits++) {
		v = v * 10 + (uint64_t)(c - '0');
		if (v > HS_SNAPSHOT_INT_MAX)
			return json_problem(r, err, "a number in block_refs is beyond 2^53");
		hs_json_get(s);
	}
	if (digits == 0 || c == '.' || c == 'e' || c == 'E')
		return json_problem(r, err, "expected an integer in block_refs");
	if (is_null != NULL)
		*is_null = false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static int read_row(struct hs_snapshot_reader *r, struct hs_error *err, size_t row)
{
	struct hs_snapshot_refs *refs = r->snap->refs;
	int64_t holder = 0, offset = 0, owner, nroots = (int64_t)refs->nroots;
	int64_t nblocks = (int64_t)r->snap->totals.live_blocks;
	bool holder_null, offset_null;

	if (hs_json_expect(&r->scan, '[', "expected '[' to start a block_refs row") < 0)
		return hs_reader_scan_fail(r, err);
	if (read_int(r, err, &holder_null, &holder) < 0 ||
	    hs_json_expect(&r->scan, ',', "expected ',' after a holder") < 0 ||
	    read_int(r, err, &offset_null, &offset) < 0 ||
	    hs_json_expect(&r->scan, ',', "expected ',' after an offset") < 0 || read_int(r, err, NULL, &owner) < 0 ||
	    hs_json_expect(&r->scan, ']', "expected ']' after an owner (rows have 3 values)") < 0)
		return err->kind != HS_OK ? -1 : hs_reader_scan_fail(r, err);
	if (holder_null != offset_null)
		return row_problem(r, err, row, "holder and offset are null together or not at all");
	if (!holder_null && (holder < -nroots || holder >= nblocks || holder == (int64_t)row))
		return row_problem(r, err, row, "the holder is neither another block nor a root");
	if (!offset_null && offset < 0)
		return row_problem(r, err, row, "the offset is negative");
	if (owner < HS_OWNER_INDIRECT || owner >= nroots)
		return row_problem(r, err, row, "the owner is neither a root nor -1, -2 or -3");
	refs->blocks[row] = (struct hs_block_ref){ .holder = holder_null ? HS_HOLDER_NONE : (int32_t)holder,
						   .offset = (uint64_t)offset, .owner = (int32_t)owner };
	return 0;
}

int hs_snapshot_read_block_refs(struct hs_snapshot_reader *r, struct hs_error *err)
{
	struct hs_snapshot_refs *refs = r->snap->refs;
	uint64_t want = r->snap->totals.live_blocks;
	size_t row = 0, cap = 0;
	int c;

	if (refs == NULL)
		return hs_reader_fail(r, err, HS_READ_CORRUPT, "no reference data");
	if (hs_json_scan_seek(&r->scan, r->block_refs_offset) < 0)
		return hs_reader_fail(r, err, HS_READ_IO, "cannot go back to block_refs (the file is not seekable)");
	hs_json_get(&r->scan); /* the '[' seen by the header pass */
	refs->nblocks = 0;
	for (c = hs_json_skip_ws(&r->scan); c != ']'; c = hs_json_skip_ws(&r->scan)) {
		if (row > 0 && hs_json_expect(&r->scan, ',', "expected ',' or ']' after a block_refs row") < 0)
			return hs_reader_scan_fail(r, err);
		if (row >= want)
			return hs_reader_fail(r, err, HS_READ_CORRUPT,
					      "block_refs has more rows than the %" PRIu64 " blocks", want);
		hs_xgrow((void **)&refs->blocks, &cap, row + 1, sizeof(*refs->blocks));
		if (read_row(r, err, row) < 0)
			return -1;
		row++;
	}
	if (row != want)
		return hs_reader_fail(r, err, HS_READ_CORRUPT, "block_refs has %zu rows for %" PRIu64 " blocks",
				      row, want);
	refs->nblocks = row;
	return 0;
}
