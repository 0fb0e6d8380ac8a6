/* Opening a snapshot: one pass over the top-level object. Each member the format defines,
   except `blocks`, is handed to jansson as text; `blocks` is only skipped (its offset kept
   for the block stream) and unknown members are skipped, so memory does not grow with the
   block count. The members are checked once the whole file has been seen, format first. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "snapshot/snapshot_private.h"

/* Member names are short; a longer one is not a snapshot's. */
#define MAX_KEY_BYTES 4096

int hs_reader_fail(struct hs_snapshot_reader *r, struct hs_error *err, enum hs_read_problem kind,
		const char *fmt, ...)
{
	static const char *const advice[] = {
		[HS_READ_IO] = "check the file name and permissions",
		[HS_READ_JSON] = "the file is damaged or incomplete; take the snapshot again",
		[HS_READ_NOT_SNAPSHOT] = "give a snapshot written by 'heapsnap take'",
		[HS_READ_VERSION] = "this heapsnap reads snapshot format version 1; use the heapsnap that wrote it",
		[HS_READ_CORRUPT] = "the file is damaged or was edited; take the snapshot again",
	};
	char problem[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	return hs_fail(err, HS_ERR_TARGET, "%s: %s%s: %s", r->path,
		       kind == HS_READ_CORRUPT ? "corrupt snapshot: " : "", problem, advice[kind]);
}

int hs_reader_scan_fail(struct hs_snapshot_reader *r, struct hs_error *err)
{
	if (r->scan.read_errno)
		return hs_reader_fail(r, err, HS_READ_IO, "cannot read the file (%s)", strerror(r->scan.read_errno));
	return hs_reader_fail(r, err, HS_READ_JSON, "unreadable JSON at byte %llu (%s)",
			   (unsigned long long)r->scan.where, r->scan.why);
}

/* A member name: the string token, decoded by jansson (escapes and UTF-8 included). */
static int read_key(struct hs_snapshot_reader *r, struct hs_json_text *text, char *key, size_t n,
		    struct hs_error *err)
{
	uint64_t at = hs_json_offset(&r->scan);
	json_error_t jerr;
	json_t *v;

	text->len = 0;
	if (hs_json_skip_ws(&r->scan) != '"')
		hs_json_scan_fail(&r->scan, hs_json_peek(&r->scan) < 0 ? "the file ends early (truncated?)"
								   : "expected a member name");
	if (r->scan.why != NULL || hs_json_scan_string(&r->scan, text, MAX_KEY_BYTES) < 0)
		return hs_reader_scan_fail(r, err);
	v = json_loadb(text->p, text->len, JSON_DECODE_ANY, &jerr);
	if (v == NULL)
		return hs_reader_fail(r, err, HS_READ_JSON, "unreadable JSON at byte %llu (%s)",
				   (unsigned long long)(at + (uint64_t)jerr.position), jerr.text);
	snprintf(key, n, "%s", json_string_value(v));
	json_decref(v);
	return 0;
}

/* One member's value: parsed by jansson into members[m], or skipped. */
static int read_value(struct hs_snapshot_reader *r, int m, const char *key, json_t *members[],
		      bool seen[2], struct hs_json_text *text, struct hs_error *err)
{
	uint64_t at;
	json_error_t jerr;

	if (hs_json_skip_ws(&r->scan) < 0) {
		hs_json_scan_fail(&r->scan, "the file ends early (truncated?)");
		return hs_reader_scan_fail(r, err);
	}
	at = hs_json_offset(&r->scan);
	bool streamed = m == HS_M_BLOCKS || m == HS_M_BLOCK_REFS;

	if (m >= 0 && (streamed ? seen[m == HS_M_BLOCK_REFS] : members[m] != NULL))
		return hs_reader_fail(r, err, HS_READ_CORRUPT, "\"%s\" appears twice", key);
	if (streamed) {
		if (hs_json_peek(&r->scan) != '[')
			return hs_reader_fail(r, err, HS_READ_CORRUPT, "\"%s\" is not an array", key);
		*(m == HS_M_BLOCKS ? &r->blocks_offset : &r->block_refs_offset) = at;
		seen[m == HS_M_BLOCK_REFS] = true;
	}
	text->len = 0;
	if (hs_json_scan_value(&r->scan, m >= 0 && !streamed ? text : NULL) < 0)
		return hs_reader_scan_fail(r, err);
	if (m < 0 || streamed)
		return 0;
	members[m] = json_loadb(text->p, text->len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (members[m] == NULL)
		return hs_reader_fail(r, err, HS_READ_JSON, "unreadable JSON at byte %llu (%s)",
				   (unsigned long long)(at + (uint64_t)jerr.position), jerr.text);
	return 0;
}

/* The top-level object: '{' member (',' member)* '}' and nothing after it. */
static int read_members(struct hs_snapshot_reader *r, json_t *members[], bool seen[2],
			struct hs_error *err)
{
	struct hs_json_text text = { 0 };
	char key[MAX_KEY_BYTES + 1];
	int c = hs_json_skip_ws(&r->scan), rc = -1;

	if (c < 0 && r->scan.read_errno == 0)
		return hs_reader_fail(r, err, HS_READ_NOT_SNAPSHOT, "not a heapsnap snapshot (the file is empty)");
	if (c != '{' && r->scan.read_errno == 0)
		return hs_reader_fail(r, err, HS_READ_NOT_SNAPSHOT, "not a heapsnap snapshot (not a JSON object)");
	if (c != '{')
		return hs_reader_scan_fail(r, err);
	hs_json_get(&r->scan);
	if (hs_json_skip_ws(&r->scan) == '}') {
		hs_json_get(&r->scan);
	} else {
		do {
			if (read_key(r, &text, key, sizeof(key), err) < 0 ||
			    hs_json_expect(&r->scan, ':', "expected ':' after a member name") < 0 ||
			    read_value(r, hs_member_lookup(key), key, members, seen, &text, err) < 0)
				goto out;
			c = hs_json_skip_ws(&r->scan);
			if (c == ',' || c == '}')
				hs_json_get(&r->scan);
		} while (c == ',');
		if (c != '}') {
			hs_json_scan_fail(&r->scan, c < 0 ? "the file ends early (truncated?)"
							  : "expected ',' or '}' after a member");
			goto out;
		}
	}
	if (hs_json_skip_ws(&r->scan) >= 0)
		hs_json_scan_fail(&r->scan, "unexpected text after the closing '}'");
	else if (r->scan.why == NULL && r->scan.read_errno == 0)
		rc = 0;
out:
	if (rc < 0 && err->kind == HS_OK)
		hs_reader_scan_fail(r, err);
	hs_json_text_free(&text);
	return rc;
}

/* The groups must be distinct (type, size) pairs; indexed for the block stream. */
static int index_groups(struct hs_snapshot_reader *r, struct hs_error *err)
{
	struct hs_snapshot *s = r->snap;
	size_t dup = hs_group_index_build(&r->groups, s);

	if (dup != HS_NO_GROUP)
		return hs_reader_fail(r, err, HS_READ_CORRUPT, "groups[%zu] repeats type %u size %llu",
				   dup, s->groups[dup].type, (unsigned long long)s->groups[dup].size);
	r->group_seen = hs_xcalloc(s->ngroups, sizeof(*r->group_seen));
	return 0;
}

int hs_snapshot_open(const char *path, struct hs_snapshot *s, struct hs_snapshot_reader **out,
		     struct hs_error *err)
{
	struct hs_snapshot_reader *r = hs_xcalloc(1, sizeof(*r));
	json_t *members[HS_M_COUNT] = { 0 };
	enum hs_problem problem;
	char why[512];
	bool seen[2] = { false, false }; /* blocks, block_refs */
	int rc = -1;

	r->path = hs_xstrdup(path);
	r->snap = s;
	*out = r;
	r->fp = fopen(path, "rb");
	if (r->fp == NULL)
		return hs_reader_fail(r, err, HS_READ_IO, "cannot open the file (%s)", strerror(errno));
	hs_json_scan_init(&r->scan, r->fp);
	if (read_members(r, members, seen, err) < 0)
		goto out;
	if (hs_snapshot_load_members(s, members, why, sizeof(why), &problem) < 0) {
		hs_reader_fail(r, err,
			    problem == HS_PROBLEM_NOT_SNAPSHOT ? HS_READ_NOT_SNAPSHOT
			    : problem == HS_PROBLEM_VERSION    ? HS_READ_VERSION
							       : HS_READ_CORRUPT,
			    "%s", why);
		goto out;
	}
	s->has_blocks = seen[0];
	if ((s->refs != NULL) != (seen[0] && seen[1])) {
		hs_reader_fail(r, err, HS_READ_CORRUPT, "\"roots\", \"refs\", \"blocks\" and \"block_refs\" go together");
		goto out;
	}
	rc = index_groups(r, err);
out:
	for (int m = 0; m < HS_M_COUNT; m++)
		json_decref(members[m]);
	return rc;
}

int hs_snapshot_check_blocks(struct hs_snapshot_reader *r, struct hs_error *err)
{
	struct hs_block b;
	size_t group;
	int rc;

	while ((rc = hs_snapshot_next_block(r, &b, &group, err)) > 0)
		;
	return rc;
}

void hs_snapshot_rewind_blocks(struct hs_snapshot_reader *r)
{
	r->state = BLOCKS_UNREAD;
	r->nblocks = 0;
	r->prev_addr = r->prev_end = 0;
	memset(r->group_seen, 0, r->snap->ngroups * sizeof(*r->group_seen));
}

void hs_snapshot_close(struct hs_snapshot_reader *r)
{
	if (r == NULL)
		return;
	if (r->fp != NULL)
		fclose(r->fp);
	hs_group_index_free(&r->groups);
	free(r->group_seen);
	free(r->path);
	free(r);
}

int hs_snapshot_read(const char *path, struct hs_snapshot *s, struct hs_error *err)
{
	struct hs_snapshot_reader *r;
	struct hs_block b;
	size_t group;
	int rc = hs_snapshot_open(path, s, &r, err);

	while (rc == 0 && (rc = hs_snapshot_next_block(r, &b, &group, err)) > 0) {
		hs_block_log_append(&s->blocks, b.addr, b.size, b.type);
		rc = 0;
	}
	hs_snapshot_close(r);
	return rc;
}
