/* --format=pprof over snapshots taken with --refs: each side's holder chains, from why's
   reading of the same file (diff/diff.h, hs_pprof_stacks), so that pprof's flame
   graph shows who holds what. Both sides of a diff have them or neither does, so that the
   two sides' stacks compare. */
#include <string.h>

#include "cli/cli_private.h"
#include "diff/diff.h"
#include "why/why.h"

int hs_cli_pprof_holders(struct hs_comparison *c, struct hs_cli_pprof_holders *h, struct hs_error *err)
{
	memset(h, 0, sizeof(*h));
	if (c->opts->format != HS_FORMAT_PPROF)
		return 0;
	for (int side = 0; side < 2; side++)
		if (c->snap[side] != NULL && (c->snap[side]->refs == NULL || !c->snap[side]->has_blocks))
			return 0;
	for (int side = 0; side < 2; side++) {
		struct hs_why_snapshot w;
		int rc;

		if (c->snap[side] == NULL)
			continue;
		if (hs_why_load(&w, c->path[side], err) < 0)
			return -1;
		rc = hs_why_pprof_stacks(&w, &h->stacks[side], err);
		hs_why_free(&w);
		if (rc < 0)
			return -1;
		c->stacks[side] = &h->stacks[side];
	}
	return 0;
}

void hs_cli_pprof_holders_free(struct hs_cli_pprof_holders *h)
{
	for (int side = 0; side < 2; side++)
		hs_pprof_stacks_free(&h->stacks[side]);
}
