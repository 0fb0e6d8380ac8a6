/* The rounds of the propagation: each round takes the blocks whose votes changed, decides
   each again, and for a block whose decision changed reads it and casts its slots' votes
   under the new type (taking back those of the old one), which makes the next round's
   blocks. A block changes its mind at most MAX_FLIPS times (then it keeps what it has), so
   the rounds end on any heap: on a consistent one after as many rounds as the longest
   chain of typed pointers. */
#include <stdlib.h>

#include "common/xalloc.h"
#include "typing/typing_private.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

void hs_typing_rounds(struct hs_typing *ty)
{
	struct cast_piece *pieces = NULL;
	size_t cap = 0;

	while (ty->pending.n > 0) {
		struct block_list l = ty->round;
		size_t n = 0;

		ty->round = ty->pending;
		ty->pending = l;
		ty->pending.n = 0;
		qsort(ty->round.v, ty->round.n, sizeof(*ty->round.v), cmp_u32);
		hs_xgrow((void **)&pieces, &cap, ty->round.n, sizeof(*pieces));
		for (size_t i = 0; i < ty->round.n; i++) {
			uint32_t b = ty->round.v[i], now, was = ty->decided[b];
			uint64_t usable = ty->bi.block[b].end - ty->bi.block[b].addr, len;
			struct cast_piece *p = &pieces[n];

			ty->flags[b] &= (uint8_t)~F_PENDING;
			now = hs_typing_majority(ty, b);
			if (now == was)
				continue;
			if ((ty->flags[b] >> 4) >= MAX_FLIPS) {
				ty->frozen++;
				continue;
			}
			ty->flags[b] = (uint8_t)(ty->flags[b] + F_FLIP_ONE);
			ty->decided[b] = now;
			*p = (struct cast_piece){ .addr = ty->bi.block[b].addr, .key = now, .undo = was };
			p->nelem = now != KEY_NONE ? hs_typing_nelem(ty, now, usable) : 0;
			p->undo_nelem = was != KEY_NONE ? hs_typing_nelem(ty, was, usable) : 0;
			p->len = now != KEY_NONE ? hs_typing_extent(ty, now, p->nelem) : 0;
			if (was != KEY_NONE && (len = hs_typing_extent(ty, was, p->undo_nelem)) > p->len)
				p->len = len;
			if (p->len > usable)
				p->len = usable;
			n++;
		}
		hs_typing_read_pieces(ty, pieces, n);
		hs_typing_flush(ty);
	}
	free(pieces);
}
