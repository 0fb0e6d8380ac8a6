/* Target of tests/take/frame-regs.sh: each thread waits three calls deep (regs_outer ->
   regs_middle -> regs_inner, built -O0 with frame pointers) and reports, for each of those
   frames, its CFA as the code itself computes it (the frame address + 16: the caller's rsp
   once the call returns), its rbp, and the address of a local, as
   "frame TID FUNCTION CFA RBP LOCAL"; then "ready" once every thread (the main one too) is down. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define THREADS 3

static pthread_barrier_t all_down;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void report(const char *function, void *frame_address, void *local)
{
	pthread_mutex_lock(&out_lock);
	printf("frame %d %s 0x%jx 0x%jx 0x%jx\n", (int)gettid(), function,
	       (uintmax_t)(uintptr_t)frame_address + 16, (uintmax_t)(uintptr_t)frame_address,
	       (uintmax_t)(uintptr_t)local);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

__attribute__((noinline)) static void regs_inner(void)
{
	volatile int local = 3;

	report("regs_inner", __builtin_frame_address(0), (void *)&local);
	/* The last one down says so; its own frames are set already. */
	if (pthread_barrier_wait(&all_down) == PTHREAD_BARRIER_SERIAL_THREAD) {
		puts("ready");
		fflush(stdout);
	}
	for (;;)
		pause();
}

__attribute__((noinline)) static void regs_middle(void)
{
	volatile int local = 2;

	report("regs_middle", __builtin_frame_address(0), (void *)&local);
	regs_inner();
}

__attribute__((noinline)) static void regs_outer(void)
{
	volatile int local = 1;

	report("regs_outer", __builtin_frame_address(0), (void *)&local);
	regs_middle();
}

static void *thread_main(void *arg)
{
	(void)arg;
	regs_outer();
	return NULL;
}

int main(void)
{
	pthread_t th;

	pthread_barrier_init(&all_down, NULL, THREADS);
	for (int i = 1; i < THREADS; i++)
		if (pthread_create(&th, NULL, thread_main, NULL) != 0)
			return 1;
	regs_outer();
	return 0;
}
