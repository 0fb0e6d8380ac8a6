/* take --refs' block index (src/refs/block_index.c) against a plain search: for heap-like
   layouts (dense small blocks with free gaps, arenas far apart, mmapped chunks, gaps on
   either side of the span limit, empty blocks, equal addresses, and a hostile layout of
   overlapping blocks), every value at and around each block's edges and a spread of values
   in and around the heap must find the block the plain search finds: the last block in
   address order starting at or before the value, when the value lies before its end. The
   lookups go through the queue's two steps, as the scanner does them, in batches. The
   index's table must stay within one entry per block plus one per span. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "refs/refs_private.h"
#include "snapshot/snapshot.h"
#include "../diff/tap.h"

#define BATCH 97 /* not a divisor of anything below: batches end anywhere */

struct layout {
	uint64_t *addr, *size;
	size_t n, cap;
};

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static void add(struct layout *l, uint64_t addr, uint64_t size)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->addr = realloc(l->addr, l->cap * sizeof(*l->addr));
		l->size = realloc(l->size, l->cap * sizeof(*l->size));
		if (l->addr == NULL || l->size == NULL)
			abort();
	}
	l->addr[l->n] = addr;
	l->size[l->n] = size;
	l->n++;
}

/* n small blocks from base, 16-byte aligned chunks with a header, some free chunks between;
   returns the end of the last. */
static uint64_t add_arena(struct layout *l, uint64_t base, size_t n, uint64_t *rng)
{
	uint64_t at = base;

	for (size_t i = 0; i < n; i++) {
		uint64_t r = next_random(rng), usable = 8 + 16 * (r % 32);

		if (r % 7 == 0)
			at += 16 * (1 + r / 7 % 64); /* a free chunk */
		add(l, at + 16, usable);
		at += 16 + usable + 8;
		at = (at + 15) & ~(uint64_t)15;
	}
	return at;
}

/* The plain search: the last block starting at or before v, if v is before its end. */
static uint32_t plain_find(const struct layout *l, uint64_t v)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->addr[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || v >= l->addr[lo - 1] + l->size[lo - 1])
		return HS_NO_BLOCK;
	return (uint32_t)(lo - 1);
}

struct probe {
	uint64_t v[BATCH];
	const uint32_t *granule[BATCH];
	uint32_t want[BATCH], got[BATCH];
	size_t n, hint;
	uint64_t checked, wrong, found;
};

static void finish(const struct hs_block_index *bi, struct probe *p)
{
	hs_block_index_finish(bi, p->v, p->granule, p->got, p->n);
	for (size_t k = 0; k < p->n; k++) {
		if (p->got[k] != p->want[k] && p->wrong++ < 5)
			printf("# 0x%" PRIx64 ": block %u, wanted %u\n", p->v[k], p->got[k], p->want[k]);
		p->found += p->want[k] != HS_NO_BLOCK;
	}
	p->n = 0;
}

/* One value through the index, as the scanner does it: a value without a table entry must be
   one the plain search finds in no block. */
static void probe(const struct hs_block_index *bi, const struct layout *l, struct probe *p, uint64_t v)
{
	const uint32_t *granule = hs_block_index_start(bi, v, &p->hint);
	uint32_t want = plain_find(l, v);

	p->checked++;
	if (granule == NULL) {
		if (want != HS_NO_BLOCK && p->wrong++ < 5)
			printf("# 0x%" PRIx64 ": no span, wanted block %u\n", v, want);
		return;
	}
	p->v[p->n] = v;
	p->granule[p->n] = granule;
	p->want[p->n] = want;
	if (++p->n == BATCH)
		finish(bi, p);
}

static size_t ready_spans(const struct hs_block_index *bi)
{
	size_t n = 0;

	for (size_t i = 0; i < bi->nspans; i++)
		n += bi->span[i].ready;
	return n;
}

/* A lazy index fills no span before a lookup, and one span for a lookup of a block's start,
   the one holding it. */
static void check_lazy(struct hs_block_index *bi, const struct layout *l, const char *what)
{
	size_t hint = 0, at = l->n / 2, before = ready_spans(bi);
	const uint32_t *granule = hs_block_index_start(bi, l->addr[at], &hint);
	uint32_t got = HS_NO_BLOCK;
	char line[160];

	if (granule != NULL)
		hs_block_index_finish(bi, &l->addr[at], &granule, &got, 1);
	snprintf(line, sizeof(line), "%s (lazy): no span filled at first, one filled by the lookup of "
		 "a block's start (%zu then %zu of %zu)", what, before, ready_spans(bi), bi->nspans);
	tap_ok(bi->nspans > 1 && before == 0 && ready_spans(bi) == 1 && got != HS_NO_BLOCK &&
	       bi->block[got].addr == l->addr[at], line);
}

