/* An index over a sorted array of chunk addresses: where is this address in it? Built once
   the walk has recorded every free or maybe-cached chunk (in address order), then asked for
   each node of every free list. */
#ifndef HS_ADDR_INDEX_H
#define HS_ADDR_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define HS_ADDR_INDEX_NONE SIZE_MAX

struct hs_addr_index {
	uint64_t *keys; /* the addresses, ascending */
	size_t n;
	struct hs_addr_segment *segments;
	size_t nsegments;
	uint32_t *buckets;
};

/* Indexes n (below 2^32) addresses read from records of `stride` bytes whose first 8 bytes
   are the address, in ascending order of address. */
void hs_addr_index_build(struct hs_addr_index *x, const void *records, size_t stride, size_t n);
/* The position of addr among the addresses, or HS_ADDR_INDEX_NONE. */
size_t hs_addr_index_find(const struct hs_addr_index *x, uint64_t addr);
void hs_addr_index_free(struct hs_addr_index *x);

#endif
