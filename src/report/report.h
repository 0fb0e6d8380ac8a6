/* heapsnap report: one self-contained HTML page (no network, no external file) describing
   one or more snapshots: totals, arenas, top types, and with two or more the change from
   the first to the last and the growing types over time. */
#ifndef HS_REPORT_H
#define HS_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "snapshot/snapshot.h"

/* The page's data: each snapshot's totals, arenas and `limit` largest types (glibc's own
   blocks left out, as show does); with n >= 2 the change from snaps[0] to snaps[n - 1] and
   the bytes of the most growing types in every snapshot. Names only: no heap contents. */
json_t *hs_report_data(const struct hs_snapshot *const *snaps, const char *const *paths, size_t n,
		       size_t limit);

/* The page, data embedded as JSON (escaped so that no text in it can close its script
   element). Write errors are left on the stream for the caller. */
void hs_report_page(const json_t *data, FILE *out);

#endif
