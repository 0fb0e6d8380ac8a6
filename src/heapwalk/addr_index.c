/* The sorted-address index (see heapwalk_private.h). The addresses are cut into segments wherever
   two neighbours lie more than SEGMENT_GAP apart (another heap, another mapping); over each
   segment, a table of equal buckets, about one per record, holds the position of the first
   record in each bucket. A lookup reads one bucket and searches the few records in it:
   unlike a hash table, records the walk met one after the other stay next to each other,
   and the index adds 4 to 8 bytes per record, small enough for the processor's caches. */
#include <stdlib.h>
#include <string.h>

#include "common/sorted_search.h"
#include "common/xalloc.h"
#include "heapwalk/heapwalk_private.h"
#include "common/big_array.h"

#define SEGMENT_GAP (1u << 20)

static uint64_t key(const struct hs_addr_index *x, size_t i)
{
	uint64_t k;
	memcpy(&k, x->records + i * x->stride, sizeof(k));
	return k;
}

struct hs_addr_segment {
	uint64_t base, last;   /* its first and last address */
	unsigned shift;        /* bucket of addr: (addr - base) >> shift */
	size_t bucket0;        /* its buckets start here in x->buckets; one more ends the last */
};

/* Fills the buckets of the segment holding records [first, end). */
static void index_segment(struct hs_addr_index *x, struct hs_addr_segment *s, size_t first,
			  size_t end, size_t *nbuckets, size_t *cap)
{
	uint64_t span = s->last - s->base;
	size_t count = end - first, k = first, n;

	s->shift = 0;
	while ((span >> s->shift) >= count)
		s->shift++;
	n = (size_t)(span >> s->shift) + 1;
	s->bucket0 = *nbuckets;
	hs_big_array_grow((void **)&x->buckets, cap, s->bucket0 + n + 1, sizeof(*x->buckets));
	for (size_t b = 0; b < n; b++) {
		uint64_t from = s->base + ((uint64_t)b << s->shift);
		while (k < end && key(x, k) < from)
			k++;
		x->buckets[s->bucket0 + b] = (uint32_t)k;
	}
	x->buckets[s->bucket0 + n] = (uint32_t)end;
	*nbuckets = s->bucket0 + n + 1;
}

void hs_addr_index_build(struct hs_addr_index *x, const void *records, size_t stride, size_t n)
{
	size_t segments_cap = 0, nbuckets = 0, first = 0;

	*x = (struct hs_addr_index){ .records = records, .n = n, .stride = stride };
	for (size_t i = 1; i <= n; i++) {
		if (i < n && key(x, i) - key(x, i - 1) <= SEGMENT_GAP)
			continue;
		hs_xgrow((void **)&x->segments, &segments_cap, x->nsegments + 1, sizeof(*x->segments));
		struct hs_addr_segment *s = &x->segments[x->nsegments++];
		s->base = key(x, first);
		s->last = key(x, i - 1);
		index_segment(x, s, first, i, &nbuckets, &x->buckets_cap);
		first = i;
	}
}

size_t hs_addr_index_find(const struct hs_addr_index *x, uint64_t addr)
{
	/* The last segment starting at or below addr. */
	size_t lo = hs_sorted_first_after(x->segments, x->nsegments, sizeof(*x->segments),
					  offsetof(struct hs_addr_segment, base), addr), hi;
	const struct hs_addr_segment *s;
	const uint32_t *b;

	if (lo == 0 || addr > (s = &x->segments[lo - 1])->last)
		return HS_ADDR_INDEX_NONE;
	b = x->buckets + s->bucket0 + ((addr - s->base) >> s->shift);
	lo = b[0];
	hi = b[1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key(x, mid) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->n && key(x, lo) == addr ? lo : HS_ADDR_INDEX_NONE;
}

void hs_addr_index_free(struct hs_addr_index *x)
{
	free(x->segments);
	hs_big_array_free(x->buckets, x->buckets_cap, sizeof(*x->buckets));
	*x = (struct hs_addr_index){ 0 };
}
