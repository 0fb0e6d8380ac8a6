/* pprof output: a gzip-compressed profile.proto (github.com/google/pprof, proto/profile.proto)
   that `go tool pprof` opens as a heap profile. Every group of the snapshot (every group,
   whatever the view's filters: pprof has its own) is one sample with the values
   inuse_objects and inuse_space, a synthetic stack and a numeric label "bytes" holding the
   blocks' usable size. The stack, leaf first: the type name, then "kind:<kind>", so pprof's
   flame graph puts each type under its kind; with reference data (diff.h's
   hs_pprof_stacks), the blocks of a group are split by their holder chain, whose frames
   follow the kind, root last, so that the flame graph shows who holds what. For diff, NEW's
   samples count up and OLD's down, so each figure sums to NEW minus OLD, as pprof's own
   -diff_base does. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/xalloc.h"
#include "diff/diff.h"
#include "diff/diff_private.h"

/* profile.proto field numbers. */
enum { PROFILE_SAMPLE_TYPE = 1, PROFILE_SAMPLE = 2, PROFILE_LOCATION = 4, PROFILE_FUNCTION = 5,
       PROFILE_STRING_TABLE = 6, PROFILE_DEFAULT_SAMPLE_TYPE = 14 };
enum { VALUE_TYPE_TYPE = 1, VALUE_TYPE_UNIT = 2 };
enum { SAMPLE_LOCATION_ID = 1, SAMPLE_VALUE = 2, SAMPLE_LABEL = 3 };
enum { LABEL_KEY = 1, LABEL_NUM = 3, LABEL_NUM_UNIT = 4 };
enum { LOCATION_ID = 1, LOCATION_LINE = 4 };
enum { LINE_FUNCTION_ID = 1 };
enum { FUNCTION_ID = 1, FUNCTION_NAME = 2 };

#define MAX_FRAMES (2 + HS_PPROF_MAX_HOLDERS) /* type, kind, the holder chain */

/* The profile's string table, each string once; a string used as a frame is also a
   function and a location, all three numbered by the string's index. */
struct strings {
	char **text;
	bool *is_frame;
	size_t n, cap;
	size_t *slots; /* open addressing: index + 1, 0 empty */
	size_t nslots;
};

static size_t hash(const char *s)
{
	size_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void rehash(struct strings *t)
{
	t->nslots = t->nslots ? t->nslots * 2 : 1024;
	free(t->slots);
	t->slots = hs_xcalloc(t->nslots, sizeof(*t->slots));
	for (size_t i = 0; i < t->n; i++) {
		size_t j = hash(t->text[i]) & (t->nslots - 1);
		while (t->slots[j] != 0)
			j = (j + 1) & (t->nslots - 1);
		t->slots[j] = i + 1;
	}
}

static uint64_t intern(struct strings *t, const char *s)
{
	size_t j;

	if (2 * (t->n + 1) > t->nslots)
		rehash(t);
	for (j = hash(s) & (t->nslots - 1); t->slots[j] != 0; j = (j + 1) & (t->nslots - 1))
		if (strcmp(t->text[t->slots[j] - 1], s) == 0)
			return t->slots[j] - 1;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->text = hs_xrealloc(t->text, t->cap * sizeof(*t->text));
		t->is_frame = hs_xrealloc(t->is_frame, t->cap * sizeof(*t->is_frame));
	}
	t->text[t->n] = hs_xstrdup(s);
	t->is_frame[t->n] = false;
	t->slots[j] = t->n + 1;
	return t->n++;
}

static uint64_t frame(struct strings *t, const char *name)
{
	uint64_t id = intern(t, name);
	t->is_frame[id] = true;
	return id;
}

static void strings_free(struct strings *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->text[i]);
	free(t->text);
	free(t->is_frame);
	free(t->slots);
}

static void value_type(struct hs_pb *profile, struct strings *t, const char *type, const char *unit)
{
	struct hs_pb m = { 0 };

	hs_pb_varint(&m, VALUE_TYPE_TYPE, intern(t, type));
	hs_pb_varint(&m, VALUE_TYPE_UNIT, intern(t, unit));
	hs_pb_message(profile, PROFILE_SAMPLE_TYPE, &m);
	hs_pb_free(&m);
}

/* The frames of a stack, leaf first: the type, its kind, then the holder chain from node
   (none when node is HS_PPROF_NO_PARENT); returns their number. Location and function ids
   are string indices + 1 (0 means none in profile.proto). */
static size_t stack_of(struct strings *t, const struct hs_type *type, const struct hs_pprof_stacks *stacks,
		       uint32_t node, uint64_t *loc)
{
	char kind[96];
	size_t n = 0;

	snprintf(kind, sizeof(kind), "kind:%s", type->kind);
	loc[n++] = frame(t, type->name) + 1;
	loc[n++] = frame(t, kind) + 1;
	for (; node != HS_PPROF_NO_PARENT && n < MAX_FRAMES; node = stacks->nodes[node].parent)
		loc[n++] = frame(t, stacks->names[stacks->nodes[node].name]) + 1;
	return n;
}

