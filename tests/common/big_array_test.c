/* Big arrays (src/common/big_array.c) and the page pool under them (page_pool.c): contents
   survive growth, within the first reservation and past it (where the array moves); pieces
   prefaulted before a stop are what arrays grow into, already in memory (mincore), as many
   as were faulted in, also when two threads grow arrays at once; once the pool is given
   back, growth gets fresh pages; a freed array's address space is gone. Under
   AddressSanitizer arrays come from malloc and only the contents are checked. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/big_array.h"
#include "common/page_pool.h"
#include "common/under_asan.h"
#include "../diff/tap.h"

#define PIECE HS_PAGE_POOL_PIECE
#define MIB ((size_t)1 << 20)

static void test_growth_keeps_contents(void)
{
	uint64_t *a = NULL;
	size_t cap = 0, n = 0;
	int same = 1;

	for (; n < 1000000; n++) { /* 8 MB, grown an element at a time */
		hs_big_array_grow((void **)&a, &cap, n + 1, sizeof(*a));
		a[n] = n * 2654435761u;
	}
	for (size_t i = 0; i < n; i++)
		same &= a[i] == i * 2654435761u;
	tap_ok(cap >= n && same, "an array grown one element at a time to 8 MB holds every element");
	hs_big_array_free(a, cap, sizeof(*a));
}

/* Past the first reservation (256 MiB) the array moves: marks written before are still
   there. Only the marked pages become memory. */
static void test_growth_past_reservation(void)
{
	const size_t marks[] = { 0, 100 * MIB, 255 * MIB + 17 };
	uint8_t *a = NULL;
	size_t cap = 0;
	int same = 1;

	hs_big_array_grow((void **)&a, &cap, 256 * MIB, 1);
	for (size_t i = 0; i < 3; i++)
		a[marks[i]] = (uint8_t)(0x5a + i);
	hs_big_array_grow((void **)&a, &cap, 300 * MIB, 1);
	for (size_t i = 0; i < 3; i++)
		same &= a[marks[i]] == (uint8_t)(0x5a + i);
	a[300 * MIB - 1] = 1;
	tap_ok(cap >= 300 * MIB && same, "an array grown past 256 MiB keeps what it held");
	hs_big_array_free(a, cap, 1);
}

#ifndef HS_UNDER_ASAN
/* How many of the pieces of [p, p + n pieces) are in memory. */
static size_t resident_pieces(const uint8_t *p, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = PIECE / page, count = 0;
	unsigned char *vec = malloc(pages);

	for (size_t k = 0; k < n; k++) {
		size_t in = 0;
		if (mincore((void *)(p + k * PIECE), PIECE, vec) != 0)
			continue;
		for (size_t i = 0; i < pages; i++)
			in += vec[i] & 1;
		count += in == pages;
	}
	free(vec);
	return count;
}

static void test_pool_pieces_come_first(void)
{
	uint8_t *a = NULL, *b = NULL;
	size_t cap = 0, bcap = 0;
	static unsigned char vec[PIECE / 4096];

	hs_big_array_prefault(3 * PIECE);
	hs_big_array_grow((void **)&a, &cap, 5 * PIECE, 1);
	tap_ok(resident_pieces(a, 3) == 3, "the first 3 pieces of an array come from a 3-piece pool, in memory");
	tap_ok(resident_pieces(a + 3 * PIECE, 2) == 0, "the pieces past the pool are not in memory until written");
	memset(a, 0xab, 5 * PIECE);
	tap_ok(a[0] == 0xab && a[5 * PIECE - 1] == 0xab, "pool pieces and fresh ones are writable alike");
	hs_big_array_prefault_end();
	hs_big_array_grow((void **)&b, &bcap, PIECE, 1);
	tap_ok(resident_pieces(b, 1) == 0, "once the pool is given back, growth gets fresh pages");
	hs_big_array_free(b, bcap, 1);
	hs_big_array_free(a, cap, 1);
	tap_ok(mincore(a, PIECE, vec) != 0, "a freed array's address space is unmapped");
}

struct grower {
	uint8_t *a;
	size_t cap;
};

static void *grow(void *arg)
{
	struct grower *g = arg;

	for (size_t k = 1; k <= 6; k++)
		hs_big_array_grow((void **)&g->a, &g->cap, k * PIECE, 1);
	return NULL;
}

/* Two threads grow an array each to 6 pieces, from a pool of 8, at once: each pool piece
   goes to one of them (8 pieces in memory before anything is written). */
static void test_pool_shared_by_threads(void)
{
	struct grower g[2] = { { 0 }, { 0 } };
	pthread_t th;
	int intact = 1;

	hs_big_array_prefault(8 * PIECE);
	pthread_create(&th, NULL, grow, &g[1]);
	grow(&g[0]);
	pthread_join(th, NULL);
	tap_ok(resident_pieces(g[0].a, 6) + resident_pieces(g[1].a, 6) == 8,
	       "two arrays grown at once from a pool of 8 pieces got 8 pieces in memory between them");
	for (int k = 0; k < 2; k++)
		memset(g[k].a, 0x11 * (k + 1), 6 * PIECE);
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < 6 * PIECE; i += 4093)
			intact &= g[k].a[i] == 0x11 * (k + 1);
	tap_ok(intact, "and each keeps its own bytes");
	hs_big_array_prefault_end();
	for (int k = 0; k < 2; k++)
		hs_big_array_free(g[k].a, g[k].cap, 1);
}
#endif

int main(void)
{
	test_growth_keeps_contents();
	test_growth_past_reservation();
#ifndef HS_UNDER_ASAN
	test_pool_pieces_come_first();
	test_pool_shared_by_threads();
#else
	printf("# AddressSanitizer build: arrays come from malloc, no pool to check\n");
#endif
	return tap_done();
}
