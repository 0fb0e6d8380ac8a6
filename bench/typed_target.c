/* typed_target: the process bench/types-bench.sh takes, a heap of N live blocks (default 1 M)
   that DWARF names, built -g: THREADS worker threads (so as many arenas besides the main
   one) each build their share of sessions, each a struct session with a list of
   ITEMS_PER_SESSION struct items, an array of as many items (struct item[]) and an index of
   pointers to the list's items (struct item *[]); the global g_threads[t] leads to thread t's
   list of sessions. Nothing is freed, nothing is random: two runs have the same heap. Then it
   prints "ready" and waits (its threads too) until killed.

   Usage: typed_target [--blocks N] */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 4
#define ITEMS_PER_SESSION 16
#define BLOCKS_PER_SESSION (ITEMS_PER_SESSION + 3)

struct session;

struct item {
	struct item *next;
	long id;
	struct session *owner;
	double weight;
};

struct session {
	struct session *next;
	struct item *items;
	struct item **by_id;
	struct item *inline_items; /* ITEMS_PER_SESSION of them */
	long id;
};

struct session *g_threads[THREADS];

static pthread_barrier_t built;
static uint64_t sessions_per_thread;

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		perror("typed_target: malloc");
		exit(1);
	}
	memset(p, 0, n);
	return p;
}

static struct session *make_session(long id)
{
	struct session *s = xmalloc(sizeof(*s));

	s->id = id;
	s->by_id = xmalloc(ITEMS_PER_SESSION * sizeof(*s->by_id));
	s->inline_items = xmalloc(ITEMS_PER_SESSION * sizeof(*s->inline_items));
	for (long i = ITEMS_PER_SESSION - 1; i >= 0; i--) {
		struct item *it = xmalloc(sizeof(*it));
		it->id = i;
		it->owner = s;
		it->next = s->items;
		s->items = s->by_id[i] = it;
		s->inline_items[i].owner = s;
	}
	return s;
}

static void *worker(void *arg)
{
	struct session **head = arg;

	for (uint64_t i = 0; i < sessions_per_thread; i++) {
		struct session *s = make_session((long)i);
		s->next = *head;
		*head = s;
	}
	pthread_barrier_wait(&built);
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t blocks = 1000000;
	pthread_t th;

	if (argc == 3 && strcmp(argv[1], "--blocks") == 0) {
		blocks = strtoull(argv[2], NULL, 10);
	} else if (argc != 1) {
		fprintf(stderr, "usage: typed_target [--blocks N]\n");
		return 2;
	}
	sessions_per_thread = blocks / BLOCKS_PER_SESSION / THREADS;
	pthread_barrier_init(&built, NULL, THREADS + 1);
	for (int t = 0; t < THREADS; t++)
		if (pthread_create(&th, NULL, worker, &g_threads[t]) != 0)
			return 1;
	pthread_barrier_wait(&built);
	printf("ready %ju blocks\n", (uintmax_t)(sessions_per_thread * THREADS * BLOCKS_PER_SESSION));
	fflush(stdout);
	for (;;)
		pause();
}
