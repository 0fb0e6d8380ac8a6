/* libdwfl session setup (see dwfl_setup.h). libdwfl keeps a pointer to its callbacks, so
   they live in static storage: heapsnap opens one target per process. */
#include <stdlib.h>
#include <string.h>

#include "attach/dwfl_setup.h"
#include "common/xalloc.h"

static char *debuginfo_path;
static Dwfl_Callbacks live_callbacks, offline_callbacks;

Dwfl *hs_dwfl_new(const char *const *debug_dirs, int offline)
{
	Dwfl_Callbacks *cb = offline ? &offline_callbacks : &live_callbacks;
	size_t len = 64;

	for (size_t i = 0; debug_dirs && debug_dirs[i]; i++)
		len += strlen(debug_dirs[i]) + 1;
	free(debuginfo_path);
	debuginfo_path = xmalloc(len);
	/* "+:" keeps the default CRC checks; absolute entries are searched by build-id. */
	strcpy(debuginfo_path, "+:.debug:/usr/lib/debug");
	for (size_t i = 0; debug_dirs && debug_dirs[i]; i++) {
		strcat(debuginfo_path, ":");
		strcat(debuginfo_path, debug_dirs[i]);
	}
	cb->find_elf = offline ? dwfl_build_id_find_elf : dwfl_linux_proc_find_elf;
	cb->find_debuginfo = dwfl_standard_find_debuginfo;
	cb->section_address = dwfl_offline_section_address;
	cb->debuginfo_path = &debuginfo_path;
	return dwfl_begin(cb);
}
