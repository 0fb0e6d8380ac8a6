/* fuzz_walk: libFuzzer target for the heap walker on hostile memory. An input is a heap
   image (src/image/image.h); the seeds (tests/fuzz/corpus/walk) were recorded from real
   takes. The walk may fail on any input, as it must on a corrupt heap; it must not crash,
   hang, leak or do anything ASan or UBSan reports; when it fails it must say why (an
   HS_ERR_WALK error), and when it succeeds, its totals must agree with the blocks it emitted.

   The custom mutator keeps most inputs valid images and changes the memory in them where a
   walker looks: it rewrites words of the recorded bytes (chunk headers, links, arena and
   tcache fields are most of them: the image keeps no bytes of zero stretches) into other
   addresses of the image, safe-linked ones, chunk sizes, flipped flags; it writes new words
   into zero stretches (a fake chunk inside a block), points main_arena, mp_ or a thread's
   tcache elsewhere, moves a mapping's bounds or permissions, adds a mapping where the image
   has no memory; and now and then leaves the bytes to libFuzzer's own mutations, which
   exercise the image parser. It reads the format (image_private.h) to find those places. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image/image_private.h"
#include "heapwalk/heapwalk.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

/* The page scan reads a header from every page of anonymous writable memory, so its time
   grows with the mappings' size by design (malloc keeps no list of its mmapped chunks).
   Inputs that map more than this are a slow walk, not a finding. */
#define MAX_SCANNED_BYTES (1ull << 30)

struct counts {
	uint64_t blocks, bytes;
	uint64_t shaped, named; /* sums of the bytes shown, one per thread */
};

/* Every byte the classifier is shown must be readable (ASan checks), on both threads. */
static uint8_t touch_shape(void *arg, uint64_t usable, const uint8_t *bytes, size_t avail)
{
	struct counts *c = arg;

	(void)usable;
	for (size_t i = 0; i < avail; i++)
		c->shaped += bytes[i];
	return 0;
}

static uint32_t touch_bytes(void *arg, uint64_t addr, uint64_t usable, const uint8_t *bytes,
			    size_t avail, uint8_t shape, const char *libc_name)
{
	struct counts *c = arg;

	(void)addr, (void)usable, (void)shape, (void)libc_name;
	for (size_t i = 0; i < avail; i++)
		c->named += bytes[i];
	return 0;
}

static void count_block(void *arg, uint64_t addr, uint64_t usable, uint32_t type)
{
	struct counts *c = arg;

	(void)addr, (void)type;
	c->blocks++;
	c->bytes += usable;
}

static bool scan_bounded(const struct hs_target *t)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < t->nmaps; i++)
		if ((t->maps[i].perms & HS_MAP_W) && (sum += t->maps[i].end - t->maps[i].start) > MAX_SCANNED_BYTES)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct counts c = { 0 };
	struct hs_block_sink sink = { .shape = touch_shape, .classify = touch_bytes, .emit = count_block, .arg = &c };
	struct hs_error err = { 0 };
	struct hs_malloc_info m;
	struct hs_snapshot snap;
	struct hs_target *t;

	if (hs_image_open_buffer(data, size, &t, &m, &err) < 0)
		return 0;
	if (scan_bounded(t)) {
		hs_snapshot_init(&snap);
		if (hs_heap_walk(t, &m, &sink, &snap, &err) == 0) {
			if (snap.totals.live_blocks != c.blocks || snap.totals.live_bytes != c.bytes)
				abort(); /* the totals do not count what was emitted */
		} else if (err.kind != HS_ERR_WALK) {
			abort(); /* a failed walk must say why, as an HS_ERR_WALK error */
		}
		hs_snapshot_free(&snap);
	}
	hs_target_close(t);
	hs_malloc_info_free(&m);
	return 0;
}

/* ---- the mutator ---- */

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	/* splitmix64 */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? next(r) % n : 0;
}

/* Where things are in an image's bytes. */
struct layout {
	size_t nmaps;
	size_t threads_at, nthreads;
	size_t ranges_at, nranges;
};

static bool find_layout(const uint8_t *d, size_t size, struct layout *l)
{
	size_t at = HEADER_BYTES;
	uint32_t nmaps;

	if (size < HEADER_BYTES)
		return false;
	l->nmaps = nmaps = get_u32(d + 64);
	for (uint32_t i = 0; i < nmaps; i++) {
		if (size - at < MAP_BYTES || size - at - MAP_BYTES < get_u32(d + at + 36))
			return false;
		at += MAP_BYTES + get_u32(d + at + 36);
	}
	l->threads_at = at;
	l->nthreads = get_u32(d + 68);
	l->ranges_at = at + l->nthreads * THREAD_BYTES;
	l->nranges = get_u32(d + 72);
	return true;
}

