/* Layouts of glibc malloc's structures, per release (x86-64 / LP64). Chosen by the version
   banner, then confirmed against the memory they describe before any walk. */
#ifndef HS_GLIBC_LAYOUT_H
#define HS_GLIBC_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#define HS_NO_FIELD 0xffffu

struct hs_glibc_layout {
	unsigned major, minor;

	/* struct malloc_state */
	unsigned ms_mutex, ms_flags, ms_fastbins, ms_top, ms_bins, ms_next, ms_system_mem;
	unsigned ms_sizeof;
	unsigned nfastbins; /* 0: no fastbins (2.43) */

	/* struct malloc_par (mp_) */
	unsigned mp_mmap_threshold, mp_arena_max, mp_hp_pagesize, mp_n_mmaps, mp_n_mmaps_max;
	unsigned mp_mmapped_mem, mp_sbrk_base;
	unsigned mp_tcache_bins, mp_tcache_max_bytes, mp_tcache_count;
	unsigned mp_sizeof;

	/* struct heap_info */
	unsigned heap_info_sizeof;

	/* tcache_perthread_struct */
	unsigned tc_bins;          /* entries[] length */
	unsigned tc_count_bytes;   /* 1 (char) or 2 (uint16_t) */
	unsigned tc_entries;       /* offset of entries[] */
	unsigned tc_sizeof;
	bool tc_counts_remaining;  /* 2.42+: num_slots counts free slots, not entries */

	bool safe_linking;         /* 2.32+ */
	unsigned mmapped_usable_hdr; /* usable = chunksize - this, for mmapped chunks */
	bool mmapped_size_excludes_prev; /* 2.43: mapping = prev_size + size + 16 */
	unsigned mmapped_prev_flags; /* 2.43: bit 0 of an mmapped chunk's prev_size = huge pages */
};

/* The layout for glibc major.minor, or NULL when no table covers it. */
const struct hs_glibc_layout *hs_glibc_layout_for(unsigned major, unsigned minor);

/* 2.27-2.29 release branches backported the uint16_t tcache counts: the same release's
   layout with them, or NULL for releases that never had char counts. */
const struct hs_glibc_layout *hs_glibc_layout_u16_counts(const struct hs_glibc_layout *l);

#endif
