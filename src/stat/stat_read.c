/* Reading malloc's state by following its lists (see stat.h): for each arena of the ring,
   its top chunk, every fastbin (safe-linking decoded from 2.32) and every bin, the chain of
   heap_info of a non-main arena, and mp_'s mmap counters. Each list is checked the way
   malloc checks it (alignment, the size a fastbin holds, the back links of a bin) and bounded
   by its arena's system_mem, so a corrupt heap is an error, never a hang. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "stat/stat.h"

#define MINSIZE 32u
#define SIZE_BITS 7u
#define HEAP_MAX_SIZE ((uint64_t)64 << 20) /* 2 * DEFAULT_MMAP_THRESHOLD_MAX on LP64 */
#define MAX_ARENAS 65536

struct reader {
	struct hs_target *t;
	const struct hs_malloc_info *m;
	const struct hs_glibc_layout *l;
	struct hs_malloc_stats *s;
	struct hs_error *err;
};

static uint64_t rd64(const uint8_t *p, unsigned off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static int bad(struct reader *r, const char *what, uint64_t arena, uint64_t addr)
{
	return hs_fail(r->err, HS_ERR_WALK, "%s (arena 0x%" PRIx64 ", at 0x%" PRIx64 "): the heap is "
		       "corrupt or was caught mid-change; try again", what, arena, addr);
}

void hs_stat_add_range(struct hs_malloc_stats *s, uint64_t start, uint64_t end, uint32_t arena,
		       enum hs_stat_kind kind)
{
	hs_xgrow((void **)&s->ranges, &s->cap_ranges, s->nranges + 1, sizeof(*s->ranges));
	s->ranges[s->nranges++] = (struct hs_stat_range){ start, end, arena, kind };
}

/* One walk along one list. Bins are doubly linked: two walks, one along fd from the head
   and one along bk from the tail, meet in the middle. Every walk takes one step per round,
   and each round reads the next chunk of every walk in one batch (one system call for up
   to hundreds of lists), so the pause grows with the longest list, not with their sum. */
struct walk {
	uint32_t arena;
	uint16_t bin;      /* fastbin index, or bin index (1..127) */
	bool fast, backward, done;
	uint64_t next;     /* the chunk to read next */
	uint64_t last;     /* the chunk read last (the bin header before the first) */
	uint64_t steps;
	struct walk *partner; /* a bin's walk in the other direction */
};

struct walks {
	struct walk *w;
	size_t n, cap;
};

static void add_walk(struct walks *ws, uint32_t arena, uint16_t bin, bool fast, bool backward,
		     uint64_t first, uint64_t header)
{
	hs_xgrow((void **)&ws->w, &ws->cap, ws->n + 1, sizeof(*ws->w));
	ws->w[ws->n++] = (struct walk){ .arena = arena, .bin = bin, .fast = fast, .backward = backward,
					.next = first, .last = header, .done = fast && first == 0 };
}

static void register_lists(struct reader *r, const uint8_t *ms, uint32_t ai, struct walks *ws)
{
	uint64_t addr = r->s->arenas[ai].addr;

	for (unsigned i = 0; i < r->l->nfastbins && i < HS_STAT_NFASTBINS; i++)
		add_walk(ws, ai, (uint16_t)i, true, false, rd64(ms, r->l->ms_fastbins + 8 * i), 0);
	for (unsigned i = 1; i < HS_STAT_NBINS; i++) {
		unsigned off = r->l->ms_bins + 16 * (i - 1);
		uint64_t bin = addr + off - 16, fd = rd64(ms, off), bk = rd64(ms, off + 8);

		r->s->arenas[ai].bins[i].from = UINT64_MAX;
		if (fd == 0 || bk == 0) /* never initialised (malloc_info: r != NULL) */
			continue;
		add_walk(ws, ai, (uint16_t)i, false, false, fd, bin);
		add_walk(ws, ai, (uint16_t)i, false, true, bk, bin);
	}
}

/* A bin's two walks have met when each would step onto the chunk the other read last;
   one of them alone seeing that means a link that does not match. */
static int check_meeting(struct reader *r, struct walk *f, struct walk *b)
{
	bool fmet = f->next == b->last, bmet = b->next == f->last;

	if (fmet != bmet)
		return bad(r, "a bin's links do not match", r->s->arenas[f->arena].addr, fmet ? b->last : f->last);
	f->done = b->done = fmet;
	return 0;
}

static int take_step(struct reader *r, struct walk *w, const uint64_t c[4])
{
	struct hs_stat_arena *a = &r->s->arenas[w->arena];
	uint64_t p = w->next, size = c[1] & ~(uint64_t)SIZE_BITS;

	if (w->fast) {
		/* malloc: "memory corruption (fast)" when a chunk sits in the wrong fastbin */
		if (size / 16 - 2 != w->bin)
			return bad(r, "a fastbin chunk has the wrong size", a->addr, p);
		if (w->steps == 0)
			a->fast_first_size[w->bin] = size;
		a->fast_count[w->bin]++;
		a->fast_avail += size;
		w->next = r->l->safe_linking ? ((p + 16) >> 12) ^ c[2] : c[2];
		w->done = w->next == 0;
	} else {
		struct hs_stat_bin *b = &a->bins[w->bin];

		/* malloc: "corrupted double-linked list" */
		if ((w->backward ? c[2] : c[3]) != w->last)
			return bad(r, "a bin's back link does not match", a->addr, p);
		if (size < MINSIZE || size > a->system_mem)
			return bad(r, "a binned chunk's size is impossible", a->addr, p);
		b->count++;
		b->total += c[1];
		b->masked_total += size;
		b->from = c[1] < b->from ? c[1] : b->from;
		b->to = c[1] > b->to ? c[1] : b->to;
		w->next = w->backward ? c[3] : c[2];
	}
	w->last = p;
	hs_stat_add_range(r->s, p, p + size, w->arena, HS_STAT_FREE);
	if (++w->steps + (w->partner ? w->partner->steps : 0) > a->system_mem / MINSIZE + 1)
		return bad(r, w->fast ? "a fastbin list does not end" : "a bin's list does not end", a->addr, p);
	return 0;
}

/* Reads one batch; on failure finds the chunk that could not be read. */
static int read_batch(struct reader *r, struct walk **batch, uint64_t *addrs, void **bufs, size_t *lens, size_t n)
{
	if (n == 0 || r->t->ops->readv(r->t, addrs, bufs, lens, n) == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (r->t->ops->read(r->t, addrs[i], bufs[i], 32) != 32)
			return bad(r, "a free chunk is unreadable", r->s->arenas[batch[i]->arena].addr, addrs[i]);
	return 0;
}

static int walk_lists(struct reader *r, struct walks *ws)
{
	struct walk **batch = hs_xmalloc(ws->n * sizeof(*batch));
	uint64_t *addrs = hs_xmalloc(ws->n * sizeof(*addrs)), (*chunks)[4] = hs_xmalloc(ws->n * sizeof(*chunks));
	void **bufs = hs_xmalloc(ws->n * sizeof(*bufs));
	size_t *lens = hs_xmalloc(ws->n * sizeof(*lens));
	int rc = 0;

	for (size_t i = 0; i + 1 < ws->n; i++)
		if (!ws->w[i].fast && !ws->w[i].backward) {
			ws->w[i].partner = &ws->w[i + 1];
			ws->w[i + 1].partner = &ws->w[i];
		}
	/* The walks still going; each round drops those that ended. */
	struct walk **live = hs_xmalloc(ws->n * sizeof(*live));
	size_t nlive = 0;

	for (size_t i = 0; i < ws->n; i++)
		if (!ws->w[i].done)
			live[nlive++] = &ws->w[i];
	while (nlive > 0 && rc == 0) {
		size_t n = 0, kept = 0;

		for (size_t i = 0; i < nlive && rc == 0; i++) {
			struct walk *w = live[i];

			if (!w->fast && !w->backward && !w->done)
				rc = check_meeting(r, w, w->partner);
			if (w->done || rc != 0)
				continue;
			live[kept++] = w;
			/* An odd count: both walks would read the same chunk; the forward one does. */
			if (w->backward && w->next == w->partner->next)
				continue;
			if (w->next % 16 != 0) {
				rc = bad(r, "a free chunk is misaligned", r->s->arenas[w->arena].addr, w->next);
				break;
			}
			batch[n] = w;
			addrs[n] = w->next;
			bufs[n] = chunks[n];
			lens[n] = 32;
			n++;
		}
		nlive = kept;
		if (rc == 0)
			rc = read_batch(r, batch, addrs, bufs, lens, n);
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = take_step(r, batch[i], chunks[i]);
	}
	free(live);
	for (size_t i = 0; i < r->s->narenas; i++)
		for (unsigned b = 1; b < HS_STAT_NBINS; b++)
			if (r->s->arenas[i].bins[b].count == 0)
				r->s->arenas[i].bins[b].from = 0;
	free(batch);
	free(addrs);
	free(chunks);
	free(bufs);
	free(lens);
	return rc;
}

/* A non-main arena's heaps, from the one holding top back to the first (which holds the
   arena's malloc_state after its heap_info). */
static int read_heaps(struct reader *r, uint64_t top, struct hs_stat_arena *a, uint32_t ai)
{
	uint64_t hp = 0, max = HEAP_MAX_SIZE, h;

	if (r->l->mp_hp_pagesize != HS_NO_FIELD &&
	    hs_target_read_u64(r->t, r->m->mp + r->l->mp_hp_pagesize, &hp) == 0 && hp != 0)
		max = hp * 4;
	h = top & ~(max - 1);
	for (uint64_t n = 0; h != 0; n++) {
		uint64_t hi[4]; /* ar_ptr, prev, size, mprotect_size */

		if (n > a->system_mem / 4096 + 1)
			return bad(r, "the chain of heaps does not end", a->addr, h);
		if (r->t->ops->read(r->t, h, hi, sizeof(hi)) != sizeof(hi) || hi[0] != a->addr)
			return bad(r, "a heap's heap_info does not name its arena", a->addr, h);
		a->heap_size += hi[2];
		a->heap_mprotect_size += hi[3];
		a->heap_count++;
		hs_stat_add_range(r->s, h, h + hi[2], ai, HS_STAT_SPAN);
		hs_stat_add_range(r->s, h, h + r->l->heap_info_sizeof, ai, HS_STAT_META);
		if (hi[1] == 0 && h + r->l->heap_info_sizeof == a->addr)
			hs_stat_add_range(r->s, a->addr, a->addr + r->l->ms_sizeof, ai, HS_STAT_META);
		h = hi[1];
	}
	return 0;
}

static int read_arena(struct reader *r, uint64_t addr, uint8_t *ms, uint64_t *next, struct walks *ws)
{
	struct hs_malloc_stats *s = r->s;
	uint32_t ai = (uint32_t)s->narenas;
	struct hs_stat_arena *a;
	uint64_t top, top_size;

	if (r->t->ops->read(r->t, addr, ms, r->l->ms_sizeof) != (ssize_t)r->l->ms_sizeof)
		return bad(r, "an arena is unreadable", addr, addr);
	s->arenas = hs_xrealloc(s->arenas, (s->narenas + 1) * sizeof(*s->arenas));
	a = &s->arenas[s->narenas++];
	memset(a, 0, sizeof(*a));
	a->addr = addr;
	a->system_mem = rd64(ms, r->l->ms_system_mem);
	a->max_system_mem = rd64(ms, r->l->ms_system_mem + 8);
	top = rd64(ms, r->l->ms_top);
	*next = rd64(ms, r->l->ms_next);
	if (hs_target_read_u64(r->t, top + 8, &top_size) != 0)
		return bad(r, "the top chunk is unreadable", addr, top);
	a->top_size = top_size & ~(uint64_t)SIZE_BITS;
	if (a->top_size > a->system_mem)
		return bad(r, "the top chunk is larger than the arena", addr, top);
	hs_stat_add_range(s, top, top + a->top_size, ai, HS_STAT_FREE);
	register_lists(r, ms, ai, ws);
	if (addr != r->m->main_arena)
		return read_heaps(r, top, a, ai);
	uint64_t sbrk_base;
	if (hs_target_read_u64(r->t, r->m->mp + r->l->mp_sbrk_base, &sbrk_base) == 0 && sbrk_base != 0)
		hs_stat_add_range(s, sbrk_base, top + a->top_size, ai, HS_STAT_SPAN);
	return 0;
}

/* Each thread's tcache_perthread_struct is malloc's metadata held in a chunk. */
static void add_tcaches(struct reader *r)
{
	for (size_t k = 0; k < r->t->nthreads; k++) {
		uint64_t ptr, size;

		if (!r->m->have_tcache_slot ||
		    hs_target_read_u64(r->t, r->t->threads[k].fs_base + (uint64_t)r->m->tcache_tpoff, &ptr) != 0 ||
		    ptr == 0 || (ptr >= r->m->libc_lo && ptr < r->m->libc_hi) ||
		    hs_target_read_u64(r->t, ptr - 8, &size) != 0)
			continue;
		hs_stat_add_range(r->s, ptr - 16, ptr - 16 + (size & ~(uint64_t)SIZE_BITS), UINT32_MAX, HS_STAT_META);
	}
}

int hs_stat_read(struct hs_target *t, const struct hs_malloc_info *m, struct hs_malloc_stats *s,
		 struct hs_error *err)
{
	struct reader r = { t, m, m->layout, s, err };
	struct walks ws = { 0 };
	uint8_t *ms = hs_xmalloc(m->layout->ms_sizeof);
	uint64_t a = m->main_arena, next = 0;
	uint32_t n_mmaps;
	int rc = 0;

	s->major = m->major;
	s->minor = m->minor;
	s->fastbins = m->layout->nfastbins != 0;
	if (t->ops->read(t, m->mp + m->layout->mp_n_mmaps, &n_mmaps, 4) != 4 ||
	    hs_target_read_u64(t, m->mp + m->layout->mp_mmapped_mem, &s->mmapped_mem) != 0)
		rc = hs_fail(err, HS_ERR_TARGET, "malloc's parameters (mp_ at 0x%" PRIx64 ") are unreadable: "
			     "check that the target uses glibc malloc", m->mp);
	s->n_mmaps = (int32_t)n_mmaps;
	for (size_t n = 0; rc == 0; n++) {
		if (n >= MAX_ARENAS) {
			rc = bad(&r, "the ring of arenas does not close", a, a);
			break;
		}
		rc = read_arena(&r, a, ms, &next, &ws);
		a = next;
		if (a == m->main_arena)
			break;
	}
	free(ms);
	if (rc == 0)
		rc = walk_lists(&r, &ws);
	free(ws.w);
	if (rc == 0)
		add_tcaches(&r);
	return rc;
}

void hs_stat_free(struct hs_malloc_stats *s)
{
	free(s->arenas);
	free(s->ranges);
	memset(s, 0, sizeof(*s));
}
