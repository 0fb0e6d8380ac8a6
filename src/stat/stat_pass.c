/* stat's linear pass: one walk over each heap's chunk headers, copied a window (MiBs) at a
   time, finds the free chunks of the unsorted, small and large bins: a chunk is in one of
   them exactly when its successor's PREV_INUSE bit is clear (fastbin and tcache chunks keep
   it set). A chunk the walk of the unsorted bin met is counted there already; any other
   lies in the bin its size selects (smallbin_index and largebin_index_64, the same in every
   release from 2.26 to 2.43). The walk is bounded by the heap's size and stops at the first
   header that does not check out (HS_ERR_WALK). */
#include <inttypes.h>
#include <string.h>

#include "common/u64map.h"
#include "heapwalk/window.h"
#include "stat/stat.h"

#define SIZE_BITS 7u
#define PREV_INUSE 1u

struct pass {
	struct hs_malloc_stats *s;
	const struct u64map *unsorted;
	struct hs_stat_pages *pages;
	struct hs_error *err;
	struct hs_window win;
};

static uint64_t rd64(const uint8_t *p, unsigned off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* glibc's bin_index for a chunk size on LP64 (MALLOC_ALIGNMENT 16). */
static unsigned bin_index(uint64_t size)
{
	if (size < 1024)
		return (unsigned)(size >> 4);
	if ((size >> 6) <= 48)
		return 48 + (unsigned)(size >> 6);
	if ((size >> 9) <= 20)
		return 91 + (unsigned)(size >> 9);
	if ((size >> 12) <= 10)
		return 110 + (unsigned)(size >> 12);
	if ((size >> 15) <= 4)
		return 119 + (unsigned)(size >> 15);
	if ((size >> 18) <= 2)
		return 124 + (unsigned)(size >> 18);
	return 126;
}

static uint64_t mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Over a circular doubly linked list, each node's fd edge x -> fd is some node's bk edge
   and the fd targets are the nodes themselves; so these terms, summed over the list, cancel
   exactly when the links agree (and, but for a 2^-64 chance, only then). */
uint64_t hs_stat_link_term(uint64_t chunk, uint64_t fd, uint64_t bk)
{
	return mix(chunk ^ mix(fd + 1)) - mix(bk ^ mix(chunk + 1)) + mix(fd + 2) - mix(chunk + 2);
}

static int free_chunk(struct pass *p, uint32_t ai, uint64_t c, uint64_t raw, uint64_t fd, uint64_t bk)
{
	struct hs_stat_arena *a = &p->s->arenas[ai];
	uint64_t size = raw & ~(uint64_t)SIZE_BITS, resident, seen;

	if (hs_u64map_get(p->unsorted, c, &seen)) {
		a->unsorted_met++;
	} else {
		struct hs_stat_bin *b = &a->bins[bin_index(size)];

		b->count++;
		b->total += raw;
		b->masked_total += size;
		b->from = raw < b->from ? raw : b->from;
		b->to = raw > b->to ? raw : b->to;
		b->links_check += hs_stat_link_term(c, fd, bk);
	}
	if (p->pages == NULL)
		return 0;
	if (hs_stat_pages_resident(p->pages, c, c + size, &resident, p->err) < 0)
		return -1;
	a->pass_free_resident += resident;
	return 0;
}

/* The chunks of [first, heap_end): up to top's header (its body is not read), or (top 0,
   an older heap of a non-main arena) up to its end marker. Fenceposts and an old top's
   remnant are skipped as the take's walk does. */
static int walk_heap(struct pass *p, uint32_t ai, uint64_t first, uint64_t heap_end, uint64_t top)
{
	uint64_t arena = p->s->arenas[ai].addr, c = first, end = top ? top + 16 : heap_end;
	uint64_t bound = (end - first) / 16 + 1;

	hs_window_region(&p->win, first, end);
	while (c < end && bound-- > 0) {
		/* The header and, of a chunk that may be free, its links. */
		const uint8_t *hdr = hs_window_get(&p->win, c, c + 32 <= end ? 32 : 16);
		uint64_t raw, size, next_raw, fd, bk;

		if (hdr == NULL)
			return hs_stat_bad(p->err, "a chunk header is unreadable", arena, c);
		raw = rd64(hdr, 8);
		size = raw & ~(uint64_t)SIZE_BITS;
		if (c == top)
			return c + size == heap_end ? 0 : hs_stat_bad(p->err, "the top chunk does not end its heap", arena, c);
		if (size == 0 && top == 0)
			return 0; /* an older heap's end marker */
		if (size < 16 || size % 16 != 0 || size > end - c)
			return hs_stat_bad(p->err, "a chunk has an impossible size", arena, c);
		if (size == 16) { /* a fencepost */
			c += 16;
			continue;
		}
		fd = c + 32 <= end ? rd64(hdr, 16) : 0;
		bk = c + 32 <= end ? rd64(hdr, 24) : 0;
		hdr = c + size < end ? hs_window_get(&p->win, c + size, 16) : NULL;
		if (hdr == NULL)
			return hs_stat_bad(p->err, "a chunk runs to the end of its heap", arena, c);
		next_raw = rd64(hdr, 8);
		if (!(next_raw & PREV_INUSE) && !((next_raw & ~(uint64_t)SIZE_BITS) == 0 && top == 0)) {
			/* malloc: "corrupted size vs. prev_size" */
			if (rd64(hdr, 0) != size)
				return hs_stat_bad(p->err, "a free chunk and its successor disagree on its size", arena, c);
			if (free_chunk(p, ai, c, raw, fd, bk) < 0)
				return -1;
		}
		c += size;
	}
	if (c == end && top == 0)
		return 0;
	return hs_stat_bad(p->err, "the chunks pass the end of their heap", arena, c);
}

/* Each arena span the reading found: the main arena's one stretch from sbrk_base, or one
   heap of a non-main arena (the first also holds the arena's malloc_state). */
static int walk_span(struct pass *p, const struct hs_malloc_info *m, const struct hs_stat_range *g)
{
	const struct hs_stat_arena *a = &p->s->arenas[g->arena];
	uint64_t first = g->start, top = a->top >= g->start && a->top < g->end ? a->top : 0;

	if (a->addr != m->main_arena)
		first += m->layout->heap_info_sizeof + (first + m->layout->heap_info_sizeof == a->addr ?
							m->layout->ms_sizeof : 0);
	first = (first + 15) & ~(uint64_t)15;
	if (first >= g->end)
		return hs_stat_bad(p->err, "a heap is too small to hold a chunk", a->addr, g->start);
	return walk_heap(p, g->arena, first, g->end, top);
}

int hs_stat_pass(struct hs_target *t, const struct hs_malloc_info *m, const struct u64map *unsorted,
		 struct hs_stat_pages *pages, struct hs_malloc_stats *s, struct hs_error *err)
{
	struct pass p = { .s = s, .unsorted = unsorted, .pages = pages, .err = err };
	int rc = 0;

	hs_window_init(&p.win, t, true);
	for (size_t i = 0; i < s->nranges && rc == 0; i++)
		if (s->ranges[i].kind == HS_STAT_SPAN && !s->arenas[s->ranges[i].arena].bins_followed)
			rc = walk_span(&p, m, &s->ranges[i]);
	hs_window_free(&p.win);
	for (size_t i = 0; i < s->narenas && rc == 0; i++) {
		const struct hs_stat_arena *a = &s->arenas[i];

		if (a->bins_followed)
			continue;
		if (a->unsorted_met != a->bins[1].count)
			rc = hs_stat_bad(err, "the unsorted bin holds a chunk the heap does not show free", a->addr, a->addr);
		for (unsigned b = 2; b < HS_STAT_NBINS && rc == 0; b++)
			if (a->bins[b].links_check != 0)
				rc = hs_stat_bad(err, "a bin's forward and back links do not match", a->addr,
						 a->addr);
	}
	return rc;
}
