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

/* Installs the handlers of take_signals.c (take and stat): a signal while a target is
   stopped detaches every stopped thread and removes an unfinished output file before
   heapsnap dies. */
void hs_take_install_signal_guard(void);

/* Readies a stopped live target for reading malloc's state (take and stat): locates malloc
   the first time (*located false), then lets each thread caught inside malloc run alone until
   none is and no arena is locked. HS_ERR_WALK when that did not happen (try again later). */
struct hs_target;
struct hs_malloc_info;
int hs_take_prepare(struct hs_target *t, bool no_debuginfo, struct hs_malloc_info *m, bool *located,
		    struct hs_error *err);

#endif
