/* A snapshot's groups (src/snapshot/snapshot.c) count blocks by (type, size): the first
   types and small sizes in a dense table, the rest in a hash table, both folded together
   when a walker's part is absorbed and when the groups are listed. Blocks of 40 types, of
   sizes from 8 to 8 KiB and odd ones, added to a snapshot and to a part absorbed into it,
   must come out as the same groups as a plain count of what was added; and again after
   more blocks were added to the snapshot once a part had been absorbed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "snapshot/snapshot.h"
#include "../diff/tap.h"

#define TYPES 40
#define SIZES 1100 /* plain counts of sizes 0 to SIZES * 8, and the odd sizes below */

static uint64_t expected[TYPES][SIZES * 8 + 1];

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* Adds n blocks to s, most of the first types and of small sizes, as a heap has them. */
static void add_blocks(struct hs_snapshot *s, size_t n, uint64_t *rng)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t r = next_random(rng);
		uint32_t type = (uint32_t)(r % 4 == 0 ? r / 4 % TYPES : r / 4 % 8);
		uint64_t size = r % 16 == 1 ? r / 16 % (SIZES * 8) : 8 * (r / 16 % (r % 3 ? 64 : SIZES));

		hs_snapshot_add_block(s, 0x10000 + 16 * i, size, type);
		expected[type][size]++;
	}
}

/* Whether s's groups are exactly the counts in expected, in order, none empty. */
static int groups_match(const struct hs_snapshot *s)
{
	size_t g = 0;

	for (uint32_t type = 0; type < TYPES; type++)
		for (uint64_t size = 0; size <= SIZES * 8; size++) {
			if (expected[type][size] == 0)
				continue;
			if (g == s->ngroups || s->groups[g].type != type || s->groups[g].size != size ||
			    s->groups[g].count != expected[type][size]) {
				printf("# group %zu: wanted type %u size %llu count %llu\n", g, type,
				       (unsigned long long)size, (unsigned long long)expected[type][size]);
				return 0;
			}
			g++;
		}
	return g == s->ngroups;
}

static void intern_types(struct hs_snapshot *s)
{
	char name[16];

	/* Named so that the order by name is the order of interning: type i stays i. */
	for (int i = 0; i < TYPES; i++) {
		snprintf(name, sizeof(name), "t%02d", i);
		hs_snapshot_type(s, name, "test");
	}
}

int main(void)
{
	struct hs_snapshot s, *part = malloc(sizeof(*part));
	uint64_t rng = 0x9E3779B97F4A7C15ULL;

	hs_snapshot_init(&s);
	hs_snapshot_init(part);
	intern_types(&s);
	add_blocks(&s, 300000, &rng);
	add_blocks(part, 200000, &rng);
	hs_snapshot_absorb(&s, part);
	free(part);
	add_blocks(&s, 100000, &rng);
	hs_snapshot_finish_blocks(&s);
	tap_ok(groups_match(&s), "600000 blocks of 40 types and sizes to 8.6 KB, some of them in an "
	       "absorbed part, are counted in exactly their groups");
	hs_snapshot_free(&s);
	return tap_done();
}
