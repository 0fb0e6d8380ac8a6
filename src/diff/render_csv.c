/* CSV output (RFC 4180): a header row, the shown rows, then the `other` row when rows were
   cut by --limit, so the rows add up to what the filters let through. Under a fixed --unit
   the byte cells are bare numbers in that unit (plain integers with --unit=B); under auto
   each cell names its unit, as the table does. Counts are always plain. leaks adds each
   row's direct/indirect split. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"

void hs_csv_field(const char *s, FILE *out)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void bytes(const struct hs_comparison *c, uint64_t v, FILE *out)
{
	char buf[48];

	hs_unit_format(&c->opts->unit, v, c->opts->unit.bytes == 0, buf, sizeof(buf));
	fprintf(out, ",%s", buf);
}

static void line(const struct hs_comparison *c, const char *key, const struct hs_figures *f, FILE *out)
{
	char buf[48];

	hs_csv_field(key, out);
	bytes(c, f->size[HS_NEW], out);
	if (hs_is_diff(c)) {
		hs_unit_format_signed(&c->opts->unit, hs_size_diff(f), c->opts->unit.bytes == 0, buf, sizeof(buf));
		fprintf(out, ",%s,%" PRIu64 ",%+" PRId64 ",", buf, f->count[HS_NEW], hs_count_diff(f));
		if (f->size[HS_OLD] != 0)
			fprintf(out, "%+.1f", 100.0 * (double)hs_size_diff(f) / (double)f->size[HS_OLD]);
	} else {
		fprintf(out, ",%.1f,%" PRIu64,
			c->total.f.size[HS_NEW] ? 100.0 * (double)f->size[HS_NEW] / (double)c->total.f.size[HS_NEW] : 0.0,
			f->count[HS_NEW]);
	}
	bytes(c, hs_avg(f, HS_NEW), out);
	if (hs_is_diff(c) && c->identity.available)
		fprintf(out, ",%" PRIu64 ",%" PRIu64, f->new_blocks, f->freed_blocks);
	if (c->leaks != NULL) {
		fprintf(out, ",%" PRIu64 ",%" PRIu64, f->leak_count[HS_DIRECT], f->leak_count[HS_INDIRECT]);
		bytes(c, f->leak_size[HS_DIRECT], out);
		bytes(c, f->leak_size[HS_INDIRECT], out);
	}
	fputc('\n', out);
}

void hs_render_csv(const struct hs_comparison *c, FILE *out)
{
	char other[64];

	if (c->leaks != NULL)
		fputs("key,size,size_pct,count,avg,direct_count,indirect_count,direct_size,indirect_size\n", out);
	else if (!hs_is_diff(c))
		fputs("key,size,size_pct,count,avg\n", out);
	else if (c->identity.available)
		fputs("key,size,size_diff,count,count_diff,size_diff_pct,avg,new_blocks,freed_blocks\n", out);
	else
		fputs("key,size,size_diff,count,count_diff,size_diff_pct,avg\n", out);
	for (size_t i = 0; i < c->nshown; i++) {
		const struct hs_row *row = &c->rows[c->order[i]];
		char *key = hs_key_text(c->opts->group_by, &row->key);
		line(c, key, &row->f, out);
		free(key);
	}
	if (c->other.groups > 0) {
		snprintf(other, sizeof(other), "%zu other", c->other.groups);
		line(c, other, &c->other.f, out);
	}
}
