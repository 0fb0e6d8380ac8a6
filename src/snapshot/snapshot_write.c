/* The snapshot writer: header objects built with jansson, the block list streamed as
   "[addr,size,type]" rows, so writing millions of blocks needs no per-block JSON objects. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/output_file.h"
#include "common/xalloc.h"
#include "snapshot/snapshot.h"

static json_t *hex(uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *hs_totals_json(const struct hs_totals *t)
{
	json_t *o = json_object();

	for (size_t i = 0; i < HS_TOTALS_NFIELDS; i++)
		json_object_set_new(o, hs_totals_fields[i].key, json_integer((json_int_t)hs_totals_value(t, i)));
	return o;
}

static json_t *target_json(const struct hs_snapshot *s)
{
	json_t *cmd = json_array();

	for (size_t i = 0; i < s->target.ncmdline; i++)
		json_array_append_new(cmd, json_string(s->target.cmdline[i]));
	return json_pack("{sI so so so* so sI}",
			 "pid", (json_int_t)s->target.pid,
			 "exe", str_or_null(s->target.exe),
			 "cmdline", cmd,
			 "build_id", s->target.build_id ? json_string(s->target.build_id) : NULL,
			 "source", str_or_null(s->target.source),
			 "threads", (json_int_t)s->target.threads);
}

static json_t *glibc_json(const struct hs_snapshot *s)
{
	return json_pack("{so so so so sb sb}",
			 "version", str_or_null(s->glibc.version),
			 "libc_path", str_or_null(s->glibc.libc_path),
			 "main_arena", hex(s->glibc.main_arena),
			 "located_by", str_or_null(s->glibc.located_by),
			 "safe_linking", s->glibc.safe_linking,
			 "tcache", s->glibc.tcache);
}

static json_t *walk_json(const struct hs_snapshot *s)
{
	json_t *warnings = json_array();

	for (size_t i = 0; i < s->walk.nwarnings; i++)
		json_array_append_new(warnings, json_string(s->walk.warnings[i]));
	return json_pack("{sf sf sI so}",
			 "pause_ms", s->walk.pause_ms,
			 "duration_ms", s->walk.duration_ms,
			 "retries", (json_int_t)s->walk.retries,
			 "warnings", warnings);
}

json_t *hs_snapshot_threads_json(const struct hs_snapshot *s)
{
	json_t *a = json_array();

	for (size_t i = 0; i < s->nthreads; i++) {
		const struct hs_thread_stack *th = &s->threads[i];
		json_t *frames = json_array();

		for (size_t k = 0; k < th->nframes; k++)
			json_array_append_new(frames, json_pack("{so so so}",
								"address", hex(th->frames[k].address),
								"function", str_or_null(th->frames[k].function),
								"module", str_or_null(th->frames[k].module)));
		json_array_append_new(a, json_pack("{sI so so}", "tid", (json_int_t)th->tid,
						   "name", str_or_null(th->name), "frames", frames));
	}
	return a;
}

static json_t *arenas_json(const struct hs_snapshot *s)
{
	json_t *a = json_array();

	for (size_t i = 0; i < s->narenas; i++) {
		json_t *o = hs_totals_json(&s->arenas[i].totals);
		json_object_set_new(o, "address", hex(s->arenas[i].address));
		json_object_set_new(o, "heaps", json_integer((json_int_t)s->arenas[i].heaps));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *types_json(const struct hs_snapshot *s)
{
	json_t *a = json_array();

	for (size_t i = 0; i < s->ntypes; i++)
		json_array_append_new(a, json_pack("{ss ss}", "name", s->types[i].name,
						   "kind", s->types[i].kind));
	return a;
}

static json_t *groups_json(const struct hs_snapshot *s)
{
	json_t *a = json_array();

	for (size_t i = 0; i < s->ngroups; i++) {
		const struct hs_group *g = &s->groups[i];
		json_array_append_new(a, json_pack("{sI sI sI sI}", "type", (json_int_t)g->type,
						   "size", (json_int_t)g->size,
						   "count", (json_int_t)g->count,
						   "bytes", (json_int_t)(g->size * g->count)));
	}
	return a;
}

/* Writes one "key": value member; steals value. */
static int member(FILE *out, const char *key, json_t *value, int first)
{
	int rc;

	if (value == NULL)
		return -1;
	fprintf(out, "%s\n  \"%s\": ", first ? "" : ",", key);
	/* JSON_ENCODE_ANY: members such as "format" are bare strings and numbers, which jansson
	   otherwise refuses to dump (it returns -1 and writes nothing). */
	rc = json_dumpf(value, out, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
	json_decref(value);
	return rc;
}

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Writes v (below 10^8) as exactly 8 digits at p. */
static void put_8_digits(char *p, uint32_t v)
{
	for (int i = 6; i >= 0; i -= 2) {
		memcpy(p + i, digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
}

/* Writes v in decimal at p; returns the end. The block list is millions of numbers, and
   printf's general machinery is most of its cost: here two digits per step from a table,
   in 32-bit pieces of 8 digits (an address has 15). */
static char *put_u64(char *p, uint64_t v)
{
	char tmp[24];
	char *t = tmp + sizeof(tmp);
	uint32_t top;

	while (v >= 100000000) {
		t -= 8;
		put_8_digits(t, (uint32_t)(v % 100000000));
		v /= 100000000;
	}
	top = (uint32_t)v;
	while (top >= 100) {
		t -= 2;
		memcpy(t, digit_pairs + 2 * (top % 100), 2);
		top /= 100;
	}
	if (top >= 10) {
		t -= 2;
		memcpy(t, digit_pairs + 2 * top, 2);
	} else {
		*--t = (char)('0' + top);
	}
	memcpy(p, t, (size_t)(tmp + sizeof(tmp) - t));
	return p + (tmp + sizeof(tmp) - t);
}

/* The rows "[address,size,type]", four to a line, formatted into a buffer written whole
   each time it fills. */
struct row_writer {
	FILE *out;
	char *buf, *p;
	uint64_t rows;
};

enum { ROWS_BUF = 1 << 20, ROW_MAX = 2 + 3 * 20 + 4 };

static int flush_rows(struct row_writer *w)
{
	size_t n = (size_t)(w->p - w->buf);

	w->p = w->buf;
	return fwrite(w->buf, 1, n, w->out) == n ? 0 : -1;
}

static int write_row(void *arg, const struct hs_block *b)
{
	struct row_writer *w = arg;
	char *p;

	if (w->p + ROW_MAX > w->buf + ROWS_BUF && flush_rows(w) < 0)
		return -1;
	p = w->p;
	if (w->rows > 0)
		*p++ = ',';
	if (w->rows % 4 == 0)
		*p++ = '\n';
	*p++ = '[';
	p = put_u64(p, b->addr);
	*p++ = ',';
	p = put_u64(p, b->size);
	*p++ = ',';
	p = put_u64(p, b->type);
	*p++ = ']';
	w->p = p;
	w->rows++;
	return 0;
}

static json_t *roots_json(const struct hs_snapshot_refs *refs)
{
	json_t *a = json_array();

	for (size_t i = 0; i < refs->nroots; i++) {
		const struct hs_root *r = &refs->roots[i];
		json_array_append_new(a, json_pack("{ss ss so so so sI}", "kind", hs_root_kind_names[r->kind],
						   "name", r->name, "module", str_or_null(r->module),
						   "tid", r->tid >= 0 ? json_integer(r->tid) : json_null(),
						   "address", hex(r->address), "size", (json_int_t)r->size));
	}
	return a;
}

static json_t *refs_figures_json(const struct hs_refs_figures *f)
{
	return json_pack("{sI sI sI sI sI sI sI sI sI}", "roots", (json_int_t)f->roots,
			 "scanned_bytes", (json_int_t)f->scanned_bytes,
			 "unreadable_bytes", (json_int_t)f->unreadable_bytes,
			 "reachable_blocks", (json_int_t)f->reachable_blocks,
			 "leaked_direct_blocks", (json_int_t)f->leaked_direct_blocks,
			 "leaked_direct_bytes", (json_int_t)f->leaked_direct_bytes,
			 "leaked_indirect_blocks", (json_int_t)f->leaked_indirect_blocks,
			 "leaked_indirect_bytes", (json_int_t)f->leaked_indirect_bytes,
			 "scan_ms", (json_int_t)(f->scan_ms + 0.5));
}

/* Writes a signed value, or null for HS_HOLDER_NONE. */
static char *put_ref_value(char *p, int64_t v, bool null)
{
	if (null) {
		memcpy(p, "null", 4);
		return p + 4;
	}
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, (uint64_t)-v);
	}
	return put_u64(p, (uint64_t)v);
}

/* The rows "[holder,offset,owner]", four to a line, as the blocks. */
static int write_block_refs(const struct hs_snapshot_refs *refs, FILE *out)
{
	struct row_writer w = { .out = out, .buf = hs_xmalloc(ROWS_BUF) };
	int rc = 0;

	w.p = w.buf;
	for (size_t i = 0; i < refs->nblocks && rc == 0; i++) {
		const struct hs_block_ref *b = &refs->blocks[i];
		bool none = b->holder == HS_HOLDER_NONE;
		char *p;

		if (w.p + ROW_MAX > w.buf + ROWS_BUF && flush_rows(&w) < 0)
			rc = -1;
		p = w.p;
		if (i > 0)
			*p++ = ',';
		if (i % 4 == 0)
			*p++ = '\n';
		*p++ = '[';
		p = put_ref_value(p, b->holder, none);
		*p++ = ',';
		p = put_ref_value(p, (int64_t)b->offset, none);
		*p++ = ',';
		p = put_ref_value(p, b->owner, false);
		*p++ = ']';
		w.p = p;
	}
	if (rc == 0)
		rc = flush_rows(&w);
	free(w.buf);
	return rc;
}

static int write_blocks(const struct hs_snapshot *s, FILE *out)
{
	struct row_writer w = { .out = out, .buf = hs_xmalloc(ROWS_BUF) };
	int rc;

	w.p = w.buf;
	rc = hs_block_log_each(&s->blocks, write_row, &w);
	if (rc == 0)
		rc = flush_rows(&w);
	free(w.buf);
	return rc;
}

int hs_snapshot_write_stream(const struct hs_snapshot *s, FILE *out)
{
	json_t *totals = hs_totals_json(&s->totals);
	int rc = 0;

	json_object_set_new(totals, "arenas", json_integer((json_int_t)s->narenas));
	fputs("{", out);
	rc |= member(out, "format", json_string("heapsnap"), 1);
	rc |= member(out, "version", json_integer(HS_SNAPSHOT_VERSION), 0);
	rc |= member(out, "taken_at", str_or_null(s->taken_at), 0);
	if (s->label)
		rc |= member(out, "label", json_string(s->label), 0);
	rc |= member(out, "target", target_json(s), 0);
	rc |= member(out, "glibc", glibc_json(s), 0);
	rc |= member(out, "walk", walk_json(s), 0);
	if (s->has_threads)
		rc |= member(out, "threads", hs_snapshot_threads_json(s), 0);
	rc |= member(out, "totals", totals, 0);
	rc |= member(out, "arenas", arenas_json(s), 0);
	rc |= member(out, "types", types_json(s), 0);
	rc |= member(out, "groups", groups_json(s), 0);
	if (s->refs != NULL) {
		rc |= member(out, "refs", refs_figures_json(&s->refs->figures), 0);
		rc |= member(out, "roots", roots_json(s->refs), 0);
	}
	if (s->has_blocks) {
		fputs(",\n  \"blocks\": [", out);
		rc |= write_blocks(s, out);
		fputs("\n  ]", out);
	}
	if (s->has_blocks && s->refs != NULL) {
		fputs(",\n  \"block_refs\": [", out);
		rc |= write_block_refs(s->refs, out);
		fputs("\n  ]", out);
	}
	fputs("\n}\n", out);
	if (fflush(out) != 0 || ferror(out))
		rc = -1;
	return rc ? -1 : 0;
}

int hs_snapshot_write_file(const struct hs_snapshot *s, const char *path, struct hs_error *err)
{
	struct hs_output out;

	if (hs_output_open(&out, path, err) < 0)
		return -1;
	if (hs_snapshot_write_stream(s, out.fp) < 0) {
		hs_output_abort(&out);
		return hs_fail(err, HS_ERR_OUTPUT, "cannot write the snapshot to %s: check free space", path);
	}
	return hs_output_commit(&out, err);
}
