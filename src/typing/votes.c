/* The votes on each block: what the typed pointers to its start say it is. One candidate
   per block is kept inline (almost every block has one); a block pointers disagree on
   chains its other candidates in a side table. The decision is the candidate with most
   votes, ties going to the first in a fixed order (the name, then T before T *[], then the
   type index), so that it does not depend on the order the votes came in. */
#include <string.h>

#include "common/xalloc.h"
#include "typing/typing_private.h"

static void mark_pending(struct hs_typing *ty, uint32_t block)
{
	uint64_t bit = (uint64_t)1 << (block % 64);

	if (ty->pending_bits[block / 64] & bit)
		return;
	ty->pending_bits[block / 64] |= bit;
	ty->npending++;
	if (ty->chase.n == ty->chase.cap)
		hs_xgrow((void **)&ty->chase.v, &ty->chase.cap, ty->chase.n + 1, sizeof(*ty->chase.v));
	ty->chase.v[ty->chase.n++] = block;
}

static void count_extra(struct hs_typing *ty, uint32_t block, uint32_t key, int sign)
{
	uint64_t head = 0;

	if (ty->vote[block].flags & F_EXTRA)
		hs_u64map_get(&ty->extra_head, (uint64_t)block + 1, &head);
	for (uint32_t i = (uint32_t)head; i != 0; i = ty->extra[i - 1].next)
		if (ty->extra[i - 1].key == key) {
			ty->extra[i - 1].count += (uint32_t)sign;
			return;
		}
	if (sign < 0) /* a retraction of a vote never cast: nothing to take back */
		return;
	hs_xgrow((void **)&ty->extra, &ty->extra_cap, ty->nextra + 1, sizeof(*ty->extra));
	ty->extra[ty->nextra] = (struct extra_vote){ .key = key, .count = 1, .next = (uint32_t)head };
	ty->nextra++;
	hs_u64map_put(&ty->extra_head, (uint64_t)block + 1, ty->nextra);
	ty->vote[block].flags |= F_EXTRA;
}

void hs_typing_vote(struct hs_typing *ty, uint32_t block, uint32_t key, int sign)
{
	if (ty->vote[block].key == KEY_NONE && sign > 0) {
		ty->vote[block].key = key;
		ty->vote[block].count = 1;
	} else if (ty->vote[block].key == key) {
		ty->vote[block].count += (uint32_t)sign;
	} else {
		count_extra(ty, block, key, sign);
	}
	/* Another vote for what the block was settled as cannot change it. */
	if (sign < 0 || key != ty->vote[block].decided)
		mark_pending(ty, block);
}

/* Negative when key a comes before key b in the fixed order. */
static int key_order(const struct hs_typing *ty, uint32_t a, uint32_t b)
{
	const char *na = hs_debuginfo_type(ty->di, key_type(a))->name;
	const char *nb = hs_debuginfo_type(ty->di, key_type(b))->name;
	int c;

	if (na != nb) {
		if (na == NULL || nb == NULL)
			return na == NULL ? 1 : -1;
		if ((c = strcmp(na, nb)) != 0)
			return c;
	}
	if (key_pointers(a) != key_pointers(b))
		return key_pointers(a) ? 1 : -1;
	return (a > b) - (a < b);
}

static void consider(const struct hs_typing *ty, uint32_t key, uint32_t count, uint32_t *best,
		     uint32_t *best_count)
{
	if (count == 0)
		return;
	if (*best == KEY_NONE || count > *best_count || (count == *best_count && key_order(ty, key, *best) < 0)) {
		*best = key;
		*best_count = count;
	}
}

uint32_t hs_typing_majority(const struct hs_typing *ty, uint32_t block)
{
	uint32_t best = KEY_NONE, best_count = 0;
	uint64_t head = 0;

	if (ty->vote[block].key != KEY_NONE)
		consider(ty, ty->vote[block].key, ty->vote[block].count, &best, &best_count);
	if (ty->vote[block].flags & F_EXTRA)
		hs_u64map_get(&ty->extra_head, (uint64_t)block + 1, &head);
	for (uint32_t i = (uint32_t)head; i != 0; i = ty->extra[i - 1].next)
		consider(ty, ty->extra[i - 1].key, ty->extra[i - 1].count, &best, &best_count);
	return best;
}
