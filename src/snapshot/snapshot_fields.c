/* Checked conversion of a snapshot's members into the model (see snapshot_private.h). Every
   field the format defines is checked for its JSON type and range; members it does not
   define are ignored, as the format asks of readers. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "snapshot/snapshot_private.h"

static const char *const member_names[HS_M_COUNT] = {
	[HS_M_FORMAT] = "format", [HS_M_VERSION] = "version", [HS_M_TAKEN_AT] = "taken_at",
	[HS_M_LABEL] = "label", [HS_M_TARGET] = "target", [HS_M_GLIBC] = "glibc",
	[HS_M_WALK] = "walk", [HS_M_THREADS] = "threads", [HS_M_TOTALS] = "totals", [HS_M_ARENAS] = "arenas",
	[HS_M_TYPES] = "types", [HS_M_GROUPS] = "groups", [HS_M_BLOCKS] = "blocks",
	[HS_M_REFS] = "refs", [HS_M_ROOTS] = "roots", [HS_M_BLOCK_REFS] = "block_refs",
};

int hs_member_lookup(const char *name)
{
	for (int m = 0; m < HS_M_COUNT; m++)
		if (strcmp(name, member_names[m]) == 0)
			return m;
	return -1;
}

struct check {
	char *problem;
	size_t n;
	enum hs_problem kind;
};

static int bad(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->problem, c->n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Field getters: `where` names the enclosing object for messages ("target", "arenas[2]").
   An absent optional field leaves *out unchanged. */
static int get_uint(struct check *c, const json_t *obj, const char *where, const char *key,
		    bool required, uint64_t *out)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return required ? bad(c, "%s.%s is missing", where, key) : 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > HS_SNAPSHOT_INT_MAX)
		return bad(c, "%s.%s is not an integer from 0 to 2^53", where, key);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int get_real(struct check *c, const json_t *obj, const char *where, const char *key,
		    double *out)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return 0;
	if (!json_is_number(v) || json_number_value(v) < 0)
		return bad(c, "%s.%s is not a non-negative number", where, key);
	*out = json_number_value(v);
	return 0;
}

/* A string value, or null when allowed; *out is replaced. `name` is the field's path. */
static int str_value(struct check *c, const json_t *v, const char *name, bool required, char **out)
{
	if (v == NULL || json_is_null(v))
		return required ? bad(c, "%s is missing", name) : 0;
	if (!json_is_string(v))
		return bad(c, "%s is not a string", name);
	free(*out);
	*out = hs_xstrdup(json_string_value(v));
	return 0;
}

static int get_str(struct check *c, const json_t *obj, const char *where, const char *key,
		   bool required, char **out)
{
	char name[160];

	snprintf(name, sizeof(name), "%s.%s", where, key);
	return str_value(c, json_object_get(obj, key), name, required, out);
}

static int get_bool(struct check *c, const json_t *obj, const char *where, const char *key,
		    bool *out)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return bad(c, "%s.%s is not true or false", where, key);
	*out = json_is_true(v);
	return 0;
}

/* Addresses outside `blocks` are "0x..." strings. */
static int get_hex(struct check *c, const json_t *obj, const char *where, const char *key,
		   uint64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;
	char *end;

	if (v == NULL || json_is_null(v))
		return 0;
	s = json_is_string(v) ? json_string_value(v) : "";
	if (strncmp(s, "0x", 2) != 0 || strlen(s) < 3 || strlen(s) > 18)
		return bad(c, "%s.%s is not a hexadecimal address \"0x...\"", where, key);
	*out = strtoull(s + 2, &end, 16);
	if (*end != '\0')
		return bad(c, "%s.%s is not a hexadecimal address \"0x...\"", where, key);
	return 0;
}

/* An array of strings into a freshly allocated vector. */
static int get_strings(struct check *c, const json_t *obj, const char *where, const char *key,
		       char ***out, size_t *n)
{
	const json_t *v = json_object_get(obj, key);
	size_t i;

	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return bad(c, "%s.%s is not an array of strings", where, key);
	*out = hs_xcalloc(json_array_size(v), sizeof(**out));
	for (i = 0; i < json_array_size(v); i++) {
		const json_t *e = json_array_get(v, i);
		if (!json_is_string(e))
			return bad(c, "%s.%s[%zu] is not a string", where, key, i);
		(*out)[i] = hs_xstrdup(json_string_value(e));
		*n = i + 1;
	}
	return 0;
}

