/* heapsnap stat: glibc malloc's own figures (mallinfo2, malloc_info) read from outside by
   following malloc's lists (bins, fastbins, heaps, mp_ counters), never walking every chunk;
   and where the process's RSS goes (live chunks, free chunks, malloc's metadata, the rest). */
#ifndef HS_STAT_H
#define HS_STAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "attach/attach.h"
#include "common/error.h"
#include "locate/locate.h"

#define HS_STAT_NFASTBINS 10
#define HS_STAT_NBINS 128

/* One bin's list as malloc_info sums it: sizes with their flag bits (chunksize_nomask). */
struct hs_stat_bin {
	uint64_t count, total, from, to;
	uint64_t masked_total; /* the same chunks' sizes without flag bits, as mallinfo sums them */
};

/* A stretch of target memory and what it is. */
enum hs_stat_kind { HS_STAT_FREE, HS_STAT_META, HS_STAT_SPAN, HS_STAT_MMAPPED };
struct hs_stat_range {
	uint64_t start, end;
	uint32_t arena;
	uint32_t kind; /* enum hs_stat_kind */
};

struct hs_stat_arena {
	uint64_t addr;
	uint64_t top_size;
	uint64_t system_mem, max_system_mem;
	uint64_t fast_count[HS_STAT_NFASTBINS];
	uint64_t fast_first_size[HS_STAT_NFASTBINS]; /* chunksize of each fastbin's first chunk */
	uint64_t fast_avail;  /* sum of every fastbin chunk's size (mallinfo's fsmblks) */
	struct hs_stat_bin bins[HS_STAT_NBINS]; /* 1..127; bins[1] is the unsorted bin */
	uint64_t heap_size, heap_mprotect_size, heap_count; /* non-main arenas only */
	/* RSS attribution, filled by hs_stat_rss: resident bytes. */
	uint64_t rss_live, rss_free, rss_meta;
};

struct hs_stat_rss {
	bool available;       /* false for a core */
	uint64_t total;       /* sum of smaps Rss over every mapping */
	uint64_t live, free, meta, rest;
	uint64_t mmapped;     /* of live: resident bytes of mmapped chunks */
	uint64_t mmapped_found, mmapped_bytes_found; /* mmapped chunks recognised in the maps */
};

struct hs_malloc_stats {
	unsigned major, minor;
	bool fastbins;        /* false from 2.43 */
	struct hs_stat_arena *arenas;
	size_t narenas;
	int32_t n_mmaps;      /* mp_.n_mmaps (an int in every release) */
	uint64_t mmapped_mem;
	struct hs_stat_range *ranges; /* free chunks, metadata, arena spans, mmapped chunks */
	size_t nranges, cap_ranges;
	struct hs_stat_rss rss;
	double pause_ms;      /* live: how long the target was stopped */
	unsigned retries;
};

/* mallinfo2's figures (every field size_t). */
struct hs_mallinfo2 {
	uint64_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
};

/* Reads malloc's state of a stopped target (which must not be inside malloc) by following
   its lists. A list that does not check out is HS_ERR_WALK. */
int hs_stat_read(struct hs_target *t, const struct hs_malloc_info *m, struct hs_malloc_stats *s,
		 struct hs_error *err);
void hs_stat_free(struct hs_malloc_stats *s);
void hs_stat_add_range(struct hs_malloc_stats *s, uint64_t start, uint64_t end, uint32_t arena,
		       enum hs_stat_kind kind);

/* Finds the mmapped chunks in the target's anonymous mappings (of a live process, only the
   pages its pagemap calls present or swapped: the page probe, attach.h). */
void hs_stat_find_mmapped(struct hs_target *t, const struct hs_malloc_info *m,
			  struct hs_malloc_stats *s);
/* Attributes the stopped live process's resident bytes (smaps, pagemap). */
int hs_stat_rss(pid_t pid, struct hs_malloc_stats *s, struct hs_error *err);

/* mallinfo2 of one arena (or of all when arena == SIZE_MAX), as glibc computes it. */
void hs_stat_mallinfo(const struct hs_malloc_stats *s, size_t arena, struct hs_mallinfo2 *mi);

/* Output. */
int hs_stat_print_malloc_info(const struct hs_malloc_stats *s, FILE *fp);
int hs_stat_print_json(const struct hs_malloc_stats *s, FILE *fp);
int hs_stat_print_text(const struct hs_malloc_stats *s, FILE *fp);
/* One line of advice where the figures call for it, or NULL. */
const char *hs_stat_advice(const struct hs_malloc_stats *s, char *buf, size_t len);

/* The whole command: stop (or open the core), locate, wait out malloc, read, release. */
struct hs_stat_options {
	pid_t pid;
	const char *core, *exe, *sysroot;
	const char **debug_dirs;
	bool no_debuginfo;
	unsigned max_retries;
};
int hs_stat(const struct hs_stat_options *o, struct hs_malloc_stats *s, struct hs_error *err);

#endif
