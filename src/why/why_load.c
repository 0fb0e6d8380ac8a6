/* Loading a snapshot for why (see why.h): header, block_refs, then the block stream into
   arrays; finding the block that holds an address. */
#include <stdlib.h>
#include <string.h>

#include "common/sorted_search.h"
#include "common/xalloc.h"
#include "snapshot/snapshot.h"
#include "why/why.h"

int hs_why_load(struct hs_why_snapshot *w, const char *path, struct hs_error *err)
{
	struct hs_snapshot_reader *r = NULL;
	struct hs_block b;
	size_t group, n = 0;
	int rc;

	memset(w, 0, sizeof(*w));
	w->path = path;
	hs_snapshot_init(&w->snap);
	rc = hs_snapshot_open(path, &w->snap, &r, err);
	if (rc == 0 && (w->snap.refs == NULL || !w->snap.has_blocks))
		rc = hs_fail(err, HS_ERR_TARGET, "%s has no reference data: take it with 'heapsnap take --refs'", path);
	if (rc == 0)
		rc = hs_snapshot_read_block_refs(r, err);
	if (rc == 0) {
		/* block_refs has been checked to have one row per block the groups count. */
		w->nblocks = w->snap.refs->nblocks;
		w->addr = hs_xmalloc((w->nblocks + 1) * sizeof(*w->addr));
		w->size = hs_xmalloc((w->nblocks + 1) * sizeof(*w->size));
		w->type = hs_xmalloc((w->nblocks + 1) * sizeof(*w->type));
	}
	while (rc == 0 && (rc = hs_snapshot_next_block(r, &b, &group, err)) > 0) {
		if (n == w->nblocks) {
			rc = hs_fail(err, HS_ERR_TARGET, "%s: more blocks than block_refs rows: the snapshot is damaged, "
				     "take it again", path);
			break;
		}
		w->addr[n] = b.addr;
		w->size[n] = b.size;
		w->type[n++] = b.type;
		rc = 0;
	}
	hs_snapshot_close(r);
	return rc;
}

void hs_why_free(struct hs_why_snapshot *w)
{
	free(w->addr);
	free(w->size);
	free(w->type);
	hs_snapshot_free(&w->snap);
	memset(w, 0, sizeof(*w));
}

size_t hs_why_find_block(const struct hs_why_snapshot *w, uint64_t address)
{
	size_t after = hs_sorted_first_after(w->addr, w->nblocks, sizeof(*w->addr), 0, address);

	/* Blocks are sorted and disjoint (the reader checks both): only the one before can hold it. */
	if (after > 0 && address - w->addr[after - 1] < w->size[after - 1])
		return after - 1;
	return w->nblocks;
}
