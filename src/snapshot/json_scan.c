/* The bounded JSON scanner (see snapshot_private.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "common/xalloc.h"
#include "snapshot/snapshot_private.h"

#define TEXT_OF(x) QUOTE(x)
#define QUOTE(x) #x

void hs_json_scan_init(struct hs_json_scan *s, FILE *fp)
{
	memset(s, 0, sizeof(*s));
	s->fp = fp;
}

int hs_json_scan_seek(struct hs_json_scan *s, uint64_t offset)
{
	if (offset >= s->base && offset <= s->base + s->len) {
		s->pos = offset - s->base;
		return 0;
	}
	if (fseeko(s->fp, (off_t)offset, SEEK_SET) != 0)
		return -1;
	s->base = offset;
	s->pos = s->len = 0;
	s->eof = false;
	return 0;
}

int hs_json_scan_fill(struct hs_json_scan *s)
{
	size_t n;

	if (s->pos < s->len)
		return s->buf[s->pos];
	if (s->eof)
		return -1;
	s->base += s->len;
	s->pos = 0;
	n = fread(s->buf, 1, sizeof(s->buf), s->fp);
	s->len = n;
	if (n == 0) {
		s->eof = true;
		if (ferror(s->fp))
			s->read_errno = errno ? errno : EIO;
		return -1;
	}
	return s->buf[0];
}

int hs_json_scan_fail(struct hs_json_scan *s, const char *why)
{
	if (s->why == NULL) {
		s->why = s->read_errno ? "the file could not be read to its end" : why;
		s->where = hs_json_offset(s);
	}
	return -1;
}

static bool is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Bytes that may make up a number or a literal (true, false, null); jansson judges the rest. */
static bool is_scalar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '+' || c == '.';
}

int hs_json_skip_ws(struct hs_json_scan *s)
{
	int c;

	while ((c = hs_json_peek(s)) >= 0 && is_ws(c))
		s->pos++;
	return c;
}

int hs_json_expect(struct hs_json_scan *s, int c, const char *why)
{
	if (hs_json_skip_ws(s) != c)
		return hs_json_scan_fail(s, hs_json_peek(s) < 0 ? "the file ends early (truncated?)" : why);
	s->pos++;
	return 0;
}

static void put(struct hs_json_text *t, int c)
{
	if (t == NULL)
		return;
	hs_xgrow((void **)&t->p, &t->cap, t->len + 2, 1);
	t->p[t->len++] = (char)c;
	t->p[t->len] = '\0';
}

int hs_json_scan_string(struct hs_json_scan *s, struct hs_json_text *out, size_t max_len)
{
	size_t n = 0;
	int c;

	if (hs_json_peek(s) != '"')
		return hs_json_scan_fail(s, "expected a string");
	put(out, hs_json_get(s));
	for (;;) {
		if (++n > max_len)
			return hs_json_scan_fail(s, "a string is too long");
		c = hs_json_get(s);
		if (c < 0)
			return hs_json_scan_fail(s, "the file ends inside a string (truncated?)");
		put(out, c);
		if (c == '"')
			return 0;
		if (c == '\\') {
			c = hs_json_get(s);
			if (c < 0)
				return hs_json_scan_fail(s, "the file ends inside a string (truncated?)");
			put(out, c);
		}
	}
}

/* A number or literal standing alone as a member's value. */
static int scan_scalar(struct hs_json_scan *s, struct hs_json_text *out)
{
	size_t n = 0;

	while (is_scalar(hs_json_peek(s))) {
		if (++n > HS_JSON_MAX_SCALAR)
			return hs_json_scan_fail(s, "a number is too long");
		put(out, hs_json_get(s));
	}
	if (n == 0)
		return hs_json_scan_fail(s, hs_json_peek(s) < 0 ? "the file ends where a value should be (truncated?)"
							       : "expected a value");
	return 0;
}

/* The bytes hs_json_scan_value lets pass inside a value without looking further: is_ws,
   ',', ':' and is_scalar. */
static const bool skim_plain[256] = {
	[' '] = true, ['\t'] = true, ['\n'] = true, ['\r'] = true, [','] = true, [':'] = true,
	['0' ... '9'] = true, ['a' ... 'z'] = true, ['A' ... 'Z'] = true, ['-'] = true, ['+'] = true,
	['.'] = true,
};

int hs_json_scan_value(struct hs_json_scan *s, struct hs_json_text *out)
{
	/* The closing bracket expected at each open level, so "[}" is caught here and the end
	   of the value is found even in malformed text. */
	char closers[HS_JSON_MAX_DEPTH];
	size_t depth = 0;
	int c = hs_json_skip_ws(s);

	if (c != '[' && c != '{')
		return c == '"' ? hs_json_scan_string(s, out, SIZE_MAX) : scan_scalar(s, out);
	do {
		/* Skimming (a block list a trend does not need): run over the bytes that change
		   nothing here, and the inner brackets of arrays in arrays, without a call each;
		   anything else (and the value's last bracket) goes the general way below. */
		while (out == NULL && s->pos < s->len) {
			unsigned char b = s->buf[s->pos];
			if (skim_plain[b])
				;
			else if (b == '[' && depth < HS_JSON_MAX_DEPTH)
				closers[depth++] = ']';
			else if (b == ']' && depth > 1 && closers[depth - 1] == ']')
				depth--;
			else
				break;
			s->pos++;
		}
		c = hs_json_peek(s);
		switch (c) {
		case -1:
			return hs_json_scan_fail(s, "the file ends inside a value (truncated?)");
		case '[':
		case '{':
			if (depth == HS_JSON_MAX_DEPTH)
				return hs_json_scan_fail(s, "values are nested more than " TEXT_OF(HS_JSON_MAX_DEPTH) " levels deep");
			closers[depth++] = c == '[' ? ']' : '}';
			break;
		case ']':
		case '}':
			if (closers[depth - 1] != c)
				return hs_json_scan_fail(s, "brackets do not match");
			depth--;
			break;
		case '"':
			if (hs_json_scan_string(s, out, SIZE_MAX) < 0)
				return -1;
			continue;
		default:
			if (!is_ws(c) && c != ',' && c != ':' && !is_scalar(c))
				return hs_json_scan_fail(s, "unexpected character");
		}
		put(out, hs_json_get(s));
	} while (depth > 0);
	return 0;
}

void hs_json_text_free(struct hs_json_text *t)
{
	free(t->p);
	t->p = NULL;
	t->len = t->cap = 0;
}
