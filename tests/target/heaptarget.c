/* heaptarget: the self-reporting test target behind heapsnap's exactness tests.

   Every thread (the main one and the workers, so that non-main arenas exist) builds a heap
   of a known, seeded mix, frees a seeded share of it, and then the main thread reports,
   without allocating any more, every live pointer with its usable size, every freed pointer
   and malloc's own statistics. tests/check_snapshot.c checks a snapshot against that report.
   It is built without sanitizers: it must run on glibc's malloc.

   Usage: heaptarget [options]
     --seed N          seed of the allocation mix (default 1)
     --threads N       worker threads besides the main thread (default 4, at most 63)
     --blocks N        blocks of the main mix allocated per thread (default 5000)
     --mmaps N         blocks of 256 KiB to 1 MiB per thread, served by mmap (default 6)
     --free-percent P  share of the main mix each thread frees, in percent (default 33)
     --report FILE     where the report goes (default standard output)
     --mode MODE       what the process does once the report is written:
                         idle   nothing: every thread waits forever, the report stays true
                         grow   the main thread allocates four 4000-byte text blocks and one
                                200-byte pointer block every 100 ms (for demos and diffs)
                         churn  every thread mallocs and frees random blocks without pause
     --stop-self       stop the whole process with SIGSTOP once the report is written

   Report, one record per line:
     pid <pid>
     threads <main + workers>
     live <hex address> <usable size>      one per live pointer (malloc_usable_size)
     freed <hex address>                   one per freed pointer
     mallinfo_bits <64|32>                 64: mallinfo2; 32: mallinfo of glibc < 2.33,
                                           its int fields printed modulo 2^32
     mallinfo <arena> <ordblks> <smblks> <hblks> <hblkhd> <usmblks> <fsmblks> <uordblks> <fordblks> <keepcost>
     ready

   Why the report can be trusted: every reported allocation of every thread happens before a
   barrier, every reported free after it, and nothing allocates after it (the report is
   formatted into memory mapped beforehand and written with write(2)), so no freed address
   can have been handed out again. The only frees before the barrier are malloc's own
   (realloc and memalign remainders) and scratch blocks that are never reported; they are
   there so that free chunks also sit in the small and large bins. */
#include <errno.h>
#include <fcntl.h>
#include <features.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64
/* Largest usable size of a chunk that fits a fastbin by default (chunk size 0x80). */
#define FASTBIN_MAX_USABLE 120
/* Largest request the tcache takes (chunk size 0x410). */
#define TCACHE_MAX_REQUEST 1032
#define LARGE_MAX_REQUEST (100 * 1024)
#define MMAP_MIN_REQUEST (256 * 1024)
#define MMAP_MAX_REQUEST (1024 * 1024)
/* Scratch blocks per thread: 2 × SCRATCH_SAME_SIZE of two small sizes (7 fill the tcache bin,
   the rest reach a small bin), then SCRATCH_LARGE large ones. */
#define SCRATCH_SAME_SIZE 12
#define SCRATCH_LARGE 12
#define SCRATCH_TOTAL (2 * SCRATCH_SAME_SIZE + SCRATCH_LARGE)
/* The live block after each scratch block: too big for tcache and fastbins, so it is
   usually carved from top right behind the scratch block, not taken from a free list. */
#define GUARD_REQUEST 2000
/* Larger than any scratch chunk and below the mmap threshold: served from top after
   malloc has sorted the whole unsorted bin. */
#define SORTING_REQUEST (120 * 1024)
/* Longest report line: "live 0x" + 16 hex digits + " " + 20 digits + "\n". */
#define REPORT_LINE_MAX 64

enum mode { MODE_IDLE, MODE_GROW, MODE_CHURN };

struct options {
	uint64_t seed;
	unsigned workers;
	size_t blocks, mmaps;
	unsigned free_percent;
	const char *report_path;
	enum mode mode;
	bool stop_self;
};

struct block_record {
	uintptr_t addr;
	size_t usable;
	bool free_planned;
};

