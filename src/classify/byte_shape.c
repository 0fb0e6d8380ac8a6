/* Blocks named by the shape of their bytes alone: C strings, zero-filled blocks, arrays of
   pointers. Only the bytes the walker already holds are looked at, at most 4 KiB for the
   pointer test; nothing is kept but a hint that never changes a verdict (the ranges the last
   pointers fell in, c->pointer_hits, tried first by the next pointer test).

   This runs on every block while the target is stopped, so the common cases go fast, with
   SSE2 (the x86-64 baseline): a string's first 8 bytes are checked for a byte no text holds,
   which turns pointers, numbers and zeros away at once; text is passed 64 bytes at a time
   up to a byte that is not printable ASCII, which alone goes through the character rules;
   zero-filled blocks are tested 32 bytes at a time; the words of a pointer array 8 at a
   time while each is NULL or in one of the ranges the last pointers fell in. Each ends on
   the last 64 bytes, 32 bytes or 8 words of what was seen, overlapping what was passed: no
   byte past avail is read. tests/classify/byte_shape_test holds these to a plain implementation of
   the rules. */
#include <immintrin.h>

#include "classify/classify_private.h"

/* Enough of a block was seen to call it zero-filled or a pointer array. */
#define SEEN_ENOUGH 4096

static bool seen_enough(uint64_t usable, size_t avail)
{
	return avail == usable || avail >= SEEN_ENOUGH;
}

static __m128i load_16(const uint8_t *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

/* AVX2 (most x86-64 processors since 2013) is used where this processor has it. */
bool hs_shape_avx2;

__attribute__((constructor)) static void check_avx2(void)
{
	__builtin_cpu_init();
	hs_shape_avx2 = __builtin_cpu_supports("avx2");
}

/* Strings */

/* Bytes taken by the text character at p that is not printable ASCII (tab, LF, CR, or a
   well-formed UTF-8 sequence), 0 when p does not start one. */
static size_t other_text_char(const uint8_t *p, size_t n)
{
	uint8_t b = p[0];
	size_t len;

	if (b == '\t' || b == '\n' || b == '\r')
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

static bool printable_ascii(uint8_t b)
{
	return b >= 0x20 && b < 0x7f;
}

/* All ones in the lane of each of the 16 bytes at p that is printable ASCII (0x20 to 0x7e):
   exactly those b for which b + 1, as a signed byte, is above 0x20. */
static __m128i printable_lanes(const uint8_t *p)
{
	return _mm_cmpgt_epi8(_mm_add_epi8(load_16(p), _mm_set1_epi8(1)), _mm_set1_epi8(0x20));
}

/* Bit i set when byte i of the 16 at p is not printable ASCII. */
static unsigned non_printable_mask(const uint8_t *p)
{
	return ~(unsigned)_mm_movemask_epi8(printable_lanes(p)) & 0xffff;
}

/* Whether the 64 bytes at p are all printable ASCII. */
static bool printable_ascii_64(const uint8_t *p)
{
	__m128i all = _mm_and_si128(_mm_and_si128(printable_lanes(p), printable_lanes(p + 16)),
				    _mm_and_si128(printable_lanes(p + 32), printable_lanes(p + 48)));

	return _mm_movemask_epi8(all) == 0xffff;
}

/* non_printable_mask for the 64 bytes at p. */
static uint64_t non_printable_mask_64(const uint8_t *p)
{
	return (uint64_t)non_printable_mask(p) | (uint64_t)non_printable_mask(p + 16) << 16 |
	       (uint64_t)non_printable_mask(p + 32) << 32 |
	       (uint64_t)non_printable_mask(p + 48) << 48;
}

/* Index of the first byte at or after i that is not printable ASCII, avail when none; for
   blocks seen up to 64 bytes deep. */
static size_t skip_printable_ascii_short(const uint8_t *bytes, size_t i, size_t avail)
{
	unsigned mask;

	for (; i + 16 <= avail; i += 16)
		if ((mask = non_printable_mask(bytes + i)) != 0)
			return i + (size_t)__builtin_ctz(mask);
	if (i == avail || avail < 16) {
		while (i < avail && printable_ascii(bytes[i]))
			i++;
		return i;
	}
	/* The last 16 bytes, of which those before i were passed already. */
	mask = non_printable_mask(bytes + avail - 16) >> (16 - (avail - i));
	return mask ? i + (size_t)__builtin_ctz(mask) : avail;
}

/* With AVX2: from byte i of avail, 64 bytes at a time while all are printable ASCII, in
   half the operations of printable_ascii_64. Returns where it stopped. */
__attribute__((target("avx2"))) static size_t skip_printable_64s_avx2(const uint8_t *bytes, size_t i,
								      size_t avail)
{
	const __m256i one = _mm256_set1_epi8(1), space = _mm256_set1_epi8(0x20);

	for (; i + 64 <= avail; i += 64) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(bytes + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(bytes + i + 32));
		__m256i printable = _mm256_and_si256(_mm256_cmpgt_epi8(_mm256_add_epi8(a, one), space),
						     _mm256_cmpgt_epi8(_mm256_add_epi8(b, one), space));

		if (_mm256_movemask_epi8(printable) != -1)
			break;
	}
	return i;
}

/* Index of the first byte at or after i that is not printable ASCII, avail when none. */
static size_t skip_printable_ascii(const uint8_t *bytes, size_t i, size_t avail)
{
	uint64_t mask;

	if (avail < 64)
		return skip_printable_ascii_short(bytes, i, avail);
	if (hs_shape_avx2)
		i = skip_printable_64s_avx2(bytes, i, avail);
	for (; i + 64 <= avail; i += 64)
		if (!printable_ascii_64(bytes + i))
			return i + (size_t)__builtin_ctzll(non_printable_mask_64(bytes + i));
	if (i == avail)
		return avail;
	/* The last 64 bytes, of which those before i were passed already. */
	mask = non_printable_mask_64(bytes + avail - 64) >> (64 - (avail - i));
	return mask ? i + (size_t)__builtin_ctzll(mask) : avail;
}

/* Whether one of the 8 bytes at p can be no part of text: NUL and the other control
   characters but tab, LF and CR, DEL, and the bytes no UTF-8 sequence holds (0xc0, 0xc1,
   0xf5 to 0xff). Pointers, integers and most other data have one. */
static bool non_text_in_8(const uint8_t *p)
{
	__m128i v = _mm_loadl_epi64((const __m128i *)p);
	__m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
	__m128i space = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
						  _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
				     _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
	__m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f));
	__m128i overlong = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xfe)),
					  _mm_set1_epi8((char)0xc0));
	__m128i too_high = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8((char)0xf5)), v);
	__m128i never = _mm_or_si128(_mm_or_si128(_mm_andnot_si128(space, control), del),
				     _mm_or_si128(overlong, too_high));

	return (_mm_movemask_epi8(never) & 0xff) != 0;
}

