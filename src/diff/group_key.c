/* Group keys (see diff.h). */
#include <stdio.h>
#include <string.h>

#include "common/xalloc.h"
#include "diff/diff.h"

/* Power-of-two size classes (2^(k-1), 2^k]: 0, 1, 2, 3-4, 5-8, ..., 513-1024, ... */
static struct hs_key size_class(uint64_t size)
{
	uint64_t hi = 1;

	if (size <= 1)
		return (struct hs_key){ "", size, size };
	while (hi < size)
		hi <<= 1;
	return (struct hs_key){ "", hi / 2 + 1, hi };
}

struct hs_key hs_group_key(enum hs_group_by by, const char *type_name, const char *kind,
			   uint64_t size)
{
	switch (by) {
	case HS_BY_SIZE:
		return (struct hs_key){ "", size, size };
	case HS_BY_TYPE_SIZE:
		return (struct hs_key){ type_name, size, size };
	case HS_BY_KIND:
		return (struct hs_key){ kind, 0, 0 };
	case HS_BY_SIZECLASS:
		return size_class(size);
	case HS_BY_TYPE:
	case HS_BY_ROOT: /* keyed by the root split's parts, not by groups */
		break;
	}
	return (struct hs_key){ type_name, 0, 0 };
}

int hs_key_compare(const struct hs_key *a, const struct hs_key *b)
{
	int c = a->text == b->text ? 0 : strcmp(a->text, b->text);

	if (c != 0)
		return c;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return (a->hi > b->hi) - (a->hi < b->hi);
}

char *hs_key_text(enum hs_group_by by, const struct hs_key *k)
{
	unsigned long long lo = k->lo, hi = k->hi;
	size_t n = strlen(k->text) + 48;
	char *buf = hs_xmalloc(n);

	if (by == HS_BY_SIZE || (by == HS_BY_SIZECLASS && lo == hi))
		snprintf(buf, n, "%llu", lo);
	else if (by == HS_BY_SIZECLASS)
		snprintf(buf, n, "%llu-%llu", lo, hi);
	else if (by == HS_BY_TYPE_SIZE)
		snprintf(buf, n, "%s|%llu", k->text, lo);
	else
		snprintf(buf, n, "%s", k->text);
	return buf;
}
