/* OpenMetrics text (https://prometheus.io/docs/specs/om/open_metrics_spec/), which
   Prometheus's text parser reads too: one gauge family per total of the snapshot, one per
   arena figure (label arena="0x..."), and the bytes and blocks of the groups show would list
   (label type="..." under --group-by=type, group="..." otherwise), then "# EOF". */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/output_file.h"
#include "diff/diff.h"

struct figure {
	const char *name, *help;
	size_t offset; /* in struct hs_totals */
};

#define FIGURE(field, help) { #field, help, offsetof(struct hs_totals, field) }
static const struct figure figures[] = {
	FIGURE(live_bytes, "Usable bytes of the live blocks, mmapped ones included."),
	FIGURE(live_blocks, "Live (allocated) blocks, mmapped ones included."),
	FIGURE(live_chunk_bytes, "Chunk bytes of the live blocks inside arenas."),
	FIGURE(mmapped_bytes, "Bytes of the mappings holding mmapped blocks."),
	FIGURE(mmapped_blocks, "Live blocks served by mmap."),
	FIGURE(tcache_bytes, "Chunk bytes of the free chunks in the threads' tcaches."),
	FIGURE(tcache_blocks, "Free chunks in the threads' tcaches."),
	FIGURE(fastbin_bytes, "Chunk bytes of the free chunks in fastbins."),
	FIGURE(fastbin_blocks, "Free chunks in fastbins."),
	FIGURE(free_bytes, "Chunk bytes of the free chunks in the unsorted, small and large bins."),
	FIGURE(free_blocks, "Free chunks in the unsorted, small and large bins."),
	FIGURE(top_bytes, "Bytes of the top chunks."),
	FIGURE(system_bytes, "Memory the arenas obtained from the system."),
	FIGURE(overhead_bytes, "Arena bytes that are no chunk: heap headers, arena state, fenceposts."),
};
#define NFIGURES (sizeof(figures) / sizeof(figures[0]))

static uint64_t value(const struct hs_totals *t, const struct figure *f)
{
	return *(const uint64_t *)((const char *)t + f->offset);
}

static void family(const char *name, const char *help, FILE *out)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* A label value with the format's escapes (\\, \", \n) and any other control character as
   '?', whole: two long names must not become one label. */
static void label_value(const char *s, FILE *out)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == '"')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else
			fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
	}
	fputc('"', out);
}

static void arenas(const struct hs_snapshot *s, FILE *out)
{
	char name[64], help[160];

	if (s->narenas == 0)
		return;
	family("heapsnap_arenas", "Malloc arenas in the snapshot.", out);
	fprintf(out, "heapsnap_arenas %" PRIu64 "\n", s->narenas);
	for (size_t f = 0; f < NFIGURES; f++) {
		snprintf(name, sizeof(name), "heapsnap_arena_%s", figures[f].name);
		snprintf(help, sizeof(help), "The arena's part of heapsnap_%s (mmapped blocks belong to no arena).",
			 figures[f].name);
		family(name, help, out);
		for (size_t a = 0; a < s->narenas; a++)
			fprintf(out, "%s{arena=\"0x%" PRIx64 "\"} %" PRIu64 "\n", name, s->arenas[a].address,
				value(&s->arenas[a].totals, &figures[f]));
	}
}

static void groups(const struct hs_comparison *c, FILE *out)
{
	const char *label = c->opts->group_by == HS_BY_TYPE ? "type" : "group";
	static const char *const names[2] = { "heapsnap_type_bytes", "heapsnap_type_blocks" };
	static const char *const helps[2] = {
		"Usable bytes of the live blocks of the largest groups (show's rows).",
		"Live blocks of the largest groups (show's rows).",
	};

	for (int which = 0; which < 2; which++) {
		family(names[which], helps[which], out);
		for (size_t i = 0; i < c->nshown; i++) {
			const struct hs_row *row = &c->rows[c->order[i]];
			char *key = hs_key_text(c->opts->group_by, &row->key);
			fprintf(out, "%s{%s=", names[which], label);
			label_value(key, out);
			fprintf(out, "} %" PRIu64 "\n", which == 0 ? row->f.size[HS_NEW] : row->f.count[HS_NEW]);
			free(key);
		}
	}
}

void hs_render_openmetrics(const struct hs_comparison *c, FILE *out)
{
	const struct hs_snapshot *s = c->snap[HS_NEW];
	char name[64];

	for (size_t f = 0; f < NFIGURES; f++) {
		snprintf(name, sizeof(name), "heapsnap_%s", figures[f].name);
		family(name, figures[f].help, out);
		fprintf(out, "%s %" PRIu64 "\n", name, value(&s->totals, &figures[f]));
	}
	arenas(s, out);
	groups(c, out);
	fputs("# EOF\n", out);
}

int hs_openmetrics_write_file(const struct hs_snapshot *snap, size_t limit, const char *path,
			      struct hs_error *err)
{
	struct hs_view_options opts;
	struct hs_comparison cmp;
	struct hs_output o;
	int rc;

	if (hs_output_open(&o, path, err) < 0)
		return -1;
	hs_view_options_init(&opts);
	opts.limit = limit;
	opts.format = HS_FORMAT_OPENMETRICS;
	hs_comparison_build(&cmp, &opts, NULL, NULL, snap, path);
	hs_comparison_order(&cmp);
	hs_render_openmetrics(&cmp, o.fp);
	rc = hs_output_commit(&o, err);
	hs_comparison_free(&cmp);
	hs_view_options_free(&opts);
	return rc;
}
