/* Worker threads of a take (read-ahead, classification, second walker, second scanner):
   whether there are processors for them at all, starting one with every signal blocked, so
   that signals reach only the main thread, the tracer, which alone may detach the target,
   and stopping one that waits for work; and the one-job worker that the read-ahead and the
   second scanner are. */
#ifndef HS_WORKER_THREAD_H
#define HS_WORKER_THREAD_H

#include <pthread.h>
#include <stdbool.h>

/* At least two processors to run on: else a worker would only take turns with the caller. */
bool hs_processors_to_spare(void);
/* pthread_create with every signal blocked in the new thread; false when it failed. */
bool hs_worker_start(pthread_t *thread, void *(*run)(void *), void *arg);
/* Sets *stopping under lock, wakes the worker (which waits on changed for it), and waits
   until the worker has ended. */
void hs_worker_stop(pthread_t thread, pthread_mutex_t *lock, pthread_cond_t *changed, bool *stopping);

/* A worker that runs one job at a time for its caller: the caller sets up the job's inputs,
   asks, does something else, then waits for it; the job's outputs are the caller's after
   the wait. Between a wait and the next ask the worker touches nothing. */
struct hs_job_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	void (*job)(void *arg);
	void *arg;
	bool asked, done, stopping;
};
/* Starts one when there is a processor to spare; false otherwise (or when it failed). */
bool hs_job_worker_start(struct hs_job_worker *w, void (*job)(void *arg), void *arg);
void hs_job_worker_ask(struct hs_job_worker *w);
/* Waits for the job asked, if any; returns whether one was asked (it is done now), and
   forgets it. */
bool hs_job_worker_wait(struct hs_job_worker *w);
/* Stops the worker (after its job in flight, if any). */
void hs_job_worker_stop(struct hs_job_worker *w);

#endif
