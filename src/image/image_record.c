/* Recording a walk's reads and saving them as a heap image (see image.h). The recording
   wraps the real target: each read goes through to it and the bytes that came back are kept
   as a piece; a read that continues the previous piece extends it (a walk reads a heap in
   order). Saving sorts the pieces, joins overlapping or touching ones and writes the result
   as ranges, the long stretches of zeros as zero ranges without bytes. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image/image_private.h"
#include "common/output_file.h"
#include "common/xalloc.h"

struct piece {
	uint64_t lo, hi;
	uint8_t *bytes;
};

struct recorder {
	struct hs_target *inner;
	struct piece *pieces;
	size_t npieces, cap;
	uint64_t kept;  /* bytes kept, overlaps between pieces counted twice */
	bool overflow;  /* a read was not kept: the image would pass HS_IMAGE_MAX_BYTES */
};

static void keep(struct recorder *r, uint64_t addr, const uint8_t *buf, uint64_t n)
{
	struct piece *last = r->npieces ? &r->pieces[r->npieces - 1] : NULL;

	if (addr + n < addr)
		return;
	if (last != NULL && addr >= last->lo && addr <= last->hi) {
		/* Continues (or repeats part of) the last piece: keep only what is new. */
		if (addr + n <= last->hi)
			return;
		buf += last->hi - addr;
		n = addr + n - last->hi;
		addr = last->hi;
	}
	if (r->overflow || n > HS_IMAGE_MAX_BYTES - r->kept) {
		r->overflow = true;
		return;
	}
	r->kept += n;
	if (last != NULL && addr == last->hi) {
		last->bytes = hs_xrealloc(last->bytes, last->hi - last->lo + n);
		memcpy(last->bytes + (last->hi - last->lo), buf, n);
		last->hi += n;
		return;
	}
	hs_xgrow((void **)&r->pieces, &r->cap, r->npieces + 1, sizeof(*r->pieces));
	r->pieces[r->npieces++] = (struct piece){ addr, addr + n, hs_xmalloc(n) };
	memcpy(r->pieces[r->npieces - 1].bytes, buf, n);
}

static ssize_t record_read(struct hs_target *t, uint64_t addr, void *buf, size_t len)
{
	struct recorder *r = t->backend;
	ssize_t n = r->inner->ops->read(r->inner, addr, buf, len);

	if (n > 0)
		keep(r, addr, buf, (uint64_t)n);
	return n;
}

static void record_destroy(struct hs_target *t)
{
	struct recorder *r = t->backend;

	for (size_t i = 0; i < r->npieces; i++)
		free(r->pieces[i].bytes);
	free(r->pieces);
	free(r);
	free(t);
}

static const struct hs_target_ops record_ops = {
	.read = record_read,
	/* Range by range, not through the inner readv: when a batch fails, the ranges that
	   could be read are still kept, so the image fails the same batch for the same reason. */
	.readv = hs_target_readv_each,
	.release = hs_target_release_nothing, /* the inner target is its owner's to let go */
	.destroy = record_destroy,
};

struct hs_target *hs_image_record(struct hs_target *inner)
{
	struct hs_target *t = hs_xcalloc(1, sizeof(*t));
	struct recorder *r = hs_xcalloc(1, sizeof(*r));

	r->inner = inner;
	*t = *inner;
	/* Borrowed, not owned: the recording never frees inner's fields. */
	t->ops = &record_ops;
	t->backend = r;
	return t;
}

