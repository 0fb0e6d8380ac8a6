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

static void *job_thread(void *arg)
{
	struct hs_job_worker *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stopping && (!w->asked || w->done))
			pthread_cond_wait(&w->changed, &w->lock);
		if (w->stopping)
			break;
		pthread_mutex_unlock(&w->lock);
		w->job(w->arg);
		pthread_mutex_lock(&w->lock);
		w->done = true;
		pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

bool hs_job_worker_start(struct hs_job_worker *w, void (*job)(void *arg), void *arg)
{
	*w = (struct hs_job_worker){ .job = job, .arg = arg };
	if (!hs_processors_to_spare())
		return false;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->changed, NULL);
	if (hs_worker_start(&w->thread, job_thread, w))
		return true;
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->changed);
	return false;
}

void hs_job_worker_ask(struct hs_job_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->asked = true;
	w->done = false;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
}

bool hs_job_worker_wait(struct hs_job_worker *w)
{
	bool asked;

	pthread_mutex_lock(&w->lock);
	while (w->asked && !w->done)
		pthread_cond_wait(&w->changed, &w->lock);
	asked = w->asked;
	w->asked = w->done = false;
	pthread_mutex_unlock(&w->lock);
	return asked;
}

void hs_job_worker_stop(struct hs_job_worker *w)
{
	hs_worker_stop(w->thread, &w->lock, &w->changed, &w->stopping);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->changed);
}