/* A random address inside a random range (16-aligned from its start most of the time). */
static uint64_t some_address(struct rng *r, const struct hs_image_range *ranges, size_t n)
{
	const struct hs_image_range *x = &ranges[below(r, n)];
	uint64_t off = below(r, x->len);

	return x->addr + (below(r, 4) ? off & ~15ull : off);
}

/* A new value for the word at addr, old being its value now. */
static uint64_t new_word(struct rng *r, uint64_t addr, uint64_t old, const struct hs_image_range *ranges,
			 size_t n)
{
	switch (below(r, 10)) {
	case 0: return 0;
	case 1: return some_address(r, ranges, n);
	case 2: return (addr >> 12) ^ some_address(r, ranges, n); /* safe-linked */
	case 3: return old ^ (1ull << below(r, 4));                /* chunk flags, alignment */
	case 4: return old ^ (1ull << below(r, 64));
	case 5: return old + 16 * (below(r, 9) - 4);
	case 6: return 16 * (1 + below(r, 300)) | below(r, 8);     /* a chunk size */
	case 7: return below(r, 2) ? addr - 16 : addr;            /* links to itself */
	case 8: return UINT64_MAX - below(r, 64);
	default: return (uint64_t)1 << below(r, 64);
	}
}

/* Rewrites a word (or a few bytes) of a range that holds bytes. */
static void mutate_bytes(struct rng *r, uint8_t *d, const struct hs_image_range *ranges, size_t n)
{
	const struct hs_image_range *x = &ranges[below(r, n)];
	uint8_t *at;
	uint64_t off, v;

	for (size_t tries = 0; x->bytes == NULL && tries < 16; tries++)
		x = &ranges[below(r, n)];
	if (x->bytes == NULL)
		return;
	at = d + (x->bytes - d); /* the image's bytes are the input's */
	if (x->len < 8 || below(r, 8) == 0) {
		size_t len = x->len < 16 ? (size_t)x->len : 16;

		off = below(r, x->len - len + 1);
		LLVMFuzzerMutate(at + off, len, len);
		return;
	}
	off = below(r, x->len - 7);
	/* Most words a walker reads are 8-aligned in the target. */
	if (below(r, 8) != 0 && (x->addr + off) % 8 != 0 && off >= (x->addr + off) % 8)
		off -= (x->addr + off) % 8;
	memcpy(&v, at + off, 8);
	v = new_word(r, x->addr + off, v, ranges, n);
	memcpy(at + off, &v, 8);
}

/* Points main_arena, mp_ or a thread's thread pointer somewhere else. */
static void mutate_roots(struct rng *r, uint8_t *d, const struct layout *l,
			 const struct hs_image_range *ranges, size_t n)
{
	size_t at = below(r, 2) || l->nthreads == 0 ? 40 + 8 * below(r, 2)
						       : l->threads_at + THREAD_BYTES * below(r, l->nthreads) + 8;

	put_u64(d + at, new_word(r, get_u64(d + at), get_u64(d + at), ranges, n));
}

/* Moves a mapping's start or end (a little, far, past 2^63 or to the top of the address
   space) or changes its permissions: the page scan goes by the mappings. */
static void mutate_map(struct rng *r, uint8_t *d, const struct layout *l)
{
	size_t at = HEADER_BYTES, pick = below(r, l->nmaps);
	uint64_t v;

	for (size_t i = 0; i < pick; i++)
		at += MAP_BYTES + get_u32(d + at + 36);
	if (below(r, 4) == 0) {
		put_u32(d + at + 32, get_u32(d + at + 32) ^ 1u << below(r, 4));
		return;
	}
	at += below(r, 2) ? 8 : 0;
	v = get_u64(d + at);
	switch (below(r, 4)) {
	case 0: v += 4096 * (below(r, 9) - 4); break;
	case 1: v += (uint64_t)1 << below(r, 40); break;
	case 2: v = (v & 0xffffffffffffull) | (uint64_t)1 << 63; break;
	default: v = UINT64_MAX - 4096 * below(r, 4); break;
	}
	put_u64(d + at, v);
}

/* Adds an anonymous writable mapping in a gap between two (or past the last): memory the
   page scan must visit, though the image holds none of it, possibly huge or past 2^63.
   Returns the new size, or size when nothing was done. */
