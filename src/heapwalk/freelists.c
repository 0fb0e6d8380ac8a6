/* The free set (see heapwalk_private.h): every thread's tcache read up front; during the walk, a
   test of whether an in-use-looking chunk could be cached; after it, every fastbin, tcache
   and bin list followed through what the walk recorded, checked the way malloc checks it and
   bounded by its arena's size. */
#include <inttypes.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "common/big_array.h"
#include "heapwalk/heapwalk_private.h"

static unsigned tcache_count(const struct walk_plan *p, const uint8_t *tc, unsigned bin)
{
	unsigned v = p->l->tc_count_bytes == 1 ? tc[bin] : (unsigned)(tc[2 * bin] | tc[2 * bin + 1] << 8);

	/* 2.42+ stores the slots still free; the entries are the bin's capacity minus those. */
	if (p->l->tc_counts_remaining)
		v = (unsigned)rd64(p->mp, p->l->mp_tcache_count) - v;
	return v;
}

/* 2.34+: every entry carries the process-wide tcache_key; learn it from the first one. */
static int learn_tcache_key(struct walk_plan *p, uint64_t entry, struct hs_error *err)
{
	uint64_t node[2];

	if (entry % 16 != 0 || p->t->ops->read(p->t, entry, node, sizeof(node)) != (ssize_t)sizeof(node))
		return hs_walk_inconsistent(err, "tcache entry 0x%" PRIx64 " is unreadable", entry);
	p->tcache_key = node[1];
	p->tcache_key_known = true;
	return 0;
}

int hs_read_tcaches(struct walk_plan *p, struct hs_error *err)
{
	uint8_t tc[1024];

	if (!p->m->have_tcache_slot)
		return 0;
	p->tcaches = hs_xcalloc(p->t->nthreads ? p->t->nthreads : 1, sizeof(*p->tcaches));
	for (size_t k = 0; k < p->t->nthreads; k++) {
		const struct hs_thread *th = &p->t->threads[k];
		struct thread_tcache *tt = &p->tcaches[p->ntcaches];
		uint64_t ptr, size_field;

		if (hs_target_read_u64(p->t, th->fs_base + (uint64_t)p->m->tcache_tpoff, &ptr) != 0)
			return hs_walk_inconsistent(err, "cannot read the tcache pointer of thread %d", (int)th->tid);
		if (ptr == 0 || (ptr >= p->m->libc_lo && ptr < p->m->libc_hi))
			continue; /* no tcache yet, or 2.43's shared empty one inside libc */
		if (ptr % 16 != 0 || p->t->ops->read(p->t, ptr, tc, p->l->tc_sizeof) != (ssize_t)p->l->tc_sizeof)
			return hs_walk_inconsistent(err, "the tcache of thread %d at 0x%" PRIx64 " is unreadable",
						    (int)th->tid, ptr);
		tt->tid = th->tid;
		tt->addr = ptr;
		for (unsigned i = 0; i < p->l->tc_bins; i++) {
			tt->entries[i] = rd64(tc, p->l->tc_entries + 8 * i);
			tt->counts[i] = tcache_count(p, tc, i);
			if (tt->entries[i] == 0)
				continue;
			p->nonempty_tcache_bins[i / 64] |= 1ull << (i % 64);
			/* 2.42's large bins (64 and up) hold chunks of any larger size. */
			uint64_t largest = i < 64 ? MINSIZE + 16ull * i : UINT64_MAX;
			if (largest > p->tcache_max_chunk)
				p->tcache_max_chunk = largest;
			if (p->m->minor >= 34 && !p->tcache_key_known && learn_tcache_key(p, tt->entries[i], err) < 0)
				return -1;
		}
		hs_u64map_put(&p->tcache_structs, ptr - 16, 1);
		if (hs_target_read_u64(p->t, ptr - 8, &size_field) != 0)
			return hs_walk_inconsistent(err, "the tcache of thread %d at 0x%" PRIx64 " is unreadable",
						    (int)th->tid, ptr);
		size_field &= ~(uint64_t)SIZE_BITS;
		p->tcache_struct_size = p->ntcaches == 0 || p->tcache_struct_size == size_field ? size_field : 0;
		p->ntcaches++;
	}
	return 0;
}

/* The links of one heap's chunks mostly point into that heap: the writable mapping last
   found is tried before a search. */
