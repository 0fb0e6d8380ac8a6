/* replay-image: walks a heap image (src/image/image.h) the way take walks a process and
   checks what comes out. The tests use it to show that an image replays its take exactly,
   and to run the fuzzers' regression inputs through heapsnap as the tool is built.

   Usage: replay-image IMAGE                  the walk must succeed with the totals the image
                                              recorded
          replay-image IMAGE SNAPSHOT.json    ... and with the totals and blocks (address,
                                              usable size) of the snapshot its take wrote
          replay-image --any IMAGE            the walk must end, successful or not (prints how)
   Exit 0 when the check holds, 1 when not (saying why on stderr), 2 on a usage error. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "common/xalloc.h"
#include "heapwalk/heapwalk.h"

struct blocks {
	struct hs_block *b;
	size_t n, cap;
};

static uint32_t no_type(void *arg, uint64_t addr, uint64_t usable, const uint8_t *bytes, size_t avail,
			uint8_t shape, const char *libc_name)
{
	(void)arg, (void)addr, (void)usable, (void)bytes, (void)avail, (void)shape, (void)libc_name;
	return 0;
}

static void keep_block(void *arg, uint64_t addr, uint64_t usable, uint32_t type)
{
	struct blocks *bl = arg;

	hs_xgrow((void **)&bl->b, &bl->cap, bl->n + 1, sizeof(*bl->b));
	bl->b[bl->n++] = (struct hs_block){ addr, usable, type };
}

static int by_addr(const void *a, const void *b)
{
	const struct hs_block *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static const char *const total_names[] = {
	"live_blocks", "live_bytes", "live_chunk_bytes", "mmapped_blocks", "mmapped_bytes",
	"tcache_blocks", "tcache_bytes", "fastbin_blocks", "fastbin_bytes", "free_blocks",
	"free_bytes", "top_bytes", "system_bytes", "overhead_bytes",
};

static void totals_array(const struct hs_totals *t, uint64_t v[14])
{
	const uint64_t f[14] = {
		t->live_blocks, t->live_bytes, t->live_chunk_bytes, t->mmapped_blocks, t->mmapped_bytes,
		t->tcache_blocks, t->tcache_bytes, t->fastbin_blocks, t->fastbin_bytes, t->free_blocks,
		t->free_bytes, t->top_bytes, t->system_bytes, t->overhead_bytes,
	};
	memcpy(v, f, sizeof(f));
}

/* Compares the walk's totals with want; names every field that differs. */
static int same_totals(const char *what, const struct hs_totals *got, const uint64_t want[14])
{
	uint64_t g[14];
	int same = 1;

	totals_array(got, g);
	for (int i = 0; i < 14; i++)
		if (g[i] != want[i]) {
			fprintf(stderr, "replay-image: %s: %s is %" PRIu64 ", the walk of the image gives %" PRIu64 "\n",
				what, total_names[i], want[i], g[i]);
			same = 0;
		}
	return same;
}

static int check_against_snapshot(const char *path, const struct hs_totals *got, struct blocks *bl)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr), *totals, *blocks;
	uint64_t want[14];
	int same = 1;
	size_t i;

	if (root == NULL) {
		fprintf(stderr, "replay-image: %s: %s\n", path, jerr.text);
		return 0;
	}
	totals = json_object_get(root, "totals");
	for (i = 0; i < 14; i++)
		want[i] = (uint64_t)json_integer_value(json_object_get(totals, total_names[i]));
	same = same_totals("the snapshot", got, want);
	blocks = json_object_get(root, "blocks");
	if (json_array_size(blocks) != bl->n) {
		fprintf(stderr, "replay-image: the snapshot lists %zu blocks, the walk of the image %zu\n",
			json_array_size(blocks), bl->n);
		same = 0;
	}
	qsort(bl->b, bl->n, sizeof(*bl->b), by_addr);
	for (i = 0; same && i < bl->n; i++) {
		json_t *b = json_array_get(blocks, i);
		uint64_t addr = (uint64_t)json_integer_value(json_array_get(b, 0));
		uint64_t size = (uint64_t)json_integer_value(json_array_get(b, 1));

		if (addr != bl->b[i].addr || size != bl->b[i].size) {
			fprintf(stderr, "replay-image: block %zu: the snapshot has 0x%" PRIx64 " of %" PRIu64
				" bytes, the walk of the image 0x%" PRIx64 " of %" PRIu64 "\n",
				i, addr, size, bl->b[i].addr, bl->b[i].size);
			same = 0;
		}
	}
	json_decref(root);
	return same;
}

int main(int argc, char **argv)
{
	int any = argc > 1 && strcmp(argv[1], "--any") == 0;
	const char *image = argv[1 + any], *snapshot = argc == 3 && !any ? argv[2] : NULL;
	struct blocks bl = { 0 };
	struct hs_block_sink sink = { .classify = no_type, .emit = keep_block, .arg = &bl };
	struct hs_error err = { 0 };
	struct hs_malloc_info m;
	struct hs_snapshot snap;
	struct hs_target *t;
	uint64_t recorded[14];
	int rc, ok;

	if (argc != 2 + any && !(argc == 3 && !any)) {
		fprintf(stderr, "usage: replay-image [--any] IMAGE | replay-image IMAGE [SNAPSHOT.json]\n");
		return 2;
	}
	if (hs_image_open(image, &t, &m, &err) < 0) {
		fprintf(stderr, "replay-image: %s\n", err.msg);
		return any ? 0 : 1;
	}
	hs_snapshot_init(&snap);
	rc = hs_heap_walk(t, &m, &sink, &snap, &err);
	if (any) {
		printf("%s: %s\n", image, rc == 0 ? "the walk succeeded" : err.msg);
		ok = 1;
	} else if (rc < 0) {
		fprintf(stderr, "replay-image: %s: %s\n", image, err.msg);
		ok = 0;
	} else {
		totals_array(hs_image_recorded_totals(t), recorded);
		ok = same_totals("the image's recorded totals", &snap.totals, recorded);
		if (snapshot != NULL)
			ok = check_against_snapshot(snapshot, &snap.totals, &bl) && ok;
	}
	hs_snapshot_free(&snap);
	hs_target_close(t);
	hs_malloc_info_free(&m);
	free(bl.b);
	return ok ? 0 : 1;
}
