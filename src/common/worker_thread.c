/* Worker threads (see worker_thread.h). */
#include <sched.h>
#include <signal.h>

#include "common/worker_thread.h"

bool hs_processors_to_spare(void)
{
	cpu_set_t set;

	return sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) >= 2;
}

bool hs_worker_start(pthread_t *thread, void *(*run)(void *), void *arg)
{
	sigset_t all, old;
	bool started;

	/* A new thread inherits the mask of the one creating it. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	started = pthread_create(thread, NULL, run, arg) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return started;
}

void hs_worker_stop(pthread_t thread, pthread_mutex_t *lock, pthread_cond_t *changed, bool *stopping)
{
	pthread_mutex_lock(lock);
	*stopping = true;
	pthread_cond_broadcast(changed);
	pthread_mutex_unlock(lock);
	pthread_join(thread, NULL);
}
