/* Worker threads of a take (read-ahead, classification, second walker): whether there are
   processors for them at all, and starting one with every signal blocked, so that signals
   reach only the main thread, the tracer, which alone may detach the target. */
#ifndef HS_WORKER_THREAD_H
#define HS_WORKER_THREAD_H

#include <pthread.h>
#include <stdbool.h>

/* At least two processors to run on: else a worker would only take turns with the caller. */
bool hs_processors_to_spare(void);
/* pthread_create with every signal blocked in the new thread; false when it failed. */
bool hs_worker_start(pthread_t *thread, void *(*run)(void *), void *arg);

#endif
