/* Where the RSS goes, for a stopped live process: each mapping's Rss from /proc/PID/smaps;
   in the mappings that hold malloc's memory (arena heaps, mmapped chunks), each page's
   presence from /proc/PID/pagemap (stat_pages.c) and the resident bytes of the free chunks
   (bins, fastbins, top: what malloc_trim could give back; the linear pass summed those of
   the bins' chunks per arena, which are in no range), of malloc's
   metadata (heap_info, a non-main arena's malloc_state, the tcache structs) and of the live
   chunks (the rest of the arenas and the mmapped chunks). The rest of the process is the
   Rss of every other mapping (stacks, code, data, other mappings). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "stat/stat.h"

struct smap {
	uint64_t start, end, rss;
};

static int read_smaps(pid_t pid, struct smap **out, size_t *n, struct hs_error *err)
{
	char path[64], line[512];
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return hs_fail(err, HS_ERR_TARGET, "cannot read %s: check that the process still runs", path);
	*n = 0;
	while (fgets(line, sizeof(line), f)) {
		uint64_t a, b, kb;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &a, &b) == 2) {
			hs_xgrow((void **)out, &cap, *n + 1, sizeof(**out));
			(*out)[(*n)++] = (struct smap){ a, b, 0 };
		} else if (*n > 0 && sscanf(line, "Rss: %" SCNu64 " kB", &kb) == 1) {
			(*out)[*n - 1].rss = kb * 1024;
		}
	}
	fclose(f);
	return 0;
}

/* The resident bytes of [lo, hi) clipped to the mapping. */
static int resident(struct hs_stat_pages *pages, const struct smap *map, uint64_t lo, uint64_t hi,
		    uint64_t *bytes, struct hs_error *err)
{
	lo = lo > map->start ? lo : map->start;
	hi = hi < map->end ? hi : map->end;
	*bytes = 0;
	return lo < hi ? hs_stat_pages_resident(pages, lo, hi, bytes, err) : 0;
}

static bool holds_malloc_memory(const struct hs_malloc_stats *s, const struct smap *map)
{
	for (size_t i = 0; i < s->nranges; i++)
		if ((s->ranges[i].kind == HS_STAT_SPAN || s->ranges[i].kind == HS_STAT_MMAPPED) &&
		    s->ranges[i].start < map->end && s->ranges[i].end > map->start)
			return true;
	return false;
}

static int attribute(struct hs_malloc_stats *s, struct hs_stat_pages *pages, const struct smap *map,
		     struct hs_error *err)
{
	uint64_t inside = 0, all;
	struct hs_stat_rss *r = &s->rss;

	for (size_t i = 0; i < s->nranges; i++) {
		const struct hs_stat_range *g = &s->ranges[i];
		struct hs_stat_arena *a = g->arena < s->narenas ? &s->arenas[g->arena] : NULL;
		uint64_t bytes;

		if (resident(pages, map, g->start, g->end, &bytes, err) < 0)
			return -1;
		if (bytes == 0)
			continue;
		switch (g->kind) {
		case HS_STAT_SPAN: inside += bytes; r->live += bytes; if (a) a->rss_live += bytes; break;
		case HS_STAT_MMAPPED: inside += bytes; r->live += bytes; r->mmapped += bytes; break;
		case HS_STAT_FREE: r->free += bytes; r->live -= bytes; if (a) { a->rss_free += bytes; a->rss_live -= bytes; } break;
		case HS_STAT_META: r->meta += bytes; r->live -= bytes; if (a) { a->rss_meta += bytes; a->rss_live -= bytes; } break;
		}
	}
	if (resident(pages, map, map->start, map->end, &all, err) < 0)
		return -1;
	r->rest += all - inside;
	return 0;
}

int hs_stat_rss(pid_t pid, struct hs_stat_pages *pages, struct hs_malloc_stats *s, struct hs_error *err)
{
	struct smap *maps = NULL;
	size_t n = 0;
	int rc = 0;

	if (read_smaps(pid, &maps, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		s->rss.total += maps[i].rss;
		if (holds_malloc_memory(s, &maps[i]))
			rc = attribute(s, pages, &maps[i], err);
		else
			s->rss.rest += maps[i].rss;
	}
	for (size_t i = 0; i < s->narenas; i++) {
		struct hs_stat_arena *a = &s->arenas[i];

		a->rss_free += a->pass_free_resident;
		a->rss_live -= a->pass_free_resident;
		s->rss.free += a->pass_free_resident;
		s->rss.live -= a->pass_free_resident;
	}
	free(maps);
	s->rss.available = rc == 0;
	return rc;
}
