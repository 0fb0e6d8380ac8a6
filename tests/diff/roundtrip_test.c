/* The reader reads what the writer writes: a snapshot built in memory, written by
   snapshot_write.c, read back by snapshot_read.c, field by field, with and without blocks;
   and the block stream gives each block's group. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/xalloc.h"
#include "snapshot/snapshot.h"
#include "tests/diff/tap.h"

static void build(struct hs_snapshot *s, bool blocks)
{
	static const struct { uint64_t addr, size; const char *type, *kind; } b[] = {
		{ 0x5000, 40, "char[] (string)", "string" },
		{ 0x1000, 24, "ns::Widget", "vtable" },
		{ 0x7f0000010010, 135152, "unknown", "unknown" },
		{ 0x2000, 24, "ns::Widget", "vtable" },
		{ 0x3000, 568, "glibc:tcache_perthread_struct", "libc" },
	};
	struct hs_totals *t = &s->totals;

	hs_snapshot_init(s);
	s->has_blocks = blocks;
	s->taken_at = hs_xstrdup("2026-11-22T10:00:00Z");
	s->label = hs_xstrdup("round \"trip\"\n");
	s->target.pid = 31337;
	s->target.exe = hs_xstrdup("/usr/bin/app");
	s->target.build_id = hs_xstrdup("0123abcd");
	s->target.source = hs_xstrdup("live");
	s->target.ncmdline = 2;
	s->target.cmdline = hs_xcalloc(2, sizeof(char *));
	s->target.cmdline[0] = hs_xstrdup("app");
	s->target.cmdline[1] = hs_xstrdup("--é");
	s->target.threads = 5;
	s->glibc.version = hs_xstrdup("2.36");
	s->glibc.libc_path = hs_xstrdup("/lib/x86_64-linux-gnu/libc.so.6");
	s->glibc.located_by = hs_xstrdup("scan");
	s->glibc.main_arena = 0x7fabcdef0000;
	s->glibc.safe_linking = true;
	s->glibc.tcache = true;
	s->walk.pause_ms = 1.25;
	s->walk.duration_ms = 30.5;
	s->walk.retries = 2;
	hs_snapshot_warn(s, "arena %#x: a warning", 0x1000);
	/* Two threads: one named, with a frame whose function and module are known and one
	   where neither is; one unnamed without frames beyond its pc. */
	s->has_threads = true;
	s->nthreads = 2;
	s->threads = hs_xcalloc(2, sizeof(*s->threads));
	s->threads[0] = (struct hs_thread_stack){ .tid = 4242, .name = hs_xstrdup("app"), .nframes = 2 };
	s->threads[0].frames = hs_xcalloc(2, sizeof(*s->threads[0].frames));
	s->threads[0].frames[0] = (struct hs_stack_frame){ 0x7f0000012345, hs_xstrdup("ns::run(int)"),
							   hs_xstrdup("/usr/bin/app") };
	s->threads[0].frames[1] = (struct hs_stack_frame){ 0x1000, NULL, NULL };
	s->threads[1] = (struct hs_thread_stack){ .tid = 4243, .nframes = 1 };
	s->threads[1].frames = hs_xcalloc(1, sizeof(*s->threads[1].frames));
	s->threads[1].frames[0].address = 0x7f0000054321;
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		hs_snapshot_add_block(s, b[i].addr, b[i].size, hs_snapshot_type(s, b[i].type, b[i].kind));
		t->live_blocks++;
		t->live_bytes += b[i].size;
	}
	hs_snapshot_finish_blocks(s);
	t->live_chunk_bytes = 800;
	t->mmapped_blocks = 1;
	t->mmapped_bytes = 139264;
	t->top_bytes = 120000;
	t->system_bytes = 135168;
	t->overhead_bytes = 17;
	s->narenas = 1;
	s->arenas = hs_xcalloc(1, sizeof(*s->arenas));
	s->arenas[0].address = 0x7fabcdef0000;
	s->arenas[0].heaps = 1;
	s->arenas[0].totals = *t;
}

static bool same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

struct block_list {
	struct hs_block b[8];
	size_t n;
};

static int collect(void *arg, const struct hs_block *b)
{
	struct block_list *l = arg;

	if (l->n == sizeof(l->b) / sizeof(l->b[0]))
		return -1;
	l->b[l->n++] = *b;
	return 0;
}