static int by_start(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The ranges to write: runs of overlapping or touching pieces made contiguous, cut where
   they hold zeros. */
struct out_ranges {
	struct hs_image_range *r;
	size_t n, cap;
	uint8_t **runs; /* the runs' bytes, which the ranges point into */
	size_t nruns, runs_cap;
};

/* Zeros are stored as a zero range when there are this many in a row, or when the whole
   run is zeros (as the page headers of untouched memory are). */
#define ZERO_RANGE_MIN 64

static void add_range(struct out_ranges *o, uint64_t addr, uint64_t len, const uint8_t *bytes)
{
	hs_xgrow((void **)&o->r, &o->cap, o->n + 1, sizeof(*o->r));
	o->r[o->n++] = (struct hs_image_range){ addr, len, bytes };
}

/* Zero stretches are cut at 8-byte boundaries of the target (unless they reach the run's
   ends), so a word is never split between a stored range and a zero range: the fuzzer's
   mutator rewrites whole words. */
static void cut_zeros(struct out_ranges *o, uint64_t lo, const uint8_t *bytes, uint64_t len)
{
	uint64_t data_from = 0, i = 0;

	while (i < len) {
		uint64_t z = i, from, to;

		while (z < len && bytes[z] == 0)
			z++;
		from = i == 0 ? 0 : ((lo + i + 7) & ~7ull) - lo;
		to = z == len ? len : ((lo + z) & ~7ull) - lo;
		if (to > from && (to - from >= ZERO_RANGE_MIN || (from == 0 && to == len))) {
			if (from > data_from)
				add_range(o, lo + data_from, from - data_from, bytes + data_from);
			add_range(o, lo + from, to - from, NULL);
			data_from = to;
		}
		i = z < len ? z + 1 : z;
	}
	if (data_from < len)
		add_range(o, lo + data_from, len - data_from, bytes + data_from);
}

static void build_ranges(struct recorder *r, struct out_ranges *o)
{
	qsort(r->pieces, r->npieces, sizeof(*r->pieces), by_start);
	for (size_t i = 0; i < r->npieces;) {
		uint64_t lo = r->pieces[i].lo, hi = r->pieces[i].hi;
		uint8_t *run;
		size_t k;

		for (k = i + 1; k < r->npieces && r->pieces[k].lo <= hi; k++)
			if (r->pieces[k].hi > hi)
				hi = r->pieces[k].hi;
		run = hs_xmalloc(hi - lo);
		/* Pieces that overlap hold the same bytes: the target was stopped. */
		for (; i < k; i++)
			memcpy(run + (r->pieces[i].lo - lo), r->pieces[i].bytes, r->pieces[i].hi - r->pieces[i].lo);
		hs_xgrow((void **)&o->runs, &o->runs_cap, o->nruns + 1, sizeof(*o->runs));
		o->runs[o->nruns++] = run;
		cut_zeros(o, lo, run, hi - lo);
	}
}

static void free_ranges(struct out_ranges *o)
{
	for (size_t i = 0; i < o->nruns; i++)
		free(o->runs[i]);
	free(o->runs);
	free(o->r);
}

static void write_header(FILE *fp, const struct hs_malloc_info *m, const struct hs_totals *walked,
			 const uint32_t counts[3])
{
	uint8_t h[HEADER_BYTES] = { 0 };

	memcpy(h, IMAGE_MAGIC, 8);
	put_u32(h + 8, IMAGE_VERSION);
	put_u32(h + 12, m->have_tcache_slot ? IMAGE_HAVE_TCACHE_SLOT : 0);
	put_u32(h + 16, m->major);
	put_u32(h + 20, m->minor);
	put_u64(h + 24, m->libc_lo);
	put_u64(h + 32, m->libc_hi);
	put_u64(h + 40, m->main_arena);
	put_u64(h + 48, m->mp);
	put_u64(h + 56, (uint64_t)m->tcache_tpoff);
	for (int i = 0; i < 3; i++)
		put_u32(h + 64 + 4 * i, counts[i]);
	for (int i = 0; i < IMAGE_NTOTALS; i++)
		put_u64(h + 80 + 8 * i, hs_totals_value(walked, i));
	fwrite(h, 1, sizeof(h), fp);
}

static void write_maps(FILE *fp, const struct hs_target *t)
{
	for (size_t i = 0; i < t->nmaps; i++) {
		const struct hs_mapping *map = &t->maps[i];
		size_t pathlen = map->path ? strlen(map->path) : 0;
		uint8_t p[MAP_BYTES];

		put_u64(p, map->start);
		put_u64(p + 8, map->end);
		put_u64(p + 16, map->offset);
		put_u64(p + 24, map->inode);
		put_u32(p + 32, map->perms);
		put_u32(p + 36, (uint32_t)pathlen);
		fwrite(p, 1, sizeof(p), fp);
		fwrite(map->path ? map->path : "", 1, pathlen, fp);
	}
}

static void write_threads(FILE *fp, const struct hs_target *t)
{
	for (size_t i = 0; i < t->nthreads; i++) {
		uint8_t p[THREAD_BYTES] = { 0 };

		put_u32(p, (uint32_t)t->threads[i].tid);
		put_u64(p + 8, t->threads[i].fs_base);
		put_u64(p + 16, t->threads[i].sp);
		put_u64(p + 24, t->threads[i].pc);
		fwrite(p, 1, sizeof(p), fp);
	}
}

static void write_ranges(FILE *fp, const struct out_ranges *o)
{
	for (size_t i = 0; i < o->n; i++) {
		const struct hs_image_range *r = &o->r[i];
		uint8_t p[RANGE_BYTES];

		put_u64(p, r->addr);
		put_u64(p + 8, r->len | (r->bytes == NULL ? IMAGE_ZERO_RANGE : 0));
		fwrite(p, 1, sizeof(p), fp);
		if (r->bytes != NULL)
			fwrite(r->bytes, 1, r->len, fp);
	}
}

/* Whether the mappings fit the format (they always do for a real process). */
static bool maps_fit(const struct hs_target *t)
{
	if (t->nmaps > UINT32_MAX || t->nthreads > UINT32_MAX)
		return false;
	for (size_t i = 0; i < t->nmaps; i++)
		if (t->maps[i].path != NULL && strlen(t->maps[i].path) > IMAGE_MAX_PATH)
			return false;
	return true;
}

int hs_image_save(struct hs_target *recording, const struct hs_malloc_info *m,
		  const struct hs_totals *walked, const char *path, struct hs_error *err)
{
	struct recorder *r = recording->backend;
	struct out_ranges ranges = { 0 };
	struct hs_output out;
	uint32_t counts[3];

	if (recording->ops != &record_ops)
		return hs_fail(err, HS_ERR_OUTPUT, "only a recording can be saved as a heap image: "
			       "wrap the target with hs_image_record before the walk");
	if (r->overflow)
		return hs_fail(err, HS_ERR_OUTPUT, "the walk read more than %u MiB: too much for a heap image; "
			       "record a process with a smaller heap", HS_IMAGE_MAX_BYTES >> 20);
	if (!maps_fit(r->inner))
		return hs_fail(err, HS_ERR_OUTPUT, "the target's mappings do not fit a heap image (a path "
			       "longer than %u bytes): record another process", IMAGE_MAX_PATH);
	if (hs_output_open(&out, path, err) < 0)
		return -1;
	build_ranges(r, &ranges);
	counts[0] = (uint32_t)r->inner->nmaps;
	counts[1] = (uint32_t)r->inner->nthreads;
	counts[2] = (uint32_t)ranges.n;
	write_header(out.fp, m, walked, counts);
	write_maps(out.fp, r->inner);
	write_threads(out.fp, r->inner);
	write_ranges(out.fp, &ranges);
	free_ranges(&ranges);
	return hs_output_commit(&out, err);
}
