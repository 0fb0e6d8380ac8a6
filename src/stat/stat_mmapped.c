/* Finding malloc's mmapped chunks without symbols or a walk. Each starts at a page of an
   anonymous writable mapping with a header of its own shape (prev_size 0 but for 2.43's
   huge-page flag, IS_MMAPPED alone in the size word's flags, a page-multiple size that fits
   what is left of the mapping). The kernel merges neighbouring anonymous mappings, so a
   chunk need not start its mapping: it may follow another chunk, or lie just below an
   arena's heap. So every page of such mappings outside the arenas' spans is looked at, in
   batches, and a hit jumps past what it covers. The search ends once mp_'s n_mmaps are
   found; what is found is checked against mp_'s counters by the caller.
   In a live process only pages that are resident or swapped are read (the page probe,
   attach.h): malloc wrote each header, and reading a page never touched would map the zero
   page in, which the pagemap then counts as present. */

#include <stddef.h>
#include <stdlib.h>

#include "common/sorted_search.h"
#include "common/xalloc.h"
#include "stat/stat.h"

#define IS_MMAPPED 2u
#define SIZE_FLAGS 7u
#define PAGE 4096u

/* The arenas' spans (a few: one per heap), sorted, apart from the ranges of every free chunk
   that s->ranges also holds: they are looked up for every page searched. */
struct spans {
	struct hs_stat_range *r;
	size_t n;
};

static int by_start(const void *a, const void *b)
{
	const struct hs_stat_range *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static void collect_spans(const struct hs_malloc_stats *s, struct spans *sp)
{
	size_t cap = 0;

	sp->r = NULL;
	sp->n = 0;
	for (size_t i = 0; i < s->nranges; i++)
		if (s->ranges[i].kind == HS_STAT_SPAN) {
			hs_xgrow((void **)&sp->r, &cap, sp->n + 1, sizeof(*sp->r));
			sp->r[sp->n++] = s->ranges[i];
		}
	qsort(sp->r, sp->n, sizeof(*sp->r), by_start);
}

/* The end of the arena span holding addr, or 0. */
static uint64_t span_end_at(const struct spans *sp, uint64_t addr)
{
	size_t i = hs_sorted_first_after(sp->r, sp->n, sizeof(*sp->r), offsetof(struct hs_stat_range, start), addr);

	return i > 0 && addr < sp->r[i - 1].end ? sp->r[i - 1].end : 0;
}

/* The length of the mapping of a chunk whose header hdr sits at a page with room bytes
   left in its mapping, or 0 when hdr is no mmapped chunk's header. */
static uint64_t chunk_length(const struct hs_glibc_layout *l, const uint64_t hdr[2], uint64_t room)
{
	uint64_t size = hdr[1] & ~(uint64_t)SIZE_FLAGS;
	/* 2.43: prev_size's bit 0 flags huge pages and the mapping is 16 bytes longer. */
	uint64_t len = size + (l->mmapped_size_excludes_prev ? 16 : 0);

	if ((hdr[0] & ~(uint64_t)l->mmapped_prev_flags) != 0 || (hdr[1] & SIZE_FLAGS) != IS_MMAPPED)
		return 0;
	if (size < PAGE || len < size || len % PAGE != 0 || len > room)
		return 0;
	return len;
}

static bool all_found(const struct hs_malloc_stats *s)
{
	return s->rss.mmapped_found >= (uint64_t)s->n_mmaps;
}

/* Looks at the pages of [lo, hi) outside the arenas' spans. */
static void search_range(const struct hs_glibc_layout *l, struct hs_malloc_stats *s, const struct spans *sp,
			 struct hs_page_probe *probe, uint64_t lo, uint64_t hi)
{
	uint64_t addrs[HS_PROBE_BATCH], hdrs[HS_PROBE_BATCH][2];
	uint64_t at = lo;

	while (at < hi && !all_found(s)) {
		bool readable[HS_PROBE_BATCH];
		uint64_t next = 0;
		size_t n = 0;

		while (at < hi && n < HS_PROBE_BATCH) {
			uint64_t end = span_end_at(sp, at);

			if (end != 0) {
				at = (end + PAGE - 1) & ~(uint64_t)(PAGE - 1);
			} else {
				if (hs_page_probe_used(probe, at))
					addrs[n++] = at;
				at += PAGE;
			}
		}
		if (n == 0)
			continue;
		hs_page_probe_read(probe, addrs, n, hdrs, readable);
		for (size_t i = 0; i < n && next == 0; i++) {
			uint64_t len;

			if (!readable[i])
				continue;
			if ((len = chunk_length(l, hdrs[i], hi - addrs[i])) == 0)
				continue;
			hs_stat_add_range(s, addrs[i], addrs[i] + len, UINT32_MAX, HS_STAT_MMAPPED);
			s->rss.mmapped_found++;
			s->rss.mmapped_bytes_found += len;
			next = addrs[i] + len;
		}
		if (next != 0)
			at = next;
	}
}

void hs_stat_find_mmapped(struct hs_target *t, const struct hs_malloc_info *m,
			  struct hs_malloc_stats *s)
{
	struct hs_page_probe *probe = hs_page_probe_open(t);
	struct spans sp;

	collect_spans(s, &sp);
	for (size_t i = 0; i < t->nmaps && !all_found(s); i++) {
		const struct hs_mapping *map = &t->maps[i];

		if (map->path == NULL && map->inode == 0 && (map->perms & HS_MAP_W))
			search_range(m->layout, s, &sp, probe, map->start, map->end);
	}
	free(sp.r);
	hs_page_probe_close(probe);
}
