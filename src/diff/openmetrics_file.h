/* A snapshot's OpenMetrics text written to a file whole or not at all (node_exporter's
   textfile collector reads such files; `watch --metrics-file` rewrites one per take). */
#ifndef HS_OPENMETRICS_FILE_H
#define HS_OPENMETRICS_FILE_H

#include <stddef.h>

#include "common/error.h"
#include "snapshot/snapshot.h"

/* The totals, the arenas and the top `limit` types (0 = all) of snap, as `show
   --format=openmetrics --limit=LIMIT` prints them, written to path (temporary file then
   rename, mode 0600). Returns 0, or -1 with err set (HS_ERR_OUTPUT). */
int hs_openmetrics_write_file(const struct hs_snapshot *snap, size_t limit, const char *path,
			      struct hs_error *err);

#endif
