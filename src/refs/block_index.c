/* The live blocks as one sorted array of (start, end), for "which block holds this address",
   the question the scan asks of every word it reads. Most words point nowhere near the heap,
   and binary search over a million blocks was most of the scan's time, so the blocks are cut
   into spans (runs with no gap wider than SPAN_GAP: an arena's heap, an mmapped chunk), and
   each span into granules with, per granule, the first block starting in or after it. A
   lookup is a search among the few spans, one table read and a step over the blocks of one
   granule. The granule size grows with the spans' bytes, so the table has at most one entry
   per block plus one per span: 16 bytes a block for the array, 4 for the table (at most 28
   with the spans, when every block is a span of its own), whatever the heap's size. */
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

/* The spans, from the blocks in address order; returns the sum of their bytes. */
static uint64_t find_spans(struct hs_block_index *bi)
{
	size_t cap = 0;
	uint64_t bytes = 0;

	for (size_t i = 0; i < bi->n; i++) {
		struct hs_block_span *sp = bi->nspans ? &bi->span[bi->nspans - 1] : NULL;

		if (sp == NULL || (bi->block[i].addr > sp->hi && bi->block[i].addr - sp->hi > SPAN_GAP)) {
			hs_xgrow((void **)&bi->span, &cap, bi->nspans + 1, sizeof(*bi->span));
			sp = &bi->span[bi->nspans++];
			*sp = (struct hs_block_span){ .lo = bi->block[i].addr, .hi = bi->block[i].end };
		} else if (bi->block[i].end > sp->hi) {
			sp->hi = bi->block[i].end;
		}
	}
	for (size_t s = 0; s < bi->nspans; s++)
		bytes += bi->span[s].hi - bi->span[s].lo;
	return bytes;
}

static void fill_granules(struct hs_block_index *bi)
{
	size_t total = 0, i = 0;
	uint32_t *next;

	for (size_t s = 0; s < bi->nspans; s++)
		total += span_granules(bi, &bi->span[s]);
	hs_big_array_grow((void **)&bi->granules, &bi->granules_cap, total ? total : 1, sizeof(*bi->granules));
	next = bi->granules;
	for (size_t s = 0; s < bi->nspans; s++) {
		struct hs_block_span *sp = &bi->span[s];
		size_t k, count = span_granules(bi, sp);

		sp->first = next;
		for (k = 0; k < count; k++) {
			uint64_t start = sp->lo + ((uint64_t)k << bi->shift);

			while (i < bi->n && bi->block[i].addr < start)
				i++;
			sp->first[k] = (uint32_t)i;
		}
		next += count;
	}
}

void hs_block_index_build(struct hs_block_index *bi, const struct hs_snapshot *snap)
{
	size_t n = snap->blocks.count ? (size_t)snap->blocks.count : 1;
	uint64_t bytes;

	*bi = (struct hs_block_index){ .shift = MIN_SHIFT };
	hs_big_array_grow((void **)&bi->block, &bi->block_cap, n, sizeof(*bi->block));
	hs_block_log_bounds(&snap->blocks, bi->block);
	bi->n = (size_t)snap->blocks.count;
	bytes = find_spans(bi);
	while ((bytes >> bi->shift) > bi->n)
		bi->shift++;
	fill_granules(bi);
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
