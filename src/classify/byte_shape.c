/* Blocks named by the shape of their bytes alone: C strings, zero-filled blocks, arrays of
   pointers. Only the bytes the walker already holds are looked at, at most 4 KiB for the
   pointer test; nothing is kept. */
#include "classify/classify_private.h"

/* Enough of a block was seen to call it zero-filled or a pointer array. */
#define SEEN_ENOUGH 4096

static bool seen_enough(uint64_t usable, size_t avail)
{
	return avail == usable || avail >= SEEN_ENOUGH;
}

/* Bytes taken by the text character at p (printable ASCII, tab, LF, CR, or a well-formed
   UTF-8 sequence), 0 when p does not start one. */
static size_t text_char(const uint8_t *p, size_t n)
{
	uint8_t b = p[0];
	size_t len;

	if ((b >= 0x20 && b < 0x7f) || b == '\t' || b == '\n' || b == '\r')
		return 1;
	if (b < 0xc2 || b > 0xf4)
		return 0;
	len = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, UTF-16 surrogates, beyond U+10FFFF. */
	if ((b == 0xe0 && p[1] < 0xa0) || (b == 0xed && p[1] >= 0xa0) ||
	    (b == 0xf0 && p[1] < 0x90) || (b == 0xf4 && p[1] >= 0x90))
		return 0;
	return len;
}

/* Text from byte 0 up to a NUL, of length L >= 8 with 4 L >= 3 (usable - 8): the text fills
   most of the block. A string malloc'd at its size (L + 1) passes from L = 12 on, as malloc's
   rounding leaves it at most 23 spare bytes. */
static bool is_string(uint64_t usable, const uint8_t *bytes, size_t avail)
{
	uint64_t min_len = usable > 8 ? (3 * (usable - 8) + 3) / 4 : 0;
	size_t i = 0, k;

	if (min_len < 8)
		min_len = 8;
	if (avail <= min_len) /* the NUL would be out of sight */
		return false;
	while (i < avail && bytes[i] != 0) {
		if ((k = text_char(bytes + i, avail - i)) == 0)
			return false;
		i += k;
	}
	return i < avail && i >= min_len;
}

static bool is_zero(uint64_t usable, const uint8_t *bytes, size_t avail)
{
	return avail > 0 && seen_enough(usable, avail) && bytes[0] == 0 &&
	       memcmp(bytes, bytes + 1, avail - 1) == 0;
}

/* At least 2 and 3/4 of the words seen point into memory a pointer may target, the others
   are NULL. In a block seen whole, its last two words may hold anything: malloc rounds a
   request up by at most 23 bytes, which the program never wrote. */
static bool is_pointer_array(struct hs_classifier *c, uint64_t usable, const uint8_t *bytes,
			     size_t avail)
{
	size_t seen = avail < SEEN_ENOUGH ? avail : SEEN_ENOUGH;
	size_t nwords = seen / 8, pointers = 0, nulls = 0;
	bool whole = avail == usable && seen == avail;

	if (!seen_enough(usable, avail))
		return false;
	for (size_t i = 0; i < nwords; i++) {
		uint64_t w = load_u64(bytes + 8 * i);
		if (w == 0)
			nulls++;
		else if (range_set_has(&c->pointees, w))
			pointers++;
		else if (!(whole && i + 2 >= nwords))
			return false;
	}
	return pointers >= 2 && 4 * pointers >= 3 * (pointers + nulls);
}

type_ref classify_by_shape(struct hs_classifier *c, uint64_t usable, const uint8_t *bytes,
			   size_t avail)
{
	if (is_string(usable, bytes, avail))
		return fixed_type(c, &c->string, "char[] (string)", "string");
	if (is_zero(usable, bytes, avail))
		return fixed_type(c, &c->zero, "zero-filled", "zero");
	if (is_pointer_array(c, usable, bytes, avail))
		return fixed_type(c, &c->pointers, "void*[] (pointer array)", "pointers");
	return 0;
}