static void check_layout(const struct layout *l, const char *what, uint64_t *rng, bool lazy)
{
	struct hs_snapshot s;
	struct hs_block_index bi;
	struct probe p = { 0 };
	size_t entries = 0;
	uint64_t lo = l->n ? l->addr[0] : 0, hi = l->n ? l->addr[l->n - 1] + l->size[l->n - 1] : 0;
	char line[160];

	hs_snapshot_init(&s);
	s.has_blocks = true;
	hs_snapshot_type(&s, "t", "test");
	for (size_t i = 0; i < l->n; i++)
		hs_snapshot_add_block(&s, l->addr[i], l->size[i], 0);
	hs_snapshot_finish_blocks(&s);
	if (lazy) {
		hs_block_index_lazy(&bi, &s);
		check_lazy(&bi, l, what);
	} else {
		hs_block_index_build(&bi, &s);
	}
	for (size_t i = 0; i < l->n; i++) {
		uint64_t a = l->addr[i], e = a + l->size[i];

		probe(&bi, l, &p, a - 1);
		probe(&bi, l, &p, a);
		probe(&bi, l, &p, a + l->size[i] / 2);
		probe(&bi, l, &p, e - 1);
		probe(&bi, l, &p, e);
		probe(&bi, l, &p, e + 8);
	}
	for (size_t k = 0; k < 200000 && hi > lo; k++)
		probe(&bi, l, &p, lo - 4096 + next_random(rng) % (hi - lo + 8192));
	probe(&bi, l, &p, 0);
	probe(&bi, l, &p, UINT64_MAX);
	finish(&bi, &p);
	for (size_t i = 0; i < bi.nspans; i++)
		entries += (size_t)((bi.span[i].hi - bi.span[i].lo) >> bi.shift) + 1;
	snprintf(line, sizeof(line), "%s%s: %" PRIu64 " values (%" PRIu64 " in a block) found as the plain "
		 "search finds them", what, lazy ? " (lazy)" : "", p.checked, p.found);
	tap_ok(p.wrong == 0 && p.found > 0, line);
	snprintf(line, sizeof(line), "%s%s: %zu table entries for %zu blocks in %zu spans", what,
		 lazy ? " (lazy)" : "", entries, bi.n, bi.nspans);
	tap_ok(bi.n == l->n && entries <= bi.n + bi.nspans, line);
	hs_block_index_free(&bi);
	hs_snapshot_free(&s);
}

int main(void)
{
	uint64_t rng = 0x9E3779B97F4A7C15ULL;
	struct layout l = { 0 };
	uint64_t at;

	/* A main heap, then four thread arenas' heaps far above, then mmapped chunks. */
	add_arena(&l, 0x555555560000ULL, 200000, &rng);
	for (int a = 0; a < 4; a++)
		add_arena(&l, 0x7f0000000000ULL + ((uint64_t)a << 26) + 0x8a0, 50000, &rng);
	for (int m = 0; m < 20; m++)
		add(&l, 0x7f2000000010ULL + ((uint64_t)m << 21), 0x1ffff0 - 16 * (uint64_t)m);
	check_layout(&l, "arenas and mmapped chunks", &rng, false);
	check_layout(&l, "arenas and mmapped chunks", &rng, true);

	/* Gaps just under, at and over the span limit (1 MiB), empty blocks, equal addresses. */
	l.n = 0;
	at = add_arena(&l, 0x10000, 1000, &rng);
	for (uint64_t gap = (1 << 20) - 16; gap <= (1 << 20) + 16; gap += 8) {
		at += gap;
		add(&l, at, 24);
		add(&l, at + 32, 0);
		add(&l, at + 48, 40);
		add(&l, at + 48, 40);
		at += 88;
	}
	add_arena(&l, at + 4096, 1000, &rng);
	check_layout(&l, "gaps around the span limit, empty blocks, equal addresses", &rng, false);
	check_layout(&l, "gaps around the span limit, empty blocks, equal addresses", &rng, true);

	/* Hostile: blocks that overlap, one spanning many others, one ending past the last. */
	l.n = 0;
	for (uint64_t i = 0; i < 5000; i++)
		add(&l, 0x200000 + 48 * i, i % 100 == 0 ? 48 * 300 : 64);
	add(&l, 0x200000 + 48 * 5000, 1 << 22);
	add(&l, 0x200000 + 48 * 5001, 32);
	check_layout(&l, "overlapping blocks of a hostile image", &rng, false);

	/* No blocks: nothing is found. */
	l.n = 0;
	{
		struct hs_snapshot s;
		struct hs_block_index bi;

		hs_snapshot_init(&s);
		s.has_blocks = true;
		hs_snapshot_type(&s, "t", "test");
		hs_snapshot_finish_blocks(&s);
		size_t hint = 0;

		hs_block_index_build(&bi, &s);
		tap_ok(hs_block_index_start(&bi, 0x1000, &hint) == NULL && hs_block_index_start(&bi, 0, &hint) == NULL,
		       "no blocks: no value has a table entry");
		hs_block_index_free(&bi);
		hs_block_index_lazy(&bi, &s);
		tap_ok(hs_block_index_start(&bi, 0x1000, &hint) == NULL && hs_block_index_start(&bi, 0, &hint) == NULL,
		       "no blocks (lazy): no value has a table entry");
		hs_block_index_free(&bi);
		hs_snapshot_free(&s);
	}
	free(l.addr);
	free(l.size);
	return tap_done();
}