static int need_object(struct check *c, const json_t *v, const char *where)
{
	return json_is_object(v) ? 0 : bad(c, "%s is not an object", where);
}

static int need_array(struct check *c, const json_t *v, const char *where)
{
	return json_is_array(v) ? 0 : bad(c, "\"%s\" is not an array", where);
}

/* live_blocks and live_bytes are what show and diff rely on; the rest may be absent. */
static int load_totals(struct check *c, const json_t *obj, const char *where, struct hs_totals *t)
{
	if (need_object(c, obj, where) < 0)
		return -1;
	for (size_t i = 0; i < HS_TOTALS_NFIELDS; i++)
		if (get_uint(c, obj, where, hs_totals_fields[i].key, i < 2, hs_totals_field(t, i)) < 0)
			return -1;
	return 0;
}

static int load_format(struct check *c, const json_t *format, const json_t *version)
{
	char shown[48];

	c->kind = HS_PROBLEM_NOT_SNAPSHOT;
	if (format == NULL)
		return bad(c, "not a heapsnap snapshot (it has no \"format\" member)");
	if (!json_is_string(format))
		return bad(c, "not a heapsnap snapshot (\"format\" is not a string)");
	if (strcmp(json_string_value(format), "heapsnap") != 0)
		return bad(c, "not a heapsnap snapshot (\"format\" is \"%s\", not \"heapsnap\")",
			   hs_printable(json_string_value(format), shown, sizeof(shown)));
	if (version == NULL)
		return bad(c, "not a heapsnap snapshot (it has no \"version\" member)");
	c->kind = HS_PROBLEM_VERSION;
	if (!json_is_integer(version))
		return bad(c, "snapshot format version is not an integer");
	if (json_integer_value(version) != HS_SNAPSHOT_VERSION)
		return bad(c, "snapshot format version %" JSON_INTEGER_FORMAT " is not supported",
			   json_integer_value(version));
	c->kind = HS_PROBLEM_CORRUPT;
	return 0;
}

static int load_target(struct check *c, const json_t *t, struct hs_snapshot *s)
{
	uint64_t pid = 0;

	if (t == NULL)
		return bad(c, "\"target\" is missing");
	if (need_object(c, t, "target") < 0 || get_uint(c, t, "target", "pid", true, &pid) < 0 ||
	    get_str(c, t, "target", "exe", false, &s->target.exe) < 0 ||
	    get_strings(c, t, "target", "cmdline", &s->target.cmdline, &s->target.ncmdline) < 0 ||
	    get_str(c, t, "target", "build_id", false, &s->target.build_id) < 0 ||
	    get_str(c, t, "target", "source", false, &s->target.source) < 0 ||
	    get_uint(c, t, "target", "threads", false, &s->target.threads) < 0)
		return -1;
	s->target.pid = (int64_t)pid;
	return 0;
}

static int load_glibc(struct check *c, const json_t *g, struct hs_snapshot *s)
{
	if (g == NULL)
		return 0;
	return need_object(c, g, "glibc") < 0 ||
			       get_str(c, g, "glibc", "version", false, &s->glibc.version) < 0 ||
			       get_str(c, g, "glibc", "libc_path", false, &s->glibc.libc_path) < 0 ||
			       get_hex(c, g, "glibc", "main_arena", &s->glibc.main_arena) < 0 ||
			       get_str(c, g, "glibc", "located_by", false, &s->glibc.located_by) < 0 ||
			       get_bool(c, g, "glibc", "safe_linking", &s->glibc.safe_linking) < 0 ||
			       get_bool(c, g, "glibc", "tcache", &s->glibc.tcache) < 0
		       ? -1
		       : 0;
}