static bool plausible_link(struct walker *w, uint64_t stored_at, uint64_t stored)
{
	uint64_t p = reveal(w->p, stored_at, stored);
	const struct hs_mapping *map = w->last_link_map;

	if (p == 0)
		return true;
	if (p % 16 != 0)
		return false;
	if (map != NULL && p >= map->start && p < map->end)
		return true;
	map = hs_target_find_map(w->p->t, p);
	if (map == NULL || !(map->perms & HS_MAP_W))
		return false;
	w->last_link_map = map;
	return true;
}

static bool key_matches(const struct walk_plan *p, uint64_t key)
{
	if (p->m->minor >= 34)
		return p->tcache_key_known && key == p->tcache_key;
	/* 2.29-2.33: the key is the owning thread's tcache struct. */
	for (size_t k = 0; k < p->ntcaches; k++)
		if (key == p->tcaches[k].addr)
			return true;
	return false;
}

static bool tcache_may_hold(const struct walk_plan *p, uint64_t size, unsigned bin)
{
	return p->ntcaches && size <= p->tcache_max_chunk &&
	       (bin >= 64 || (p->nonempty_tcache_bins[0] >> bin & 1));
}

static bool fastbin_may_hold(const struct walk_plan *p, uint32_t arena, uint64_t size, unsigned bin)
{
	return arena != MMAPPED_ARENA && size <= MAX_FASTBIN_CHUNK && bin < p->l->nfastbins &&
	       rd64(p->arenas[arena].state, p->l->ms_fastbins + 8 * bin) != 0;
}

void hs_find_cached_bins(struct walk_plan *p)
{
	for (uint32_t a = 0; a < p->narenas; a++) {
		p->arenas[a].cached_bins = 0;
		for (unsigned bin = 0; bin < 64; bin++)
			if (tcache_may_hold(p, MINSIZE + 16ull * bin, bin) ||
			    fastbin_may_hold(p, a, MINSIZE + 16ull * bin, bin))
				p->arenas[a].cached_bins |= 1ull << bin;
	}
}

bool hs_may_be_cached_by_shape(struct walker *w, uint32_t arena, uint64_t chunk, uint64_t size,
			       const uint8_t *user16)
{
	uint64_t link = rd64(user16, 0), key = rd64(user16, 8);
	unsigned bin = (unsigned)((size - MINSIZE) / 16);

	if (tcache_may_hold(w->p, size, bin)) {
		bool shaped = w->p->m->minor >= 29 ? key_matches(w->p, key) : plausible_link(w, chunk + 16, link);
		if (shaped)
			return true;
	}
	if (fastbin_may_hold(w->p, arena, size, bin))
		return plausible_link(w, chunk + 16, link);
	return false;
}

int hs_add_pending(struct walker *w, uint32_t arena, uint64_t chunk, uint64_t size, uint64_t usable,
		   const uint8_t *head, size_t avail)
{
	if (w->npending >= HS_QUEUE_EMIT)
		return hs_walk_inconsistent(w->err, "more possibly cached chunks than heapsnap can hold");
	if (size >> PENDING_SIZE_BITS != 0 || size - usable > 0xff)
		return hs_walk_inconsistent(w->err, "chunk 0x%" PRIx64 " of 0x%" PRIx64 " bytes is larger than "
					    "heapsnap can hold", chunk, size);
	hs_big_array_grow((void **)&w->pending, &w->pending_cap, w->npending + 1, sizeof(*w->pending));
	w->pending[w->npending] = (struct pending){ .addr = chunk, .size = size, .header = size - usable,
						    .link = rd64(head, 0), .recorded = (uint32_t)w->npending,
						    .arena = arena };
	hs_classify_queue_push(w->queue, chunk + 16, usable, head, avail, NULL, (uint32_t)w->npending);
	w->npending++;
	return 0;
}

int hs_add_bin_chunk(struct walker *w, uint32_t arena, uint64_t chunk, uint64_t size, uint64_t fd,
		     uint64_t bk)
{
	if (w->nbin_chunks >= UINT32_MAX - 1)
		return hs_walk_inconsistent(w->err, "more free chunks than heapsnap can hold");
	if (size >> BIN_CHUNK_SIZE_BITS != 0)
		return hs_walk_inconsistent(w->err, "free chunk 0x%" PRIx64 " of 0x%" PRIx64 " bytes is larger than "
					    "heapsnap can hold", chunk, size);
	hs_big_array_grow((void **)&w->bin_chunks, &w->bin_chunks_cap, w->nbin_chunks + 1,
			  sizeof(*w->bin_chunks));
	w->bin_chunks[w->nbin_chunks++] = (struct bin_chunk){ .addr = chunk, .size = size, .fd = fd,
							      .bk = bk, .arena = arena };
	return 0;
}

