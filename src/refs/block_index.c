/* The live blocks as two sorted arrays (start, end), for "which block holds this address":
   16 bytes a block, the only per-block memory besides the result. */
#include <stdlib.h>

#include "common/xalloc.h"
#include "refs/refs_private.h"

static int add_block(void *arg, const struct hs_block *b)
{
	struct block_index *bi = arg;

	bi->addr[bi->n] = b->addr;
	bi->end[bi->n] = b->addr + b->size;
	bi->n++;
	return 0;
}

void hs_block_index_build(struct block_index *bi, const struct hs_snapshot *snap)
{
	size_t n = snap->blocks.count ? (size_t)snap->blocks.count : 1;

	bi->n = 0;
	bi->addr = hs_xmalloc(n * sizeof(*bi->addr));
	bi->end = hs_xmalloc(n * sizeof(*bi->end));
	hs_block_log_each(&snap->blocks, add_block, bi);
}

void hs_block_index_free(struct block_index *bi)
{
	free(bi->addr);
	free(bi->end);
	bi->addr = bi->end = NULL;
	bi->n = 0;
}

size_t hs_block_index_first_from(const struct block_index *bi, uint64_t v)
{
	size_t lo = 0, hi = bi->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (bi->addr[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint32_t hs_block_index_find(const struct block_index *bi, uint64_t v)
{
	size_t i;

	if (bi->n == 0 || v < bi->addr[0] || v >= bi->end[bi->n - 1])
		return HS_NO_BLOCK;
	i = hs_block_index_first_from(bi, v + 1); /* first block starting after v */
	if (i == 0 || v >= bi->end[i - 1])
		return HS_NO_BLOCK;
	return (uint32_t)(i - 1);
}