/* One thread's share: its random stream and its records, in memory mapped up front. */
struct thread_plan {
	unsigned index;
	uint64_t rng;
	struct block_record *records;
	size_t nrecords, capacity;
};

/* Report text, formatted into a buffer mapped before anything is freed. */
struct text {
	char *buf;
	size_t len, cap;
};

static struct options opt = {
	.seed = 1, .workers = 4, .blocks = 5000, .mmaps = 6, .free_percent = 33,
	.report_path = NULL, .mode = MODE_IDLE, .stop_self = false,
};
static struct thread_plan plans[MAX_THREADS];
static pthread_t workers[MAX_THREADS];
static pthread_barrier_t barrier;
static struct text report;
static int report_fd = STDOUT_FILENO;

static void die(const char *what)
{
	/* stdio may allocate, but only a failed run gets here. */
	fprintf(stderr, "heaptarget: %s\n", what);
	exit(1);
}

static uint64_t next_random(uint64_t *state)
{
	/* splitmix64: small, seedable, good enough to scatter sizes. */
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t random_between(uint64_t *state, size_t lo, size_t hi)
{
	return lo + next_random(state) % (hi - lo + 1);
}

/* A request size of the main mix: fastbin sizes, tcache-range sizes, and large sizes spread
   evenly over their logarithm so that small large-bin sizes are as common as big ones. */
static size_t mix_size(uint64_t *rng)
{
	unsigned pick = next_random(rng) % 100;

	if (pick < 45)
		return random_between(rng, 1, FASTBIN_MAX_USABLE);
	if (pick < 92)
		return random_between(rng, FASTBIN_MAX_USABLE + 1, TCACHE_MAX_REQUEST);
	size_t size = TCACHE_MAX_REQUEST + 1;
	unsigned doublings = next_random(rng) % 7; /* 1 KiB × 2^6 ≈ 64 KiB */
	size <<= doublings;
	size += next_random(rng) % size;
	return size < LARGE_MAX_REQUEST ? size : LARGE_MAX_REQUEST;
}

static void *checked(void *p)
{
	if (p == NULL)
		die("out of memory while building the heap");
	return p;
}

static size_t round_up(size_t v, size_t align)
{
	return (v + align - 1) / align * align;
}

/* One block of the main mix through one of malloc's entry points. */
static void *allocate_mixed(uint64_t *rng, size_t size)
{
	unsigned how = next_random(rng) % 10;
	size_t align = (size_t)32 << (next_random(rng) % 8); /* 32 .. 4096 */
	void *p = NULL;

	switch (how) {
	case 6:
		return checked(calloc(1, size));
	case 7: /* grows: in place when the next chunk allows it, else moved */
		return checked(realloc(checked(malloc(size / 2 + 1)), size));
	case 8: /* shrinks: the tail becomes a free chunk (or, mmapped, is given back by mremap) */
		return checked(realloc(checked(malloc(size * 2)), size));
	case 9:
		if (next_random(rng) & 1)
			return checked(aligned_alloc(align, round_up(size, align)));
		if (posix_memalign(&p, align, size) != 0)
			die("posix_memalign failed");
		return p;
	default:
		return checked(malloc(size));
	}
}

/* One block big enough to be mmapped; the aligned ones keep a stale chunk header at the
   start of their mapping, the realloc'd one has been moved by mremap. */
static void *allocate_mmapped(size_t i, size_t size)
{
	void *p = NULL;

	switch (i % 5) {
	case 1:
		return checked(calloc(1, size));
	case 2:
		if (posix_memalign(&p, 4096, size) != 0)
			die("posix_memalign failed");
		return p;
	case 3:
		return checked(aligned_alloc(65536, round_up(size, 65536)));
	case 4:
		return checked(realloc(checked(malloc(size)), size * 2));
	default:
		return checked(malloc(size));
	}
}

static void record(struct thread_plan *t, void *p, bool free_planned)
{
	if (t->nrecords == t->capacity)
		die("internal error: record table full");
	t->records[t->nrecords++] = (struct block_record){
		.addr = (uintptr_t)p, .usable = malloc_usable_size(p), .free_planned = free_planned,
	};
}

/* Free chunks reach the small and large bins only when a later malloc sorts the unsorted
   bin. Scratch blocks, each followed by a live guard so they cannot coalesce, are freed and
   one more allocation sorts them; they are never reported, since that allocation may reuse
   one of them. */
static void fill_bins(struct thread_plan *t)
{
	void *scratch[SCRATCH_TOTAL];

	for (size_t i = 0; i < SCRATCH_TOTAL; i++) {
		size_t size = i < SCRATCH_SAME_SIZE ? 200
			      : i < 2 * SCRATCH_SAME_SIZE ? 600
			      : random_between(&t->rng, TCACHE_MAX_REQUEST + 1, 40 * 1024);
		scratch[i] = checked(malloc(size));
		record(t, checked(malloc(GUARD_REQUEST)), false);
	}
	for (size_t i = 0; i < SCRATCH_TOTAL; i++)
		free(scratch[i]);
	record(t, checked(malloc(SORTING_REQUEST)), false);
}

static void populate(struct thread_plan *t)
{
	for (size_t i = 0; i < opt.blocks; i++) {
		size_t size = mix_size(&t->rng);
		void *p = allocate_mixed(&t->rng, size);
		record(t, p, next_random(&t->rng) % 100 < opt.free_percent);
	}
	for (size_t i = 0; i < opt.mmaps; i++) {
		size_t size = random_between(&t->rng, MMAP_MIN_REQUEST, MMAP_MAX_REQUEST);
		/* Every third one freed: both live and freed mmapped chunks exist. */
		record(t, allocate_mmapped(i, size), i % 3 == 1);
	}
	fill_bins(t);
}

/* Frees the planned blocks of one kind: fastbin-sized ones go last, because freeing a big
   chunk consolidates the arena's fastbins and the test wants fastbins in use. */
static void free_planned(struct thread_plan *t, bool fastbin_sized)
{
	for (size_t i = 0; i < t->nrecords; i++) {
		struct block_record *r = &t->records[i];
		if (r->free_planned && (r->usable <= FASTBIN_MAX_USABLE) == fastbin_sized)
			free((void *)r->addr);
	}
}

static void put_str(struct text *t, const char *s)
{
	while (*s != '\0' && t->len < t->cap)
		t->buf[t->len++] = *s++;
}

static void put_num(struct text *t, uint64_t v, unsigned base)
{
	char digits[24];
	int n = 0;

	if (base == 16)
		put_str(t, "0x");
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	while (n > 0 && t->len < t->cap)
		t->buf[t->len++] = digits[--n];
}

#if __GLIBC_PREREQ(2, 33)
#define MALLINFO_BITS "64"
#define MALLINFO_CALL mallinfo2
#define MALLINFO_FIELD(x) ((uint64_t)(x))
#else
/* glibc < 2.33 has only mallinfo, whose int fields wrap past 2 GiB: reported modulo 2^32. */
#define MALLINFO_BITS "32"
#define MALLINFO_CALL mallinfo
#define MALLINFO_FIELD(x) ((uint64_t)(unsigned int)(x))
#endif

static void put_mallinfo(struct text *t)
{
	__typeof__(MALLINFO_CALL()) mi = MALLINFO_CALL();
	const uint64_t fields[] = {
		MALLINFO_FIELD(mi.arena), MALLINFO_FIELD(mi.ordblks), MALLINFO_FIELD(mi.smblks),
		MALLINFO_FIELD(mi.hblks), MALLINFO_FIELD(mi.hblkhd), MALLINFO_FIELD(mi.usmblks),
		MALLINFO_FIELD(mi.fsmblks), MALLINFO_FIELD(mi.uordblks), MALLINFO_FIELD(mi.fordblks),
		MALLINFO_FIELD(mi.keepcost),
	};

	put_str(t, "mallinfo_bits " MALLINFO_BITS "\nmallinfo");
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		put_str(t, " ");
		put_num(t, fields[i], 10);
	}
	put_str(t, "\n");
}

