/* Walking the chunks of one stretch of arena memory, in address order, reading it through
   the window. Every byte of [first, end) is accounted to exactly one figure: a live block's
   chunk, a free chunk (bin; tcache and fastbin ones are settled after the walk), the top
   chunk, or overhead (fenceposts, the remnant of an old top, an old heap's end marker). */
#include <inttypes.h>

#include "heapwalk/heapwalk_private.h"

/* An in-use-looking chunk: handed to the classification queue with its first bytes, while
   they are in the window, to be emitted, or held back when it may turn out to be in a
   tcache or fastbin. */
static int in_use_chunk(struct walker *w, uint32_t ai, uint64_t c, uint64_t size)
{
	struct hs_totals *tot = &w->tally[ai].totals;
	uint64_t usable = size - 8;
	size_t avail = usable < HS_BLOCK_HEAD_BYTES ? (size_t)usable : HS_BLOCK_HEAD_BYTES;
	const uint8_t *head = hs_window_get(&w->win, c + 16, avail);
	uint64_t seen_value;
	/* Most chunks are ruled out by their size, without a lookup. */
	bool tcache_struct = (w->p->tcache_struct_size == 0 || size == w->p->tcache_struct_size) &&
			     hs_u64map_get(&w->p->tcache_structs, c, &seen_value);

	if (head == NULL)
		return hs_walk_inconsistent(w->err, "cannot read the chunk at 0x%" PRIx64, c);
	if (!tcache_struct && hs_may_be_cached(w, ai, c, size, head))
		return hs_add_pending(w, ai, c, size, usable, head, avail);
	tot->live_blocks++;
	tot->live_bytes += usable;
	tot->live_chunk_bytes += size;
	hs_classify_queue_push(w->queue, c + 16, usable, head, avail,
			       tcache_struct ? "glibc:tcache_perthread_struct" : NULL, HS_QUEUE_EMIT);
	return 0;
}

/* A chunk whose successor says it is free: recorded with its links for the bin check. */
static int free_chunk(struct walker *w, uint32_t ai, uint64_t c, uint64_t size)
{
	struct hs_totals *tot = &w->tally[ai].totals;
	const uint8_t *links = hs_window_get(&w->win, c + 16, 16);

	if (links == NULL)
		return hs_walk_inconsistent(w->err, "cannot read the free chunk at 0x%" PRIx64, c);
	tot->free_blocks++;
	tot->free_bytes += size;
	return hs_add_bin_chunk(w, ai, c, size, rd64(links, 0), rd64(links, 8));
}

int hs_walk_chunks(struct walker *w, uint32_t ai, uint64_t first, uint64_t end, uint64_t top)
{
	const struct arena *a = &w->p->arenas[ai];
	struct hs_totals *tot = &w->tally[ai].totals;
	uint64_t c = first, bound = (end - first) / 16 + 1;

	hs_window_region(&w->win, first, end);
	while (c < end && bound-- > 0) {
		const uint8_t *hdr = hs_window_get(&w->win, c, 16);
		uint64_t size, next, next_size;
		int rc;

		if (hdr == NULL)
			return hs_walk_inconsistent(w->err, "arena 0x%" PRIx64 ": cannot read the chunk at 0x%" PRIx64,
						    a->addr, c);
		size = rd64(hdr, 8) & ~(uint64_t)SIZE_BITS;
		if (c == top) {
			if (c + size != end)
				return hs_walk_inconsistent(w->err, "arena 0x%" PRIx64 ": top chunk 0x%" PRIx64 " of size 0x%"
							    PRIx64 " does not end its heap at 0x%" PRIx64,
							    a->addr, c, size, end);
			tot->top_bytes += size;
			return 0;
		}
		if (size == 0 && top == 0) {
			/* The end marker of an older heap of a non-main arena. */
			tot->overhead_bytes += end - c;
			return 0;
		}
		if (size < 16 || size % 16 != 0 || size > end - c)
			return hs_walk_inconsistent(w->err, "arena 0x%" PRIx64 ": chunk 0x%" PRIx64 " has a bad size 0x%"
						    PRIx64, a->addr, c, size);
		if (size == 16) {
			/* A fencepost (or a 16-byte old-top remnant): never a block. */
			tot->overhead_bytes += 16;
			c += 16;
			continue;
		}
		next = c + size;
		hdr = next < end ? hs_window_get(&w->win, next, 16) : NULL;
		if (hdr == NULL)
			return hs_walk_inconsistent(w->err, "arena 0x%" PRIx64 ": chunk 0x%" PRIx64 " runs to the end of "
						    "its heap", a->addr, c);
		next_size = rd64(hdr, 8);
		if ((next_size & ~(uint64_t)SIZE_BITS) == 0 && top == 0) {
			/* The remnant of an old top just before an old heap's end marker. */
			tot->overhead_bytes += size;
			rc = 0;
		} else if (!(next_size & PREV_INUSE)) {
			if (rd64(hdr, 0) != size)
				return hs_walk_inconsistent(w->err, "arena 0x%" PRIx64 ": free chunk 0x%" PRIx64 " and its "
							    "successor disagree on its size", a->addr, c);
			rc = free_chunk(w, ai, c, size);
		} else {
			rc = in_use_chunk(w, ai, c, size);
		}
		if (rc < 0)
			return -1;
		c = next;
	}
	/* Only a main-arena segment before the newest ends without top or an end marker. */
	if (c == end && top == NOT_TOP)
		return 0;
	return hs_walk_inconsistent(w->err, "arena 0x%" PRIx64 ": the chunks pass the end of the heap at 0x%"
				    PRIx64, a->addr, end);
}

