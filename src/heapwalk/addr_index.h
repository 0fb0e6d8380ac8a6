/* An index over an array of records sorted by chunk address: which record has this
   address? Built once the walk has recorded every free or maybe-cached chunk (in address
   order), then asked for each node of every free list. */
#ifndef HS_ADDR_INDEX_H
#define HS_ADDR_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define HS_ADDR_INDEX_NONE SIZE_MAX

struct hs_addr_index {
	const uint8_t *records; /* n records of `stride` bytes, each starting with its address */
	size_t n, stride;
	struct hs_addr_segment *segments;
	size_t nsegments;
	uint32_t *buckets;
	size_t buckets_cap;
};

/* Indexes n (below 2^32) records of `stride` bytes whose first 8 bytes are the address, in
   ascending order of address. The records must stay where they are while the index is used. */
void hs_addr_index_build(struct hs_addr_index *x, const void *records, size_t stride, size_t n);
/* The position of the record with address addr, or HS_ADDR_INDEX_NONE. */
size_t hs_addr_index_find(const struct hs_addr_index *x, uint64_t addr);
void hs_addr_index_free(struct hs_addr_index *x);

#endif
