/* Sets of address ranges with a fast membership test: "does this word point into module
   memory / into memory a pointer may target?". Built once per classifier, queried per word. */
#ifndef HS_CLASSIFY_RANGE_SET_H
#define HS_CLASSIFY_RANGE_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/sorted_search.h"

struct range_set {
	uint64_t (*r)[2]; /* [start, end), sorted and disjoint after hs_range_set_finish */
	size_t n, cap;
};

void hs_range_set_add(struct range_set *s, uint64_t start, uint64_t end);
/* Sorts and merges overlapping or touching ranges; call before hs_range_set_has. */
void hs_range_set_finish(struct range_set *s);
/* The index of the range holding addr, or s->n when none does. Words outside the set's
   span (text, numbers) are turned away before the search. Inline: the byte-shape rules ask
   for every word of a pointer array. */
static inline size_t range_set_find(const struct range_set *s, uint64_t addr)
{
	size_t i;

	if (s->n == 0 || addr < s->r[0][0] || addr >= s->r[s->n - 1][1])
		return s->n;
	i = hs_sorted_first_after(s->r, s->n, sizeof(*s->r), 0, addr);
	return i > 0 && addr < s->r[i - 1][1] ? i - 1 : s->n;
}

bool hs_range_set_has(const struct range_set *s, uint64_t addr);
/* The same, trying first the range *hint names (the one the last hit found, kept by the
   caller: words looked at one after the other mostly point into the same mapping). */
bool hs_range_set_has_hinted(const struct range_set *s, uint64_t addr, size_t *hint);
void hs_range_set_free(struct range_set *s);

#endif
