/* hs_openmetrics_write_file, for tests/export/openmetrics.sh: writes the OpenMetrics text of
   the snapshot SNAPSHOT, top LIMIT types, to PATH, as `watch --metrics-file` does.
   usage: openmetrics_file_test SNAPSHOT LIMIT PATH; exit 0 written, else the error's code. */
#include <stdio.h>
#include <stdlib.h>

#include "diff/diff.h"
#include "snapshot/snapshot.h"

int main(int argc, char **argv)
{
	struct hs_snapshot snap;
	struct hs_error err = { 0 };
	int rc = 0;

	if (argc != 4)
		return fprintf(stderr, "usage: openmetrics_file_test SNAPSHOT LIMIT PATH\n"), 2;
	hs_snapshot_init(&snap);
	if (hs_snapshot_read(argv[1], &snap, &err) < 0 ||
	    hs_openmetrics_write_file(&snap, (size_t)strtoul(argv[2], NULL, 10), argv[3], &err) < 0)
		rc = hs_report(&err);
	hs_snapshot_free(&snap);
	return rc;
}
