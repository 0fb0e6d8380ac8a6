/* Locating malloc's state without symbols (--no-debuginfo, or a host without libc's debug
   file): main_arena is the one place in libc's writable data where all 127 bin headers are
   either empty (pointing at themselves) or point at heap memory; mp_ is the one place whose
   counters and limits agree with each other and with main_arena; the tcache TLS slot is the
   one whose value in every thread is NULL or a tcache-sized chunk. */
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "locate/locate_private.h"

#define NBINS 128

struct rw_image {
	uint64_t lo, hi;
	uint8_t *bytes;
};

static uint64_t word_at(const struct rw_image *img, uint64_t addr)
{
	uint64_t v;
	memcpy(&v, img->bytes + (addr - img->lo), sizeof(v));
	return v;
}

static uint32_t u32_at(const struct rw_image *img, uint64_t addr)
{
	uint32_t v;
	memcpy(&v, img->bytes + (addr - img->lo), sizeof(v));
	return v;
}

static int is_rw_memory(const struct hs_target *t, uint64_t addr)
{
	const struct hs_mapping *map = hs_target_find_map(t, addr);
	return map != NULL && (map->perms & (HS_MAP_R | HS_MAP_W)) == (HS_MAP_R | HS_MAP_W);
}

/* libc's writable data: its file-backed rw mapping(s) and the anonymous .bss after them. */
static int read_rw_image(struct hs_target *t, const struct hs_malloc_info *m, struct rw_image *img)
{
	img->lo = img->hi = 0;
	for (size_t i = 0; i < t->nmaps; i++) {
		const struct hs_mapping *map = &t->maps[i];
		int in_libc = map->start >= m->libc_lo && map->start < m->libc_hi && map->path != NULL;
		int bss = img->hi == map->start && map->path == NULL;

		if (!(map->perms & HS_MAP_W) || !(in_libc || bss))
			continue;
		if (img->lo == 0)
			img->lo = map->start;
		if (map->start != img->hi && img->hi != 0)
			break;
		img->hi = map->end;
	}
	if (img->lo == 0 || img->hi - img->lo > (64u << 20))
		return -1;
	img->bytes = hs_xmalloc(img->hi - img->lo);
	return t->ops->read(t, img->lo, img->bytes, img->hi - img->lo) == (ssize_t)(img->hi - img->lo) ? 0 : -1;
}

static int looks_like_main_arena(const struct hs_target *t, const struct rw_image *img,
				 const struct hs_glibc_layout *l, uint64_t a)
{
	uint64_t top, next;

	for (unsigned i = 1; i < NBINS; i++) {
		uint64_t slot = a + l->ms_bins + 16 * (i - 1);
		uint64_t fd = word_at(img, slot), bk = word_at(img, slot + 8), header = slot - 16;

		if (fd == header && bk == header)
			continue;
		if (fd == header || bk == header || fd % 16 || bk % 16 || !is_rw_memory(t, fd) ||
		    !is_rw_memory(t, bk))
			return 0;
	}
	top = word_at(img, a + l->ms_top);
	next = word_at(img, a + l->ms_next);
	if (top != a + l->ms_bins - 16 && (top % 16 || !is_rw_memory(t, top)))
		return 0;
	return next == a || (next % 16 == 0 && is_rw_memory(t, next));
}

static int scan_main_arena(const struct hs_target *t, const struct rw_image *img, struct hs_malloc_info *m)
{
	const struct hs_glibc_layout *l = m->layout;
	uint64_t found = 0;

	for (uint64_t a = img->lo; a + l->ms_sizeof <= img->hi; a += 8) {
		/* Cheap first test: the unsorted bin's header is self-referencing or points out. */
		uint64_t fd = word_at(img, a + l->ms_bins);
		if (fd != a + l->ms_bins - 16 && (fd < img->lo || fd >= img->hi) && fd % 16 == 0 && fd != 0) {
			if (!is_rw_memory(t, fd))
				continue;
		} else if (fd != a + l->ms_bins - 16) {
			continue;
		}
		if (!looks_like_main_arena(t, img, l, a))
			continue;
		if (found)
			return -1; /* two candidates: refuse to guess */
		found = a;
	}
	m->main_arena = found;
	return found ? 0 : -1;
}

/* Scores a candidate for mp_: 0 when a hard rule fails, else one point per agreement with
   malloc's own invariants and defaults. */
