/* A hash map from chunk address to a small tag: the free set (which list holds a chunk). */
#ifndef HS_ADDR_SET_H
#define HS_ADDR_SET_H

#include <stddef.h>
#include <stdint.h>

struct hs_addr_set {
	uint64_t *keys; /* 0 = empty slot (chunk addresses are never 0) */
	uint8_t *tags;
	size_t cap, n;
};

/* Adds addr with tag; returns the tag it already had (0 when new). */
uint8_t hs_addr_set_put(struct hs_addr_set *s, uint64_t addr, uint8_t tag);
uint8_t hs_addr_set_get(const struct hs_addr_set *s, uint64_t addr);
void hs_addr_set_free(struct hs_addr_set *s);

#endif
