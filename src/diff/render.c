/* Choosing the renderer, and what renderers share (see diff.h). */
#include <math.h>
#include <stdio.h>

#include "common/output_file.h"
#include "diff/diff.h"

void hs_format_pct(int64_t diff, uint64_t old, char *buf, size_t n)
{
	if (old == 0)
		snprintf(buf, n, "%s", diff == 0 ? "+0.0%" : "new");
	else {
		double pct = 100.0 * (double)diff / (double)old;
		snprintf(buf, n, "%+.*f%%", fabs(pct) < 99.95 ? 1 : 0, pct);
	}
}

void hs_render(const struct hs_comparison *c, FILE *out)
{
	switch (c->opts->format) {
	case HS_FORMAT_JSON:
		hs_render_json(c, out);
		return;
	case HS_FORMAT_CSV:
		hs_render_csv(c, out);
		return;
	case HS_FORMAT_PPROF:
		hs_render_pprof(c, out);
		return;
	case HS_FORMAT_OPENMETRICS:
		hs_render_openmetrics(c, out);
		return;
	case HS_FORMAT_TABLE:
		break;
	}
	hs_render_table(c, out);
}

int hs_render_output(const struct hs_comparison *c, struct hs_error *err)
{
	struct hs_output o;

	if (hs_output_open(&o, c->opts->output ? c->opts->output : "-", err) < 0)
		return -1;
	hs_render(c, o.fp);
	return hs_output_commit(&o, err);
}
