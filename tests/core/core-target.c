/* Test target for the core backend: known bytes in a heap block, an anonymous mapping and
   the stacks of its threads, reported on stdout with every thread's id and fs_base; then
   it waits, all threads alive, to be dumped (gcore) and killed. Built without sanitizers:
   it must keep glibc's malloc. */
#include <asm/prctl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core-target.h"

static const char rodata_bytes[] = CORE_TARGET_RODATA_BYTES;
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t reported;

static unsigned long fs_base(void)
{
	unsigned long fs = 0;

	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
	return fs;
}

/* Fills a buffer on the calling thread's stack, reports it, waits for every thread to
   have reported; the main thread then says the dump may start. Never returns. */
static void report_thread(int index)
{
	char stack_bytes[128];

	snprintf(stack_bytes, sizeof(stack_bytes), "%s%d", CORE_TARGET_STACK_BYTES, index);
	pthread_mutex_lock(&report_lock);
	printf("thread %d %x %lx %lx\n", index, (unsigned)gettid(), fs_base(),
	       (unsigned long)stack_bytes);
	fflush(stdout);
	pthread_mutex_unlock(&report_lock);
	pthread_barrier_wait(&reported);
	if (index == 0) {
		puts("ready");
		fflush(stdout);
	}
	for (;;)
		pause();
}

static void *thread_main(void *arg)
{
	report_thread((int)(long)arg);
	return NULL;
}

int main(void)
{
	char *heap = malloc(sizeof(CORE_TARGET_HEAP_BYTES));
	char *anon = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *(*volatile malloc_fn)(size_t) = malloc;
	pthread_t thread;

	if (heap == NULL || anon == MAP_FAILED)
		return 1;
	strcpy(heap, CORE_TARGET_HEAP_BYTES);
	strcpy(anon + 4096, CORE_TARGET_MMAP_BYTES);
	printf("heap %lx\nmmap %lx\nrodata %lx\nmalloc %lx\n", (unsigned long)heap,
	       (unsigned long)anon + 4096, (unsigned long)rodata_bytes, (unsigned long)malloc_fn);
	pthread_barrier_init(&reported, NULL, CORE_TARGET_THREADS + 1);
	for (long i = 1; i <= CORE_TARGET_THREADS; i++)
		if (pthread_create(&thread, NULL, thread_main, (void *)i) != 0)
			return 1;
	report_thread(0);
}
