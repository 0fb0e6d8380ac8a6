/* stat's default output: per arena and in total, mallinfo2's figures and malloc_info's
   system/aspace figures in a table; then where the RSS goes, and one line of advice. */
#include <inttypes.h>

#include "stat/stat.h"

#define MIB(x) ((double)(x) / 1048576.0)
/* Advice thresholds: free resident memory worth giving back. */
#define ADVICE_MIN_FREE ((uint64_t)64 << 20)
#define ADVICE_SHARE 4 /* free resident above 1/4 of the arenas' resident bytes */

const char *hs_stat_advice(const struct hs_malloc_stats *s, char *buf, size_t len)
{
	const struct hs_stat_rss *r = &s->rss;
	uint64_t arenas = r->live + r->free + r->meta - r->mmapped;

	if (!r->available || r->free < ADVICE_MIN_FREE || r->free * ADVICE_SHARE < arenas)
		return NULL;
	if (s->narenas > 1)
		snprintf(buf, len, "%.1f MiB of free chunks are resident in %zu arenas (%.0f%% of the arenas' "
			 "resident memory): setting MALLOC_ARENA_MAX lower, or calling malloc_trim(0) "
			 "after the peak, may give much of it back", MIB(r->free), s->narenas,
			 100.0 * (double)r->free / (double)arenas);
	else
		snprintf(buf, len, "%.1f MiB of free chunks are resident (%.0f%% of the heap's resident memory): "
			 "calling malloc_trim(0) after the peak may give much of it back",
			 MIB(r->free), 100.0 * (double)r->free / (double)arenas);
	return buf;
}

static void row(FILE *fp, const char *name, const struct hs_mallinfo2 *mi, uint64_t sys_max)
{
	fprintf(fp, "%-8s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %8" PRIu64 " %8" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n",
		name, mi->arena, mi->uordblks, mi->fordblks, mi->ordblks, mi->smblks, mi->fsmblks, sys_max);
}

int hs_stat_print_text(const struct hs_malloc_stats *s, FILE *fp)
{
	struct hs_mallinfo2 mi;
	uint64_t max = 0;
	char name[24], advice[512];

	fprintf(fp, "glibc %u.%u malloc: %zu arena%s, %d mmapped chunk%s (%" PRIu64 " bytes)\n\n", s->major,
		s->minor, s->narenas, s->narenas == 1 ? "" : "s", (int)s->n_mmaps, s->n_mmaps == 1 ? "" : "s",
		s->mmapped_mem);
	fprintf(fp, "%-8s %12s %12s %12s %8s %8s %12s %12s\n", "arena", "system", "in use", "free",
		"ordblks", "smblks", "fast free", "system max");
	for (size_t i = 0; i < s->narenas; i++) {
		hs_stat_mallinfo(s, i, &mi);
		snprintf(name, sizeof(name), "%zu", i);
		row(fp, name, &mi, s->arenas[i].max_system_mem);
		max += s->arenas[i].max_system_mem;
	}
	hs_stat_mallinfo(s, SIZE_MAX, &mi);
	row(fp, "total", &mi, max);
	fprintf(fp, "keepcost %" PRIu64 " (top of the main arena)\n", mi.keepcost);
	if (!s->rss.available) {
		fputs("\nRSS: not available for a core file (no resident pages to read)\n", fp);
		return ferror(fp) ? -1 : 0;
	}
	fprintf(fp, "\nRSS %.1f MiB: live chunks %.1f MiB (mmapped %.1f), free chunks %.1f MiB, "
		"malloc metadata %.1f MiB, rest of the process %.1f MiB\n", MIB(s->rss.total), MIB(s->rss.live),
		MIB(s->rss.mmapped), MIB(s->rss.free), MIB(s->rss.meta), MIB(s->rss.rest));
	for (size_t i = 0; i < s->narenas; i++)
		fprintf(fp, "  arena %zu: live %.1f MiB, free %.1f MiB, metadata %.1f MiB\n", i,
			MIB(s->arenas[i].rss_live), MIB(s->arenas[i].rss_free), MIB(s->arenas[i].rss_meta));
	if (s->rss.mmapped_found != (uint64_t)s->n_mmaps)
		fprintf(fp, "  (%" PRIu64 " of %d mmapped chunks found in the maps: the others count as rest)\n",
			s->rss.mmapped_found, (int)s->n_mmaps);
	if (hs_stat_advice(s, advice, sizeof(advice)) != NULL)
		fprintf(fp, "\n%s\n", advice);
	return ferror(fp) ? -1 : 0;
}
