/* The live blocks as one sorted array of (start, end), for "which block holds this address",
   the question the scan asks of every word it reads. Most words point nowhere near the heap,
   and binary search over a million blocks was most of the scan's time, so the blocks are cut
   into spans (runs with no gap wider than SPAN_GAP: an arena's heap, an mmapped chunk), and
   each span into granules with, per granule, the first block starting in or after it. A
   lookup is a search among the few spans, one table read and a step over the blocks of one
   granule. The granule size grows with the spans' bytes, so the table has at most one entry
   per block plus one per span: 16 bytes a block for the array, 4 for the table (at most 28
   with the spans, when every block is a span of its own), whatever the heap's size.

   A lazy index (DWARF typing without --refs: its lookups often land in a few heaps only)
   takes the block log's runs as its spans, and decodes a span's blocks and fills its table
   when a lookup first lands in it. Each span's first block is written at the start, so that
   the step over a granule's blocks stops at the next span's start even before that span is
   filled. */
#include <stdbool.h>
#include <stdlib.h>

#include "common/big_array.h"
#include "common/xalloc.h"
#include "refs/refs_private.h"

/* Wider free space between blocks starts a new span: no table entries cover it. */
#define SPAN_GAP ((uint64_t)1 << 20)
/* Granules are at least malloc's alignment. */
#define MIN_SHIFT 4

static size_t span_granules(const struct hs_block_index *bi, const struct hs_block_span *sp)
{
	return (size_t)((sp->hi - sp->lo) >> bi->shift) + 1;
}

static struct hs_block_span *add_span(struct hs_block_index *bi, size_t *cap, uint64_t lo, uint64_t hi,
				      size_t first_block)
{
	hs_xgrow((void **)&bi->span, cap, bi->nspans + 1, sizeof(*bi->span));
	bi->span[bi->nspans] = (struct hs_block_span){ .lo = lo, .hi = hi, .first_block = first_block };
	return &bi->span[bi->nspans++];
}

/* The spans, from the blocks in address order. */
static void find_spans(struct hs_block_index *bi)
{
	size_t cap = 0;

	for (size_t i = 0; i < bi->n; i++) {
		struct hs_block_span *sp = bi->nspans ? &bi->span[bi->nspans - 1] : NULL;

		if (sp == NULL || (bi->block[i].addr > sp->hi && bi->block[i].addr - sp->hi > SPAN_GAP))
			sp = add_span(bi, &cap, bi->block[i].addr, bi->block[i].end, i);
		else if (bi->block[i].end > sp->hi)
			sp->hi = bi->block[i].end;
		sp->nblocks++;
	}
}

/* The granule size for the spans' bytes, and each span's place in one table (filled later). */
static void lay_out_granules(struct hs_block_index *bi)
{
	size_t total = 0;
	uint64_t bytes = 0;
	uint32_t *next;

	for (size_t s = 0; s < bi->nspans; s++)
		bytes += bi->span[s].hi - bi->span[s].lo;
	while ((bytes >> bi->shift) > bi->n)
		bi->shift++;
	for (size_t s = 0; s < bi->nspans; s++)
		total += span_granules(bi, &bi->span[s]);
	hs_big_array_grow((void **)&bi->granules, &bi->granules_cap, total ? total : 1, sizeof(*bi->granules));
	next = bi->granules;
	for (size_t s = 0; s < bi->nspans; s++) {
		bi->span[s].first = next;
		next += span_granules(bi, &bi->span[s]);
	}
}

/* Fills span sp's table from its blocks (in the array). A granule past its last block holds
   the next span's first block. */
static void fill_granules(const struct hs_block_index *bi, struct hs_block_span *sp)
{
	size_t i = sp->first_block, end = sp->first_block + sp->nblocks, count = span_granules(bi, sp);

	for (size_t k = 0; k < count; k++) {
		uint64_t start = sp->lo + ((uint64_t)k << bi->shift);

		while (i < end && bi->block[i].addr < start)
			i++;
		sp->first[k] = (uint32_t)i;
	}
	sp->ready = true;
}

void hs_block_index_build(struct hs_block_index *bi, const struct hs_snapshot *snap)
{
	size_t n = snap->blocks.count ? (size_t)snap->blocks.count : 1;

	*bi = (struct hs_block_index){ .shift = MIN_SHIFT };
	hs_big_array_grow((void **)&bi->block, &bi->block_cap, n, sizeof(*bi->block));
	hs_block_log_bounds(&snap->blocks, bi->block);
	bi->n = (size_t)snap->blocks.count;
	find_spans(bi);
	lay_out_granules(bi);
	for (size_t s = 0; s < bi->nspans; s++)
		fill_granules(bi, &bi->span[s]);
}