/* Text (printable ASCII, tab, LF, CR, well-formed UTF-8) from byte 0 up to a NUL, of length
   L >= 8 with 4 L >= 3 (usable - 8): the text fills most of the block. A string malloc'd at
   its size (L + 1) passes from L = 12 on, as malloc's rounding leaves it at most 23 spare
   bytes. */
bool hs_shape_is_string(uint64_t usable, const uint8_t *bytes, size_t avail)
{
	uint64_t min_len = usable > 8 ? (3 * (usable - 8) + 3) / 4 : 0;
	size_t i = 0, k;

	if (min_len < 8)
		min_len = 8;
	if (avail <= min_len) /* the NUL would be out of sight */
		return false;
	if (non_text_in_8(bytes)) /* before the NUL, as min_len >= 8 */
		return false;
	for (;;) {
		i = skip_printable_ascii(bytes, i, avail);
		if (i == avail)
			return false;
		if (bytes[i] == 0)
			return i >= min_len;
		if ((k = other_text_char(bytes + i, avail - i)) == 0)
			return false;
		i += k;
	}
}

/* Zero-filled blocks */

static bool zero_16(__m128i v)
{
	return _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())) == 0xffff;
}

/* Whether the n bytes at p are all zero: 32 at a time, the last 32 overlapping. */
static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i = 0;

	if (n < 32) {
		if (n >= 16)
			return zero_16(_mm_or_si128(load_16(p), load_16(p + n - 16)));
		if (n >= 8)
			return (load_u64(p) | load_u64(p + n - 8)) == 0;
		while (i < n && p[i] == 0)
			i++;
		return i == n;
	}
	for (; i + 32 <= n; i += 32)
		if (!zero_16(_mm_or_si128(load_16(p + i), load_16(p + i + 16))))
			return false;
	return zero_16(_mm_or_si128(load_16(p + n - 32), load_16(p + n - 16)));
}

bool hs_shape_is_zero(uint64_t usable, const uint8_t *bytes, size_t avail)
{
	return avail > 0 && seen_enough(usable, avail) && bytes[0] == 0 && all_zero(bytes, avail);
}

/* Pointer arrays */

/* The range of s (sorted and disjoint: hs_range_set_finish) holding addr, into [*lo, *hi);
   false when none does. */
static bool find_range(const struct range_set *s, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	size_t i = range_set_find(s, addr);

	if (i == s->n)
		return false;
	*lo = s->r[i][0];
	*hi = s->r[i][1];
	return true;
}

/* Of the 2 words in w: all ones in the lane of a NULL one. */
static __m128i null_lanes(__m128i w)
{
	__m128i zero_halves = _mm_cmpeq_epi32(w, _mm_setzero_si128());

	return _mm_and_si128(zero_halves, _mm_shuffle_epi32(zero_halves, _MM_SHUFFLE(2, 3, 0, 1)));
}

