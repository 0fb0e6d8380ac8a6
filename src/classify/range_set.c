/* Sorted, merged address ranges with binary-search membership (see classify_private.h). */
#include <stdlib.h>

#include "classify/classify_private.h"
#include "common/xalloc.h"

void hs_range_set_add(struct range_set *s, uint64_t start, uint64_t end)
{
	if (start >= end)
		return;
	hs_xgrow((void **)&s->r, &s->cap, s->n + 1, sizeof(*s->r));
	s->r[s->n][0] = start;
	s->r[s->n][1] = end;
	s->n++;
}

static int cmp_start(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

void hs_range_set_finish(struct range_set *s)
{
	size_t out = 0;

	if (s->n == 0)
		return;
	qsort(s->r, s->n, sizeof(*s->r), cmp_start);
	for (size_t i = 1; i < s->n; i++) {
		if (s->r[i][0] <= s->r[out][1]) {
			if (s->r[i][1] > s->r[out][1])
				s->r[out][1] = s->r[i][1];
		} else {
			out++;
			s->r[out][0] = s->r[i][0];
			s->r[out][1] = s->r[i][1];
		}
	}
	s->n = out + 1;
}

bool hs_range_set_has(const struct range_set *s, uint64_t addr)
{
	return range_set_find(s, addr) < s->n;
}

bool hs_range_set_has_hinted(const struct range_set *s, uint64_t addr, size_t *hint)
{
	size_t i = *hint;

	if (i < s->n && addr >= s->r[i][0] && addr < s->r[i][1])
		return true;
	i = range_set_find(s, addr);
	if (i == s->n)
		return false;
	*hint = i;
	return true;
}

void hs_range_set_free(struct range_set *s)
{
	free(s->r);
	s->r = NULL;
	s->n = s->cap = 0;
}