static int load_walk(struct check *c, const json_t *w, struct hs_snapshot *s)
{
	if (w == NULL)
		return 0;
	if (need_object(c, w, "walk") < 0 || get_real(c, w, "walk", "pause_ms", &s->walk.pause_ms) < 0 ||
	    get_real(c, w, "walk", "duration_ms", &s->walk.duration_ms) < 0 ||
	    get_uint(c, w, "walk", "retries", false, &s->walk.retries) < 0 ||
	    get_strings(c, w, "walk", "warnings", &s->walk.warnings, &s->walk.nwarnings) < 0)
		return -1;
	s->walk.warnings_cap = s->walk.nwarnings;
	return 0;
}

static int load_frames(struct check *c, const json_t *a, const char *where, struct hs_thread_stack *th)
{
	char at[96];

	if (a == NULL)
		return bad(c, "%s.frames is missing", where);
	if (!json_is_array(a))
		return bad(c, "%s.frames is not an array", where);
	th->frames = hs_xcalloc(json_array_size(a), sizeof(*th->frames));
	for (size_t k = 0; k < json_array_size(a); k++) {
		const json_t *f = json_array_get(a, k);
		snprintf(at, sizeof(at), "%s.frames[%zu]", where, k);
		th->nframes = k + 1;
		if (need_object(c, f, at) < 0)
			return -1;
		if (json_object_get(f, "address") == NULL)
			return bad(c, "%s.address is missing", at);
		if (get_hex(c, f, at, "address", &th->frames[k].address) < 0 ||
		    get_str(c, f, at, "function", false, &th->frames[k].function) < 0 ||
		    get_str(c, f, at, "module", false, &th->frames[k].module) < 0)
			return -1;
	}
	return 0;
}

/* Absent before document revision 1.2 (docs/snapshot-format.md): has_threads stays false. */
static int load_threads(struct check *c, const json_t *a, struct hs_snapshot *s)
{
	char where[40];

	if (a == NULL)
		return 0;
	if (need_array(c, a, "threads") < 0)
		return -1;
	s->has_threads = true;
	s->threads = hs_xcalloc(json_array_size(a), sizeof(*s->threads));
	for (size_t i = 0; i < json_array_size(a); i++) {
		const json_t *e = json_array_get(a, i);
		uint64_t tid = 0;

		snprintf(where, sizeof(where), "threads[%zu]", i);
		s->nthreads = i + 1;
		if (need_object(c, e, where) < 0 || get_uint(c, e, where, "tid", true, &tid) < 0 ||
		    get_str(c, e, where, "name", false, &s->threads[i].name) < 0 ||
		    load_frames(c, json_object_get(e, "frames"), where, &s->threads[i]) < 0)
			return -1;
		s->threads[i].tid = (int64_t)tid;
	}
	return 0;
}

static int load_arenas(struct check *c, const json_t *a, const json_t *totals, struct hs_snapshot *s)
{
	uint64_t declared;
	char where[32];

	if (a == NULL)
		return 0;
	if (need_array(c, a, "arenas") < 0)
		return -1;
	s->narenas = json_array_size(a);
	s->arenas = hs_xcalloc(s->narenas, sizeof(*s->arenas));
	for (size_t i = 0; i < s->narenas; i++) {
		const json_t *e = json_array_get(a, i);
		snprintf(where, sizeof(where), "arenas[%zu]", i);
		if (load_totals(c, e, where, &s->arenas[i].totals) < 0 ||
		    get_hex(c, e, where, "address", &s->arenas[i].address) < 0 ||
		    get_uint(c, e, where, "heaps", false, &s->arenas[i].heaps) < 0)
			return -1;
	}
	declared = s->narenas;
	if (get_uint(c, totals, "totals", "arenas", false, &declared) < 0)
		return -1;
	if (declared != s->narenas)
		return bad(c, "totals.arenas is %" PRIu64 " but \"arenas\" lists %" PRIu64, declared,
			   s->narenas);
	return 0;
}

