/* byte_shape_test: hs_shape_of_bytes and its three rules (src/classify/byte_shape.c) give
   exactly what a plain reference implementation of the rules gives, on millions of random
   and adversarial blocks: text with UTF-8 edge cases at every position, the NUL at every
   position near the minimum length, words straddling the end of what was seen, pointers at
   the edges of their ranges, NULL counts around the 3/4 threshold, blocks seen whole or in
   part. Each block's bytes mostly end right before a PROT_NONE page, so reading past
   `avail` faults. A difference fails the test and prints the block; so does a block called
   text or zeros that the other naming rules could claim.

   Usage: byte_shape_test [seed] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "classify/classify_private.h"
#include "snapshot/snapshot.h"

#define MAX_AVAIL 5000
#define REF_SEEN_ENOUGH 4096
#define SHOWN_FAILURES 3
#define RATIO_MAX_WORDS 48

/* ---- The reference: the rules written plainly, one byte or one word at a time. ---- */

static bool ref_seen_enough(uint64_t usable, size_t avail)
{
	return avail == usable || avail >= REF_SEEN_ENOUGH;
}

/* Bytes taken by the text character at p (n bytes readable): printable ASCII, tab, LF, CR,
   or the UTF-8 encoding of a Unicode scalar value in its shortest form; 0 for none. */
