/* Writing a comparison in the --format asked for: a table for people (numbers first, the
   key last, as pprof's top), JSON (docs/cli.md, diff --format=json), CSV with a header
   row, pprof's profile.proto or OpenMetrics text. Only the caller checks the stream for write errors. */
#ifndef HS_RENDER_H
#define HS_RENDER_H

#include <stdio.h>

#include "common/error.h"
#include "diff/comparison.h"

void hs_render(const struct hs_comparison *c, FILE *out);
/* hs_render to the file the options name (-o; stdout without), whole or not at all.
   Returns 0, or -1 with err set (HS_ERR_OUTPUT). */
int hs_render_output(const struct hs_comparison *c, struct hs_error *err);

void hs_render_table(const struct hs_comparison *c, FILE *out);
void hs_render_json(const struct hs_comparison *c, FILE *out);
void hs_render_csv(const struct hs_comparison *c, FILE *out);
void hs_render_pprof(const struct hs_comparison *c, FILE *out);
/* show only (one snapshot's figures): c->snap[HS_OLD] must be NULL. */
void hs_render_openmetrics(const struct hs_comparison *c, FILE *out);

/* One CSV field (RFC 4180): quoted, quotes doubled, when it holds a comma, a quote or a
   line break. */
void hs_csv_field(const char *s, FILE *out);

/* show --threads in a table: a block per thread, "TID NAME", then "#N 0xADDR FUNCTION
   (MODULE)" per frame (module by its basename). */
void hs_render_threads(const struct hs_snapshot *s, FILE *out);

/* The change as a percentage of the old figure, "+25.0%" (no decimal from 100% on: "+307%");
   "new" when the old figure is 0 and the new is not. */
void hs_format_pct(int64_t diff, uint64_t old, char *buf, size_t n);

#endif
