/* The layout tables (see struct hs_glibc_layout in locate.h). Offsets from glibc's source at each release tag,
   checked with gdb `ptype/o` on Debian's libc6-dbg for 2.31, 2.36, 2.41 and 2.43 and on live
   processes (docs/glibc-layouts.md). */
#include <stddef.h>

#include "locate/locate_private.h"

/* malloc_state: 2.26 has no have_fastchunks word; 2.27 added it; 2.43 removed fastbins. */
#define STATE_2_26 .ms_mutex = 0, .ms_flags = 4, .ms_fastbins = 8, .ms_top = 88, .ms_bins = 104, \
	.ms_next = 2152, .ms_system_mem = 2176, .ms_sizeof = 2192, .nfastbins = 10
#define STATE_2_27 .ms_mutex = 0, .ms_flags = 4, .ms_fastbins = 16, .ms_top = 96, .ms_bins = 112, \
	.ms_next = 2160, .ms_system_mem = 2184, .ms_sizeof = 2200, .nfastbins = 10
#define STATE_2_43 .ms_mutex = 0, .ms_flags = 4, .ms_fastbins = HS_NO_FIELD, .ms_top = 8, \
	.ms_bins = 24, .ms_next = 2072, .ms_system_mem = 2096, .ms_sizeof = 2112, .nfastbins = 0

/* malloc_par: 2.35 added thp_pagesize/hp_pagesize/hp_flags; 2.43 added thp_mode. */
#define PAR_2_26 .mp_mmap_threshold = 16, .mp_arena_max = 32, .mp_hp_pagesize = HS_NO_FIELD, \
	.mp_n_mmaps = 40, .mp_n_mmaps_max = 44, .mp_mmapped_mem = 56, .mp_sbrk_base = 72, \
	.mp_tcache_bins = 80, .mp_tcache_max_bytes = 88, .mp_tcache_count = 96, .mp_sizeof = 112
#define PAR_2_35 .mp_mmap_threshold = 16, .mp_arena_max = 32, .mp_hp_pagesize = 48, \
	.mp_n_mmaps = 60, .mp_n_mmaps_max = 64, .mp_mmapped_mem = 80, .mp_sbrk_base = 96, \
	.mp_tcache_bins = 104, .mp_tcache_max_bytes = 112, .mp_tcache_count = 120, .mp_sizeof = 136
#define PAR_2_43 .mp_mmap_threshold = 16, .mp_arena_max = 32, .mp_hp_pagesize = 56, \
	.mp_n_mmaps = 68, .mp_n_mmaps_max = 72, .mp_mmapped_mem = 88, .mp_sbrk_base = 104, \
	.mp_tcache_bins = 112, .mp_tcache_max_bytes = 120, .mp_tcache_count = 128, .mp_sizeof = 144

/* tcache_perthread_struct: char counts until 2.29 (uint16_t backported to some 2.28/2.29
   builds), uint16_t from 2.30, 76 "num_slots" (free slots left) from 2.42. */
#define TCACHE_CHAR .tc_bins = 64, .tc_count_bytes = 1, .tc_entries = 64, .tc_sizeof = 576
#define TCACHE_U16 .tc_bins = 64, .tc_count_bytes = 2, .tc_entries = 128, .tc_sizeof = 640
#define TCACHE_2_42 .tc_bins = 76, .tc_count_bytes = 2, .tc_entries = 152, .tc_sizeof = 760, \
	.tc_counts_remaining = true

static const struct hs_glibc_layout layouts[] = {
	{ 2, 26, STATE_2_26, PAR_2_26, .heap_info_sizeof = 32, TCACHE_CHAR, .mmapped_usable_hdr = 16 },
	{ 2, 27, STATE_2_27, PAR_2_26, .heap_info_sizeof = 32, TCACHE_CHAR, .mmapped_usable_hdr = 16 },
	{ 2, 30, STATE_2_27, PAR_2_26, .heap_info_sizeof = 32, TCACHE_U16, .mmapped_usable_hdr = 16 },
	{ 2, 32, STATE_2_27, PAR_2_26, .heap_info_sizeof = 32, TCACHE_U16, .mmapped_usable_hdr = 16,
	  .safe_linking = true },
	{ 2, 35, STATE_2_27, PAR_2_35, .heap_info_sizeof = 48, TCACHE_U16, .mmapped_usable_hdr = 16,
	  .safe_linking = true },
	{ 2, 42, STATE_2_27, PAR_2_35, .heap_info_sizeof = 48, TCACHE_2_42, .mmapped_usable_hdr = 16,
	  .safe_linking = true },
	{ 2, 43, STATE_2_43, PAR_2_43, .heap_info_sizeof = 48, TCACHE_2_42, .mmapped_usable_hdr = 8,
	  .safe_linking = true, .mmapped_size_excludes_prev = true, .mmapped_prev_flags = 1 },
};

/* 2.27-2.29 builds with the uint16_t counts backport (2.26 never got it). */
static const struct hs_glibc_layout backported_u16_counts =
	{ 2, 27, STATE_2_27, PAR_2_26, .heap_info_sizeof = 32, TCACHE_U16, .mmapped_usable_hdr = 16 };

/* The newest release whose layout is known; newer ones are refused, not guessed. */
#define NEWEST_MINOR 43

const struct hs_glibc_layout *hs_glibc_layout_for(unsigned major, unsigned minor)
{
	const struct hs_glibc_layout *best = NULL;

	if (major != 2 || minor < 26 || minor > NEWEST_MINOR)
		return NULL;
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].minor <= minor)
			best = &layouts[i];
	return best;
}

const struct hs_glibc_layout *hs_glibc_layout_u16_counts(const struct hs_glibc_layout *l)
{
	return l == &layouts[1] ? &backported_u16_counts : NULL;
}