/* One sample; m and label are scratch messages, reused. */
static void sample(struct hs_pb *profile, struct strings *t, struct hs_pb *m, struct hs_pb *label,
		   const uint64_t *loc, size_t nframes, uint64_t count, uint64_t size, int sign)
{
	uint64_t value[2], bytes_key = intern(t, "bytes");

	value[0] = (uint64_t)(sign * (int64_t)count);
	value[1] = (uint64_t)(sign * (int64_t)(count * size));
	hs_pb_reset(m);
	hs_pb_packed(m, SAMPLE_LOCATION_ID, loc, nframes);
	hs_pb_packed(m, SAMPLE_VALUE, value, 2);
	hs_pb_reset(label);
	hs_pb_varint(label, LABEL_KEY, bytes_key);
	hs_pb_varint(label, LABEL_NUM, size);
	hs_pb_varint(label, LABEL_NUM_UNIT, bytes_key);
	hs_pb_message(m, SAMPLE_LABEL, label);
	hs_pb_message(profile, PROFILE_SAMPLE, m);
}

static void samples(struct hs_pb *profile, struct strings *t, const struct hs_snapshot *s,
		    const struct hs_pprof_stacks *stacks, int sign)
{
	struct hs_pb m = { 0 }, label = { 0 };
	uint64_t loc[MAX_FRAMES];
	size_t nframes;

	if (stacks != NULL) {
		for (size_t i = 0; i < stacks->nsamples; i++) {
			const struct hs_pprof_sample *p = &stacks->samples[i];

			nframes = stack_of(t, &s->types[p->type], stacks, p->node, loc);
			sample(profile, t, &m, &label, loc, nframes, p->count, p->size, sign);
		}
	} else {
		for (size_t i = 0; i < s->ngroups; i++) {
			const struct hs_group *g = &s->groups[i];

			nframes = stack_of(t, &s->types[g->type], NULL, HS_PPROF_NO_PARENT, loc);
			sample(profile, t, &m, &label, loc, nframes, g->count, g->size, sign);
		}
	}
	hs_pb_free(&m);
	hs_pb_free(&label);
}

/* The functions and locations of the frames, then the string table. */
static void tables(struct hs_pb *profile, struct strings *t)
{
	struct hs_pb m = { 0 }, line = { 0 };

	for (size_t i = 0; i < t->n; i++) {
		if (!t->is_frame[i])
			continue;
		hs_pb_reset(&m);
		hs_pb_varint(&m, FUNCTION_ID, i + 1);
		/* Name only: pprof would shorten a system_name that looks like C++ (dropping
		   "(...)" and "<...>"), and a type name is no symbol. */
		hs_pb_varint(&m, FUNCTION_NAME, i);
		hs_pb_message(profile, PROFILE_FUNCTION, &m);
		hs_pb_reset(&line);
		hs_pb_varint(&line, LINE_FUNCTION_ID, i + 1);
		hs_pb_reset(&m);
		hs_pb_varint(&m, LOCATION_ID, i + 1);
		hs_pb_message(&m, LOCATION_LINE, &line);
		hs_pb_message(profile, PROFILE_LOCATION, &m);
	}
	for (size_t i = 0; i < t->n; i++)
		hs_pb_string(profile, PROFILE_STRING_TABLE, t->text[i]);
	hs_pb_free(&m);
	hs_pb_free(&line);
}

/* gzip (RFC 1952) of data to out; write errors are left on the stream for the caller. */
static void gzip_to(const struct hs_pb *data, FILE *out)
{
	z_stream z;
	unsigned char chunk[65536];
	int rc;

	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip header and trailer around deflate's 32 KiB window. */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		hs_xalloc_fail(sizeof(z));
	z.next_in = data->data;
	z.avail_in = (uInt)data->len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = deflate(&z, Z_FINISH);
		fwrite(chunk, 1, sizeof(chunk) - z.avail_out, out);
	} while (rc == Z_OK);
	deflateEnd(&z);
}

void hs_render_pprof(const struct hs_comparison *c, FILE *out)
{
	struct hs_pb profile = { 0 };
	struct strings t = { 0 };

	intern(&t, ""); /* string 0 is always "" */
	value_type(&profile, &t, "inuse_objects", "count");
	value_type(&profile, &t, "inuse_space", "bytes");
	samples(&profile, &t, c->snap[HS_NEW], c->stacks[HS_NEW], 1);
	if (hs_is_diff(c))
		samples(&profile, &t, c->snap[HS_OLD], c->stacks[HS_OLD], -1);
	hs_pb_varint(&profile, PROFILE_DEFAULT_SAMPLE_TYPE, intern(&t, "inuse_space"));
	tables(&profile, &t);
	gzip_to(&profile, out);
	hs_pb_free(&profile);
	strings_free(&t);
}