static size_t insert_map(struct rng *r, uint8_t *d, size_t size, size_t max_size, const struct layout *l)
{
	size_t at = HEADER_BYTES, gap = below(r, l->nmaps + 1);
	uint64_t lo = 0, hi = UINT64_MAX & ~4095ull, start, len;

	if (max_size - size < MAP_BYTES)
		return size;
	for (size_t i = 0; i < gap; i++) {
		lo = get_u64(d + at + 8);
		at += MAP_BYTES + get_u32(d + at + 36);
	}
	if (gap < l->nmaps)
		hi = get_u64(d + at);
	lo = (lo + 4095) & ~4095ull;
	if (hi <= lo + 4096)
		return size;
	start = lo + (below(r, (hi - lo) / 4096) * 4096);
	len = 4096 * (1 + below(r, (uint64_t)1 << below(r, 20)));
	if (len > hi - start)
		len = hi - start;
	memmove(d + at + MAP_BYTES, d + at, size - at);
	put_u64(d + at, start);
	put_u64(d + at + 8, start + len);
	put_u64(d + at + 16, 0);
	put_u64(d + at + 24, 0);
	put_u32(d + at + 32, HS_MAP_R | HS_MAP_W | HS_MAP_PRIVATE);
	put_u32(d + at + 36, 0);
	put_u32(d + 64, (uint32_t)(l->nmaps + 1));
	return size + MAP_BYTES;
}

/* Writes 16 new bytes inside a zero range, splitting it: [zeros][16 bytes][zeros]. Returns
   the new size, or size when nothing was done. */
static size_t write_into_zeros(struct rng *r, uint8_t *d, size_t size, size_t max_size,
			       const struct layout *l, const struct hs_image_range *ranges, size_t n)
{
	size_t at = l->ranges_at, rec = 0, grow;
	uint64_t addr = 0, len = 0, pos, head, tail, words[2];
	uint8_t out[3 * RANGE_BYTES + 16], *o = out;
	size_t pick = below(r, l->nranges);

	/* The record of the pick-th range, if it is a zero range of 16 bytes or more. */
	for (size_t i = 0; i <= pick; i++) {
		uint64_t raw;

		if (size - at < RANGE_BYTES)
			return size;
		addr = get_u64(d + at);
		raw = get_u64(d + at + 8);
		len = raw & ~IMAGE_ZERO_RANGE;
		rec = at;
		at += RANGE_BYTES + (raw & IMAGE_ZERO_RANGE ? 0 : len);
		if (i == pick && (!(raw & IMAGE_ZERO_RANGE) || len < 16))
			return size;
	}
	pos = addr + below(r, len / 16) * 16;
	head = pos - addr;
	tail = addr + len - pos - 16;
	grow = (head ? RANGE_BYTES : 0) + RANGE_BYTES + 16 + (tail ? RANGE_BYTES : 0) - RANGE_BYTES;
	if (max_size - size < grow)
		return size;
	words[0] = below(r, 2) ? 0 : new_word(r, pos, 0, ranges, n);
	words[1] = new_word(r, pos + 8, 0, ranges, n);
	if (head) {
		put_u64(o, addr);
		put_u64(o + 8, head | IMAGE_ZERO_RANGE);
		o += RANGE_BYTES;
	}
	put_u64(o, pos);
	put_u64(o + 8, 16);
	put_u64(o + 16, words[0]);
	put_u64(o + 24, words[1]);
	o += RANGE_BYTES + 16;
	if (tail) {
		put_u64(o, pos + 16);
		put_u64(o + 8, tail | IMAGE_ZERO_RANGE);
		o += RANGE_BYTES;
	}
	memmove(d + rec + (size_t)(o - out), d + rec + RANGE_BYTES, size - rec - RANGE_BYTES);
	memcpy(d + rec, out, (size_t)(o - out));
	put_u32(d + 72, (uint32_t)(l->nranges + (head != 0) + (tail != 0)));
	return size + grow;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	struct rng r = { seed };
	struct hs_error err = { 0 };
	const struct hs_image_range *ranges;
	struct hs_malloc_info m;
	struct hs_target *t;
	struct layout l;
	size_t n, rounds;

	if (below(&r, 8) == 0 || !find_layout(data, size, &l) ||
	    hs_image_open_buffer(data, size, &t, &m, &err) < 0)
		return LLVMFuzzerMutate(data, size, max_size);
	ranges = hs_image_ranges(t, &n);
	rounds = n == 0 ? 0 : 1 + below(&r, 4);
	for (size_t i = 0; i < rounds; i++) {
		uint64_t what = below(&r, 16);

		if (what == 0)
			mutate_roots(&r, data, &l, ranges, n);
		else if (what == 1 && l.nmaps > 0)
			mutate_map(&r, data, &l);
		else
			mutate_bytes(&r, data, ranges, n);
	}
	/* Last: these move the bytes the ranges point into (they use only their addresses). */
	if (n > 0 && below(&r, 4) == 0)
		size = write_into_zeros(&r, data, size, max_size, &l, ranges, n);
	else if (below(&r, 16) == 0)
		size = insert_map(&r, data, size, max_size, &l);
	hs_target_close(t);
	hs_malloc_info_free(&m);
	return rounds ? size : LLVMFuzzerMutate(data, size, max_size);
}