/* Formats and writes the report; allocates nothing. */
static void write_report(void)
{
	unsigned nthreads = opt.workers + 1;

	put_str(&report, "pid ");
	put_num(&report, (uint64_t)getpid(), 10);
	put_str(&report, "\nthreads ");
	put_num(&report, nthreads, 10);
	put_str(&report, "\n");
	for (unsigned k = 0; k < nthreads; k++)
		for (size_t i = 0; i < plans[k].nrecords; i++) {
			const struct block_record *r = &plans[k].records[i];
			if (r->free_planned)
				continue;
			put_str(&report, "live ");
			put_num(&report, r->addr, 16);
			put_str(&report, " ");
			put_num(&report, r->usable, 10);
			put_str(&report, "\n");
		}
	for (unsigned k = 0; k < nthreads; k++)
		for (size_t i = 0; i < plans[k].nrecords; i++)
			if (plans[k].records[i].free_planned) {
				put_str(&report, "freed ");
				put_num(&report, plans[k].records[i].addr, 16);
				put_str(&report, "\n");
			}
	put_mallinfo(&report);
	put_str(&report, "ready\n");
	if (report.len == report.cap)
		die("internal error: report buffer too small");
	for (size_t done = 0; done < report.len;) {
		ssize_t n = write(report_fd, report.buf + done, report.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("cannot write the report");
		done += (size_t)n;
	}
}

static void wait_forever(void)
{
	for (;;)
		pause();
}

/* grow mode: a steady, recognisable growth of text blocks held by pointer blocks, the pointer
   blocks chained from a global so that all of it stays reachable (and no compiler drops it). */
static void *volatile grow_chain;

static void grow_forever(void)
{
	static const char line[] = "heaptarget grow block: text that a string classifier can see. ";
	const struct timespec tick = { .tv_sec = 0, .tv_nsec = 100 * 1000 * 1000 };

	for (;;) {
		void **holder = checked(calloc(1, 200));
		for (int i = 0; i < 4; i++) {
			char *text = checked(malloc(4000));
			for (size_t at = 0; at + sizeof(line) < 4000; at += sizeof(line) - 1)
				memcpy(text + at, line, sizeof(line));
			holder[i] = text;
		}
		holder[4] = grow_chain;
		grow_chain = holder;
		nanosleep(&tick, NULL);
	}
}

/* churn mode: malloc, realloc and free without pause, for tests that stop a target
   mid-malloc. Every block is filled with a byte derived from its slot and size and checked
   before it is resized or freed: a heap disturbed from outside ends the process with a
   message on stderr (abort), which the tests see. */
static unsigned char churn_fill(size_t slot, size_t size)
{
	return (unsigned char)(slot * 31 + size);
}

static void churn_verify(const unsigned char *p, size_t n, unsigned char fill)
{
	static const char msg[] = "heaptarget: a churn block's contents changed\n";

	for (size_t k = 0; k < n; k++)
		if (p[k] != fill) {
			if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
				_exit(3);
			abort();
		}
}

static void churn_forever(struct thread_plan *t)
{
	unsigned char *slots[256] = { NULL };
	size_t sizes[256] = { 0 };

	for (;;) {
		size_t i = next_random(&t->rng) % 256, n;

		if (slots[i] != NULL) {
			churn_verify(slots[i], sizes[i], churn_fill(i, sizes[i]));
			if (next_random(&t->rng) % 4 == 0) {
				n = mix_size(&t->rng);
				unsigned char *p = realloc(slots[i], n);
				if (p == NULL)
					continue;
				churn_verify(p, n < sizes[i] ? n : sizes[i], churn_fill(i, sizes[i]));
				slots[i] = p;
				sizes[i] = n;
				memset(p, churn_fill(i, n), n);
				continue;
			}
			free(slots[i]);
			slots[i] = NULL;
		} else {
			n = mix_size(&t->rng);
			slots[i] = malloc(n);
			if (slots[i] == NULL)
				continue;
			sizes[i] = n;
			memset(slots[i], churn_fill(i, n), n);
		}
	}
}

static void *run_thread(void *arg)
{
	struct thread_plan *t = arg;

	populate(t);
	pthread_barrier_wait(&barrier); /* every reported allocation is done */
	free_planned(t, false);
	pthread_barrier_wait(&barrier);
	free_planned(t, true);
	pthread_barrier_wait(&barrier); /* every free is done */
	if (t->index == 0) {
		write_report();
		if (opt.stop_self)
			kill(getpid(), SIGSTOP);
	}
	pthread_barrier_wait(&barrier); /* the report is out: churn may begin */
	if (opt.mode == MODE_CHURN)
		churn_forever(t);
	if (opt.mode == MODE_GROW && t->index == 0)
		grow_forever();
	wait_forever();
	return NULL;
}

static uint64_t parse_number(const char *flag, const char *s, uint64_t max)
{
	char *end;
	errno = 0;
	unsigned long long v = s ? strtoull(s, &end, 10) : 0;

	if (s == NULL || *s == '\0' || *end != '\0' || errno != 0 || v > max) {
		fprintf(stderr, "heaptarget: %s wants a number up to %llu\n", flag,
			(unsigned long long)max);
		exit(2);
	}
	return v;
}

static enum mode parse_mode(const char *s)
{
	static const char *const names[] = { [MODE_IDLE] = "idle", [MODE_GROW] = "grow",
					     [MODE_CHURN] = "churn" };

	for (size_t m = 0; s != NULL && m < sizeof(names) / sizeof(names[0]); m++)
		if (strcmp(s, names[m]) == 0)
			return (enum mode)m;
	fprintf(stderr, "heaptarget: --mode wants idle, grow or churn\n");
	exit(2);
}

static void parse_options(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--stop-self") == 0) {
			opt.stop_self = true;
			continue;
		}
		if (strcmp(a, "--seed") == 0)
			opt.seed = parse_number(a, v, UINT64_MAX);
		else if (strcmp(a, "--threads") == 0)
			opt.workers = parse_number(a, v, MAX_THREADS - 1);
		else if (strcmp(a, "--blocks") == 0)
			opt.blocks = parse_number(a, v, 10 * 1000 * 1000);
		else if (strcmp(a, "--mmaps") == 0)
			opt.mmaps = parse_number(a, v, 1000);
		else if (strcmp(a, "--free-percent") == 0)
			opt.free_percent = parse_number(a, v, 100);
		else if (strcmp(a, "--report") == 0 && v != NULL)
			opt.report_path = v;
		else if (strcmp(a, "--mode") == 0)
			opt.mode = parse_mode(v);
		else {
			fprintf(stderr, "heaptarget: bad option '%s': see the comment at the top of "
				"tests/target/heaptarget.c\n", a);
			exit(2);
		}
		i++; /* the option's value */
	}
}

