/* Output files that appear whole or not at all: written unnamed (O_TMPFILE, else an
   exclusive temporary name) in the destination's directory, mode 0600, then given the final
   name. A heapsnap killed mid-write leaves no partial file behind. A path that is there and
   is not a regular file (/dev/null, a FIFO, a terminal) is written in place, never replaced. */
#ifndef HS_OUTPUT_FILE_H
#define HS_OUTPUT_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "common/error.h"

struct hs_output {
	FILE *fp;
	char *path;     /* final name; NULL for stdout */
	char *tmp_path; /* named temporary, when O_TMPFILE was not available */
	int fd;
	bool in_place;  /* path is not a regular file: written as it is */
};

/* path "-" means stdout. */
int hs_output_open(struct hs_output *o, const char *path, struct hs_error *err);
/* Flushes, syncs and names the file; on failure nothing is left at path. */
int hs_output_commit(struct hs_output *o, struct hs_error *err);
/* Drops an uncommitted output. */
void hs_output_abort(struct hs_output *o);
/* Removes the named temporary of the output in progress, if any: async-signal-safe, for the
   fatal-signal handlers. */
void hs_output_signal_cleanup(void);

#endif
