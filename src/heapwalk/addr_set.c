/* Open-addressing hash map for chunk addresses (see addr_set.h). */
#include <stdlib.h>

#include "common/xalloc.h"
#include "heapwalk/addr_set.h"

static size_t slot_of(uint64_t addr, size_t cap)
{
	uint64_t h = (addr >> 4) * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 17) & (cap - 1);
}

static void grow(struct hs_addr_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024;
	uint64_t *keys = xcalloc(cap, sizeof(*keys));
	uint8_t *tags = xcalloc(cap, sizeof(*tags));

	for (size_t i = 0; i < s->cap; i++) {
		if (s->keys[i] == 0)
			continue;
		size_t j = slot_of(s->keys[i], cap);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = s->keys[i];
		tags[j] = s->tags[i];
	}
	free(s->keys);
	free(s->tags);
	s->keys = keys;
	s->tags = tags;
	s->cap = cap;
}

uint8_t hs_addr_set_put(struct hs_addr_set *s, uint64_t addr, uint8_t tag)
{
	size_t j;

	if ((s->n + 1) * 2 > s->cap)
		grow(s);
	for (j = slot_of(addr, s->cap); s->keys[j]; j = (j + 1) & (s->cap - 1))
		if (s->keys[j] == addr)
			return s->tags[j];
	s->keys[j] = addr;
	s->tags[j] = tag;
	s->n++;
	return 0;
}

uint8_t hs_addr_set_get(const struct hs_addr_set *s, uint64_t addr)
{
	if (s->cap == 0)
		return 0;
	for (size_t j = slot_of(addr, s->cap); s->keys[j]; j = (j + 1) & (s->cap - 1))
		if (s->keys[j] == addr)
			return s->tags[j];
	return 0;
}

void hs_addr_set_free(struct hs_addr_set *s)
{
	free(s->keys);
	free(s->tags);
	s->keys = NULL;
	s->tags = NULL;
	s->cap = s->n = 0;
}
