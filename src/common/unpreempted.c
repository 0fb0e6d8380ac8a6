/* Running a few system calls at real-time priority, where allowed (see unpreempted.h). */
#include "common/unpreempted.h"

void hs_unpreempted_begin(struct hs_unpreempted *u)
{
	u->raised = false;
	u->policy = sched_getscheduler(0);
	/* A thread that is real-time already keeps its own priority. */
	if (u->policy < 0 || u->policy == SCHED_FIFO || u->policy == SCHED_RR ||
	    sched_getparam(0, &u->param) != 0)
		return;
	u->raised = sched_setscheduler(0, SCHED_FIFO, &(struct sched_param){ .sched_priority = 1 }) == 0;
}

void hs_unpreempted_end(struct hs_unpreempted *u)
{
	if (u->raised)
		sched_setscheduler(0, u->policy, &u->param);
	u->raised = false;
}
