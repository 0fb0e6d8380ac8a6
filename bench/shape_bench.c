/* shape_bench: the cost of hs_shape_of_bytes (src/classify/byte_shape.c) per block, on the
   block mix bench_target builds: 4 million blocks of 16 to 512 requested bytes laid out as
   glibc would (usable = chunk size - 8), 3/8 C strings, 2/8 arrays of pointers to earlier
   blocks, 1/8 zero-filled, 2/8 odd random words. The pointer ranges are this process's own
   mappings, as hs_classifier_new would take them from a target's.

   Prints ns/block for each of RUNS passes and their median: classifying all blocks as they
   come from memory (the 1 GiB heap is far larger than any cache), classifying each 1 MiB
   stretch right after it was read (as the walk's classification queue does), and reading
   the blocks' words alone (the floor of the first). Also how many blocks each shape got,
   which must not change when byte_shape.c does.

   Usage: shape_bench [blocks] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "block_mix.h"
#include "classify/classify_private.h"
#include "snapshot/snapshot.h"

#define RUNS 5
#define BATCH_BYTES (1 << 20) /* as in src/heapwalk/classify_queue.c */

struct block {
	uint8_t *bytes;
	uint64_t usable;
};

/* Blocks packed like chunks of one heap: 16-byte aligned, 8 bytes of header apart. */
static struct block *build_blocks(size_t n)
{
	struct block *blocks = malloc(n * sizeof(*blocks));
	void **starts = malloc(n * sizeof(*starts)); /* the blocks' addresses, for fill_block */
	size_t heap_bytes = n * (MAX_REQUEST + 32);
	uint8_t *heap = mmap(NULL, heap_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t rng = 42, off = 16;

	if (blocks == NULL || starts == NULL || heap == MAP_FAILED) {
		perror("shape_bench: cannot allocate the blocks");
		exit(1);
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t want = MIN_REQUEST + next_random(&rng) % (MAX_REQUEST - MIN_REQUEST + 1);
		uint64_t chunk = (want + 8 + 15) & ~(uint64_t)15;

		if (chunk < 32)
			chunk = 32;
		blocks[i].bytes = heap + off;
		blocks[i].usable = chunk - 8;
		starts[i] = blocks[i].bytes;
		fill_block(blocks[i].bytes, blocks[i].usable, starts, i, &rng);
		off += chunk;
	}
	free(starts);
	return blocks;
}

/* This process's file-backed and anonymous writable mappings, as the classifier takes a
   target's. */
static void add_own_mappings(struct range_set *s)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];

	if (f == NULL) {
		perror("shape_bench: /proc/self/maps");
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		uint64_t start, end;
		char perms[5], path[4096] = "";

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %*s %*s %*s %4095s", &start, &end, perms, path) < 3)
			continue;
		if (path[0] == '/' || (perms[1] == 'w' && (path[0] == 0 || strcmp(path, "[heap]") == 0)))
			hs_range_set_add(s, start, end);
	}
	fclose(f);
	hs_range_set_finish(s);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static uint64_t count[5];      /* blocks by type_ref */
static volatile uint64_t sink; /* keeps the reading alone from being optimized away */

static void classify_blocks(struct hs_classifier *c, const struct block *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		count[hs_shape_type(c, hs_shape_of_bytes(c, b[i].usable, b[i].bytes, b[i].usable))]++;
}

static void read_blocks(const struct block *b, size_t n)
{
	uint64_t or = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < b[i].usable; j += 8)
			or |= load_u64(b[i].bytes + j);
	sink += or;
}

/* ns/block classifying all blocks from memory (as they come: the heap is 1 GiB). */
static double from_memory(struct hs_classifier *c, const struct block *b, size_t n)
{
	double start = now_ns();

	memset(count, 0, sizeof(count));
	classify_blocks(c, b, n);
	return (now_ns() - start) / n;
}

/* ns/block classifying blocks that were just read, BATCH_BYTES at a time, as the walk hands
   them to the classifier (src/heapwalk/classify_queue.c). */
static double from_cache(struct hs_classifier *c, const struct block *b, size_t n)
{
	double ns = 0;

	for (size_t first = 0, end; first < n; first = end) {
		double start;

		for (end = first; end < n && b[end].bytes - b[first].bytes < BATCH_BYTES; end++)
			;
		read_blocks(b + first, end - first);
		start = now_ns();
		classify_blocks(c, b + first, end - first);
		ns += now_ns() - start;
	}
	return ns / n;
}

/* ns/block reading every word of every block from memory, and nothing else. */
static double reading_alone(struct hs_classifier *c, const struct block *b, size_t n)
{
	double start = now_ns();

	(void)c;
	read_blocks(b, n);
	return (now_ns() - start) / n;
}

typedef double pass_fn(struct hs_classifier *c, const struct block *b, size_t n);

static void measure(const char *what, pass_fn *pass, struct hs_classifier *c,
		    const struct block *b, size_t n)
{
	double ns[RUNS];

	printf("%-22s", what);
	for (int run = 0; run < RUNS; run++) {
		ns[run] = pass(c, b, n);
		printf(" %6.2f", ns[run]);
	}
	qsort(ns, RUNS, sizeof(ns[0]), cmp_double);
	printf("   median %6.2f ns/block\n", ns[RUNS / 2]);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 4000000;
	struct block *blocks = build_blocks(n);
	struct hs_snapshot snap;
	struct hs_classifier c = { .snap = &snap };

	hs_snapshot_init(&snap);
	add_own_mappings(&c.pointees);
	measure("classify, from memory", from_memory, &c, blocks, n);
	printf("blocks %zu, pointer ranges %zu: none %" PRIu64 ", %s %" PRIu64 ", %s %" PRIu64
	       ", %s %" PRIu64 "\n", n, c.pointees.n, count[0],
	       snap.types[c.string - 1].name, count[c.string], snap.types[c.zero - 1].name,
	       count[c.zero], snap.types[c.pointers - 1].name, count[c.pointers]);
	measure("classify, from cache", from_cache, &c, blocks, n);
	measure("reading alone", reading_alone, &c, blocks, n);
	return 0;
}
