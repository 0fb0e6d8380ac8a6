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

/* Whether all 8 bytes of v are printable ASCII (0x20 to 0x7e), tested on the whole word:
   for a byte b, (b | 0x80) - 0x20 keeps its top bit only when b & 0x7f >= 0x20, and
   (b & 0x7f) + 1 sets it only when b & 0x7f is 0x7f; neither borrows or carries into the
   next byte. */
static bool printable_ascii_word(uint64_t v)
{
	const uint64_t ones = 0x0101010101010101ULL, tops = 0x8080808080808080ULL;
	uint64_t below_space = ~((v | tops) - 0x20 * ones) & tops;
	uint64_t del = ((v & ~tops) + ones) & tops;

	return ((v & tops) | below_space | del) == 0;
}

/* Text from byte 0 up to a NUL, of length L >= 8 with 4 L >= 3 (usable - 8): the text fills
   most of the block. A string malloc'd at its size (L + 1) passes from L = 12 on, as malloc's
   rounding leaves it at most 23 spare bytes. Runs of printable ASCII, most of any text, are
   passed 8 bytes at a time; anything else one character at a time. */
bool shape_is_string(uint64_t usable, const uint8_t *bytes, size_t avail)
{
	uint64_t min_len = usable > 8 ? (3 * (usable - 8) + 3) / 4 : 0;
	size_t i = 0, k;

	if (min_len < 8)
		min_len = 8;
	if (avail <= min_len) /* the NUL would be out of sight */
		return false;
	while (i < avail) {
		if (i + 8 <= avail && printable_ascii_word(load_u64(bytes + i))) {
			i += 8;
			continue;
		}
		if (bytes[i] == 0)
			break;
		if ((k = text_char(bytes + i, avail - i)) == 0)
			return false;
		i += k;
	}
	return i < avail && i >= min_len;
}

bool shape_is_zero(uint64_t usable, const uint8_t *bytes, size_t avail)
{
	return avail > 0 && seen_enough(usable, avail) && bytes[0] == 0 &&
	       memcmp(bytes, bytes + 1, avail - 1) == 0;
}

/* The range of s holding addr, into [*lo, *hi); false when none does. */
static bool find_range(const struct range_set *s, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	size_t first = 0, end = s->n;

	while (first < end) {
		size_t mid = first + (end - first) / 2;
		if (addr < s->r[mid][0])
			end = mid;
		else if (addr >= s->r[mid][1])
			first = mid + 1;
		else {
			*lo = s->r[mid][0];
			*hi = s->r[mid][1];
			return true;
		}
	}
	return false;
}

/* At least 2 and 3/4 of the words seen point into memory a pointer may target, the others
   are NULL. In a block seen whole, its last two words may hold anything: malloc rounds a
   request up by at most 23 bytes, which the program never wrote. The pointers of one block
   mostly point into one mapping: the range last hit is tried before a search. */
bool shape_is_pointer_array(const struct range_set *pointees, uint64_t usable,
			    const uint8_t *bytes, size_t avail)
{
	size_t seen = avail < SEEN_ENOUGH ? avail : SEEN_ENOUGH;
	size_t nwords = seen / 8, pointers = 0, nulls = 0;
	bool whole = avail == usable && seen == avail;
	uint64_t hit_lo = 1, hit_hi = 0;

	if (!seen_enough(usable, avail))
		return false;
	for (size_t i = 0; i < nwords; i++) {
		uint64_t w = load_u64(bytes + 8 * i);
		if (w == 0)
			nulls++;
		else if ((w >= hit_lo && w < hit_hi) || find_range(pointees, w, &hit_lo, &hit_hi))
			pointers++;
		else if (!(whole && i + 2 >= nwords))
			return false;
	}
	return pointers >= 2 && 4 * pointers >= 3 * (pointers + nulls);
}

type_ref classify_by_shape(struct hs_classifier *c, uint64_t usable, const uint8_t *bytes,
			   size_t avail)
{
	if (shape_is_string(usable, bytes, avail))
		return fixed_type(c, &c->string, "char[] (string)", "string");
	if (shape_is_zero(usable, bytes, avail))
		return fixed_type(c, &c->zero, "zero-filled", "zero");
	if (shape_is_pointer_array(&c->pointees, usable, bytes, avail))
		return fixed_type(c, &c->pointers, "void*[] (pointer array)", "pointers");
	return 0;
}
