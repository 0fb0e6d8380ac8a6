/* take --refs: the conservative reference scan of a stopped target. Every root (a thread's
   registers, stack and static TLS, the writable segments of every module, every other
   writable mapping that is not malloc's) and every live block is scanned for words that
   point into a live block; from that graph, per block, the shortest chain from a root, the
   root node that owns it, and for the blocks nothing reaches, LeakSanitizer's split into
   direct and indirect leaks. The result goes into snap->refs (docs/snapshot-format.md). */
#ifndef HS_REFS_H
#define HS_REFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attach/attach.h"
#include "common/error.h"
#include "locate/locate.h"
#include "snapshot/snapshot.h"

/* The live blocks' address index (block_index.c): which block holds an address. Shared
   with src/typing, which asks which block starts at a pointer's value. */
/* A run of blocks with no gap wider than SPAN_GAP between them (in a lazy index, a run of
   the block log): [lo, hi) holds all their bytes, they are block[first_block, first_block +
   nblocks), and first[k] (k counted in granules of 2^shift bytes from lo) is the index of
   the first block starting at or after the granule's start. ready: the blocks and the table
   are filled (a lazy index fills them from the log's run at the first lookup). */
struct hs_block_span {
	uint64_t lo, hi;
	uint32_t *first;
	size_t first_block, nblocks, run;
	bool ready;
};

/* The live blocks in address order. The spans, in address order, find a block in O(1) plus
   the few blocks of one granule. */
struct hs_block_index {
	struct hs_block_bounds *block;
	size_t n, block_cap;
	struct hs_block_span *span;
	size_t nspans;
	uint32_t *granules; /* every span's first[], one allocation */
	size_t granules_cap;
	unsigned shift;
	const struct hs_block_log *log; /* a lazy index's: where its spans are filled from */
};

#define HS_NO_BLOCK UINT32_MAX

void hs_block_index_build(struct hs_block_index *bi, const struct hs_snapshot *snap);
/* The same index, lazy: a span's blocks are decoded from snap's block log (which must
   outlive the index) when a lookup (hs_block_index_start) first lands in it, so that only
   the blocks it returns and their spans' are in the array. A lookup may write the index:
   one thread at a time. hs_block_index_first_from needs a full index. */
void hs_block_index_lazy(struct hs_block_index *bi, const struct hs_snapshot *snap);
void hs_block_index_free(struct hs_block_index *bi);
/* A lookup in two steps, so that a caller can start many before finishing the first and
   their cache misses overlap: hs_block_index_start returns the table entry of v's granule
   (its read started), or NULL when no block can hold v; *hint (0 at first) is the caller's
   memory of the span found last, tried first. hs_block_index_finish then gives, for n such
   values, block[k] holding v[k] or HS_NO_BLOCK. */
const uint32_t *hs_block_index_start(const struct hs_block_index *bi, uint64_t v, size_t *hint);
void hs_block_index_finish(const struct hs_block_index *bi, const uint64_t *v, const uint32_t *const *granule,
			   uint32_t *block, size_t n);
/* The first block starting at or after v (bi->n when none); bi built whole. */
size_t hs_block_index_first_from(const struct hs_block_index *bi, uint64_t v);

/* Scans t (stopped, or a core) for references between the blocks already in snap (its block
   list complete: the walk finished; bi its index) and sets snap->refs. Reads block contents
   through t and stores none of them. */
int hs_refs_take(struct hs_target *t, const struct hs_malloc_info *m, struct hs_snapshot *snap,
		 const struct hs_block_index *bi, struct hs_error *err);

#endif
