/* Running a few calls unpreempted (src/common/unpreempted.c): where this process may use
   real-time priority (root, as CI runs, or an RLIMIT_RTPRIO above 0), the thread runs at
   SCHED_FIFO between begin and end, and at its own policy and priority again after; where
   it may not, nothing changes. A thread that is real-time already keeps its priority. */
#include <sched.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/unpreempted.h"
#include "../diff/tap.h"

static int may_use_real_time(void)
{
	struct rlimit rl;

	return geteuid() == 0 || (getrlimit(RLIMIT_RTPRIO, &rl) == 0 && rl.rlim_cur > 0);
}

int main(void)
{
	struct hs_unpreempted u;
	struct sched_param param;
	int allowed = may_use_real_time();

	hs_unpreempted_begin(&u);
	if (allowed)
		tap_ok(sched_getscheduler(0) == SCHED_FIFO && sched_getparam(0, &param) == 0 &&
		       param.sched_priority == 1, "between begin and end the thread runs at SCHED_FIFO 1");
	else
		tap_ok(sched_getscheduler(0) == SCHED_OTHER, "without the right to real-time priority, "
		       "the thread keeps SCHED_OTHER");
	hs_unpreempted_end(&u);
	tap_ok(sched_getscheduler(0) == SCHED_OTHER, "after end the thread is back at SCHED_OTHER");
	if (allowed && sched_setscheduler(0, SCHED_RR, &(struct sched_param){ .sched_priority = 5 }) == 0) {
		hs_unpreempted_begin(&u);
		tap_ok(sched_getscheduler(0) == SCHED_RR && sched_getparam(0, &param) == 0 &&
		       param.sched_priority == 5, "a thread at SCHED_RR 5 keeps it between begin and end");
		hs_unpreempted_end(&u);
		tap_ok(sched_getscheduler(0) == SCHED_RR && sched_getparam(0, &param) == 0 &&
		       param.sched_priority == 5, "and after end");
	} else if (allowed) {
		tap_ok(0, "sched_setscheduler(SCHED_RR) failed although real-time priority is allowed");
	}
	return tap_done();
}