static void compare(const struct hs_snapshot *w, const struct hs_snapshot *r, const char *how)
{
	char what[128];
	struct block_list wb = { .n = 0 }, rb = { .n = 0 };
	bool types = w->ntypes == r->ntypes, groups = w->ngroups == r->ngroups;
	bool blocks = hs_block_log_each(&w->blocks, collect, &wb) == 0 &&
		      hs_block_log_each(&r->blocks, collect, &rb) == 0 && wb.n == rb.n &&
		      wb.n == (w->has_blocks ? 5 : 0);

#define CHECK(cond, name) (snprintf(what, sizeof(what), "%s: %s", how, name), tap_ok(cond, what))
	CHECK(same_text(w->taken_at, r->taken_at) && same_text(w->label, r->label), "taken_at and label");
	CHECK(w->target.pid == r->target.pid && same_text(w->target.exe, r->target.exe) &&
		      same_text(w->target.build_id, r->target.build_id) && same_text(w->target.source, r->target.source) &&
		      w->target.threads == r->target.threads && r->target.ncmdline == 2 &&
		      same_text(r->target.cmdline[1], "--é"),
	      "target");
	CHECK(same_text(w->glibc.version, r->glibc.version) && same_text(w->glibc.libc_path, r->glibc.libc_path) &&
		      same_text(w->glibc.located_by, r->glibc.located_by) && w->glibc.main_arena == r->glibc.main_arena &&
		      r->glibc.safe_linking && r->glibc.tcache,
	      "glibc");
	CHECK(fabs(r->walk.pause_ms - 1.25) < 1e-9 && fabs(r->walk.duration_ms - 30.5) < 1e-9 && r->walk.retries == 2 &&
		      r->walk.nwarnings == 1 && same_text(r->walk.warnings[0], w->walk.warnings[0]),
	      "walk");
	CHECK(r->has_threads && r->nthreads == 2 && r->threads[0].tid == 4242 &&
		      same_text(r->threads[0].name, "app") && r->threads[0].nframes == 2 &&
		      r->threads[0].frames[0].address == 0x7f0000012345 &&
		      same_text(r->threads[0].frames[0].function, "ns::run(int)") &&
		      same_text(r->threads[0].frames[0].module, "/usr/bin/app") &&
		      r->threads[0].frames[1].address == 0x1000 && r->threads[0].frames[1].function == NULL &&
		      r->threads[0].frames[1].module == NULL && r->threads[1].tid == 4243 &&
		      r->threads[1].name == NULL && r->threads[1].nframes == 1 &&
		      r->threads[1].frames[0].address == 0x7f0000054321,
	      "threads");
	CHECK(memcmp(&w->totals, &r->totals, sizeof(w->totals)) == 0, "totals");
	CHECK(r->narenas == 1 && r->arenas[0].address == w->arenas[0].address && r->arenas[0].heaps == 1 &&
		      memcmp(&r->arenas[0].totals, &w->arenas[0].totals, sizeof(w->totals)) == 0,
	      "arenas");
	for (size_t i = 0; types && i < w->ntypes; i++)
		types = same_text(w->types[i].name, r->types[i].name) && same_text(w->types[i].kind, r->types[i].kind);
	CHECK(types, "types, in order");
	for (size_t i = 0; groups && i < w->ngroups; i++)
		groups = w->groups[i].type == r->groups[i].type && w->groups[i].size == r->groups[i].size &&
			 w->groups[i].count == r->groups[i].count;
	CHECK(groups, "groups");
	CHECK(w->has_blocks == r->has_blocks, "whether blocks are listed");
	for (size_t i = 0; blocks && i < wb.n; i++)
		blocks = wb.b[i].addr == rb.b[i].addr && wb.b[i].size == rb.b[i].size &&
			 wb.b[i].type == rb.b[i].type && (i == 0 || wb.b[i - 1].addr < wb.b[i].addr);
	CHECK(blocks, "blocks");
#undef CHECK
}

static void roundtrip(bool with_blocks, const char *path)
{
	struct hs_snapshot w, r;
	struct hs_error err = { 0 };
	const char *how = with_blocks ? "with blocks" : "--no-blocks";

	build(&w, with_blocks);
	tap_ok(hs_snapshot_write_file(&w, path, &err) == 0, "the writer writes the snapshot");
	hs_snapshot_init(&r);
	tap_ok(hs_snapshot_read(path, &r, &err) == 0, "the reader reads it back");
	if (err.kind != HS_OK)
		printf("# %s\n", err.msg);
	compare(&w, &r, how);
	hs_snapshot_free(&w);
	hs_snapshot_free(&r);
}

/* The stream gives blocks in address order, each with the index of its group. */
static void stream(const char *path)
{
	struct hs_snapshot s;
	struct hs_snapshot_reader *r;
	struct hs_error err = { 0 };
	struct hs_block b;
	size_t group, n = 0;
	uint64_t prev = 0;
	bool ordered = true, grouped = true;
	int opened, rc;

	hs_snapshot_init(&s);
	rc = opened = hs_snapshot_open(path, &s, &r, &err);
	tap_ok(opened == 0 && s.has_blocks && s.blocks.count == 0, "open loads the header, not the blocks");
	while (opened == 0 && (rc = hs_snapshot_next_block(r, &b, &group, &err)) > 0) {
		ordered = ordered && b.addr > prev;
		grouped = grouped && group < s.ngroups && s.groups[group].type == b.type && s.groups[group].size == b.size;
		prev = b.addr;
		n++;
	}
	tap_ok(rc == 0 && n == 5, "the stream gives the 5 blocks");
	if (err.kind != HS_OK)
		printf("# %s\n", err.msg);
	tap_ok(ordered, "in address order");
	tap_ok(grouped, "each with its (type, size) group");
	tap_ok(opened == 0 && hs_snapshot_next_block(r, &b, &group, &err) == 0, "and stays at its end");
	hs_snapshot_close(r);
	hs_snapshot_free(&s);
}

int main(void)
{
	char dir[] = "/tmp/heapsnap-roundtrip-XXXXXX", path[64];

	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "cannot create a temporary directory");
		return tap_done();
	}
	snprintf(path, sizeof(path), "%s/s.json", dir);
	roundtrip(true, path);
	stream(path);
	roundtrip(false, path);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