/* Of the 2 words in w: the top bit set in the lane of each for which w - lo is below 2^63
   (top bit clear) and w - hi borrows (top bit set). Such a word is in [lo, hi); and every
   word there is one when hi - lo <= 2^63, as for any mapping (else some are missed). */
static __m128i in_range_lanes(__m128i w, __m128i lo, __m128i hi)
{
	return _mm_andnot_si128(_mm_sub_epi64(w, lo), _mm_sub_epi64(w, hi));
}

static void hit(struct hit_ranges *h, uint64_t lo, uint64_t hi)
{
	for (int k = HIT_RANGES - 1; k > 0; k--) {
		h->lo[k] = h->lo[k - 1];
		h->hi[k] = h->hi[k - 1];
	}
	h->lo[0] = lo;
	h->hi[0] = hi;
}

static bool in_hit_ranges(const struct hit_ranges *h, uint64_t w)
{
	for (int k = 0; k < HIT_RANGES; k++)
		if (w - h->lo[k] < h->hi[k] - h->lo[k])
			return true;
	return false;
}

/* The hit ranges, each bound in both lanes. */
struct hit_lanes {
	__m128i lo[HIT_RANGES], hi[HIT_RANGES];
};

/* Of the 2 words at p, words `index` and `index` + 1 of a group whose first `skip` are not
   looked at: the top bit set in the lane of each that is NULL, in a hit range (as far as
   in_range_lanes sees) or not looked at; 1 subtracted from the lane in *counts of each NULL
   one looked at. */
static __m128i null_or_in_2(const uint8_t *p, int index, int skip, const struct hit_lanes *r,
			    __m128i *counts)
{
	__m128i w = load_16(p), null = null_lanes(w);
	__m128i skipped = _mm_cmpgt_epi32(_mm_set1_epi32(skip),
					  _mm_set_epi32(index + 1, index + 1, index, index));

	*counts = _mm_add_epi64(*counts, _mm_andnot_si128(skipped, null));
	__m128i ok = _mm_or_si128(null, skipped);

	for (int k = 0; k < HIT_RANGES; k++)
		ok = _mm_or_si128(ok, in_range_lanes(w, r->lo[k], r->hi[k]));
	return ok;
}

/* Whether each of the 8 words at p but the first `skip` (not looked at) is NULL or in a hit
   range (false, too, for a word in_range_lanes misses); if so, takes the NULLs among them
   off *counts (by lane). Inline, so that skip = 0 folds away in the main loop. */
static inline bool null_or_in_8(const uint8_t *p, int skip, const struct hit_lanes *r, __m128i *counts)
{
	__m128i c = *counts;
	__m128i ok01 = _mm_and_si128(null_or_in_2(p, 0, skip, r, &c), null_or_in_2(p + 16, 2, skip, r, &c));
	__m128i ok23 = _mm_and_si128(null_or_in_2(p + 32, 4, skip, r, &c), null_or_in_2(p + 48, 6, skip, r, &c));

	if (_mm_movemask_pd(_mm_castsi128_pd(_mm_and_si128(ok01, ok23))) != 3)
		return false;
	*counts = c;
	return true;
}

/* With AVX2: from word i of the n at p, 8 words at a time while each is NULL or in a hit range (as far
   as in_range_lanes sees), as null_or_in_8 with skip 0 does it with SSE2, in half the
   operations. Returns where it stopped; adds the NULLs passed to *nulls. */
__attribute__((target("avx2"))) static size_t skip_8s_avx2(const uint8_t *p, size_t i, size_t n,
							   const struct hit_ranges *h, size_t *nulls)
{
	__m256i lo[HIT_RANGES], hi[HIT_RANGES], minus_nulls = _mm256_setzero_si256();
	__m128i sum;

	for (int k = 0; k < HIT_RANGES; k++) {
		lo[k] = _mm256_set1_epi64x((long long)h->lo[k]);
		hi[k] = _mm256_set1_epi64x((long long)h->hi[k]);
	}
	for (; i + 8 <= n; i += 8) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(p + 8 * i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(p + 8 * i + 32));
		__m256i null_a = _mm256_cmpeq_epi64(a, _mm256_setzero_si256());
		__m256i null_b = _mm256_cmpeq_epi64(b, _mm256_setzero_si256());
		__m256i ok_a = null_a, ok_b = null_b;

		for (int k = 0; k < HIT_RANGES; k++) {
			ok_a = _mm256_or_si256(ok_a, _mm256_andnot_si256(_mm256_sub_epi64(a, lo[k]),
									  _mm256_sub_epi64(a, hi[k])));
			ok_b = _mm256_or_si256(ok_b, _mm256_andnot_si256(_mm256_sub_epi64(b, lo[k]),
									  _mm256_sub_epi64(b, hi[k])));
		}
		if (_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_and_si256(ok_a, ok_b))) != 0xf)
			break;
		minus_nulls = _mm256_add_epi64(minus_nulls, _mm256_add_epi64(null_a, null_b));
	}
	sum = _mm_add_epi64(_mm256_castsi256_si128(minus_nulls), _mm256_extracti128_si256(minus_nulls, 1));
	*nulls -= (size_t)_mm_cvtsi128_si64(sum) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum));
	return i;
}

