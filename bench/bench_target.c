/* bench_target: the process heapsnap's benchmark snapshots (bench/run.sh).

   Small-block mode (--blocks N): THREADS worker threads (so as many arenas besides the main
   one) each allocate their share of N live blocks of 16 to 512 bytes, filled like a real
   program's data (text, pointer arrays, zeros, other bytes), with a share of extra blocks
   freed in between so that every thread's tcache, the fastbins and the small, large and
   unsorted bins hold chunks too. N blocks stay live, besides the few libc keeps itself (the
   target's own bookkeeping is mmapped, not malloc'd).

   Large mode (--large-gib G): a few large blocks totalling G GiB, half of them in mmapped
   chunks of 256 MiB, half in the main arena (24 MiB blocks, below a raised mmap threshold).

   Every page of every block is written, so the heap is really there to be copied. Then the
   process prints "ready" on standard output and waits (its threads too) until killed. In
   small-block mode, each SIGUSR1 makes the main thread replace every tenth block of every
   worker (freed, and a new one allocated in the main arena), then print "changed": the
   change a diff of two snapshots has to find.

   Usage: bench_target (--blocks N | --large-gib G) [--threads T] [--free-percent P]
                       [--seed S] */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "block_mix.h"

#define MAX_THREADS 64
#define LARGE_MMAPPED_BYTES (256ull << 20)
#define LARGE_ARENA_BYTES (24ull << 20)
/* Above LARGE_ARENA_BYTES, at most malloc's largest mmap threshold (32 MiB on 64-bit). */
#define LARGE_MMAP_THRESHOLD (32 << 20)

struct options {
	uint64_t blocks, seed;
	double large_gib;
	unsigned threads, free_percent;
};

struct worker {
	uint64_t live;       /* blocks this thread leaves live */
	void **blocks;       /* its blocks, set before the barrier */
	uint64_t nblocks;
	uint64_t seed;
	unsigned free_percent;
	pthread_barrier_t *done;
};

static void *map_array(size_t bytes)
{
	void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("bench_target: mmap");
		exit(1);
	}
	return p;
}

static void *alloc_filled(void **earlier, uint64_t nearlier, uint64_t *rng)
{
	size_t want = MIN_REQUEST + next_random(rng) % (MAX_REQUEST - MIN_REQUEST + 1);
	void *p = malloc(want);

	if (p == NULL) {
		perror("bench_target: malloc");
		exit(1);
	}
	fill_block(p, malloc_usable_size(p), earlier, nearlier, rng);
	return p;
}

/* Allocates live*(100+P)/100 blocks, frees a few more than P/(100+P) of them at random
   places (tcache first, then fastbins and the unsorted bin), then allocates back up to
   `live` into the holes, which sorts the unsorted chunks into the small and large bins. */
static void *work(void *arg)
{
	struct worker *w = arg;
	uint64_t rng = w->seed, total = w->live + w->live * w->free_percent / 100, live = 0;
	void **blocks = map_array(total * sizeof(void *));

	for (uint64_t n = 0; n < total; n++)
		blocks[n] = alloc_filled(blocks, n, &rng);
	for (uint64_t i = 0; i < total; i++) {
		if (next_random(&rng) % (100 + w->free_percent) < w->free_percent + 5) {
			free(blocks[i]);
			blocks[i] = NULL;
		} else if (++live > w->live) {
			free(blocks[i]);
			blocks[i] = NULL;
			live--;
		}
	}
	for (uint64_t i = 0; live < w->live; i++)
		if (blocks[i] == NULL) {
			blocks[i] = alloc_filled(blocks, i, &rng);
			live++;
		}
	w->blocks = blocks;
	w->nblocks = total;
	pthread_barrier_wait(w->done);
	for (;;)
		pause();
	return NULL;
}

/* Replaces every tenth live block of every worker, on each SIGUSR1. */
static void churn_on_signal(struct worker *workers, unsigned n, const sigset_t *usr1)
{
	uint64_t rng = 0x5eed;

	for (;;) {
		int sig;

		if (sigwait(usr1, &sig) != 0)
			return;
		for (unsigned k = 0; k < n; k++) {
			struct worker *w = &workers[k];
			for (uint64_t i = 0, seen = 0; i < w->nblocks; i++)
				if (w->blocks[i] != NULL && seen++ % 10 == 0) {
					free(w->blocks[i]);
					w->blocks[i] = alloc_filled(w->blocks, i, &rng);
				}
		}
		if (write(STDOUT_FILENO, "changed\n", 8) != 8)
			return;
	}
}

