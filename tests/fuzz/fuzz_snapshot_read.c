/* fuzz_snapshot_read: libFuzzer target for the snapshot reader (src/snapshot/snapshot.h)
   on files that may be anything. Seeds (tests/fuzz/corpus/snapshot_read) are snapshots
   written by take and the diff tests' hand-written ones; snapshot_read.dict gives libFuzzer
   the format's member names. Each input is read both ways the tools read: streamed (open,
   every block, close; what diff does) and whole (hs_snapshot_read; what show does). A
   failure must be an HS_ERR_TARGET error; a block that streams out must be one the reader
   vouches for: a known type and group, in strictly increasing address order. A snapshot
   with reference data is also walked as --group-by=root (the root split, then the stream
   again, as diff's identity reads it), as why does (every block's chain, a glob over all
   types, both outputs) and as pprof's holder chains are built: holders that loop or point nowhere must end in an HS_ERR_TARGET
   error, never a hang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "diff/diff.h"
#include "snapshot/snapshot.h"
#include "why/why.h"
#include "input_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void stream(const char *path)
{
	struct hs_snapshot_reader *r;
	struct hs_error err = { 0 };
	struct hs_snapshot s;
	struct hs_block b;
	uint64_t prev_end = 0;
	size_t group;
	int rc;

	hs_snapshot_init(&s);
	rc = hs_snapshot_open(path, &s, &r, &err);
	while (rc == 0 && (rc = hs_snapshot_next_block(r, &b, &group, &err)) == 1) {
		if (group >= s.ngroups || b.type >= s.ntypes || s.groups[group].type != b.type ||
		    s.groups[group].size != b.size || b.addr < prev_end)
			abort(); /* a block the reader should have refused */
		prev_end = b.addr + (b.size ? b.size : 1);
		rc = 0;
	}
	if (rc < 0 && err.kind != HS_ERR_TARGET)
		abort();
	/* The reader is closed whether it opened or not, as show and diff do. */
	hs_snapshot_close(r);
	hs_snapshot_free(&s);
}

static void whole(const char *path)
{
	struct hs_error err = { 0 };
	struct hs_snapshot s;

	hs_snapshot_init(&s);
	if (hs_snapshot_read(path, &s, &err) < 0 && err.kind != HS_ERR_TARGET)
		abort();
	hs_snapshot_free(&s);
}

static void expect_target_error(const struct hs_error *err)
{
	if (err->kind != HS_OK && err->kind != HS_ERR_TARGET)
		abort();
}

static void root_split(const char *path)
{
	struct hs_snapshot_reader *r;
	struct hs_error err = { 0 };
	struct hs_root_split split = { 0 };
	struct hs_snapshot s;
	struct hs_block b;
	size_t group, n = 0;

	hs_snapshot_init(&s);
	if (hs_snapshot_open(path, &s, &r, &err) == 0 && hs_root_split_read(&split, &s, path, r, true, &err) == 0) {
		for (size_t p = 0; p < split.nparts; p++)
			if (split.parts[p].group >= s.ngroups || split.parts[p].key >= split.nkeys)
				abort();
		while (hs_snapshot_next_block(r, &b, &group, &err) == 1)
			if (n >= split.nblocks || split.block_part[n++] >= split.nparts)
				abort(); /* the second stream must be the first one again */
	}
	expect_target_error(&err);
	hs_root_split_free(&split);
	hs_snapshot_close(r);
	hs_snapshot_free(&s);
}

static void why(const char *path)
{
	static FILE *sink;
	struct hs_error err = { 0 };
	struct hs_why_answer a = { 0 };
	struct hs_why_snapshot w;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	if (hs_why_load(&w, path, &err) == 0) {
		for (size_t i = 0; i < w.nblocks && err.kind == HS_OK; i++) {
			struct hs_why_path p = { 0 };

			if (hs_why_chain(&w, i, &p, &err) == 0 &&
			    (p.nhops == 0 || p.hops[p.nhops - 1].address != w.addr[i]))
				abort(); /* a chain ends at its block */
			free(p.hops);
		}
		if (err.kind == HS_OK && w.nblocks > 0 && w.size[0] > 0)
			hs_why_address(&w, "first", w.addr[0] + w.size[0] - 1, &a, &err);
		if (err.kind == HS_OK)
			hs_why_glob(&w, "*", 3, &a, &err);
		if (err.kind == HS_OK) {
			hs_why_render_text(&w, &a, sink);
			hs_why_render_json(&w, &a, sink);
		}
	}
	expect_target_error(&err);
	hs_why_answer_free(&a);
	hs_why_free(&w);
}

/* pprof's holder chains: every block in one sample, each chain bounded. */
static void pprof_stacks(const char *path)
{
	struct hs_error err = { 0 };
	struct hs_why_snapshot w;
	struct hs_pprof_stacks st;

	if (hs_why_load(&w, path, &err) == 0) {
		if (hs_why_pprof_stacks(&w, &st, &err) == 0) {
			uint64_t blocks = 0;

			for (size_t i = 0; i < st.nsamples; i++)
				blocks += st.samples[i].count;
			for (size_t i = 0; i < st.nnodes; i++)
				if (st.nodes[i].depth > HS_PPROF_MAX_HOLDERS)
					abort(); /* chains are cut */
			if (blocks != w.nblocks)
				abort(); /* every block in one sample */
			hs_pprof_stacks_free(&st);
		}
	}
	expect_target_error(&err);
	hs_why_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = hs_fuzz_input_path("snapshot", data, size);

	stream(path);
	whole(path);
	root_split(path);
	why(path);
	pprof_stacks(path);
	return 0;
}
