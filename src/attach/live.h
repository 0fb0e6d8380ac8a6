/* The live-process backend of target access: every thread seized and interrupted with
   ptrace (no signal injected), memory read with process_vm_readv. */
#ifndef HS_LIVE_H
#define HS_LIVE_H

#include "attach/target.h"

/* Stops every thread of pid and returns it as a target. debug_dirs: extra debug-file roots
   (NULL-terminated, may be NULL). On failure nothing stays attached. */
int hs_live_open(pid_t pid, const char *const *debug_dirs, struct hs_target **out,
		 struct hs_error *err);

/* True when the target was in group-stop (SIGSTOP, job control) before heapsnap came. */
int hs_live_was_stopped(const struct hs_target *t);

/* Lets thread `index` of t run for about usec microseconds while every other thread stays
   stopped, then stops it again and refreshes its registers: a thread caught inside malloc can
   finish its call without the rest of the process moving. Returns 0 when it stopped again, -1
   when the set of threads changed (a thread ended or a new one appeared): then the caller
   must stop the process anew. */
int hs_live_nudge(struct hs_target *t, size_t index, unsigned usec);

/* True when the process has exited (or is exiting): reads that failed were not the heap's
   fault. Waits up to ~100 ms for an exit in progress to show. */
int hs_live_gone(const struct hs_target *t);

/* Detaches every thread of the live target being taken (the one stopped now, if any),
   handing back the signals held; async-signal-safe, for a signal handler that is about to
   end heapsnap (what to do on which signal is the caller's policy: take_signals.c). */
void hs_live_detach_published(void);

#endif
