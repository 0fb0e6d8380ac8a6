/* The free set: every chunk held by a fastbin, a bin (unsorted, small, large) or a thread's
   tcache, each list checked the way malloc checks it and bounded by its arena's size. */
#include <inttypes.h>

#include "heapwalk/walk_private.h"

/* Reads n bytes at addr into buf, or reports the list as broken. */
static int read_node(struct walk *w, uint64_t addr, void *buf, size_t n, const char *what)
{
	if (addr % 16 != 0 || w->t->ops->read(w->t, addr, buf, n) != (ssize_t)n)
		return hs_walk_inconsistent(w, "%s: unreadable or misaligned chunk at 0x%" PRIx64, what, addr);
	return 0;
}

static int collect_fastbins(struct walk *w, struct arena *a)
{
	uint64_t bound = a->stats.totals.system_bytes / MINSIZE + 1;

	for (unsigned i = 0; i < w->l->nfastbins; i++) {
		uint64_t p = rd64(a->state, w->l->ms_fastbins + 8 * i), n = 0;

		while (p != 0) {
			uint64_t node[3]; /* prev_size, size, fd */

			if (++n > bound)
				return hs_walk_inconsistent(w, "fastbin %u of arena 0x%" PRIx64 " does not end", i, a->addr);
			if (read_node(w, p, node, sizeof(node), "fastbin") < 0)
				return -1;
			if ((node[1] & ~(uint64_t)SIZE_BITS) != MINSIZE + 16 * i)
				return hs_walk_inconsistent(w, "fastbin %u of arena 0x%" PRIx64 " holds a chunk of size "
							    "0x%" PRIx64 " at 0x%" PRIx64, i, a->addr, node[1], p);
			if (hs_addr_set_put(&w->free, p, FREE_FASTBIN) != 0)
				return hs_walk_inconsistent(w, "chunk 0x%" PRIx64 " is in two free lists", p);
			a->listed_fast_blocks++;
			p = reveal(w, p + 16, node[2]);
		}
	}
	return 0;
}

static int collect_bins(struct walk *w, struct arena *a)
{
	uint64_t bound = a->stats.totals.system_bytes / MINSIZE + 1;

	for (unsigned i = 1; i < NBINS; i++) {
		unsigned off = w->l->ms_bins + 16 * (i - 1);
		uint64_t header = a->addr + off - 16, prev = header, p = rd64(a->state, off), n = 0;

		while (p != header) {
			uint64_t node[4]; /* prev_size, size, fd, bk */
			uint64_t size;

			if (++n > bound)
				return hs_walk_inconsistent(w, "bin %u of arena 0x%" PRIx64 " does not end", i, a->addr);
			if (read_node(w, p, node, sizeof(node), "bin") < 0)
				return -1;
			size = node[1] & ~(uint64_t)SIZE_BITS;
			if (node[3] != prev || size < MINSIZE || (i >= 2 && i < 64 && size != 16 * i))
				return hs_walk_inconsistent(w, "bin %u of arena 0x%" PRIx64 ": chunk 0x%" PRIx64
							    " is not linked consistently", i, a->addr, p);
			if (hs_addr_set_put(&w->free, p, FREE_BIN) != 0)
				return hs_walk_inconsistent(w, "chunk 0x%" PRIx64 " is in two free lists", p);
			a->listed_bin_blocks++;
			a->listed_bin_bytes += size;
			prev = p;
			p = node[2];
		}
		if (rd64(a->state, off + 8) != prev)
			return hs_walk_inconsistent(w, "bin %u of arena 0x%" PRIx64 ": its last chunk does not "
						    "link back", i, a->addr);
	}
	return 0;
}

static unsigned tcache_count(const struct walk *w, const uint8_t *tc, unsigned bin)
{
	unsigned v = w->l->tc_count_bytes == 1 ? tc[bin] : (unsigned)(tc[2 * bin] | tc[2 * bin + 1] << 8);

	/* 2.42+ stores the slots still free; the entries are the bin's capacity minus those. */
	if (w->l->tc_counts_remaining)
		v = (unsigned)rd64(w->mp, w->l->mp_tcache_count) - v;
	return v;
}

static int collect_tcache(struct walk *w, const struct hs_thread *th)
{
	uint8_t tc[1024];
	uint64_t ptr;

	if (hs_target_read_u64(w->t, th->fs_base + (uint64_t)w->m->tcache_tpoff, &ptr) != 0)
		return hs_walk_inconsistent(w, "cannot read the tcache pointer of thread %d", (int)th->tid);
	if (ptr == 0 || (ptr >= w->m->libc_lo && ptr < w->m->libc_hi))
		return 0; /* no tcache yet, or 2.43's shared empty one inside libc */
	if (read_node(w, ptr, tc, w->l->tc_sizeof, "tcache") < 0)
		return -1;
	hs_addr_set_put(&w->free, ptr - 16, TCACHE_STRUCT);
	for (unsigned i = 0; i < w->l->tc_bins; i++) {
		uint64_t e = rd64(tc, w->l->tc_entries + 8 * i), n = 0;
		unsigned want = tcache_count(w, tc, i);

		while (e != 0) {
			uint64_t node[2]; /* size (at chunk+8), next (at the user pointer) */

			if (++n > 0xffff)
				return hs_walk_inconsistent(w, "tcache bin %u of thread %d does not end", i, (int)th->tid);
			if (e % 16 != 0 || w->t->ops->read(w->t, e - 8, node, sizeof(node)) != (ssize_t)sizeof(node))
				return hs_walk_inconsistent(w, "tcache bin %u of thread %d: bad entry 0x%" PRIx64,
							    i, (int)th->tid, e);
			if (i < 64 && (node[0] & ~(uint64_t)SIZE_BITS) != MINSIZE + 16 * i)
				return hs_walk_inconsistent(w, "tcache bin %u of thread %d holds a chunk of size 0x%" PRIx64,
							    i, (int)th->tid, node[0]);
			if (hs_addr_set_put(&w->free, e - 16, FREE_TCACHE) != 0)
				return hs_walk_inconsistent(w, "chunk 0x%" PRIx64 " is in two free lists", e - 16);
			w->listed_tcache_blocks++;
			e = reveal(w, e, node[1]);
		}
		if (n != want)
			return hs_walk_inconsistent(w, "tcache bin %u of thread %d: count %u, list of %" PRIu64,
						    i, (int)th->tid, want, n);
	}
	return 0;
}

int hs_collect_free_lists(struct walk *w)
{
	for (size_t i = 0; i < w->narenas; i++)
		if (collect_fastbins(w, &w->arenas[i]) < 0 || collect_bins(w, &w->arenas[i]) < 0)
			return -1;
	if (!w->m->have_tcache_slot)
		return 0;
	for (size_t k = 0; k < w->t->nthreads; k++)
		if (collect_tcache(w, &w->t->threads[k]) < 0)
			return -1;
	return 0;
}