/* Non-main arenas: heaps aligned to their maximum size, newest holding top, older ones
   reached through heap_info.prev. */
int hs_find_arena_heaps(struct walk_plan *p, uint32_t ai, struct hs_error *err)
{
	const struct hs_glibc_layout *l = p->l;
	struct arena *a = &p->arenas[ai];
	uint64_t top = rd64(a->state, l->ms_top);
	uint64_t hp = l->mp_hp_pagesize == HS_NO_FIELD ? 0 : rd64(p->mp, l->mp_hp_pagesize);
	uint64_t heap_max = hp ? 4 * hp : 64ull << 20;
	uint64_t h = top & ~(heap_max - 1), heaps = 0, bytes = 0;
	uint64_t bound = a->stats.totals.system_bytes / p->pagesize + 1;
	/* The heaps seen: a prev link back to one of them would loop until the bound, which a
	   damaged system_mem makes endless. */
	struct u64map seen = { 0 };
	uint64_t seen_value;
	int rc = 0;

	while (h != 0) {
		uint64_t info[4]; /* ar_ptr, prev, size, mprotect_size */
		uint64_t first;

		if (++heaps > bound || p->t->ops->read(p->t, h, info, sizeof(info)) != (ssize_t)sizeof(info))
			rc = hs_walk_inconsistent(err, "arena 0x%" PRIx64 ": heap 0x%" PRIx64 " is unreadable", a->addr, h);
		else if (info[0] != a->addr || info[2] < l->heap_info_sizeof || info[2] > heap_max)
			rc = hs_walk_inconsistent(err, "arena 0x%" PRIx64 ": heap 0x%" PRIx64 " does not belong to it",
						  a->addr, h);
		else if (hs_u64map_get(&seen, h, &seen_value))
			rc = hs_walk_inconsistent(err, "arena 0x%" PRIx64 ": its list of heaps loops at 0x%" PRIx64,
						  a->addr, h);
		if (rc < 0)
			break;
		hs_u64map_put(&seen, h, 1);
		/* The arena's first heap also holds its malloc_state, right after heap_info. */
		first = a->addr == h + l->heap_info_sizeof ? a->addr + l->ms_sizeof : h + l->heap_info_sizeof;
		first = (first + 15) & ~15ull;
		a->stats.totals.overhead_bytes += first - h;
		hs_plan_add_heap(p, &(struct heap_region){ .lo = h, .hi = h + heap_max, .first = first,
							   .end = h + info[2], .top = heaps == 1 ? top : 0,
							   .arena = ai });
		bytes += info[2];
		h = info[1];
	}
	hs_u64map_free(&seen);
	if (rc < 0)
		return -1;
	a->stats.heaps = heaps;
	if (bytes != a->stats.totals.system_bytes)
		return hs_walk_inconsistent(err, "arena 0x%" PRIx64 ": its heaps hold 0x%" PRIx64 " bytes, "
					    "system_mem says 0x%" PRIx64, a->addr, bytes, a->stats.totals.system_bytes);
	return 0;
}