static int looks_like_mp(const struct hs_target *t, const struct rw_image *img,
			 const struct hs_glibc_layout *l, uint64_t p, uint64_t main_top,
			 uint64_t main_system_mem)
{
	int32_t n_mmaps = (int32_t)u32_at(img, p + l->mp_n_mmaps);
	int32_t n_mmaps_max = (int32_t)u32_at(img, p + l->mp_n_mmaps_max);
	int32_t max_n_mmaps = (int32_t)u32_at(img, p + l->mp_n_mmaps + 8);
	int32_t no_dyn_threshold = (int32_t)u32_at(img, p + l->mp_n_mmaps + 12);
	uint64_t mmapped = word_at(img, p + l->mp_mmapped_mem);
	uint64_t max_mmapped = word_at(img, p + l->mp_mmapped_mem + 8);
	uint64_t sbrk_base = word_at(img, p + l->mp_sbrk_base);
	uint64_t bins = word_at(img, p + l->mp_tcache_bins);
	uint64_t max_bytes = word_at(img, p + l->mp_tcache_max_bytes);
	uint64_t count = word_at(img, p + l->mp_tcache_count);
	uint64_t trim = word_at(img, p + 0), threshold = word_at(img, p + l->mp_mmap_threshold);
	int score = 1;

	if (n_mmaps < 0 || n_mmaps_max < 0 || max_n_mmaps < n_mmaps || n_mmaps > n_mmaps_max ||
	    (no_dyn_threshold != 0 && no_dyn_threshold != 1))
		return 0;
	/* 2.43 counts 16 bytes too many per mremap, so its counter need not be page-aligned. */
	if (mmapped % (l->mmapped_size_excludes_prev ? 16 : 4096) || max_mmapped < mmapped ||
	    (n_mmaps == 0) != (mmapped == 0))
		return 0;
	if (bins > l->tc_bins || count > 0xffff || threshold == 0 || threshold > (64u << 20))
		return 0;
	if (sbrk_base != 0 && !is_rw_memory(t, sbrk_base))
		return 0;
	/* A contiguous main heap holds its top chunk between sbrk_base and its end. */
	if (sbrk_base != 0 && main_top >= sbrk_base && main_top < sbrk_base + main_system_mem)
		score += 2;
	/* The dynamic mmap threshold keeps trim_threshold at twice it. */
	if (no_dyn_threshold == 0 && (trim == 2 * threshold || (trim == 128 * 1024 && threshold == 128 * 1024)))
		score++;
	if (n_mmaps_max == 65536)
		score++;
	if (bins == 64 && max_bytes == 1032 && count == 7)
		score++;
	return score;
}

static int scan_mp(struct hs_target *t, const struct rw_image *img, struct hs_malloc_info *m)
{
	const struct hs_glibc_layout *l = m->layout;
	uint64_t main_top = word_at(img, m->main_arena + l->ms_top);
	uint64_t main_sys = word_at(img, m->main_arena + l->ms_system_mem);
	uint64_t best = 0;
	int best_score = 0, ties = 0;

	for (uint64_t p = img->lo; p + l->mp_sizeof <= img->hi; p += 8) {
		int score;

		if (p + l->mp_sizeof > m->main_arena && p < m->main_arena + l->ms_sizeof)
			continue;
		score = looks_like_mp(t, img, l, p, main_top, main_sys);
		if (score > best_score) {
			best = p;
			best_score = score;
			ties = 0;
		} else if (score == best_score && score > 0) {
			ties++;
		}
	}
	if (best == 0 || ties)
		return -1;
	m->mp = best;
	return 0;
}

/* A tcache pointer is NULL, a pointer into libc (2.43's dummy empty tcache), or the user
   pointer of an in-use chunk just large enough for the tcache struct (2.43 asks a little more
   than the struct: its chunk is 0x310 for a 760-byte struct). */
static int valid_tcache_pointer(struct hs_target *t, const struct hs_malloc_info *m, uint64_t p)
{
	uint64_t size, least = (m->layout->tc_sizeof + 8 + 15) & ~15ull;

	if (p == 0 || (p >= m->libc_lo && p < m->libc_hi && m->minor >= 43))
		return 1;
	if (p % 16 || hs_target_read_u64(t, p - 8, &size) != 0)
		return 0;
	size &= ~7ull;
	return size >= least && size <= least + 64 ? 2 : 0;
}

void hs_locate_tcache_slot_by_shape(struct hs_target *t, Dwfl_Module *libc, struct hs_malloc_info *m)
{
	int64_t (*slots)[2] = NULL;
	size_t n = hs_libc_tls_slots(t, libc, &slots);
	int best_score = 0, ties = 0;

	for (size_t i = 0; i < n; i++) {
		int score = 0;

		for (size_t k = 0; k < t->nthreads && score >= 0; k++) {
			uint64_t p;
			int v;

			if (hs_target_read_u64(t, t->threads[k].fs_base + (uint64_t)slots[i][1], &p) != 0 ||
			    (v = valid_tcache_pointer(t, m, p)) == 0)
				score = -1;
			else
				score += v == 2;
		}
		if (score > best_score) {
			best_score = score;
			m->tcache_tpoff = slots[i][1];
			ties = 0;
		} else if (score == best_score && score > 0) {
			ties++;
		}
	}
	free(slots);
	m->have_tcache_slot = best_score > 0 && ties == 0;
}

int hs_locate_by_scan(struct hs_target *t, struct hs_malloc_info *m,
		      struct hs_error *err)
{
	struct rw_image img = { 0 };
	int rc = read_rw_image(t, m, &img);

	if (rc == 0 && scan_main_arena(t, &img, m) != 0)
		rc = hs_fail(err, HS_ERR_WALK, "cannot find main_arena in %s's data without symbols: install "
			     "libc's debug symbols (libc6-dbg) or pass --debug-dir", m->libc_path);
	else if (rc == 0 && scan_mp(t, &img, m) != 0)
		rc = hs_fail(err, HS_ERR_WALK, "cannot find malloc's parameters (mp_) in %s's data without "
			     "symbols: install libc's debug symbols (libc6-dbg) or pass --debug-dir",
			     m->libc_path);
	else if (rc != 0)
		rc = hs_fail(err, HS_ERR_TARGET, "cannot read %s's writable data in the target", m->libc_path);
	free(img.bytes);
	m->located_by = "scan";
	return rc;
}
