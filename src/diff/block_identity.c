/* Matching blocks across snapshots (see diff.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "diff/diff.h"
#include "snapshot/snapshot.h"

static bool same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

void hs_identity_decide(struct hs_comparison *c)
{
	const struct hs_snapshot *o = c->snap[HS_OLD], *n = c->snap[HS_NEW];
	char *why = c->identity.why, a[160], b[160];
	size_t len = sizeof(c->identity.why);

	c->identity.available = false;
	if (!o->has_blocks || !n->has_blocks)
		snprintf(why, len, "%s has no block list (taken with --no-blocks)",
			 !o->has_blocks ? c->path[HS_OLD] : c->path[HS_NEW]);
	else if (o->target.pid != n->target.pid)
		snprintf(why, len, "the snapshots are of different processes (pid %" PRId64 " and %" PRId64 ")",
			 o->target.pid, n->target.pid);
	else if (!same_text(o->target.source, n->target.source))
		snprintf(why, len, "the snapshots come from different sources (%s and %s)",
			 hs_printable(o->target.source ? o->target.source : "unknown", a, 40),
			 hs_printable(n->target.source ? n->target.source : "unknown", b, 40));
	else if (!same_text(o->target.exe, n->target.exe))
		snprintf(why, len, "the snapshots are of different executables (%s and %s)",
			 hs_printable(o->target.exe ? o->target.exe : "unknown", a, sizeof(a)),
			 hs_printable(n->target.exe ? n->target.exe : "unknown", b, sizeof(b)));
	else if (o->target.build_id && n->target.build_id && strcmp(o->target.build_id, n->target.build_id))
		snprintf(why, len, "the executables differ (build-id %s and %s)",
			 hs_printable(o->target.build_id, a, 48), hs_printable(n->target.build_id, b, 48));
	else
		c->identity.available = true;
}

/* A side's block, the index-th of its stream, in group: its row is the group's, or under
   --group-by=root its part's. */
static void count_unmatched(struct hs_comparison *c, int side, size_t group, size_t index)
{
	const struct hs_root_split *split = c->split[side];
	struct hs_row *row = &c->rows[c->group_row[side][split ? split->block_part[index] : group]];

	if (side == HS_NEW) {
		row->f.new_blocks++;
		c->total.f.new_blocks++;
	} else {
		row->f.freed_blocks++;
		c->total.f.freed_blocks++;
	}
}

static bool same_block(const struct hs_comparison *c, const struct hs_block *o, const struct hs_block *n)
{
	return o->size == n->size &&
	       strcmp(c->snap[HS_OLD]->types[o->type].name, c->snap[HS_NEW]->types[n->type].name) == 0;
}

/* The merge-join: the lower address is unmatched; equal addresses match when the block is
   the same, and otherwise count as one freed and one new (the address was reused). */
static int merge(struct hs_comparison *c, struct hs_snapshot_reader *r[2], struct hs_error *err)
{
	struct hs_block b[2];
	size_t g[2], index[2] = { 0, 0 };
	int have[2];

	have[HS_OLD] = hs_snapshot_next_block(r[HS_OLD], &b[HS_OLD], &g[HS_OLD], err);
	have[HS_NEW] = hs_snapshot_next_block(r[HS_NEW], &b[HS_NEW], &g[HS_NEW], err);
	while (have[HS_OLD] >= 0 && have[HS_NEW] >= 0 && (have[HS_OLD] || have[HS_NEW])) {
		bool take_old = have[HS_OLD] && (!have[HS_NEW] || b[HS_OLD].addr <= b[HS_NEW].addr);
		bool take_new = have[HS_NEW] && (!have[HS_OLD] || b[HS_NEW].addr <= b[HS_OLD].addr);

		if (!(take_old && take_new && same_block(c, &b[HS_OLD], &b[HS_NEW]))) {
			if (take_old)
				count_unmatched(c, HS_OLD, g[HS_OLD], index[HS_OLD]);
			if (take_new)
				count_unmatched(c, HS_NEW, g[HS_NEW], index[HS_NEW]);
		}
		if (take_old) {
			index[HS_OLD]++;
			have[HS_OLD] = hs_snapshot_next_block(r[HS_OLD], &b[HS_OLD], &g[HS_OLD], err);
		}
		if (take_new) {
			index[HS_NEW]++;
			have[HS_NEW] = hs_snapshot_next_block(r[HS_NEW], &b[HS_NEW], &g[HS_NEW], err);
		}
	}
	return have[HS_OLD] < 0 || have[HS_NEW] < 0 ? -1 : 0;
}

int hs_identity_count(struct hs_comparison *c, struct hs_snapshot_reader *old,
		      struct hs_snapshot_reader *new, struct hs_error *err)
{
	struct hs_snapshot_reader *r[2] = { old, new };

	if (c->identity.available)
		return merge(c, r, err);
	if (hs_snapshot_check_blocks(old, err) < 0 || hs_snapshot_check_blocks(new, err) < 0)
		return -1;
	return 0;
}
