/* A few system calls that ordinary threads must not interrupt: the calling thread runs them
   at the lowest real-time priority where it may (CAP_SYS_NICE, or an RLIMIT_RTPRIO above
   0), and as before elsewhere. For resuming a stopped process thread by thread: a thread
   resumed has slept as long as the process was stopped, so the scheduler lets it take the
   processor from the thread that resumes the others, which then stay stopped until it
   yields (bench/results.md). */
#ifndef HS_UNPREEMPTED_H
#define HS_UNPREEMPTED_H

#include <sched.h>
#include <stdbool.h>

struct hs_unpreempted {
	int policy;
	struct sched_param param;
	bool raised;
};

void hs_unpreempted_begin(struct hs_unpreempted *u);
/* Back to the priority before: threads the calls woke may run at once. */
void hs_unpreempted_end(struct hs_unpreempted *u);

#endif
