/* The one binary search over arrays sorted by a uint64_t key (a range's start, an address):
   the target's mappings, a core's segments and file notes, an image's ranges, the address
   index's segments and the classifier's range sets all find their element with it. */
#ifndef HS_SORTED_SEARCH_H
#define HS_SORTED_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The index of the first of n elements (stride bytes apart from base, each with its key at
   key_offset, keys ascending) whose key is above key; n when none is. The element that
   may hold key, when the array is of sorted disjoint ranges, is the one before. */
static inline size_t hs_sorted_first_after(const void *base, size_t n, size_t stride, size_t key_offset,
					   uint64_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k;

		memcpy(&k, (const uint8_t *)base + mid * stride + key_offset, sizeof(k));
		if (k <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#endif
