/* libdwfl session setup (see attach_private.h). libdwfl keeps a pointer to its callbacks, so
   they live in static storage: heapsnap opens one target per process. */
#include <stdlib.h>
#include <string.h>

#include "attach/attach_private.h"
#include "common/xalloc.h"

static char *debuginfo_path;
static Dwfl_Callbacks live_callbacks, offline_callbacks, core_callbacks;

static void set_debuginfo_path(const char *const *debug_dirs)
{
	size_t len = 64;

	for (size_t i = 0; debug_dirs && debug_dirs[i]; i++)
		len += strlen(debug_dirs[i]) + 1;
	free(debuginfo_path);
	debuginfo_path = hs_xmalloc(len);
	/* "+:" keeps the default CRC checks; absolute entries are searched by build-id. */
	strcpy(debuginfo_path, "+:.debug:/usr/lib/debug");
	for (size_t i = 0; debug_dirs && debug_dirs[i]; i++) {
		strcat(debuginfo_path, ":");
		strcat(debuginfo_path, debug_dirs[i]);
	}
}

static Dwfl *begin(Dwfl_Callbacks *cb, const char *const *debug_dirs, hs_find_elf_fn *find_elf)
{
	set_debuginfo_path(debug_dirs);
	cb->find_elf = find_elf;
	cb->find_debuginfo = dwfl_standard_find_debuginfo;
	cb->section_address = dwfl_offline_section_address;
	cb->debuginfo_path = &debuginfo_path;
	return dwfl_begin(cb);
}

Dwfl *hs_dwfl_new(const char *const *debug_dirs, int offline)
{
	if (offline)
		return begin(&offline_callbacks, debug_dirs, dwfl_build_id_find_elf);
	return begin(&live_callbacks, debug_dirs, dwfl_linux_proc_find_elf);
}

Dwfl *hs_dwfl_new_core(const char *const *debug_dirs, hs_find_elf_fn *find_elf)
{
	return begin(&core_callbacks, debug_dirs, find_elf);
}
