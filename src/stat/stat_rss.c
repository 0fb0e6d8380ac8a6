/* Where the RSS goes, for a stopped live process: each mapping's Rss from /proc/PID/smaps;
   in the mappings that hold malloc's memory (arena heaps, mmapped chunks), each page's
   presence from /proc/PID/pagemap (bit 63; needs no privilege) and the resident bytes of
   the free chunks (bins, fastbins, top: what malloc_trim could give back), of malloc's
   metadata (heap_info, a non-main arena's malloc_state, the tcache structs) and of the live
   chunks (the rest of the arenas and the mmapped chunks). The rest of the process is the
   Rss of every other mapping (stacks, code, data, other mappings). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xalloc.h"
#include "stat/stat.h"

#define PAGE 4096u

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

/* The resident bytes of [lo, hi) clipped to the mapping whose presence bits are given. */
static uint64_t resident(const struct smap *map, const uint64_t *pm, uint64_t lo, uint64_t hi)
{
	uint64_t sum = 0;

	lo = lo > map->start ? lo : map->start;
	hi = hi < map->end ? hi : map->end;
	for (uint64_t p = lo & ~(uint64_t)(PAGE - 1); p < hi; p += PAGE) {
		uint64_t a = p > lo ? p : lo, b = p + PAGE < hi ? p + PAGE : hi;
		if (pm[(p - map->start) / PAGE] & HS_PAGEMAP_PRESENT)
			sum += b - a;
	}
	return sum;
}

static bool holds_malloc_memory(const struct hs_malloc_stats *s, const struct smap *map)
{
	for (size_t i = 0; i < s->nranges; i++)
		if ((s->ranges[i].kind == HS_STAT_SPAN || s->ranges[i].kind == HS_STAT_MMAPPED) &&
		    s->ranges[i].start < map->end && s->ranges[i].end > map->start)
			return true;
	return false;
}

static int attribute(struct hs_malloc_stats *s, int pagemap, const struct smap *map, struct hs_error *err)
{
	size_t pages = (map->end - map->start) / PAGE;
	uint64_t *pm = hs_xmalloc(pages * sizeof(*pm)), inside = 0;
	struct hs_stat_rss *r = &s->rss;

	if (hs_proc_read_pagemap(pagemap, map->start / PAGE, pm, pages) != pages) {
		free(pm);
		return hs_fail(err, HS_ERR_TARGET, "cannot read the process's pagemap: check /proc is mounted");
	}
	for (size_t i = 0; i < s->nranges; i++) {
		const struct hs_stat_range *g = &s->ranges[i];
		uint64_t bytes = g->start < map->end && g->end > map->start ? resident(map, pm, g->start, g->end) : 0;
		struct hs_stat_arena *a = g->arena < s->narenas ? &s->arenas[g->arena] : NULL;

		if (bytes == 0)
			continue;
		switch (g->kind) {
		case HS_STAT_SPAN: inside += bytes; r->live += bytes; if (a) a->rss_live += bytes; break;
		case HS_STAT_MMAPPED: inside += bytes; r->live += bytes; r->mmapped += bytes; break;
		case HS_STAT_FREE: r->free += bytes; r->live -= bytes; if (a) { a->rss_free += bytes; a->rss_live -= bytes; } break;
		case HS_STAT_META: r->meta += bytes; r->live -= bytes; if (a) { a->rss_meta += bytes; a->rss_live -= bytes; } break;
		}
	}
	r->rest += resident(map, pm, map->start, map->end) - inside;
	free(pm);
	return 0;
}

int hs_stat_rss(pid_t pid, struct hs_malloc_stats *s, struct hs_error *err)
{
	struct smap *maps = NULL;
	size_t n = 0;
	int pagemap, rc = 0;

	if (read_smaps(pid, &maps, &n, err) < 0)
		return -1;
	if ((pagemap = hs_proc_open_pagemap(pid)) < 0) {
		free(maps);
		return hs_fail(err, HS_ERR_TARGET, "cannot open /proc/%d/pagemap: check that the process still runs",
			       (int)pid);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		s->rss.total += maps[i].rss;
		if (holds_malloc_memory(s, &maps[i]))
			rc = attribute(s, pagemap, &maps[i], err);
		else
			s->rss.rest += maps[i].rss;
	}
	close(pagemap);
	free(maps);
	s->rss.available = rc == 0;
	return rc;
}