/* Anonymous memory outside malloc's heap, so bookkeeping never shows up as a block. */
static void *map_zeroed(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("cannot map bookkeeping memory");
	return p;
}

int main(int argc, char **argv)
{
	parse_options(argc, argv);
	unsigned nthreads = opt.workers + 1;
	size_t per_thread = opt.blocks + opt.mmaps + SCRATCH_TOTAL + 1;

	if (opt.report_path != NULL) {
		report_fd = open(opt.report_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (report_fd < 0)
			die("cannot create the report file");
	}
	struct block_record *records = map_zeroed(nthreads * per_thread * sizeof(*records));
	report.cap = nthreads * per_thread * REPORT_LINE_MAX + 4096;
	report.buf = map_zeroed(report.cap);
	if (pthread_barrier_init(&barrier, NULL, nthreads) != 0)
		die("cannot create the barrier");
	for (unsigned k = 0; k < nthreads; k++) {
		plans[k].index = k;
		plans[k].rng = opt.seed * 0x100000001b3ULL + k;
		plans[k].records = records + k * per_thread;
		plans[k].capacity = per_thread;
	}
	for (unsigned k = 1; k < nthreads; k++)
		if (pthread_create(&workers[k], NULL, run_thread, &plans[k]) != 0)
			die("cannot create a worker thread");
	run_thread(&plans[0]);
	return 0;
}