void hs_block_index_lazy(struct hs_block_index *bi, const struct hs_snapshot *snap)
{
	const struct hs_block_log *log = &snap->blocks;
	size_t *order = log->count > 0 ? hs_block_log_runs_in_order(log) : NULL, cap = 0;

	if (order == NULL) { /* runs that overlap, or no block */
		hs_block_index_build(bi, snap);
		return;
	}
	*bi = (struct hs_block_index){ .shift = MIN_SHIFT, .log = log, .n = (size_t)log->count };
	hs_big_array_grow((void **)&bi->block, &bi->block_cap, bi->n, sizeof(*bi->block));
	for (size_t k = 0, first = 0; k < log->nruns; k++) {
		const struct hs_block_run *run = &log->runs[order[k]];
		struct hs_block_span *sp = add_span(bi, &cap, run->first, run->end, first);

		sp->nblocks = (size_t)run->count;
		sp->run = order[k];
		bi->block[first] = (struct hs_block_bounds){ .addr = run->first, .end = run->first };
		first += sp->nblocks;
	}
	free(order);
	lay_out_granules(bi);
}

/* A lazy index's span sp, filled: its blocks decoded, its table filled. */
static void fill_span(const struct hs_block_index *bi, struct hs_block_span *sp)
{
	hs_block_log_run_bounds(bi->log, sp->run, bi->block + sp->first_block);
	fill_granules(bi, sp);
}

void hs_block_index_free(struct hs_block_index *bi)
{
	hs_big_array_free(bi->block, bi->block_cap, sizeof(*bi->block));
	free(bi->span);
	hs_big_array_free(bi->granules, bi->granules_cap, sizeof(*bi->granules));
	*bi = (struct hs_block_index){ 0 };
}

size_t hs_block_index_first_from(const struct hs_block_index *bi, uint64_t v)
{
	size_t lo = 0, hi = bi->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (bi->block[mid].addr < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The span that may hold v, or NULL: the last one starting at or before v. *hint is the
   span found last; it is tried first (words of a block mostly point into its own heap). */
static const struct hs_block_span *span_of(const struct hs_block_index *bi, uint64_t v, size_t *hint)
{
	size_t lo = 0, hi = bi->nspans;

	if (*hint < hi && v - bi->span[*hint].lo < bi->span[*hint].hi - bi->span[*hint].lo)
		return &bi->span[*hint];
	if (hi == 0 || v < bi->span[0].lo || v >= bi->span[hi - 1].hi)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (bi->span[mid].lo <= v)
			lo = mid;
		else
			hi = mid;
	}
	if (v >= bi->span[lo].hi)
		return NULL;
	*hint = lo;
	return &bi->span[lo];
}

/* Block first (a granule's first block) onwards: the block holding v, or HS_NO_BLOCK. */
static uint32_t block_from(const struct hs_block_index *bi, size_t first, uint64_t v)
{
	size_t i = first;

	while (i < bi->n && bi->block[i].addr <= v)
		i++;
	if (i == 0 || v >= bi->block[i - 1].end)
		return HS_NO_BLOCK;
	return (uint32_t)(i - 1);
}

const uint32_t *hs_block_index_start(const struct hs_block_index *bi, uint64_t v, size_t *hint)
{
	const struct hs_block_span *sp = span_of(bi, v, hint);
	const uint32_t *granule;

	if (sp == NULL)
		return NULL;
	if (!sp->ready)
		fill_span(bi, &bi->span[sp - bi->span]);
	granule = &sp->first[(v - sp->lo) >> bi->shift];
	__builtin_prefetch(granule);
	return granule;
}

void hs_block_index_finish(const struct hs_block_index *bi, const uint64_t *v, const uint32_t *const *granule,
			   uint32_t *block, size_t n)
{
	/* First every table entry (and the start of a read of its blocks), then every block. */
	for (size_t k = 0; k < n; k++) {
		uint32_t first = *granule[k];

		block[k] = first;
		__builtin_prefetch(&bi->block[first ? first - 1 : 0]);
		__builtin_prefetch(&bi->block[first < bi->n ? first : first - 1]);
	}
	for (size_t k = 0; k < n; k++)
		block[k] = block_from(bi, block[k], v[k]);
}
