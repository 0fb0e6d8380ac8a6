/* src/diff's private header: a protocol buffers encoder for the few messages heapsnap writes
   (pprof's profile.proto): varints, packed repeated varints and length-delimited fields
   (strings, nested messages) appended to a growing byte buffer. Nested messages are built in
   a buffer of their own and appended with hs_pb_message. */
#ifndef HS_DIFF_PRIVATE_H
#define HS_DIFF_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

struct hs_pb {
	uint8_t *data;
	size_t len, cap;
};

void hs_pb_reset(struct hs_pb *b); /* empties b, keeping its memory */
void hs_pb_free(struct hs_pb *b);
/* Field `field` as a varint (wire type 0); negative int64 values take ten bytes, as
   protobuf's int64 does. */
void hs_pb_varint(struct hs_pb *b, uint32_t field, uint64_t v);
/* Field `field` as bytes or a string (wire type 2). */
void hs_pb_bytes(struct hs_pb *b, uint32_t field, const void *data, size_t n);
void hs_pb_string(struct hs_pb *b, uint32_t field, const char *s);
/* Field `field` as the embedded message m. */
void hs_pb_message(struct hs_pb *b, uint32_t field, const struct hs_pb *m);
/* Field `field` as a packed repeated varint of the n values. */
void hs_pb_packed(struct hs_pb *b, uint32_t field, const uint64_t *v, size_t n);

#endif
