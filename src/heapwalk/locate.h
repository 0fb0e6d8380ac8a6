/* Locating glibc malloc inside a target: which libc, which release and layout, where its
   state lives (main_arena, mp_, the tcache TLS slot) and where its code is (to tell whether
   a stopped thread is inside malloc). Tried in order: libc's debug file found by build-id,
   a .symtab in libc itself, then memory scans that need no symbols. */
#ifndef HS_LOCATE_H
#define HS_LOCATE_H

#include <stdbool.h>
#include <stdint.h>

#include "attach/target.h"
#include "heapwalk/glibc_layout.h"

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

/* Internal steps, one file each. */
struct Dwfl_Module;
int hs_find_libc(struct hs_target *t, struct hs_malloc_info *m, struct Dwfl_Module **mod,
		 struct hs_error *err);
int hs_check_no_interposer(struct hs_target *t, struct Dwfl_Module *libc, struct hs_error *err);
int hs_read_libc_version(struct hs_target *t, struct hs_malloc_info *m, struct hs_error *err);
/* Fills main_arena, mp and the tcache TLS offset from symbols; returns 0 when all found. */
int hs_locate_by_symbols(struct hs_target *t, struct Dwfl_Module *libc, struct hs_malloc_info *m);
int hs_locate_by_scan(struct hs_target *t, struct hs_malloc_info *m, struct hs_error *err);
/* Finds the tcache TLS slot by the shape of what it points at in every thread. */
void hs_locate_tcache_slot_by_shape(struct hs_target *t, struct Dwfl_Module *libc,
				    struct hs_malloc_info *m);
/* The thread-pointer offsets of libc's initial-exec TLS variables (GOT slots of
   R_X86_64_TPOFF64 relocations without symbol): n pairs (addend, tpoff). */
size_t hs_libc_tls_slots(struct hs_target *t, struct Dwfl_Module *libc, int64_t (**pairs)[2]);
/* 2.27-2.29: which tcache counts this build has shows in the size of the chunk holding a
   thread's tcache struct (0x250 with char counts, 0x290 with the uint16_t backport); switches
   m->layout accordingly. Any other size is no layout heapsnap knows (exit 3). */
int hs_confirm_tcache_layout(struct hs_target *t, struct hs_malloc_info *m, struct hs_error *err);
void hs_find_malloc_code(struct Dwfl_Module *libc, bool use_symtab, struct hs_malloc_info *m);

#endif
