/* A target whose threads wait in known functions, for tests/take/stacks.sh: each thread's
   stack must show its function, live and from a core. Reports on stdout, one line each:
   "thread TID NAME FUNCTION" per waiting thread (NAME its comm), "deep TID DEPTH" for the
   thread that waits under DEPTH calls of stack_deep (deeper than heapsnap's frame limit),
   "corrupt TID FROM TO WORD" for a thread whose stack bytes [FROM, TO) a test may overwrite
   in a core with WORD (a return address inside stack_small_frame, so that the overwritten
   stack unwinds into itself frame after frame), then "ready".
   With "busy": one more thread is blocked inside malloc's code (malloc_stats writing to
   stderr, a pipe nobody reads, while it holds the main arena's lock): "busy TID". */
#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEEP 400
#define CORRUPT_SPAN 32768

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t started;
static uintptr_t small_return;
static _Atomic pid_t busy_tid;

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&report_lock);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
	pthread_mutex_unlock(&report_lock);
}

static volatile sig_atomic_t never; /* what the threads wait for */

static void wait_forever(void)
{
	while (!never)
		pause();
}

/* noipa: never inlined, cloned or merged, so each function keeps its own frame and name. */
__attribute__((noipa)) static void stack_alpha(void)
{
	report("thread %d alpha stack_alpha\n", gettid());
	pthread_barrier_wait(&started);
	wait_forever();
}

__attribute__((noipa)) static void stack_beta(void)
{
	report("thread %d beta stack_beta\n", gettid());
	pthread_barrier_wait(&started);
	wait_forever();
}

__attribute__((noipa)) static void stack_deep(int left)
{
	if (left > 0) {
		stack_deep(left - 1);
	} else {
		report("deep %d %d\n", gettid(), DEEP);
		pthread_barrier_wait(&started);
		wait_forever();
	}
	__asm__ volatile("" ::: "memory"); /* not a tail call */
}

__attribute__((noipa)) static void stack_note_return(void)
{
	small_return = (uintptr_t)__builtin_return_address(0);
}

__attribute__((noipa)) static void stack_small_frame(void)
{
	stack_note_return();
	__asm__ volatile("" ::: "memory");
}

/* Waits with CORRUPT_SPAN bytes of its caller's buffer above its own frame: overwriting
   them stays inside this thread's stack, below its TLS. */
__attribute__((noipa)) static void stack_corrupt(void)
{
	volatile char mark = 0;
	uintptr_t from = ((uintptr_t)&mark & ~(uintptr_t)7) - 64;

	report("corrupt %d 0x%lx 0x%lx 0x%lx\n", gettid(), (unsigned long)from,
	       (unsigned long)(from + CORRUPT_SPAN), (unsigned long)small_return);
	pthread_barrier_wait(&started);
	wait_forever();
	(void)mark;
}

__attribute__((noipa)) static void stack_corrupt_room(void)
{
	volatile char room[2 * CORRUPT_SPAN];

	room[0] = 0;
	stack_corrupt();
	(void)room[0];
}

__attribute__((noipa)) static void stack_main(void)
{
	report("thread %d main stack_main\n", gettid());
	report("ready\n");
	wait_forever();
}

static void *alpha(void *arg) { (void)arg; pthread_setname_np(pthread_self(), "alpha"); stack_alpha(); return NULL; }
static void *beta(void *arg) { (void)arg; pthread_setname_np(pthread_self(), "beta"); stack_beta(); return NULL; }
static void *deep(void *arg) { (void)arg; stack_deep(DEEP); return NULL; }
static void *corrupt(void *arg) { (void)arg; stack_corrupt_room(); return NULL; }

/* Whether thread tid is blocked in write(2): /proc's syscall file starts with its number.
   Without malloc (no fopen): the blocked thread holds the main arena's lock. */
static int blocked_in_write(pid_t tid)
{
	char path[64], line[32] = "";
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	if (read(fd, line, sizeof(line) - 1) < 2)
		line[0] = '\0';
	close(fd);
	return strncmp(line, "1 ", 2) == 0;
}

/* Blocks in malloc_stats: stderr becomes a pipe filled to the brim first. */
static void *busy(void *arg)
{
	int fds[2];

	(void)arg;
	if (pipe(fds) != 0)
		abort();
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	while (write(fds[1], "x", 1) == 1)
		;
	fcntl(fds[1], F_SETFL, 0);
	dup2(fds[1], 2);
	busy_tid = gettid();
	report("busy %d\n", busy_tid);
	pthread_barrier_wait(&started);
	malloc_stats();
	return NULL;
}

int main(int argc, char **argv)
{
	void *(*threads[])(void *) = { alpha, beta, deep, corrupt, busy };
	size_t n = argc > 1 && strcmp(argv[1], "busy") == 0 ? 5 : 4;
	pthread_t th;
	void *keep = malloc(100);

	stack_small_frame();
	pthread_barrier_init(&started, NULL, (unsigned)n + 1);
	for (size_t i = 0; i < n; i++)
		pthread_create(&th, NULL, threads[i], NULL);
	pthread_barrier_wait(&started);
	/* "ready" only once the busy thread is blocked inside malloc_stats (10 s at most). */
	for (int tries = 0; n == 5 && !blocked_in_write(busy_tid) && tries < 1000; tries++)
		usleep(10000);
	pthread_setname_np(pthread_self(), "main");
	stack_main();
	free(keep);
	return 0;
}
