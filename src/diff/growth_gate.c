/* The growth gate (see growth_gate.h). From an empty old heap any growth is infinitely many
   percent, so a percentage gate trips on any growth at all. */
#include <stdio.h>

#include "diff/growth_gate.h"
#include "diff/render.h"

bool hs_growth_gate_tripped(const struct hs_comparison *c, char *why, size_t n)
{
	const struct hs_view_options *o = c->opts;
	const struct hs_figures *t = &c->total.f;
	int64_t growth = hs_size_diff(t);
	bool tripped;
	char amount[48], pct[48];

	if (!o->fail_if_growth.set || growth <= 0)
		return false;
	if (!o->fail_if_growth.percent)
		tripped = (uint64_t)growth > o->fail_if_growth.bytes;
	else
		tripped = t->size[HS_OLD] == 0 ||
			  100.0 * (double)growth / (double)t->size[HS_OLD] > o->fail_if_growth.pct;
	if (tripped) {
		hs_unit_format_signed(&o->unit, growth, true, amount, sizeof(amount));
		hs_format_pct(growth, t->size[HS_OLD], pct, sizeof(pct));
		snprintf(why, n, "live bytes grew by %s (%s), more than --fail-if-growth=%s", amount, pct,
			 o->fail_if_growth.text);
	}
	return tripped;
}