static size_t ref_text_char(const uint8_t *p, size_t n)
{
	static const uint32_t shortest[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t cp;
	size_t len;

	if ((p[0] >= 0x20 && p[0] <= 0x7e) || p[0] == '\t' || p[0] == '\n' || p[0] == '\r')
		return 1;
	if (p[0] >= 0xc0 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf7)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < shortest[len] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static uint64_t ref_min_string_len(uint64_t usable)
{
	uint64_t min_len = usable > 8 ? (3 * (usable - 8) + 3) / 4 : 0;

	return min_len < 8 ? 8 : min_len;
}

/* Text characters from byte 0 to a NUL within avail, the NUL at min_len or later. */
static bool ref_is_string(uint64_t usable, const uint8_t *bytes, size_t avail)
{
	size_t i = 0, k;

	while (i < avail) {
		if (bytes[i] == 0)
			return i >= ref_min_string_len(usable);
		if ((k = ref_text_char(bytes + i, avail - i)) == 0)
			return false;
		i += k;
	}
	return false;
}

static bool ref_is_zero(uint64_t usable, const uint8_t *bytes, size_t avail)
{
	if (avail == 0 || !ref_seen_enough(usable, avail))
		return false;
	for (size_t i = 0; i < avail; i++)
		if (bytes[i] != 0)
			return false;
	return true;
}

static bool ref_in_ranges(const struct range_set *s, uint64_t w)
{
	for (size_t i = 0; i < s->n; i++)
		if (w >= s->r[i][0] && w < s->r[i][1])
			return true;
	return false;
}

/* Of the whole words among the first 4096 bytes: each is NULL, a pointer into a range, or
   (in a block seen whole, as one of its last two words) anything; at least 2 pointers, and
   pointers at least 3/4 of pointers and NULLs. */
static bool ref_is_pointer_array(const struct range_set *pointees, uint64_t usable,
				 const uint8_t *bytes, size_t avail)
{
	size_t seen = avail < REF_SEEN_ENOUGH ? avail : REF_SEEN_ENOUGH;
	size_t nwords = seen / 8, pointers = 0, nulls = 0;
	bool whole = avail == usable && avail <= REF_SEEN_ENOUGH;

	if (!ref_seen_enough(usable, avail))
		return false;
	for (size_t i = 0; i < nwords; i++) {
		uint64_t w;
		memcpy(&w, bytes + 8 * i, sizeof(w));
		if (w == 0)
			nulls++;
		else if (ref_in_ranges(pointees, w))
			pointers++;
		else if (!(whole && i + 2 >= nwords))
			return false;
	}
	return pointers >= 2 && 4 * pointers >= 3 * (pointers + nulls);
}

/* ---- Comparison ---- */

static struct hs_snapshot snap;
static struct hs_classifier classifier = { .snap = &snap }; /* its pointees: the ranges */
/* The pointer array rule's hit ranges when called alone; kept from block to block, as the
   classifier keeps its own, and emptied with it when the ranges change. */
static struct hit_ranges rule_hits;
static uint64_t ncases, nfailures, npositive[4]; /* npositive by the reference's type_ref */

static void show_block(uint64_t usable, const uint8_t *bytes, size_t avail)
{
	const struct range_set *p = &classifier.pointees;

	printf("# usable %" PRIu64 ", avail %zu, %zu pointer ranges:", usable, avail, p->n);
	for (size_t i = 0; i < p->n; i++)
		printf(" [0x%" PRIx64 ", 0x%" PRIx64 ")", p->r[i][0], p->r[i][1]);
	for (size_t i = 0; i < avail; i++)
		printf("%s%02x", i % 32 == 0 ? "\n# " : i % 8 == 0 ? "  " : " ", bytes[i]);
	printf("\n");
}

/* hs_classify_named runs no other rule on text or zeros (classify.c): what lets it is that
   such a block's first 8 bytes hold no NUL (so no pointer, NULL or small count) and no 0xFB
   (so no FILE's _flags), or are all zero. */
static bool named_rules_cannot_claim(type_ref shape, const uint8_t *bytes, size_t avail)
{
	if (shape == classifier.string)
		return avail >= 8 && memchr(bytes, 0, 8) == NULL && memchr(bytes, 0xfb, 8) == NULL;
	if (shape == classifier.zero)
		for (size_t i = 0; i < avail; i++)
			if (bytes[i] != 0)
				return false;
	return true;
}

/* Each rule and hs_shape_of_bytes on one block, against the reference; the first few
   differences are shown. */
static void compare(uint64_t usable, const uint8_t *bytes, size_t avail)
{
	const struct range_set *p = &classifier.pointees;
	bool s = hs_shape_is_string(usable, bytes, avail);
	bool want_s = ref_is_string(usable, bytes, avail);
	bool z = hs_shape_is_zero(usable, bytes, avail), want_z = ref_is_zero(usable, bytes, avail);
	bool a = hs_shape_is_pointer_array(p, &rule_hits, usable, bytes, avail);
	bool want_a = ref_is_pointer_array(p, usable, bytes, avail);
	type_ref got = hs_shape_type(&classifier, hs_shape_of_bytes(&classifier, usable, bytes, avail));
	type_ref want = want_s ? classifier.string : want_z ? classifier.zero :
			want_a ? classifier.pointers : 0;

	ncases++;
	npositive[want]++;
	if (s == want_s && z == want_z && a == want_a && got == want &&
	    named_rules_cannot_claim(got, bytes, avail))
		return;
	if (++nfailures <= SHOWN_FAILURES) {
		printf("# differs: string %d (reference %d), zero %d (%d), pointer array %d (%d), "
		       "type_ref %u (%u), left to the shape rules alone %d\n", s, want_s, z, want_z, a,
		       want_a, got, want, named_rules_cannot_claim(got, bytes, avail));
		show_block(usable, bytes, avail);
	}
}

/* ---- Inputs ---- */

static uint64_t rng_state;

static uint64_t next_random(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t below(uint64_t n)
{
	return n ? next_random() % n : 0;
}

/* Where a block of up to MAX_AVAIL bytes is built: its last byte is followed by an
   inaccessible page (or, for other alignments, by up to 15 accessible bytes). */
static uint8_t *guard_end;

static void map_guarded_area(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t bytes = (MAX_AVAIL + 16 + page - 1) / page * page;
	uint8_t *area = mmap(NULL, bytes + page, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (area == MAP_FAILED || mprotect(area + bytes, page, PROT_NONE) != 0) {
		perror("byte_shape_test: guarded area");
		exit(1);
	}
	guard_end = area + bytes;
}

/* Space for avail bytes: right before the guard page, or at a random alignment. */
static uint8_t *block_space(size_t avail)
{
	return guard_end - avail - (below(2) ? 0 : below(16));
}

static uint64_t usable_for(size_t avail)
{
	switch (below(8)) {
	case 0: case 1: case 2: case 3:
		return avail; /* seen whole */
	case 4: case 5:
		return avail + 1 + below(24);
	case 6:
		return avail + below(6000);
	default:
		return below(4) ? UINT64_MAX - below(1000) : (uint64_t)1 << 40;
	}
}

/* UTF-8 sequences at the edges of what is text. */
static const char *const edge_sequences[] = {
	"\x00", "\x01", "\x08", "\x09", "\x0a", "\x0b", "\x0d", "\x1f", "\x20", "\x7e", "\x7f",
	"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xc2\x80", "\xc2", "\xdf\xbf", "\xdf\xc0",
	"\xe0\x80\x80", "\xe0\x9f\xbf", "\xe0\xa0\x80", "\xe1\x80\x80", "\xe2\x82",
	"\xe2\x82\xac", "\xe2\x82\x41", "\xec\xbf\xbf", "\xed\x80\x80", "\xed\x9f\xbf",
	"\xed\xa0\x80", "\xed\xbf\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x80\x80\x80",
	"\xf0\x8f\xbf\xbf", "\xf0\x90\x80\x80", "\xf0\x90\x80", "\xf3\xbf\xbf\xbf",
	"\xf4\x80\x80\x80", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
	"\xf7\xbf\xbf\xbf", "\xf8\x88\x80\x80\x80", "\xfe", "\xff",
};
#define NEDGES (sizeof(edge_sequences) / sizeof(edge_sequences[0]))

static size_t edge_len(size_t k)
{
	return k == 0 ? 1 : strlen(edge_sequences[k]);
}

/* Valid text characters, from the smallest and largest of each length. */
static const char *const text_chars[] = {
	"a", "Z", " ", "~", "\t", "\n", "\r", "\xc2\x80", "\xdf\xbf", "\xc3\xa9", "\xe0\xa0\x80",
	"\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xe2\x82\xac", "\xf0\x90\x80\x80",
	"\xf4\x8f\xbf\xbf", "\xf0\x9f\x98\x80",
};
#define NTEXT (sizeof(text_chars) / sizeof(text_chars[0]))

/* Printable ASCII in b[0, n), 8 bytes per random number. */
static void fill_printable(uint8_t *b, size_t n)
{
	uint64_t r = 0;

	for (size_t i = 0; i < n; i++, r >>= 8) {
		if (i % 8 == 0)
			r = next_random();
		b[i] = (uint8_t)(0x20 + (r & 0xff) % 0x5f);
	}
}

/* Text in b[0, n): printable ASCII, with other text characters mixed in at a rate. */
static void fill_text(uint8_t *b, size_t n, unsigned non_ascii_per_64)
{
	size_t mean_gap = non_ascii_per_64 ? 64 / non_ascii_per_64 : 0;

	fill_printable(b, n);
	if (mean_gap == 0)
		return;
	for (size_t i = below(2 * mean_gap); i < n; i += 1 + below(2 * mean_gap)) {
		const char *t = text_chars[below(NTEXT)];
		size_t len = strlen(t);
		if (i + len <= n) {
			memcpy(b + i, t, len);
			i += len - 1;
		}
	}
}

/* Bytes from a soup of what confuses text and word tests: half printable ASCII, a quarter
   NUL, controls, UTF-8 lead and continuation bytes, a quarter anything. One of the 1024
   entries (2 bits of kind, 8 of value) per byte. */
static uint8_t soup[4][256];

static void make_soup(void)
{
	static const uint8_t special[16] = { 0, 0, 0, '\t', '\n', '\r', 0x7f, 0x1f, 0x80, 0xbf,
					     0xc2, 0xe0, 0xed, 0xf0, 0xf4, 0xff };
	for (unsigned v = 0; v < 256; v++) {
		soup[0][v] = soup[1][v] = (uint8_t)(0x20 + v % 0x5f);
		soup[2][v] = special[v % 16];
		soup[3][v] = (uint8_t)v;
	}
}

static void fill_soup(uint8_t *b, size_t n)
{
	uint64_t kind = 0, value = 0;

	for (size_t i = 0; i < n; i++, kind >>= 2, value >>= 8) {
		if (i % 8 == 0)
			kind = next_random(), value = next_random();
		b[i] = soup[kind & 3][value & 0xff];
	}
}

/* Random pointer ranges: a few, mostly in a small address space that random words and
   word edges hit, sometimes at 0 or at the top of the address space, or one of 2^63 bytes
   give or take one (about where byte_shape.c stops testing 8 words at a time). */
static void random_ranges(void)
{
	size_t n = below(4) == 0 ? 0 : 1 + below(12);

	hs_range_set_free(&classifier.pointees);
	for (size_t i = 0; i < n; i++) {
		uint64_t lo = 0x1000 + below(0x100000), len = 1 + below(below(2) ? 0x100 : 0x10000);
		switch (below(32)) {
		case 0: lo = 0; break;
		case 1: lo = UINT64_MAX - len; break;
		case 2: len = ((uint64_t)1 << 63) - 1 + below(3); break;
		}
		hs_range_set_add(&classifier.pointees, lo, lo + len);
	}
	hs_range_set_finish(&classifier.pointees);
	classifier.pointer_hits = rule_hits = (struct hit_ranges){ { 0 }, { 0 } };
}

/* A word for a pointer array: NULL at a rate, else mostly a pointer (the first, last or any
   address of a range: the main one, or 1 time in 8 any), and at a rate per 1024 something
   else: just outside a range, or anything. */
static uint64_t random_word(unsigned null_per_16, unsigned other_per_1024, size_t main_range)
{
	const struct range_set *s = &classifier.pointees;
	const uint64_t *r;

	if (below(16) < null_per_16)
		return 0;
	if (s->n == 0)
		return below(2) ? next_random() : 0x1000 + below(0x110000);
	r = s->r[below(8) ? main_range : below(s->n)];
	if (below(1024) < other_per_1024) {
		switch (below(4)) {
		case 0: return r[0] - 1;
		case 1: return r[1];
		case 2: return next_random();
		default: return 0x1000 + below(0x110000);
		}
	}
	switch (below(4)) {
	case 0: return r[0];
	case 1: return r[1] - 1;
	default: return r[0] + below(r[1] - r[0]);
	}
}

static void put_word(uint8_t *b, size_t i, uint64_t w)
{
	memcpy(b + 8 * i, &w, sizeof(w));
}

/* ---- Case families ---- */

/* Random lengths, random usable, bytes from the soup. */
static void random_soup(void)
{
	for (uint64_t k = 0; k < 1000000; k++) {
		size_t avail = below(4) ? below(300) : below(MAX_AVAIL + 1);
		uint8_t *b = block_space(avail);

		if (k % 1000 == 0)
			random_ranges();
		fill_soup(b, avail);
		compare(usable_for(avail), avail == 0 && below(2) ? NULL : b, avail);
	}
}

/* Text with its NUL at every position around min_len, and at the end of what was seen. */
static void strings_near_min_len(void)
{
	for (uint64_t usable = 0; usable <= 700; usable++) {
		uint64_t min_len = ref_min_string_len(usable);
		for (uint64_t nul = min_len > 4 ? min_len - 4 : 0; nul <= min_len + 4; nul++)
			for (size_t avail = nul; avail <= nul + 2 && avail <= MAX_AVAIL; avail++)
				for (unsigned mix = 0; mix < 4; mix++) {
					uint8_t *b = block_space(avail);
					fill_text(b, avail, mix * 8);
					if (nul < avail)
						b[nul] = 0;
					compare(usable, b, avail);
					compare(avail, b, avail);
				}
	}
}

/* Edge sequence e at b + pos, cut at avail. */
static void put_edge(uint8_t *b, size_t pos, size_t avail, size_t e)
{
	size_t len = edge_len(e);

	memcpy(b + pos, edge_sequences[e], pos + len <= avail ? len : avail - pos);
}

/* After pos: every position of a short block, and of the first and last 40 bytes of a long
   one; every 37th in between. */
static size_t next_edge_position(size_t pos, size_t avail)
{
	return avail > 200 && pos > 40 && pos + 40 < avail ? pos + 37 : pos + 1;
}

/* Each edge sequence at every position of ASCII text, with the NUL last or missing, on
   lengths across the 8-, 16- and 64-byte boundaries; some long blocks too. */
static void strings_with_edges(void)
{
	static const size_t long_avails[] = { 127, 128, 129, 255, 256, 257, 4095, 4096, 4097 };
	const size_t nlong = sizeof(long_avails) / sizeof(long_avails[0]);

	for (size_t a = 1; a <= 100 + nlong; a++) {
		size_t avail = a <= 100 ? a : long_avails[a - 101];
		for (size_t e = 0; e < NEDGES; e++)
			for (size_t pos = 0; pos < avail; pos = next_edge_position(pos, avail)) {
				uint8_t *b = block_space(avail);
				fill_text(b, avail, 0);
				put_edge(b, pos, avail, e);
				if (below(2) && pos + edge_len(e) < avail)
					b[avail - 1] = 0;
				compare(avail, b, avail);
				compare(avail + 1 + below(3), b, avail);
			}
	}
}

/* Text with many non-ASCII characters, cut by the end of what was seen anywhere. */
static void strings_random(void)
{
	for (uint64_t k = 0; k < 300000; k++) {
		size_t avail = below(8) ? 9 + below(600) : below(MAX_AVAIL + 1);
		uint8_t *b = block_space(avail);
		uint64_t usable = below(2) ? avail : avail + below(40);

		fill_text(b, avail, (unsigned)below(65));
		if (avail > 0 && below(4)) /* a NUL after min_len, or anywhere */
			b[below(2) ? avail - 1 - below(avail / 4 + 1) : below(avail)] = 0;
		if (avail > 0 && below(3) == 0) /* an edge sequence anywhere, maybe cut */
			put_edge(b, below(avail), avail, below(NEDGES));
		compare(usable, b, avail);
	}
}

/* After avail: every length up to 300 and around the 4096 bytes that are enough to see;
   every 97th else. */
static size_t next_zero_length(size_t avail)
{
	return avail < 300 || (avail > 4000 && avail < 4110) ? avail + 1 : avail + 97;
}

/* Zero-filled blocks, but for one byte (or none): at every position of short blocks, at
   random ones of the others. */
static void zero_blocks(void)
{
	for (size_t avail = 0; avail <= 4200; avail = next_zero_length(avail))
		for (size_t pos = 0; pos <= avail; pos += avail < 80 ? 1 : 1 + below(avail / 8)) {
			uint8_t *b = block_space(avail);
			memset(b, 0, avail);
			if (pos < avail)
				b[pos] = (uint8_t)(1 + below(255));
			compare(avail, b, avail);
			compare(avail + 1 + below(5000), b, avail);
		}
}

/* Pointer arrays: words at range edges, NULLs around a quarter, odd words anywhere or in
   the last two, lengths up to past 4096 bytes, whole or partial, a partial word last. */
static void pointer_arrays(void)
{
	for (uint64_t k = 0; k < 600000; k++) {
		size_t nwords = below(4) ? below(70) : below(MAX_AVAIL / 8 + 1);
		size_t avail = 8 * nwords + (below(2) ? 0 : below(8));
		unsigned null_per_16 = (unsigned)(below(4) ? 3 + below(3) : below(17));
		unsigned other_per_1024 = (unsigned)(below(4) ? 0 : below(64));
		size_t main_range;
		uint8_t *b;

		if (avail > MAX_AVAIL)
			avail = MAX_AVAIL;
		b = block_space(avail);
		if (k % 500 == 0)
			random_ranges();
		main_range = below(classifier.pointees.n);
		for (size_t i = 0; i < avail / 8; i++)
			put_word(b, i, random_word(null_per_16, other_per_1024, main_range));
		fill_soup(b + 8 * (avail / 8), avail % 8);
		if (avail >= 8 && below(2)) /* odd words: in the last two, or anywhere */
			for (unsigned j = (unsigned)below(3); j > 0; j--) {
				size_t last = avail / 8 - 1;
				size_t at = below(2) ? last - below(last > 0 ? 2 : 1) : below(last + 1);
				put_word(b, at, next_random() | 1);
			}
		compare(below(2) ? avail : usable_for(avail), b, avail);
	}
}

/* `total` words, `pointers` of them into one range and the others NULL, in random order;
   then up to 2 odd words and maybe a partial one. Seen whole, and in part. */
static void ratio_block(size_t total, size_t pointers)
{
	uint64_t words[RATIO_MAX_WORDS + 2];
	const uint64_t *r = classifier.pointees.r[below(classifier.pointees.n)];
	size_t tail = below(3), avail = 8 * (total + tail) + below(2) * below(8);
	uint8_t *b = block_space(avail);

	for (size_t i = 0; i < total; i++)
		words[i] = i < pointers ? r[0] + below(r[1] - r[0]) : 0;
	for (size_t i = total; i > 1; i--) { /* Fisher-Yates */
		size_t j = below(i);
		uint64_t w = words[i - 1];
		words[i - 1] = words[j];
		words[j] = w;
	}
	for (size_t i = total; i < total + tail; i++)
		words[i] = next_random() | 1;
	memcpy(b, words, 8 * (total + tail));
	fill_soup(b + 8 * (total + tail), avail % 8);
	compare(avail, b, avail);
	compare(avail + 8, b, avail);
}

/* Every count of pointers and NULLs up to RATIO_MAX_WORDS words, around P = 3 N. */
static void pointer_ratios(void)
{
	for (unsigned round = 0; round < 40; round++) {
		random_ranges();
		if (classifier.pointees.n == 0)
			continue;
		for (size_t total = 0; total <= RATIO_MAX_WORDS; total++)
			for (size_t pointers = 0; pointers <= total; pointers++)
				for (unsigned order = 0; order < 4; order++)
					ratio_block(total, pointers);
	}
}

static const struct family {
	const char *what;
	void (*run)(void);
} families[] = {
	{ "random bytes", random_soup },
	{ "NUL around the minimum string length", strings_near_min_len },
	{ "UTF-8 edge sequences at every position", strings_with_edges },
	{ "random text", strings_random },
	{ "zero-filled blocks", zero_blocks },
	{ "pointer arrays", pointer_arrays },
	{ "pointer to NULL ratios around 3/4", pointer_ratios },
};
#define NFAMILIES (sizeof(families) / sizeof(families[0]))

/* One TAP line per family, after a comment on how long it took and how many blocks of each
   shape it had. */
static void run_family(int number, const struct family *f)
{
	uint64_t cases = ncases, failures = nfailures, positive[4];
	double start = (double)clock() / CLOCKS_PER_SEC;

	memcpy(positive, npositive, sizeof(positive));
	f->run();
	printf("# %.2f s; strings %" PRIu64 ", zero-filled %" PRIu64
	       ", pointer arrays %" PRIu64 "\n",
	       (double)clock() / CLOCKS_PER_SEC - start,
	       npositive[classifier.string] - positive[classifier.string],
	       npositive[classifier.zero] - positive[classifier.zero],
	       npositive[classifier.pointers] - positive[classifier.pointers]);
	printf("%sok %d - %s: %" PRIu64 " blocks, %" PRIu64 " differ\n",
	       nfailures > failures ? "not " : "", number, f->what, ncases - cases,
	       nfailures - failures);
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x5eed5eed;
	size_t nruns = 0;

	rng_state = seed ? seed : 1;
	printf("# seed 0x%" PRIx64 "\n", seed);
	hs_snapshot_init(&snap);
	map_guarded_area();
	make_soup();
	random_ranges();
	/* Intern the names first so that the reference's type_refs are known. */
	hs_fixed_type(&classifier, &classifier.string, "char[] (string)", "string");
	hs_fixed_type(&classifier, &classifier.zero, "zero-filled", "zero");
	hs_fixed_type(&classifier, &classifier.pointers, "void*[] (pointer array)", "pointers");
	for (size_t i = 0; i < NFAMILIES; i++)
		run_family((int)++nruns, &families[i]);
	/* The string and pointer array rules have AVX2 paths: the families again on SSE2's. */
	if (hs_shape_avx2) {
		hs_shape_avx2 = false;
		printf("# again without AVX2\n");
		for (size_t i = 0; i < NFAMILIES; i++)
			run_family((int)++nruns, &families[i]);
	} else {
		printf("# this processor has no AVX2: the SSE2 paths alone were checked\n");
	}
	printf("1..%zu\n", nruns);
	hs_range_set_free(&classifier.pointees);
	hs_snapshot_free(&snap);
	return nfailures != 0;
}
