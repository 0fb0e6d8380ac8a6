/* Writing a snapshot as JSON (docs/snapshot-format.md): the document through jansson, the
   block list streamed; the file appears whole (mode 0600) or not at all. */
#ifndef HS_SNAPSHOT_WRITE_H
#define HS_SNAPSHOT_WRITE_H

#include <jansson.h>
#include <stdio.h>

#include "common/error.h"
#include "snapshot/snapshot.h"

/* Writes to path ("-" = stdout) atomically: a temporary file in the same directory, renamed. */
int hs_snapshot_write_file(const struct hs_snapshot *s, const char *path, struct hs_error *err);
/* Writes the JSON to an open stream; returns 0 or -1 on a write error. */
int hs_snapshot_write_stream(const struct hs_snapshot *s, FILE *out);
/* The "threads" member's value (also `show --threads --format=json`): a new reference. */
json_t *hs_snapshot_threads_json(const struct hs_snapshot *s);

#endif
