/* libdwfl session setup (see dwfl_setup.h). The callbacks struct must outlive the Dwfl, so
   each session gets its own, freed with the process (a take opens one or two sessions). */
#include <stdlib.h>
#include <string.h>

#include "attach/dwfl_setup.h"
#include "common/xalloc.h"

Dwfl *hs_dwfl_new(const char *const *debug_dirs, int offline)
{
	Dwfl_Callbacks *cb = xcalloc(1, sizeof(*cb));
	size_t len = 64;
	char *path;

	for (size_t i = 0; debug_dirs && debug_dirs[i]; i++)
		len += strlen(debug_dirs[i]) + 1;
	path = xmalloc(len);
	/* "+:" keeps the default CRC checks; absolute entries are searched by build-id. */
	strcpy(path, "+:.debug:/usr/lib/debug");
	for (size_t i = 0; debug_dirs && debug_dirs[i]; i++) {
		strcat(path, ":");
		strcat(path, debug_dirs[i]);
	}
	cb->find_elf = offline ? dwfl_build_id_find_elf : dwfl_linux_proc_find_elf;
	cb->find_debuginfo = dwfl_standard_find_debuginfo;
	cb->section_address = dwfl_offline_section_address;
	cb->debuginfo_path = &path;
	/* debuginfo_path points at a char*: keep that pointer alive beside the callbacks. */
	char **path_slot = xmalloc(sizeof(*path_slot));
	*path_slot = path;
	cb->debuginfo_path = path_slot;
	return dwfl_begin(cb);
}
