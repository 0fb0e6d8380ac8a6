/* Open-addressing hash map for chunk addresses (see addr_map.h). */
#include <stdlib.h>

#include "common/xalloc.h"
#include "heapwalk/addr_map.h"

static size_t slot_of(uint64_t addr, size_t cap)
{
	uint64_t h = (addr >> 4) * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 20) & (cap - 1);
}

static void grow(struct hs_addr_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	uint64_t *keys = xcalloc(cap, sizeof(*keys));
	uint32_t *values = xmalloc(cap * sizeof(*values));

	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i] == 0)
			continue;
		size_t j = slot_of(m->keys[i], cap);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		values[j] = m->values[i];
	}
	free(m->keys);
	free(m->values);
	m->keys = keys;
	m->values = values;
	m->cap = cap;
}

uint32_t hs_addr_map_put(struct hs_addr_map *m, uint64_t addr, uint32_t value)
{
	size_t j;

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	for (j = slot_of(addr, m->cap); m->keys[j]; j = (j + 1) & (m->cap - 1))
		if (m->keys[j] == addr)
			return m->values[j];
	m->keys[j] = addr;
	m->values[j] = value;
	m->n++;
	return HS_ADDR_MAP_NONE;
}

uint32_t hs_addr_map_get(const struct hs_addr_map *m, uint64_t addr)
{
	if (m->cap == 0)
		return HS_ADDR_MAP_NONE;
	for (size_t j = slot_of(addr, m->cap); m->keys[j]; j = (j + 1) & (m->cap - 1))
		if (m->keys[j] == addr)
			return m->values[j];
	return HS_ADDR_MAP_NONE;
}

void hs_addr_map_free(struct hs_addr_map *m)
{
	free(m->keys);
	free(m->values);
	m->keys = NULL;
	m->values = NULL;
	m->cap = m->n = 0;
}