static void touch_large(uint64_t bytes, uint64_t block, unsigned char pattern)
{
	for (uint64_t done = 0; done < bytes; done += block) {
		uint64_t n = bytes - done < block ? bytes - done : block;
		void *p = malloc(n);
		if (p == NULL) {
			fprintf(stderr, "bench_target: cannot allocate %llu bytes\n", (unsigned long long)n);
			exit(1);
		}
		memset(p, pattern, malloc_usable_size(p));
	}
}

static void large_mode(double gib)
{
	uint64_t total = (uint64_t)(gib * (1ull << 30));

	if (mallopt(M_MMAP_THRESHOLD, LARGE_MMAP_THRESHOLD) != 1) {
		fprintf(stderr, "bench_target: mallopt(M_MMAP_THRESHOLD) failed\n");
		exit(1);
	}
	touch_large(total / 2, LARGE_MMAPPED_BYTES, 0x5a);
	touch_large(total - total / 2, LARGE_ARENA_BYTES, 0xa5);
}

/* Allocates, says ready, then serves SIGUSR1 until killed. */
static _Noreturn void small_mode(const struct options *o)
{
	static struct worker workers[MAX_THREADS];
	pthread_t tids[MAX_THREADS];
	pthread_barrier_t done;
	sigset_t usr1;

	/* Blocked in every thread (they inherit the mask), taken by sigwait in this one. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	pthread_barrier_init(&done, NULL, o->threads + 1);
	for (unsigned i = 0; i < o->threads; i++) {
		workers[i] = (struct worker){
			.live = o->blocks / o->threads + (i < o->blocks % o->threads),
			.seed = o->seed * 0x9E3779B97F4A7C15ULL + i + 1,
			.free_percent = o->free_percent,
			.done = &done,
		};
		if ((errno = pthread_create(&tids[i], NULL, work, &workers[i])) != 0) {
			perror("bench_target: pthread_create");
			exit(1);
		}
	}
	pthread_barrier_wait(&done);
	if (write(STDOUT_FILENO, "ready\n", 6) != 6)
		exit(1);
	churn_on_signal(workers, o->threads, &usr1);
	exit(1);
}

static int parse(int argc, char **argv, struct options *o)
{
	*o = (struct options){ .threads = 4, .free_percent = 30, .seed = 1 };
	for (int i = 1; i + 1 < argc; i += 2) {
		char *end;
		unsigned long long v = strtoull(argv[i + 1], &end, 10);
		if (strcmp(argv[i], "--large-gib") == 0)
			o->large_gib = strtod(argv[i + 1], &end);
		if (*end != '\0')
			return -1;
		if (strcmp(argv[i], "--blocks") == 0)
			o->blocks = v;
		else if (strcmp(argv[i], "--threads") == 0)
			o->threads = (unsigned)v;
		else if (strcmp(argv[i], "--free-percent") == 0)
			o->free_percent = (unsigned)v;
		else if (strcmp(argv[i], "--seed") == 0)
			o->seed = v;
		else if (strcmp(argv[i], "--large-gib") != 0)
			return -1;
	}
	if (argc % 2 != 1 || (o->blocks == 0) == !(o->large_gib > 0) || o->threads == 0 ||
	    o->threads > MAX_THREADS || o->free_percent > 100)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;

	if (parse(argc, argv, &o) < 0) {
		fprintf(stderr, "usage: bench_target (--blocks N | --large-gib G) [--threads T (1-%d)] "
			"[--free-percent P (0-100)] [--seed S]\n", MAX_THREADS);
		return 2;
	}
	if (o.large_gib == 0)
		small_mode(&o); /* does not return */
	large_mode(o.large_gib);
	/* write(2), not stdio: stdout's buffer would be one more block. */
	if (write(STDOUT_FILENO, "ready\n", 6) != 6)
		return 1;
	for (;;)
		pause();
}
