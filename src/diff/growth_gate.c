/* The growth gate (see diff.h). From an empty old heap any growth is infinitely many
   percent, so a percentage gate trips on any growth at all. */
#include <stdio.h>

#include "diff/diff.h"

bool hs_growth_gate_tripped(const struct hs_comparison *c, char *why, size_t n)
{
	const struct hs_view_options *o = c->opts;
	const struct hs_figures *t = &c->total.f;
	int64_t growth = hs_size_diff(t);
	bool tripped;
	char pct[48];

	if (!o->fail_if_growth.set || growth <= 0)
		return false;
	if (!o->fail_if_growth.percent)
		tripped = (uint64_t)growth > o->fail_if_growth.bytes;
	else
		tripped = t->size[HS_OLD] == 0 ||
			  100.0 * (double)growth / (double)t->size[HS_OLD] > o->fail_if_growth.pct;
	if (tripped) {
		/* Exact figures: a gate of 307% must not read as passed by "+307%". */
		if (t->size[HS_OLD] == 0)
			snprintf(pct, sizeof(pct), "from nothing");
		else
			snprintf(pct, sizeof(pct), "+%.2f%%", 100.0 * (double)growth / (double)t->size[HS_OLD]);
		snprintf(why, n, "live bytes grew by %lld bytes (%s), more than --fail-if-growth=%s: "
			 "the rows above show what grew", (long long)growth, pct, o->fail_if_growth.text);
	}
	return tripped;
}
