/* src/locate's public header: locating glibc malloc inside a target. Which libc, which
   release and layout, where its state lives (main_arena, mp_, the tcache TLS slot) and where
   its code is (to tell whether a stopped thread is inside malloc). Tried in order: libc's
   debug file found by build-id, a .symtab in libc itself, then memory scans that need no
   symbols. The layouts of malloc's structures, per release, are chosen by the version banner,
   then confirmed against the memory they describe before any walk. */
#ifndef HS_LOCATE_H
#define HS_LOCATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attach/attach.h"

/* Layouts of glibc malloc's structures, per release (x86-64 / LP64). */

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

struct hs_code_range {
	uint64_t lo, hi;
};

struct hs_malloc_info {
	unsigned major, minor;
	char version[16];
	const struct hs_glibc_layout *layout;
	char *libc_path;
	uint64_t libc_lo, libc_hi; /* libc's mapped range */
	uint64_t main_arena, mp;
	bool have_tcache_slot;
	int64_t tcache_tpoff;      /* tcache pointer at thread pointer + this */
	const char *located_by;    /* "debuginfo", "symtab" or "scan" */
	struct hs_code_range *malloc_code; /* where malloc's code lies in the target */
	size_t nmalloc_code;
};

int hs_malloc_locate(struct hs_target *t, bool no_debuginfo, struct hs_malloc_info *m,
		     struct hs_error *err);
void hs_malloc_info_free(struct hs_malloc_info *m);

/* Whether thread i of the stopped target has a frame in malloc's code (its stack unwound
   through the target, hs_target_frames). */
bool hs_thread_in_malloc(struct hs_target *t, const struct hs_malloc_info *m, size_t thread);

/* Whether any thread is inside malloc's code or any arena's lock is held: then a walk would
   see a heap in mid-change. Writes the reason into why and, when one thread is to blame,
   the first such thread's index into *thread (else SIZE_MAX). Live or core alike. */
int hs_malloc_busy(struct hs_target *t, const struct hs_malloc_info *m, char *why, size_t whylen,
		   size_t *thread);

#endif
