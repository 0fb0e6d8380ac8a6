/* A bounded streaming scanner over a JSON file: it walks the top level of a document too big
   to hold as JSON objects, hands the text of small members to jansson, and lets the block
   reader parse the large `blocks` array in place. Nesting depth and scalar length are
   bounded, so hostile input costs at most the file's size in memory and one pass in time. */
#ifndef HS_JSON_SCAN_H
#define HS_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Deeper than any snapshot needs (the format nests 3 levels); jansson's own bound is 2048. */
#define HS_JSON_MAX_DEPTH 64
/* The longest number or literal accepted at the top of a member's value. */
#define HS_JSON_MAX_SCALAR 256

struct hs_json_scan {
	FILE *fp;
	unsigned char buf[1 << 16];
	size_t pos, len;
	uint64_t base;    /* file offset of buf[0] */
	bool eof;
	int read_errno;   /* set when reading failed (not at end of file) */
	const char *why;  /* what was wrong, after a scan function returned -1 */
	uint64_t where;   /* file offset of the problem */
};

/* Text captured from the file; grows as needed. */
struct hs_json_text {
	char *p;
	size_t len, cap;
};

void hs_json_scan_init(struct hs_json_scan *s, FILE *fp);
/* Positions the scanner at a file offset; -1 when the stream cannot seek. */
int hs_json_scan_seek(struct hs_json_scan *s, uint64_t offset);

/* Refills the buffer; returns the next byte or -1 at the end of the file (or on a read error). */
int hs_json_scan_fill(struct hs_json_scan *s);

static inline int hs_json_peek(struct hs_json_scan *s)
{
	return s->pos < s->len ? s->buf[s->pos] : hs_json_scan_fill(s);
}

static inline int hs_json_get(struct hs_json_scan *s)
{
	int c = hs_json_peek(s);
	if (c >= 0)
		s->pos++;
	return c;
}

static inline uint64_t hs_json_offset(const struct hs_json_scan *s)
{
	return s->base + s->pos;
}

/* Skips JSON whitespace; returns the next byte (not consumed) or -1. */
int hs_json_skip_ws(struct hs_json_scan *s);
/* Records a problem at the current offset; returns -1. */
int hs_json_scan_fail(struct hs_json_scan *s, const char *why);
/* Consumes the byte c (after whitespace) or fails naming it. */
int hs_json_expect(struct hs_json_scan *s, int c, const char *why);
/* Scans one string token (the opening quote next), at most max_len bytes of text, appending
   its raw text, quotes included, to out. */
int hs_json_scan_string(struct hs_json_scan *s, struct hs_json_text *out, size_t max_len);
/* Scans one JSON value of any kind; appends its raw text to out unless out is NULL. Checks
   brackets match and nesting stays within HS_JSON_MAX_DEPTH; the rest of the grammar is left
   to whoever parses the text. */
int hs_json_scan_value(struct hs_json_scan *s, struct hs_json_text *out);

void hs_json_text_free(struct hs_json_text *t);

#endif
