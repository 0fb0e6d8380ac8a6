/* Opening a heap image (see image.h): the file is checked field by field against its format
   (image_private.h), every count against the bytes left before anything is allocated, then
   served as a target whose reads come from the recorded ranges. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image/image.h"
#include "image/image_private.h"
#include "common/sorted_search.h"
#include "common/xalloc.h"

/* Far above what HS_IMAGE_MAX_BYTES of memory plus its mappings take. */
#define IMAGE_MAX_FILE_BYTES (256u << 20)

struct image_backend {
	uint8_t *owned; /* the file's bytes when opened by path, else NULL */
	struct hs_image_range *ranges;
	size_t nranges;
	struct hs_totals totals;
};

/* The unread rest of the image: taking past its end fails instead of reading on. */
struct cursor {
	const uint8_t *p;
	size_t left;
};

static const uint8_t *take_bytes(struct cursor *c, uint64_t n)
{
	const uint8_t *p = c->p;

	if (n > c->left)
		return NULL;
	c->p += n;
	c->left -= n;
	return p;
}

static int damaged(struct hs_error *err, const char *what)
{
	return hs_fail(err, HS_ERR_TARGET, "the heap image is damaged or no heap image (%s): record it "
		       "again with heapsnap take PID --save-image FILE", what);
}

/* The range holding addr, or NULL. */
static const struct hs_image_range *range_at(const struct image_backend *b, uint64_t addr)
{
	size_t i = hs_sorted_first_after(b->ranges, b->nranges, sizeof(*b->ranges),
					 offsetof(struct hs_image_range, addr), addr);

	return i > 0 && addr - b->ranges[i - 1].addr < b->ranges[i - 1].len ? &b->ranges[i - 1] : NULL;
}

/* Reads on through ranges that touch, as the memory they recorded was contiguous. */
static ssize_t image_read(struct hs_target *t, uint64_t addr, void *buf, size_t len)
{
	const struct image_backend *b = t->backend;
	const struct hs_image_range *r;
	uint64_t done = 0;

	if (len == 0)
		return 0;
	r = range_at(b, addr);
	if (r == NULL)
		return -1;
	while (done < len && r < b->ranges + b->nranges && addr + done - r->addr < r->len) {
		uint64_t off = addr + done - r->addr, n = r->len - off;

		if (n > len - done)
			n = len - done;
		if (r->bytes != NULL)
			memcpy((uint8_t *)buf + done, r->bytes + off, n);
		else
			memset((uint8_t *)buf + done, 0, n);
		done += n;
		r++;
	}
	return (ssize_t)done;
}

static void image_destroy(struct hs_target *t)
{
	struct image_backend *b = t->backend;

	hs_target_free_common(t);
	free(b->owned);
	free(b->ranges);
	free(b);
	free(t);
}

static const struct hs_target_ops image_ops = {
	.read = image_read,
	.readv = hs_target_readv_each,
	.release = hs_target_release_nothing, /* nothing runs in an image */
	.destroy = image_destroy,
};

static int parse_header(struct cursor *c, struct hs_malloc_info *m, struct image_backend *b,
			uint32_t counts[3], struct hs_error *err)
{
	const uint8_t *h = take_bytes(c, HEADER_BYTES);
	uint32_t flags;

	if (h == NULL || memcmp(h, IMAGE_MAGIC, 8) != 0)
		return damaged(err, "no heap image header");
	if (get_u32(h + 8) != IMAGE_VERSION)
		return damaged(err, "an unknown format version");
	flags = get_u32(h + 12);
	if ((flags & ~IMAGE_HAVE_TCACHE_SLOT) != 0 || get_u32(h + 76) != 0)
		return damaged(err, "unknown flags");
	m->major = get_u32(h + 16);
	m->minor = get_u32(h + 20);
	m->layout = hs_glibc_layout_for(m->major, m->minor);
	if (m->layout == NULL)
		return damaged(err, "a glibc release heapsnap has no layout for");
	snprintf(m->version, sizeof(m->version), "%u.%u", m->major, m->minor);
	m->libc_lo = get_u64(h + 24);
	m->libc_hi = get_u64(h + 32);
	m->main_arena = get_u64(h + 40);
	m->mp = get_u64(h + 48);
	m->tcache_tpoff = (int64_t)get_u64(h + 56);
	m->have_tcache_slot = flags & IMAGE_HAVE_TCACHE_SLOT;
	m->located_by = "image";
	for (int i = 0; i < 3; i++)
		counts[i] = get_u32(h + 64 + 4 * i);
	for (int i = 0; i < IMAGE_NTOTALS; i++)
		*hs_totals_field(&b->totals, i) = get_u64(h + 80 + 8 * i);
	return 0;
}

static int parse_maps(struct cursor *c, uint32_t n, struct hs_target *t, struct hs_error *err)
{
	uint64_t prev_end = 0;

	if (n > c->left / MAP_BYTES)
		return damaged(err, "more mappings than bytes");
	t->maps = hs_xcalloc(n ? n : 1, sizeof(*t->maps));
	t->nmaps = n;
	for (uint32_t i = 0; i < n; i++) {
		struct hs_mapping *map = &t->maps[i];
		const uint8_t *p = take_bytes(c, MAP_BYTES), *path;
		uint32_t pathlen;

		if (p == NULL)
			return damaged(err, "a truncated mapping");
		map->start = get_u64(p);
		map->end = get_u64(p + 8);
		map->offset = get_u64(p + 16);
		map->inode = get_u64(p + 24);
		map->perms = get_u32(p + 32);
		pathlen = get_u32(p + 36);
		if (map->start >= map->end || map->start < prev_end)
			return damaged(err, "mappings empty, out of order or overlapping");
		if ((map->perms & ~(unsigned)(HS_MAP_R | HS_MAP_W | HS_MAP_X | HS_MAP_PRIVATE)) != 0)
			return damaged(err, "unknown mapping permissions");
		prev_end = map->end;
		if (pathlen == 0)
			continue;
		if (pathlen > IMAGE_MAX_PATH || (path = take_bytes(c, pathlen)) == NULL ||
		    memchr(path, '\0', pathlen) != NULL)
			return damaged(err, "a bad mapping path");
		map->path = hs_xmalloc(pathlen + 1);
		memcpy(map->path, path, pathlen);
		map->path[pathlen] = '\0';
	}
	return 0;
}

