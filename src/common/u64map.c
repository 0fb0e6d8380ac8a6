/* Open-addressing hash map with linear probing (see u64map.h). */
#include <stdlib.h>

#include "common/u64map.h"
#include "common/xalloc.h"

static size_t slot_of(uint64_t key, size_t nslots)
{
	/* Addresses share their low bits (alignment) and high bits (mapping): mix them all. */
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (nslots - 1);
}

bool hs_u64map_get(const struct u64map *m, uint64_t key, uint64_t *value)
{
	if (m->nslots == 0 || key == 0) /* 0 marks empty slots */
		return false;
	for (size_t i = slot_of(key, m->nslots);; i = (i + 1) & (m->nslots - 1)) {
		if (m->slots[i].key == key) {
			*value = m->slots[i].value;
			return true;
		}
		if (m->slots[i].key == 0)
			return false;
	}
}

static void insert(struct u64map_slot *slots, size_t nslots, uint64_t key, uint64_t value)
{
	size_t i = slot_of(key, nslots);

	while (slots[i].key != 0 && slots[i].key != key)
		i = (i + 1) & (nslots - 1);
	slots[i].key = key;
	slots[i].value = value;
}

static void grow(struct u64map *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 256;
	struct u64map_slot *slots = hs_xcalloc(n, sizeof(*slots));

	for (size_t i = 0; i < m->nslots; i++)
		if (m->slots[i].key != 0)
			insert(slots, n, m->slots[i].key, m->slots[i].value);
	free(m->slots);
	m->slots = slots;
	m->nslots = n;
}

void hs_u64map_put(struct u64map *m, uint64_t key, uint64_t value)
{
	uint64_t old;

	if (hs_u64map_get(m, key, &old)) {
		insert(m->slots, m->nslots, key, value);
		return;
	}
	if ((m->nused + 1) * 2 > m->nslots)
		grow(m);
	insert(m->slots, m->nslots, key, value);
	m->nused++;
}

void hs_u64map_free(struct u64map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->nslots = m->nused = 0;
}
