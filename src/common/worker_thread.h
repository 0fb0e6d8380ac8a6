/* Worker threads of a take (read-ahead, classification, second walker): whether there are
   processors for them at all, starting one with every signal blocked, so that signals
   reach only the main thread, the tracer, which alone may detach the target, and stopping
   one that waits for work. */
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

#endif
