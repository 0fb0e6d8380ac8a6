/* The propagation: sweeps over the blocks whose votes changed (a bitmap, one bit a block),
   alternately up and down the addresses, until none is left. A block whose decision changed
   is read and its slots cast under the new type (those of the old one taken back), which
   marks the blocks they point to. A block marked ahead of the sweep is taken in the same
   sweep, so a chain of pointers that runs in the sweep's direction (a list allocated in
   order) is followed in one sweep, whatever its length, and one that runs the other way in
   the next. The blocks are read through a window that runs ahead of the sweep, neighbours
   together: it grows while its blocks are used, and shrinks to the block itself when they
   are not (typed blocks far apart). A block changes its mind at most MAX_FLIPS times (then
   it keeps what it has), so the sweeps end on any heap. */
#include <stdlib.h>

#include "common/xalloc.h"
#include "typing/typing_private.h"

#define WINDOW_MIN ((uint64_t)4 << 10)

/* The span of the block index holding block b: a window never leaves it. */
static const struct hs_block_span *span_of_block(struct hs_typing *ty, uint32_t b)
{
	const struct hs_block_bounds *blk = &ty->bi->block[b];
	size_t lo = 0, hi = ty->bi->nspans;

	if (ty->span_hint < hi && blk->addr - ty->bi->span[ty->span_hint].lo <
				       ty->bi->span[ty->span_hint].hi - ty->bi->span[ty->span_hint].lo)
		return &ty->bi->span[ty->span_hint];
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (ty->bi->span[mid].lo <= blk->addr)
			lo = mid;
		else
			hi = mid;
	}
	return &ty->bi->span[lo];
}

/* The bytes [addr, addr + len) of block b (len at most a window) through the window, read
   again when it does not hold them; NULL when unreadable. */
static const uint8_t *window_bytes(struct hs_typing *ty, uint32_t b, uint64_t addr, uint64_t len, bool up)
{
	struct typing_window *w = &ty->window;
	const struct hs_block_span *sp;
	uint64_t lo, hi, reach;
	ssize_t got;

	if (addr >= w->lo && addr + len <= w->hi) {
		w->used += len;
		return ty->buf + (addr - w->lo);
	}
	/* Grow the reach while most of what was read is used, shrink it while little is. */
	if (w->used < (w->hi - w->lo) / 4 && w->reach / 2 >= WINDOW_MIN)
		w->reach /= 2;
	else if (w->used > (w->hi - w->lo) / 2 && w->reach < TYPING_WINDOW / 2)
		w->reach *= 2;
	reach = w->reach > len ? w->reach : len;
	sp = span_of_block(ty, b);
	/* Mostly ahead of the sweep, a quarter behind it: what a block points to is often its
	   neighbour on either side. */
	if (up) {
		lo = addr - sp->lo < reach / 4 ? sp->lo : addr - reach / 4;
		hi = sp->hi - lo < reach ? sp->hi : lo + reach;
		if (hi < addr + len)
			hi = addr + len;
	} else {
		hi = sp->hi - (addr + len) < reach / 4 ? sp->hi : addr + len + reach / 4;
		lo = hi - sp->lo < reach ? sp->lo : hi - reach;
		if (lo > addr)
			lo = addr;
	}
	w->used = len;
	got = ty->t->ops->read(ty->t, lo, ty->buf, hi - lo);
	if (got < 0 || (uint64_t)got < addr + len - lo) {
		/* Something in the window is unreadable: the block alone. */
		w->lo = w->hi = 0;
		got = ty->t->ops->read(ty->t, addr, ty->buf, len);
		if (got < 0 || (uint64_t)got < len)
			return NULL;
		w->lo = addr;
		w->hi = addr + len;
		return ty->buf;
	}
	w->lo = lo;
	w->hi = lo + (uint64_t)got;
	return ty->buf + (addr - lo);
}

