/* What glibc's malloc_info(0, fp) prints, byte for byte, from what hs_stat_read found:
   __malloc_info of 2.31 to 2.43. Per arena, the fastbin sizes (the first chunk's size
   times the count; none from 2.43), each bin's count, total and smallest/largest size with
   their flag bits (chunksize_nomask), the unsorted bin last, the arena's figures and its
   address space (heaps for a non-main arena, system_mem for the main one); then the totals. */
#include <inttypes.h>

#include "stat/stat.h"

static void print_arena(const struct hs_malloc_stats *s, size_t n, FILE *fp, uint64_t tot[8])
{
	const struct hs_stat_arena *a = &s->arenas[n];
	uint64_t nfast = 0, fastavail = 0, nblocks = 1, avail = a->top_size;

	fprintf(fp, "<heap nr=\"%d\">\n<sizes>\n", (int)n);
	for (unsigned i = 0; s->fastbins && i < HS_STAT_NFASTBINS; i++) {
		uint64_t size = a->fast_first_size[i], count = a->fast_count[i];

		nfast += count;
		fastavail += count * size;
		if (count != 0)
			fprintf(fp, "  <size from=\"%" PRIu64 "\" to=\"%" PRIu64 "\" total=\"%" PRIu64
				"\" count=\"%" PRIu64 "\"/>\n", size - 15, size, count * size, count);
	}
	for (unsigned i = 1; i < HS_STAT_NBINS; i++) {
		nblocks += a->bins[i].count;
		avail += a->bins[i].total;
	}
	for (unsigned i = 2; i < HS_STAT_NBINS; i++) {
		const struct hs_stat_bin *b = &a->bins[i];
		if (b->count != 0)
			fprintf(fp, "  <size from=\"%" PRIu64 "\" to=\"%" PRIu64 "\" total=\"%" PRIu64
				"\" count=\"%" PRIu64 "\"/>\n", b->from, b->to, b->total, b->count);
	}
	if (a->bins[1].count != 0)
		fprintf(fp, "  <unsorted from=\"%" PRIu64 "\" to=\"%" PRIu64 "\" total=\"%" PRIu64
			"\" count=\"%" PRIu64 "\"/>\n", a->bins[1].from, a->bins[1].to, a->bins[1].total,
			a->bins[1].count);
	fputs("</sizes>\n", fp);
	if (s->fastbins)
		fprintf(fp, "<total type=\"fast\" count=\"%" PRIu64 "\" size=\"%" PRIu64 "\"/>\n", nfast, fastavail);
	fprintf(fp, "<total type=\"rest\" count=\"%" PRIu64 "\" size=\"%" PRIu64 "\"/>\n"
		"<system type=\"current\" size=\"%" PRIu64 "\"/>\n"
		"<system type=\"max\" size=\"%" PRIu64 "\"/>\n",
		nblocks, avail, a->system_mem, a->max_system_mem);
	uint64_t aspace = n == 0 ? a->system_mem : a->heap_size;
	uint64_t mprotect = n == 0 ? a->system_mem : a->heap_mprotect_size;
	fprintf(fp, "<aspace type=\"total\" size=\"%" PRIu64 "\"/>\n"
		"<aspace type=\"mprotect\" size=\"%" PRIu64 "\"/>\n", aspace, mprotect);
	if (n != 0)
		fprintf(fp, "<aspace type=\"subheaps\" size=\"%" PRIu64 "\"/>\n", a->heap_count);
	fputs("</heap>\n", fp);
	tot[0] += nfast, tot[1] += fastavail, tot[2] += nblocks, tot[3] += avail;
	tot[4] += a->system_mem, tot[5] += a->max_system_mem, tot[6] += aspace, tot[7] += mprotect;
}

int hs_stat_print_malloc_info(const struct hs_malloc_stats *s, FILE *fp)
{
	uint64_t tot[8] = { 0 };

	fputs("<malloc version=\"1\">\n", fp);
	for (size_t n = 0; n < s->narenas; n++)
		print_arena(s, n, fp, tot);
	if (s->fastbins)
		fprintf(fp, "<total type=\"fast\" count=\"%" PRIu64 "\" size=\"%" PRIu64 "\"/>\n", tot[0], tot[1]);
	fprintf(fp, "<total type=\"rest\" count=\"%" PRIu64 "\" size=\"%" PRIu64 "\"/>\n"
		"<total type=\"mmap\" count=\"%d\" size=\"%" PRIu64 "\"/>\n"
		"<system type=\"current\" size=\"%" PRIu64 "\"/>\n"
		"<system type=\"max\" size=\"%" PRIu64 "\"/>\n"
		"<aspace type=\"total\" size=\"%" PRIu64 "\"/>\n"
		"<aspace type=\"mprotect\" size=\"%" PRIu64 "\"/>\n"
		"</malloc>\n",
		tot[2], tot[3], (int)s->n_mmaps, s->mmapped_mem, tot[4], tot[5], tot[6], tot[7]);
	return ferror(fp) ? -1 : 0;
}