/* Index of the first of words [i, n) at p that is neither NULL nor in a hit range, n when
   none; adds the NULLs passed to *nulls. 8 words at a time while they all are (the last 8
   overlapping those passed), then one at a time: short blocks, and the 8 that hold the
   first other word. */
static size_t skip_null_or_in(const uint8_t *p, size_t i, size_t n, const struct hit_ranges *h,
			      size_t *nulls)
{
	if (i < n && load_u64(p + 8 * i) != 0 && !in_hit_ranges(h, load_u64(p + 8 * i)))
		return i; /* the search, without a look at 8 words first */
	if (h->hi[0] != h->lo[0] && i + 8 <= n) { /* some range was hit */
		struct hit_lanes r;
		__m128i minus_nulls = _mm_setzero_si128();

		for (int k = 0; k < HIT_RANGES; k++) {
			r.lo[k] = _mm_set1_epi64x((long long)h->lo[k]);
			r.hi[k] = _mm_set1_epi64x((long long)h->hi[k]);
		}

		/* Either loop stops at the first 8 words that fail, which the words one at a time
		   below go through again. */
		if (hs_shape_avx2)
			i = skip_8s_avx2(p, i, n, h, nulls);
		else
			while (i + 8 <= n && null_or_in_8(p + 8 * i, 0, &r, &minus_nulls))
				i += 8;
		if (i + 8 > n && i < n && null_or_in_8(p + 8 * (n - 8), (int)(i - (n - 8)), &r, &minus_nulls))
			i = n;
		*nulls -= (size_t)_mm_cvtsi128_si64(minus_nulls) +
			  (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(minus_nulls, minus_nulls));
	}
	for (; i < n; i++) {
		uint64_t w = load_u64(p + 8 * i);
		if (w == 0)
			++*nulls;
		else if (!in_hit_ranges(h, w))
			break;
	}
	return i;
}

/* At least 2 and 3/4 of the words seen point into memory a pointer may target, the others
   are NULL. In a block seen whole, its last two words may hold anything: malloc rounds a
   request up by at most 23 bytes, which the program never wrote. The ranges last hit are
   tried before a search. */
bool hs_shape_is_pointer_array(const struct range_set *pointees, struct hit_ranges *hits, uint64_t usable,
			    const uint8_t *bytes, size_t avail)
{
	size_t seen = avail < SEEN_ENOUGH ? avail : SEEN_ENOUGH;
	size_t nwords = seen / 8, nulls = 0, others = 0, pointers, i = 0;
	bool whole = avail == usable && seen == avail;
	uint64_t lo, hi;

	if (!seen_enough(usable, avail))
		return false;
	while ((i = skip_null_or_in(bytes, i, nwords, hits, &nulls)) < nwords) {
		if (find_range(pointees, load_u64(bytes + 8 * i), &lo, &hi)) {
			hit(hits, lo, hi);
		} else {
			if (!(whole && i + 2 >= nwords))
				return false;
			others++;
		}
		i++;
	}
	pointers = nwords - nulls - others;
	return pointers >= 2 && 4 * pointers >= 3 * (pointers + nulls);
}

enum hs_shape hs_shape_of_bytes(struct hs_classifier *c, uint64_t usable, const uint8_t *bytes,
			     size_t avail)
{
	if (hs_shape_is_string(usable, bytes, avail))
		return HS_SHAPE_STRING;
	if (hs_shape_is_zero(usable, bytes, avail))
		return HS_SHAPE_ZERO;
	if (hs_shape_is_pointer_array(&c->pointees, &c->pointer_hits, usable, bytes, avail))
		return HS_SHAPE_POINTERS;
	return HS_SHAPE_NONE;
}

type_ref hs_shape_type(struct hs_classifier *c, enum hs_shape shape)
{
	switch (shape) {
	case HS_SHAPE_STRING:
		return hs_fixed_type(c, &c->string, "char[] (string)", "string");
	case HS_SHAPE_ZERO:
		return hs_fixed_type(c, &c->zero, "zero-filled", "zero");
	case HS_SHAPE_POINTERS:
		return hs_fixed_type(c, &c->pointers, "void*[] (pointer array)", "pointers");
	case HS_SHAPE_NONE:
		break;
	}
	return 0;
}