static void cast_block(struct hs_typing *ty, uint32_t b, uint32_t now, uint32_t was, bool up)
{
	uint64_t addr = ty->bi->block[b].addr, usable = ty->bi->block[b].end - addr;
	struct cast_piece p = { .addr = addr, .key = now, .undo = was };
	uint64_t len;

	p.nelem = now != KEY_NONE ? hs_typing_nelem(ty, now, usable) : 0;
	p.undo_nelem = was != KEY_NONE ? hs_typing_nelem(ty, was, usable) : 0;
	p.len = now != KEY_NONE ? hs_typing_extent(ty, now, p.nelem) : 0;
	if (was != KEY_NONE && (len = hs_typing_extent(ty, was, p.undo_nelem)) > p.len)
		p.len = len;
	if (p.len > usable)
		p.len = usable;
	if (p.len > TYPING_WINDOW) {
		ty->window.lo = ty->window.hi = 0; /* the big block goes through the buffer */
		hs_typing_read_pieces(ty, &p, 1);
		return;
	}
	const uint8_t *bytes = window_bytes(ty, b, addr, p.len, up);
	if (bytes != NULL)
		hs_typing_cast_piece(ty, &p, bytes, 0, p.len);
}

static void settle(struct hs_typing *ty, uint32_t b, bool up)
{
	uint32_t was = ty->vote[b].decided, now = hs_typing_majority(ty, b);

	if (now == was)
		return;
	if ((ty->vote[b].flags >> 4) >= MAX_FLIPS) {
		ty->frozen++;
		return;
	}
	ty->vote[b].flags = (uint8_t)(ty->vote[b].flags + F_FLIP_ONE);
	ty->vote[b].decided = now;
	cast_block(ty, b, now, was, up);
}

/* Settles at once the blocks the last ones marked whose bytes the window holds, and those
   they mark in turn: a list whose items sit side by side is followed through one read. */
static void chase(struct hs_typing *ty, bool up)
{
	hs_typing_flush(ty);
	while (ty->chase.n > 0) {
		uint32_t c = ty->chase.v[--ty->chase.n];
		uint64_t bit = (uint64_t)1 << (c % 64);

		if (!(ty->pending_bits[c / 64] & bit) || ty->bi->block[c].addr < ty->window.lo ||
		    ty->bi->block[c].end > ty->window.hi)
			continue;
		ty->pending_bits[c / 64] &= ~bit;
		ty->npending--;
		settle(ty, c, up);
		hs_typing_flush(ty);
	}
}

/* One sweep; returns whether it settled any block. */
static bool sweep(struct hs_typing *ty, bool up)
{
	size_t nwords = (ty->bi->n + 63) / 64;
	bool any = false;

	for (size_t k = 0; k < nwords; k++) {
		size_t w = up ? k : nwords - 1 - k;
		uint64_t ahead = ~(uint64_t)0; /* the bits of this word the sweep has not passed */

		for (;;) {
			uint64_t *bits = &ty->pending_bits[w];
			unsigned bit;

			if ((*bits & ahead) == 0 && ty->queued > 0)
				hs_typing_flush(ty); /* its votes may mark blocks in this word */
			if ((*bits & ahead) == 0)
				break;
			if (up) {
				bit = (unsigned)__builtin_ctzll(*bits & ahead);
				ahead = bit == 63 ? 0 : ~(uint64_t)0 << (bit + 1);
			} else {
				bit = 63u - (unsigned)__builtin_clzll(*bits & ahead);
				ahead = ((uint64_t)1 << bit) - 1;
			}
			*bits &= ~((uint64_t)1 << bit);
			ty->npending--;
			settle(ty, (uint32_t)(w * 64 + bit), up);
			chase(ty, up);
			any = true;
		}
	}
	return any;
}

void hs_typing_sweeps(struct hs_typing *ty)
{
	bool up = true;

	hs_typing_flush(ty);
	ty->window.reach = TYPING_WINDOW / 4;
	while (ty->npending > 0 && sweep(ty, up))
		up = !up;
}
