/* A hash map from chunk address to a 32-bit value (an index or a tag). */
#ifndef HS_ADDR_MAP_H
#define HS_ADDR_MAP_H

#include <stddef.h>
#include <stdint.h>

#define HS_ADDR_MAP_NONE UINT32_MAX

struct hs_addr_map {
	uint64_t *keys; /* 0 = empty slot (chunk addresses are never 0) */
	uint32_t *values;
	size_t cap, n;
};

/* Adds addr -> value; returns the value addr already had (HS_ADDR_MAP_NONE when new). */
uint32_t hs_addr_map_put(struct hs_addr_map *m, uint64_t addr, uint32_t value);
uint32_t hs_addr_map_get(const struct hs_addr_map *m, uint64_t addr);
void hs_addr_map_free(struct hs_addr_map *m);

#endif
