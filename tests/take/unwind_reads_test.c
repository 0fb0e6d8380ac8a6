/* The page cache libunwind reads stacks through (src/attach/unwind_reads.c) against
   libunwind-ptrace's own word-by-word reads: a forked child whose threads wait at the bottom
   of a known call chain is stopped, and every thread's stack unwinds to the same frames
   both ways, the chain's function among them. */
#include <libunwind-ptrace.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attach/attach_private.h"

#define MAX_FRAMES 64
#define DEPTH 6
#define THREADS 3

static int ready_fd;
static atomic_int at_bottom;
static volatile sig_atomic_t never; /* what descend waits for */

static int tap_n, failed;

static void check(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++tap_n, what);
	failed |= !cond;
}

/* Calls itself `left` more times, then waits for good (never is never set); the last thread
   to get there says so. noipa: at -O3, gcc would clone it for left = DEPTH, and the frames
   would be the clone's, not descend's. */
__attribute__((noipa)) static void descend(int left)
{
	if (left > 0) {
		descend(left - 1);
	} else {
		if (atomic_fetch_add(&at_bottom, 1) + 1 == THREADS)
			(void)!write(ready_fd, "r", 1);
		while (!never)
			pause();
	}
	__asm__ volatile("" ::: "memory"); /* not a tail call */
}

static void *waiter(void *arg)
{
	(void)arg;
	descend(DEPTH);
	return NULL;
}

static void child(void)
{
	pthread_t th;

	for (int i = 1; i < THREADS; i++)
		pthread_create(&th, NULL, waiter, NULL);
	descend(DEPTH);
}

/* The IPs of tid's frames, unwound in as; their count. */
static int unwind(unw_addr_space_t as, pid_t tid, unw_word_t ips[MAX_FRAMES])
{
	void *upt = _UPT_create(tid);
	unw_cursor_t cursor;
	int n = 0;

	if (upt == NULL || unw_init_remote(&cursor, as, upt) != 0)
		return -1;
	do
		unw_get_reg(&cursor, UNW_REG_IP, &ips[n++]);
	while (n < MAX_FRAMES && unw_step(&cursor) > 0);
	_UPT_destroy(upt);
	return n;
}

/* How many of the n IPs are the return address of descend's call to itself: the most
   frequent IP just after descend's start (its code is shorter than 256 bytes). */
static int returns_into_descend(const unw_word_t *ips, int n)
{
	int most = 0;

	for (int i = 0; i < n; i++) {
		int k = 0;
		if (ips[i] <= (unw_word_t)descend || ips[i] >= (unw_word_t)descend + 256)
			continue;
		for (int j = 0; j < n; j++)
			k += ips[j] == ips[i];
		if (k > most)
			most = k;
	}
	return most;
}

int main(void)
{
	struct hs_target *t = NULL;
	struct hs_error err = { 0 };
	int fds[2];
	char c;
	pid_t pid;

	if (pipe(fds) != 0 || (pid = fork()) < 0)
		return perror("unwind_reads_test"), 1;
	if (pid == 0) {
		close(fds[0]);
		ready_fd = fds[1];
		child();
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1 || hs_live_open(pid, NULL, &t, &err) < 0) {
		printf("not ok 1 - the child is stopped (%s)\n1..1\n", err.msg);
		kill(pid, SIGKILL);
		return 1;
	}
	check(t->nthreads == THREADS, "the child's threads are stopped");
	for (size_t i = 0; i < t->nthreads; i++) {
		unw_addr_space_t plain = unw_create_addr_space(&_UPT_accessors, 0);
		unw_addr_space_t cached = hs_unwind_create_addr_space();
		unw_word_t by_words[MAX_FRAMES], by_pages[MAX_FRAMES];
		int n_words = unwind(plain, t->threads[i].tid, by_words), n_pages;
		char what[160];

		struct hs_unwind_pages *pages = hs_unwind_pages_new(t);

		hs_unwind_reads_begin(pages);
		n_pages = unwind(cached, t->threads[i].tid, by_pages);
		hs_unwind_reads_end();
		free(pages);
		snprintf(what, sizeof(what), "thread %zu: %d frames through the page cache, %d word by word",
			 i, n_pages, n_words);
		check(n_pages == n_words && n_pages > 0 &&
		      memcmp(by_pages, by_words, sizeof(*by_pages) * (size_t)n_pages) == 0, what);
		snprintf(what, sizeof(what), "thread %zu: descend's %d calls to itself are unwound", i, DEPTH);
		check(returns_into_descend(by_pages, n_pages) == DEPTH, what);
		unw_destroy_addr_space(plain);
		unw_destroy_addr_space(cached);
	}
	t->ops->release(t);
	hs_target_close(t);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	printf("1..%d\n", tap_n);
	return failed;
}
