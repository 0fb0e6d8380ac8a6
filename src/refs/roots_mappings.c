/* Mapping roots: every writable mapping that no other root covers, less what is malloc's in
   it, and not a device or the kernel's ([vvar], [vsyscall]). Memory a program manages itself
   with mmap is such a root, named by its mapping's start. The kernel merges neighbouring
   anonymous mappings, so malloc's memory is cut out of a mapping rather than a mapping left
   out for holding some: a non-main arena's heap (64 MiB-aligned, its heap_info naming one
   of the snapshot's arenas: the heap's size from there), and each other block's pages (an
   mmapped chunk). The main arena's mapping (the [heap], found by mp_.sbrk_base: a core
   does not name it) is malloc's whole. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "refs/refs_private.h"

#define HEAP_MAX ((uint64_t)64 << 20)
#define PAGE 4096

static bool is_arena(const struct hs_snapshot *snap, uint64_t addr)
{
	for (size_t i = 0; i < snap->narenas; i++)
		if (snap->arenas[i].address == addr)
			return true;
	return false;
}

/* The heap starting at a (heap_info: ar_ptr, prev, size), or 0 bytes when there is none. */
static uint64_t heap_at(struct hs_target *t, const struct hs_snapshot *snap, uint64_t a)
{
	uint64_t info[3];

	if (t->ops->read(t, a, info, sizeof(info)) != (ssize_t)sizeof(info) || !is_arena(snap, info[0]))
		return 0;
	return info[2] < HEAP_MAX ? info[2] : HEAP_MAX;
}

/* Adds to rs the parts of map that are not malloc's. */
static void add_mapping(struct hs_target *t, const struct hs_snapshot *snap, const struct hs_block_index *bi,
			struct root_set *rs, const struct hs_mapping *map)
{
	uint64_t cursor = map->start;
	int64_t root = -1;
	size_t b = hs_block_index_first_from(bi, map->start);

	while (cursor < map->end) {
		uint64_t next_heap = (cursor + HEAP_MAX - 1) & ~(HEAP_MAX - 1);
		uint64_t stop = map->end, skip_to = map->end, heap;

		/* The next piece of malloc's: a block's pages or a heap, whichever comes first. */
		if (b < bi->n && bi->block[b].addr < map->end) {
			stop = (bi->block[b].addr - 16) & ~(uint64_t)(PAGE - 1);
			skip_to = (bi->block[b].end + PAGE - 1) & ~(uint64_t)(PAGE - 1);
		}
		if (next_heap < stop && next_heap < map->end && (heap = heap_at(t, snap, next_heap)) > 0) {
			stop = next_heap;
			skip_to = next_heap + heap;
		}
		if (stop < cursor)
			stop = cursor;
		if (stop > cursor) {
			if (root < 0) {
				char name[32];

				snprintf(name, sizeof(name), "0x%" PRIx64, map->start);
				root = hs_root_add(rs, HS_ROOT_MAPPING, hs_xstrdup(name), map->path, -1, map->start,
						   map->end - map->start);
			}
			hs_root_add_piece(rs, (uint32_t)root, cursor, stop, NULL);
		}
		if (skip_to > map->end)
			skip_to = map->end;
		while (b < bi->n && bi->block[b].addr < skip_to)
			b++;
		/* A next piece at a heap can move the cursor past no block: always progress. */
		cursor = skip_to > cursor ? skip_to : cursor + PAGE;
	}
}

void hs_roots_mappings(struct hs_target *t, const struct hs_malloc_info *m, const struct hs_snapshot *snap,
		       const struct hs_block_index *bi, struct root_set *rs, const struct covered *cov)
{
	uint64_t sbrk_base = 0;

	hs_target_read_u64(t, m->mp + m->layout->mp_sbrk_base, &sbrk_base);
	for (size_t i = 0; i < t->nmaps; i++) {
		const struct hs_mapping *map = &t->maps[i];

		if (!(map->perms & HS_MAP_W) || hs_covered_overlaps(cov, map->start, map->end) ||
		    (sbrk_base >= map->start && sbrk_base < map->end))
			continue;
		if (map->path != NULL && (map->path[0] == '[' || strncmp(map->path, "/dev/", 5) == 0))
			continue;
		add_mapping(t, snap, bi, rs, map);
	}
}
