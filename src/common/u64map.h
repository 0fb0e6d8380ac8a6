/* A hash map from 64-bit keys to 64-bit values: the classifier's memo of what an address
   turned out to be (a vtable, a type object, a stdio buffer), so a million blocks that share
   a vtable cost one symbol search, not a million; the walker's sets of chunk addresses. Key 0 marks empty slots: it is never
   found and must not be added. */
#ifndef HS_COMMON_U64MAP_H
#define HS_COMMON_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct u64map {
	struct u64map_slot { uint64_t key, value; } *slots;
	size_t nslots, nused; /* nslots is 0 or a power of two */
};

/* True and *value set when key is present. */
bool hs_u64map_get(const struct u64map *m, uint64_t key, uint64_t *value);
/* Adds or replaces key (nonzero). */
void hs_u64map_put(struct u64map *m, uint64_t key, uint64_t value);
void hs_u64map_free(struct u64map *m);

#endif
