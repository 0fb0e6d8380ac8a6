/* The take pipeline: target access -> locate malloc -> walk (retried until consistent) ->
   classify -> release the target. Produces a snapshot model; writing it is the caller's. */
#ifndef HS_TAKE_H
#define HS_TAKE_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "snapshot/snapshot.h"

struct hs_take_options {
	pid_t pid;                /* live target, or 0 with core */
	const char *core;         /* core file path, or NULL */
	const char *exe;          /* --exe for cores */
	const char *sysroot;      /* --sysroot for cores */
	const char **debug_dirs;  /* --debug-dir, NULL-terminated */
	const char *label;
	bool no_blocks, no_debuginfo, progress;
	unsigned max_retries;     /* consistency retries on a live target */
	double timeout_s;         /* whole take; 0 = none */
	bool refs;                /* --refs: the reference scan (src/refs) while stopped */
	const char *save_image;   /* --save-image: the successful walk's reads go to this heap
	                             image file (docs/fuzzing.md), or NULL */
};

int hs_take(const struct hs_take_options *opts, struct hs_snapshot *snap, struct hs_error *err);

#endif