static int load_types(struct check *c, const json_t *a, struct hs_snapshot *s)
{
	char where[40];

	if (a == NULL)
		return bad(c, "\"types\" is missing");
	if (need_array(c, a, "types") < 0)
		return -1;
	if (json_array_size(a) > UINT32_MAX)
		return bad(c, "\"types\" has more than 2^32 entries");
	s->types = hs_xcalloc(json_array_size(a), sizeof(*s->types));
	s->types_cap = json_array_size(a);
	for (size_t i = 0; i < json_array_size(a); i++) {
		const json_t *e = json_array_get(a, i);
		snprintf(where, sizeof(where), "types[%zu]", i);
		s->ntypes = i + 1;
		if (need_object(c, e, where) < 0 ||
		    get_str(c, e, where, "name", true, &s->types[i].name) < 0 ||
		    get_str(c, e, where, "kind", true, &s->types[i].kind) < 0)
			return -1;
	}
	return 0;
}

/* Groups must sum to the totals: they are the same live blocks, counted by (type, size). */
static int load_groups(struct check *c, const json_t *a, struct hs_snapshot *s)
{
	uint64_t count_sum = 0, bytes_sum = 0;
	char where[40];

	if (a == NULL)
		return bad(c, "\"groups\" is missing");
	if (need_array(c, a, "groups") < 0)
		return -1;
	s->groups = hs_xcalloc(json_array_size(a), sizeof(*s->groups));
	s->ngroups = json_array_size(a);
	for (size_t i = 0; i < s->ngroups; i++) {
		const json_t *e = json_array_get(a, i);
		struct hs_group *g = &s->groups[i];
		uint64_t type = 0, bytes = 0, product;

		snprintf(where, sizeof(where), "groups[%zu]", i);
		if (need_object(c, e, where) < 0 || get_uint(c, e, where, "type", true, &type) < 0 ||
		    get_uint(c, e, where, "size", true, &g->size) < 0 ||
		    get_uint(c, e, where, "count", true, &g->count) < 0 ||
		    get_uint(c, e, where, "bytes", true, &bytes) < 0)
			return -1;
		if (type >= s->ntypes)
			return bad(c, "%s.type %" PRIu64 " is out of range (the snapshot has %zu types)",
				   where, type, s->ntypes);
		g->type = (uint32_t)type;
		if (g->count == 0)
			return bad(c, "%s.count is 0 (groups list only sizes present)", where);
		if (__builtin_mul_overflow(g->size, g->count, &product) || product != bytes)
			return bad(c, "%s.bytes is %" PRIu64 ", not size x count", where, bytes);
		count_sum += g->count;
		bytes_sum += bytes;
		if (count_sum > HS_SNAPSHOT_INT_MAX || bytes_sum > HS_SNAPSHOT_INT_MAX)
			return bad(c, "the groups add up to more than 2^53");
	}
	if (count_sum != s->totals.live_blocks || bytes_sum != s->totals.live_bytes)
		return bad(c, "the groups add up to %" PRIu64 " blocks and %" PRIu64
			   " bytes, but totals say %" PRIu64 " and %" PRIu64,
			   count_sum, bytes_sum, s->totals.live_blocks, s->totals.live_bytes);
	return 0;
}

static int load_root(struct check *c, const json_t *o, size_t i, struct hs_root *r)
{
	char where[48];
	const char *kind;
	const json_t *tid = json_object_get(o, "tid");

	snprintf(where, sizeof(where), "roots[%zu]", i);
	if (!json_is_object(o))
		return bad(c, "%s is not an object", where);
	kind = json_string_value(json_object_get(o, "kind"));
	for (r->kind = 0; r->kind < HS_ROOT_NKINDS; r->kind++)
		if (kind != NULL && strcmp(kind, hs_root_kind_names[r->kind]) == 0)
			break;
	if (r->kind == HS_ROOT_NKINDS)
		return bad(c, "%s.kind is not global, stack, register, tls or mapping", where);
	if (tid != NULL && !json_is_null(tid) &&
	    (!json_is_integer(tid) || json_integer_value(tid) < 0 || json_integer_value(tid) > INT32_MAX))
		return bad(c, "%s.tid is not a thread ID", where);
	r->tid = tid != NULL && json_is_integer(tid) ? json_integer_value(tid) : -1;
	return get_str(c, o, where, "name", true, &r->name) < 0 ||
			       get_str(c, o, where, "module", false, &r->module) < 0 ||
			       get_hex(c, o, where, "address", &r->address) < 0 ||
			       get_uint(c, o, where, "size", true, &r->size) < 0
		       ? -1
		       : 0;
}

