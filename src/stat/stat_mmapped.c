/* Finding malloc's mmapped chunks without symbols or a walk: each sits at the start of its
   own anonymous writable mapping (several may share one mapping when the kernel merged
   them), with IS_MMAPPED in its size word and a size that fits the mapping. What is found is
   checked against mp_'s n_mmaps and mmapped_mem by the caller (it says when they differ). */
#include "stat/stat.h"

#define IS_MMAPPED 2u
#define PAGE 4096u

static bool holds_arena(const struct hs_malloc_stats *s, const struct hs_mapping *map)
{
	for (size_t i = 0; i < s->nranges; i++)
		if (s->ranges[i].kind == HS_STAT_SPAN && s->ranges[i].start < map->end &&
		    s->ranges[i].end > map->start)
			return true;
	return false;
}

void hs_stat_find_mmapped(struct hs_target *t, const struct hs_malloc_info *m, struct hs_malloc_stats *s)
{
	const struct hs_glibc_layout *l = m->layout;

	for (size_t i = 0; i < t->nmaps && s->rss.mmapped_found < (uint64_t)s->n_mmaps; i++) {
		const struct hs_mapping *map = &t->maps[i];
		uint64_t at = map->start;

		if (map->path != NULL || map->inode != 0 || !(map->perms & HS_MAP_W) || holds_arena(s, map))
			continue;
		while (at + 16 <= map->end && s->rss.mmapped_found < (uint64_t)s->n_mmaps) {
			uint64_t hdr[2], len;

			if (t->ops->read(t, at, hdr, sizeof(hdr)) != sizeof(hdr) || !(hdr[1] & IS_MMAPPED))
				break;
			/* 2.43: prev_size's bit 0 flags huge pages and the mapping is 16 bytes longer. */
			len = (hdr[0] & ~(uint64_t)l->mmapped_prev_flags) + (hdr[1] & ~7ull) +
			      (l->mmapped_size_excludes_prev ? 16 : 0);
			if (len == 0 || len % PAGE != 0 || len > map->end - at)
				break;
			hs_stat_add_range(s, at, at + len, UINT32_MAX, HS_STAT_MMAPPED);
			s->rss.mmapped_found++;
			s->rss.mmapped_bytes_found += len;
			at += len;
		}
	}
}
