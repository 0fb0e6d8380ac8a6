/* Core-file backend of the target access (see target.h): memory from the core's PT_LOAD
   segments, or from the mapped files (NT_FILE) where the kernel or gdb left them out;
   mappings, threads and process facts from the notes; modules through libdwfl.
   x86-64 cores only for now.

   What a core cannot say, and what this backend reports instead:
   - inode: 0 for anonymous memory, 1 for file-backed mappings (the core has no inodes);
   - HS_MAP_PRIVATE is set on every mapping whose perms are known (the core does not
     record shared ones);
   - perms of a file mapping left out of the core come from the file's program headers;
     0 (unknown) when neither the core nor the file tells;
   - only "[stack]" (the main thread's), "[vdso]" and "[vsyscall]" are named; the brk heap
     is an unnamed anonymous mapping. */
#ifndef HS_CORE_H
#define HS_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "attach/target.h"
#include "common/error.h"

/* Opens a core file as a target. exe may be NULL (found from the core's notes / NT_FILE);
   sysroot may be NULL (prefix for file paths in the core, tried before the bare path);
   debug_dirs NULL-terminated or NULL. Errors are HS_ERR_TARGET. */
int hs_core_open(const char *core_path, const char *exe, const char *sysroot,
		 const char *const *debug_dirs, struct hs_target **out, struct hs_error *err);

/* A readable mapping whose memory is in neither the core nor a usable file. */
struct hs_core_gap {
	uint64_t start, end;  /* [start, end) */
	const char *path;     /* the mapping's path, NULL for anonymous memory */
	const char *reason;   /* why, e.g. "not in the core", "file's build-id differs" */
};

/* The gaps of a core target, sorted by start (*n = 0 and NULL for other targets). */
const struct hs_core_gap *hs_core_gaps(const struct hs_target *t, size_t *n);

/* The file that reads at addr come from when the core lacks them (after --sysroot and
   --exe), or NULL when addr is in the core or in no usable file. */
const char *hs_core_file_source(const struct hs_target *t, uint64_t addr);

#endif