/* Where addr is in some walker's records, pending ones or free ones: the index, and the
   walker in *owner; HS_ADDR_INDEX_NONE when no walker saw such a chunk there. */
static size_t record_at(const struct settle *s, uint64_t addr, bool pending, struct walker **owner)
{
	for (unsigned k = 0; k < s->nwalkers; k++) {
		struct walker *v = s->walkers[k];
		size_t i = hs_addr_index_find(pending ? &v->pending_index : &v->bin_index, addr);
		if (i != HS_ADDR_INDEX_NONE) {
			*owner = v;
			return i;
		}
	}
	return HS_ADDR_INDEX_NONE;
}

/* The pending chunk at addr, or NULL when no walker saw such an in-use chunk. */
static struct pending *pending_at(const struct settle *s, uint64_t addr)
{
	struct walker *v;
	size_t i = record_at(s, addr, true, &v);

	return i != HS_ADDR_INDEX_NONE ? &v->pending[i] : NULL;
}

/* The free chunk at addr, or NULL when no walker saw one there. */
static struct bin_chunk *bin_chunk_at(const struct settle *s, uint64_t addr)
{
	struct walker *v;
	size_t i = record_at(s, addr, false, &v);

	return i != HS_ADDR_INDEX_NONE ? &v->bin_chunks[i] : NULL;
}

static int resolve_fastbins(const struct settle *s, uint32_t ai)
{
	const struct arena *a = &s->p->arenas[ai];
	struct hs_totals *tot = &s->fig->arenas[ai].totals;
	uint64_t bound = a->stats.totals.system_bytes / MINSIZE + 1;

	for (unsigned i = 0; i < s->p->l->nfastbins; i++) {
		uint64_t p = rd64(a->state, s->p->l->ms_fastbins + 8 * i), n = 0;

		while (p != 0) {
			struct pending *c = pending_at(s, p);

			if (++n > bound)
				return hs_walk_inconsistent(s->err, "fastbin %u of arena 0x%" PRIx64 " does not end", i, a->addr);
			if (c == NULL || c->arena != ai || c->size != MINSIZE + 16 * i || c->where != PENDING_UNDECIDED)
				return hs_walk_inconsistent(s->err, "fastbin %u of arena 0x%" PRIx64 " holds 0x%" PRIx64
							    ", which is no free chunk of its size in that arena",
							    i, a->addr, p);
			c->where = PENDING_FASTBIN;
			tot->fastbin_blocks++;
			tot->fastbin_bytes += c->size;
			p = reveal(s->p, p + 16, c->link);
		}
	}
	return 0;
}

static int resolve_tcache(const struct settle *s, const struct thread_tcache *tt)
{
	for (unsigned i = 0; i < s->p->l->tc_bins; i++) {
		uint64_t e = tt->entries[i], n = 0;

		while (e != 0) {
			struct pending *c = pending_at(s, e - 16);

			if (++n > 0xffff)
				return hs_walk_inconsistent(s->err, "tcache bin %u of thread %d does not end", i, (int)tt->tid);
			if (c == NULL || (i < 64 && c->size != MINSIZE + 16 * i) || c->where != PENDING_UNDECIDED)
				return hs_walk_inconsistent(s->err, "tcache bin %u of thread %d holds 0x%" PRIx64 ", which is "
							    "no free chunk of its size", i, (int)tt->tid, e - 16);
			c->where = PENDING_TCACHE;
			struct hs_totals *tot = c->arena == MMAPPED_ARENA ? &s->fig->mmapped : &s->fig->arenas[c->arena].totals;
			tot->tcache_blocks++;
			tot->tcache_bytes += c->size;
			e = reveal(s->p, e, c->link);
		}
		if (n != tt->counts[i])
			return hs_walk_inconsistent(s->err, "tcache bin %u of thread %d: count %u, list of %" PRIu64,
						    i, (int)tt->tid, tt->counts[i], n);
	}
	return 0;
}