/* "refs" and "roots" (take --refs): both or neither; the rows are block_refs' reader's. */
static int load_refs(struct check *c, const json_t *refs, const json_t *roots, struct hs_snapshot *s)
{
	struct hs_refs_figures *f;
	size_t n;

	if (refs == NULL && roots == NULL)
		return 0;
	if (!json_is_object(refs) || !json_is_array(roots))
		return bad(c, "\"refs\" and \"roots\" go together (an object and an array)");
	n = json_array_size(roots);
	if (n > INT32_MAX)
		return bad(c, "\"roots\" has more than 2^31 roots");
	s->refs = hs_xcalloc(1, sizeof(*s->refs));
	s->refs->roots = hs_xcalloc(n ? n : 1, sizeof(*s->refs->roots));
	s->refs->roots_cap = n;
	/* A root is counted before it loads, so that the strings of one that fails half-way
	   are freed with the rest. */
	for (size_t i = 0; i < n; i++)
		if (load_root(c, json_array_get(roots, i), i, &s->refs->roots[s->refs->nroots++]) < 0)
			return -1;
	f = &s->refs->figures;
	return get_uint(c, refs, "refs", "roots", false, &f->roots) < 0 ||
			       get_uint(c, refs, "refs", "scanned_bytes", false, &f->scanned_bytes) < 0 ||
			       get_uint(c, refs, "refs", "unreadable_bytes", false, &f->unreadable_bytes) < 0 ||
			       get_uint(c, refs, "refs", "reachable_blocks", false, &f->reachable_blocks) < 0 ||
			       get_uint(c, refs, "refs", "leaked_direct_blocks", false, &f->leaked_direct_blocks) < 0 ||
			       get_uint(c, refs, "refs", "leaked_direct_bytes", false, &f->leaked_direct_bytes) < 0 ||
			       get_uint(c, refs, "refs", "leaked_indirect_blocks", false, &f->leaked_indirect_blocks) < 0 ||
			       get_uint(c, refs, "refs", "leaked_indirect_bytes", false, &f->leaked_indirect_bytes) < 0 ||
			       get_real(c, refs, "refs", "scan_ms", &f->scan_ms) < 0
		       ? -1
		       : 0;
}

int hs_snapshot_load_members(struct hs_snapshot *s, json_t *const m[HS_M_COUNT], char *problem,
			     size_t n, enum hs_problem *kind)
{
	struct check c = { problem, n, HS_PROBLEM_CORRUPT };
	int rc = -1;

	if (load_format(&c, m[HS_M_FORMAT], m[HS_M_VERSION]) < 0)
		goto out;
	if (str_value(&c, m[HS_M_TAKEN_AT], "\"taken_at\"", true, &s->taken_at) < 0 ||
	    str_value(&c, m[HS_M_LABEL], "\"label\"", false, &s->label) < 0)
		goto out;
	if (m[HS_M_TOTALS] == NULL) {
		bad(&c, "\"totals\" is missing");
		goto out;
	}
	if (load_target(&c, m[HS_M_TARGET], s) < 0 || load_glibc(&c, m[HS_M_GLIBC], s) < 0 ||
	    load_walk(&c, m[HS_M_WALK], s) < 0 || load_threads(&c, m[HS_M_THREADS], s) < 0 || load_totals(&c, m[HS_M_TOTALS], "totals", &s->totals) < 0 ||
	    load_arenas(&c, m[HS_M_ARENAS], m[HS_M_TOTALS], s) < 0 || load_types(&c, m[HS_M_TYPES], s) < 0 ||
	    load_groups(&c, m[HS_M_GROUPS], s) < 0 || load_refs(&c, m[HS_M_REFS], m[HS_M_ROOTS], s) < 0)
		goto out;
	rc = 0;
out:
	*kind = c.kind;
	return rc;
}
