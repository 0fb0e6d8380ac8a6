/* Writing a comparison in the --format asked for: a table for people (numbers first, the
   key last, as pprof's top), JSON (docs/cli.md, diff --format=json) or CSV with a header
   row. Only the caller checks the stream for write errors. */
#ifndef HS_RENDER_H
#define HS_RENDER_H

#include <stdio.h>

#include "diff/comparison.h"

void hs_render(const struct hs_comparison *c, FILE *out);

void hs_render_table(const struct hs_comparison *c, FILE *out);
void hs_render_json(const struct hs_comparison *c, FILE *out);
void hs_render_csv(const struct hs_comparison *c, FILE *out);
/* show --threads in a table: a block per thread, "TID NAME", then "#N 0xADDR FUNCTION
   (MODULE)" per frame (module by its basename). */
void hs_render_threads(const struct hs_snapshot *s, FILE *out);

/* The change as a percentage of the old figure, "+25.0%" (no decimal from 100% on: "+307%");
   "new" when the old figure is 0 and the new is not. */
void hs_format_pct(int64_t diff, uint64_t old, char *buf, size_t n);

#endif