static int resolve_bins(const struct settle *s, uint32_t ai)
{
	const struct arena *a = &s->p->arenas[ai];
	const struct hs_totals *tot = &s->fig->arenas[ai].totals;
	uint64_t bound = a->stats.totals.system_bytes / MINSIZE + 1, listed = 0;

	for (unsigned i = 1; i < NBINS; i++) {
		unsigned off = s->p->l->ms_bins + 16 * (i - 1);
		uint64_t header = a->addr + off - 16, prev = header, p = rd64(a->state, off), n = 0;

		while (p != header) {
			struct bin_chunk *c = bin_chunk_at(s, p);

			if (++n > bound)
				return hs_walk_inconsistent(s->err, "bin %u of arena 0x%" PRIx64 " does not end", i, a->addr);
			if (c == NULL || c->arena != ai || c->listed || c->bk != prev ||
			    (i >= 2 && i < 64 && c->size != 16 * i))
				return hs_walk_inconsistent(s->err, "bin %u of arena 0x%" PRIx64 ": chunk 0x%" PRIx64
							    " is not linked consistently", i, a->addr, p);
			c->listed = true;
			listed++;
			prev = p;
			p = c->fd;
		}
		if (rd64(a->state, off + 8) != prev)
			return hs_walk_inconsistent(s->err, "bin %u of arena 0x%" PRIx64 ": its last chunk does not "
						    "link back", i, a->addr);
	}
	if (listed != tot->free_blocks)
		return hs_walk_inconsistent(s->err, "arena 0x%" PRIx64 ": %" PRIu64 " chunks in its bins, %" PRIu64
					    " found free in its heaps", a->addr, listed, tot->free_blocks);
	return 0;
}

/* The pending chunks no list holds: live after all, emitted with the types their walker's
   queue gave them. */
static void emit_pending_live(const struct settle *s, const struct walker *v)
{
	for (size_t i = 0; i < v->npending; i++) {
		const struct pending *c = &v->pending[i];
		struct hs_totals *tot;

		if (c->where != PENDING_UNDECIDED)
			continue;
		tot = c->arena == MMAPPED_ARENA ? &s->fig->mmapped : &s->fig->arenas[c->arena].totals;
		tot->live_blocks++;
		tot->live_bytes += c->size - c->header;
		if (c->arena != MMAPPED_ARENA)
			tot->live_chunk_bytes += c->size;
		s->sink->emit(s->sink->arg, c->addr + 16, c->size - c->header,
			      hs_classify_queue_type(v->queue, c->recorded));
	}
}

static int cmp_bin_chunk(const void *a, const void *b)
{
	const struct bin_chunk *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

/* Sorts the records by address, unless the walk already met them in that order (it does,
   but for heaps in memory the page scan does not cover), and indexes them. */
static void index_records(void *records, size_t n, size_t stride, int (*cmp)(const void *, const void *),
			  struct hs_addr_index *index)
{
	for (size_t i = 1; i < n; i++)
		if (cmp((uint8_t *)records + (i - 1) * stride, (uint8_t *)records + i * stride) > 0) {
			qsort(records, n, stride, cmp);
			break;
		}
	hs_addr_index_build(index, records, stride, n);
}

int hs_resolve_free_lists(const struct settle *s)
{
	/* Each walker's records stay where they are, each indexed: a list may run through several. */
	for (unsigned k = 0; k < s->nwalkers; k++) {
		struct walker *v = s->walkers[k];
		index_records(v->bin_chunks, v->nbin_chunks, sizeof(*v->bin_chunks), cmp_bin_chunk, &v->bin_index);
		index_records(v->pending, v->npending, sizeof(*v->pending), cmp_pending, &v->pending_index);
	}
	for (uint32_t i = 0; i < s->p->narenas; i++)
		if (resolve_fastbins(s, i) < 0 || resolve_bins(s, i) < 0)
			return -1;
	for (size_t k = 0; k < s->p->ntcaches; k++)
		if (resolve_tcache(s, &s->p->tcaches[k]) < 0)
			return -1;
	/* The queues are drained: the sink is used directly. */
	for (unsigned k = 0; k < s->nwalkers; k++)
		emit_pending_live(s, s->walkers[k]);
	return 0;
}
