/* The protocol buffers encoder against the wire format's own examples
   (https://protobuf.dev/programming-guides/encoding/) and its edge cases. go tool pprof
   reading whole profiles is tests/export/pprof.sh. */
#include <stdlib.h>
#include <string.h>

#include "diff/diff_private.h"
#include "tests/diff/tap.h"

static char hex[1 << 16];

static const char *hex_of(const struct hs_pb *b, size_t max)
{
	size_t n = b->len < max ? b->len : max;
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", b->data[i]);
	hex[2 * n] = '\0';
	return hex;
}

int main(void)
{
	struct hs_pb b = { 0 }, m = { 0 };
	static const uint64_t packed[] = { 3, 270, 86942 };
	char *big;

	hs_pb_varint(&b, 1, 150);
	tap_str(hex_of(&b, 64), "089601", "varint field 1 = 150");
	hs_pb_reset(&b);
	hs_pb_string(&b, 2, "testing");
	tap_str(hex_of(&b, 64), "120774657374696e67", "string field 2 = \"testing\"");
	hs_pb_reset(&b);
	hs_pb_packed(&b, 4, packed, 3);
	tap_str(hex_of(&b, 64), "2206038e029ea705", "packed field 4 = [3, 270, 86942]");
	hs_pb_reset(&b);
	hs_pb_varint(&m, 1, 150);
	hs_pb_message(&b, 3, &m);
	tap_str(hex_of(&b, 64), "1a03089601", "embedded message field 3 = {1: 150}");
	hs_pb_reset(&b);
	hs_pb_varint(&b, 2, (uint64_t)(int64_t)-2);
	tap_str(hex_of(&b, 64), "10feffffffffffffffff01", "int64 -2 takes ten bytes, as protobuf's int64 does");
	hs_pb_reset(&b);
	hs_pb_varint(&b, 5, 0);
	hs_pb_packed(&b, 6, packed, 0);
	hs_pb_string(&b, 7, "");
	tap_str(hex_of(&b, 64), "280032003a00", "zero, an empty packed field and an empty string");
	hs_pb_reset(&b);
	hs_pb_varint(&b, 1000, UINT64_MAX);
	tap_str(hex_of(&b, 64), "c03effffffffffffffffff01", "field 1000 (two-byte tag) = 2^64 - 1");
	hs_pb_reset(&b);
	big = malloc(100000);
	memset(big, 'x', 100000);
	hs_pb_bytes(&b, 1, big, 100000);
	tap_ok(b.len == 100004 && memcmp(b.data, "\x0a\xa0\x8d\x06", 4) == 0 && b.data[b.len - 1] == 'x',
	       "100000 bytes: tag, a three-byte length, the bytes");
	hs_pb_reset(&b);
	tap_ok(b.len == 0 && b.cap >= 100004, "reset empties the buffer and keeps its memory");
	free(big);
	hs_pb_free(&b);
	hs_pb_free(&m);
	return tap_done();
}
