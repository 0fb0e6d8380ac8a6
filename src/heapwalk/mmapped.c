/* Mmapped chunks: each has a mapping of its own, its header at the mapping's start
   (prev_size 0, size with only IS_MMAPPED set). A chunk from memalign moves its header
   forward to the aligned place (prev_size = the lead, and the old header stays behind), so
   each power-of-two alignment's place is checked for such a header. */
#include <inttypes.h>

#include "heapwalk/heapwalk_private.h"

/* The chunk header memalign left `lead` bytes into the mapping, if any. memalign puts the
   user pointer at the first multiple of the alignment at least MINSIZE past the chunk, and
   the mapping is only page-aligned, so each power of two gives one place to look. */
static int find_aligned_header(struct walker *w, uint64_t page, uint64_t size, const uint8_t *start,
			       size_t have,
			       uint64_t *lead)
{
	for (uint64_t align = 32; align < size; align *= 2) {
		uint64_t user = (page + 16 + align - 1) & ~(align - 1), off, hdr[2];

		if (user - 16 - page < MINSIZE)
			user += align;
		off = user - 16 - page;
		if (off + 16 > size)
			break;
		if (off + 16 <= have)
			memcpy(hdr, start + off, sizeof(hdr));
		else if (w->p->t->ops->read(w->p->t, page + off, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr))
			continue;
		if ((hdr[0] & ~(uint64_t)w->p->l->mmapped_prev_flags) == off && (hdr[1] & SIZE_BITS) == IS_MMAPPED &&
		    (hdr[1] & ~(uint64_t)SIZE_BITS) + off == size) {
			*lead = off;
			return 1;
		}
	}
	return 0;
}

int64_t hs_mmapped_chunk_at(struct walker *w, uint64_t page, const uint64_t hdr[2], uint64_t range_end)
{
	const struct hs_glibc_layout *l = w->p->l;
	uint64_t size = hdr[1] & ~(uint64_t)SIZE_BITS, lead = 0, c, csize, usable, maplen;
	/* The mapping's start: the header (or memalign's moved one) and what the classifier sees. */
	uint8_t start[2 * 4096];
	size_t have;
	ssize_t got;
	const uint8_t *head;
	size_t avail;

	maplen = size + (l->mmapped_size_excludes_prev ? 16 : 0);
	/* maplen < size: a size so large that adding 2.43's 16 bytes wraps to a small length. */
	if (size < w->p->pagesize || maplen < size || maplen % w->p->pagesize != 0 || maplen > range_end - page)
		return 0;
	/* The second page only feeds the classifier: a mapping whose first page alone can be
	   read (a core that dropped the rest) is still the chunk it is. */
	got = w->p->t->ops->read(w->p->t, page, start, maplen < sizeof(start) ? (size_t)maplen : sizeof(start));
	if (got < 16)
		return 0;
	have = (size_t)got;
	find_aligned_header(w, page, size, start, have, &lead);
	c = page + lead;
	csize = size - lead;
	if (csize < l->mmapped_usable_hdr + 16)
		return 0;
	usable = csize - l->mmapped_usable_hdr;
	avail = lead + 16 < have ? have - lead - 16 : 0;
	if (avail > HS_BLOCK_HEAD_BYTES)
		avail = HS_BLOCK_HEAD_BYTES;
	if (avail > usable)
		avail = (size_t)usable;
	head = avail >= 16 ? start + lead + 16 : NULL;
	if (head != NULL && hs_may_be_cached(w, MMAPPED_ARENA, c, csize, head)) {
		/* 2.43 may cache small mmapped chunks in tcache: settled with the lists. */
		if (hs_add_pending(w, MMAPPED_ARENA, c, csize, usable, head, avail) < 0)
			return -1;
	} else {
		w->mmapped.live_blocks++;
		w->mmapped.live_bytes += usable;
		hs_classify_queue_push(w->queue, c + 16, usable, head, head ? avail : 0, NULL, HS_QUEUE_EMIT);
	}
	w->mmapped.mmapped_blocks++;
	w->mmapped.mmapped_bytes += maplen;
	return (int64_t)(page + maplen);
}
