/* Protocol buffers encoding (see diff_private.h; wire format:
   https://protobuf.dev/programming-guides/encoding/). */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "diff/diff_private.h"

static void reserve(struct hs_pb *b, size_t more)
{
	if (b->cap - b->len >= more)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < more)
		cap *= 2;
	b->data = hs_xrealloc(b->data, cap);
	b->cap = cap;
}

static void raw_varint(struct hs_pb *b, uint64_t v)
{
	reserve(b, 10);
	while (v >= 0x80) {
		b->data[b->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->data[b->len++] = (uint8_t)v;
}

static size_t varint_size(uint64_t v)
{
	size_t n = 1;
	for (; v >= 0x80; v >>= 7)
		n++;
	return n;
}

void hs_pb_reset(struct hs_pb *b)
{
	b->len = 0;
}

void hs_pb_free(struct hs_pb *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void hs_pb_varint(struct hs_pb *b, uint32_t field, uint64_t v)
{
	raw_varint(b, (uint64_t)field << 3);
	raw_varint(b, v);
}

void hs_pb_bytes(struct hs_pb *b, uint32_t field, const void *data, size_t n)
{
	raw_varint(b, (uint64_t)field << 3 | 2);
	raw_varint(b, n);
	reserve(b, n);
	if (n > 0)
		memcpy(b->data + b->len, data, n);
	b->len += n;
}

void hs_pb_string(struct hs_pb *b, uint32_t field, const char *s)
{
	hs_pb_bytes(b, field, s, strlen(s));
}

void hs_pb_message(struct hs_pb *b, uint32_t field, const struct hs_pb *m)
{
	hs_pb_bytes(b, field, m->data, m->len);
}

void hs_pb_packed(struct hs_pb *b, uint32_t field, const uint64_t *v, size_t n)
{
	size_t size = 0;

	for (size_t i = 0; i < n; i++)
		size += varint_size(v[i]);
	raw_varint(b, (uint64_t)field << 3 | 2);
	raw_varint(b, size);
	for (size_t i = 0; i < n; i++)
		raw_varint(b, v[i]);
}
