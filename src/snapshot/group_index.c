/* The (type, size) -> group table (see snapshot.h). */
#include <stdlib.h>

#include "common/xalloc.h"
#include "snapshot/snapshot.h"

static uint64_t hash_key(uint32_t type, uint64_t size)
{
	uint64_t h = (size * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)type * 0xC2B2AE3D27D4EB4FULL);
	return h ^ (h >> 31);
}

/* The slot holding (type, size), or the empty slot where it would go. */
static size_t slot_of(const struct hs_group_index *ix, const struct hs_snapshot *s,
		      uint32_t type, uint64_t size)
{
	size_t mask = ix->nslots - 1, j = hash_key(type, size) & mask;

	while (ix->slots[j]) {
		const struct hs_group *g = &s->groups[ix->slots[j] - 1];
		if (g->type == type && g->size == size)
			break;
		j = (j + 1) & mask;
	}
	return j;
}

size_t hs_group_index_build(struct hs_group_index *ix, const struct hs_snapshot *s)
{
	size_t n = 16;

	while (n < s->ngroups * 2)
		n *= 2;
	ix->nslots = n;
	ix->slots = hs_xcalloc(n, sizeof(*ix->slots));
	for (size_t i = 0; i < s->ngroups; i++) {
		size_t j = slot_of(ix, s, s->groups[i].type, s->groups[i].size);
		if (ix->slots[j])
			return i;
		ix->slots[j] = i + 1;
	}
	return HS_NO_GROUP;
}

size_t hs_group_index_find(const struct hs_group_index *ix, const struct hs_snapshot *s,
			   uint32_t type, uint64_t size)
{
	size_t j = slot_of(ix, s, type, size);

	return ix->slots[j] ? ix->slots[j] - 1 : HS_NO_GROUP;
}

void hs_group_index_free(struct hs_group_index *ix)
{
	free(ix->slots);
	ix->slots = NULL;
	ix->nslots = 0;
}