static int parse_threads(struct cursor *c, uint32_t n, struct hs_target *t, struct hs_error *err)
{
	if (n > c->left / THREAD_BYTES)
		return damaged(err, "more threads than bytes");
	t->threads = hs_xcalloc(n ? n : 1, sizeof(*t->threads));
	t->nthreads = n;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = take_bytes(c, THREAD_BYTES);

		if (p == NULL || get_u32(p + 4) != 0)
			return damaged(err, "a bad thread record");
		t->threads[i].tid = (pid_t)get_u32(p);
		t->threads[i].fs_base = get_u64(p + 8);
		t->threads[i].sp = get_u64(p + 16);
		t->threads[i].pc = get_u64(p + 24);
	}
	return 0;
}

static int parse_ranges(struct cursor *c, uint32_t n, struct image_backend *b, struct hs_error *err)
{
	uint64_t prev_end = 0;

	if (n > c->left / RANGE_BYTES)
		return damaged(err, "more ranges than bytes");
	b->ranges = hs_xcalloc(n ? n : 1, sizeof(*b->ranges));
	b->nranges = n;
	for (uint32_t i = 0; i < n; i++) {
		struct hs_image_range *r = &b->ranges[i];
		const uint8_t *p = take_bytes(c, RANGE_BYTES);
		bool zeros;

		if (p == NULL)
			return damaged(err, "a truncated range");
		r->addr = get_u64(p);
		r->len = get_u64(p + 8) & ~IMAGE_ZERO_RANGE;
		zeros = get_u64(p + 8) & IMAGE_ZERO_RANGE;
		if (r->len == 0 || r->addr + r->len < r->addr || (i > 0 && r->addr < prev_end))
			return damaged(err, "ranges empty, out of order, overlapping or past the end of memory");
		if (!zeros && (r->bytes = take_bytes(c, r->len)) == NULL)
			return damaged(err, "a truncated range");
		prev_end = r->addr + r->len;
	}
	return 0;
}

int hs_image_open_buffer(const uint8_t *buf, size_t len, struct hs_target **out,
			 struct hs_malloc_info *m, struct hs_error *err)
{
	struct cursor c = { buf, len };
	struct hs_target *t = hs_xcalloc(1, sizeof(*t));
	struct image_backend *b = hs_xcalloc(1, sizeof(*b));
	uint32_t counts[3];

	memset(m, 0, sizeof(*m));
	t->ops = &image_ops;
	t->source = "image";
	t->backend = b;
	if (parse_header(&c, m, b, counts, err) < 0 || parse_maps(&c, counts[0], t, err) < 0 ||
	    parse_threads(&c, counts[1], t, err) < 0 || parse_ranges(&c, counts[2], b, err) < 0 ||
	    (c.left != 0 && damaged(err, "bytes after the last range") < 0)) {
		image_destroy(t);
		memset(m, 0, sizeof(*m));
		return -1;
	}
	*out = t;
	return 0;
}

static int read_file(const char *path, uint8_t **bytes, size_t *len, struct hs_error *err)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	int rc = 0;

	*bytes = NULL;
	if (fp == NULL)
		return hs_fail(err, HS_ERR_TARGET, "cannot open the heap image %s: %s", path, strerror(errno));
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > IMAGE_MAX_FILE_BYTES) {
		fclose(fp);
		return hs_fail(err, HS_ERR_TARGET, "%s is no heap image (not a regular file of at most %u MiB): "
			       "give a file written by heapsnap take --save-image", path, IMAGE_MAX_FILE_BYTES >> 20);
	}
	*len = (size_t)st.st_size;
	*bytes = hs_xmalloc(*len ? *len : 1);
	if (fread(*bytes, 1, *len, fp) != *len) {
		rc = hs_fail(err, HS_ERR_TARGET, "cannot read the heap image %s: %s", path,
			     ferror(fp) ? strerror(errno) : "it shrank while being read");
		free(*bytes);
		*bytes = NULL;
	}
	fclose(fp);
	return rc;
}

int hs_image_open(const char *path, struct hs_target **out, struct hs_malloc_info *m,
		  struct hs_error *err)
{
	uint8_t *bytes;
	size_t len = 0;

	if (read_file(path, &bytes, &len, err) < 0)
		return -1;
	if (hs_image_open_buffer(bytes, len, out, m, err) < 0) {
		free(bytes);
		return -1;
	}
	((struct image_backend *)(*out)->backend)->owned = bytes;
	return 0;
}

const struct hs_image_range *hs_image_ranges(const struct hs_target *t, size_t *n)
{
	const struct image_backend *b = t->backend;

	*n = t->ops == &image_ops ? b->nranges : 0;
	return *n ? b->ranges : NULL;
}

const struct hs_totals *hs_image_recorded_totals(const struct hs_target *t)
{
	return t->ops == &image_ops ? &((const struct image_backend *)t->backend)->totals : NULL;
}
