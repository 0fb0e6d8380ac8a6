/* libdwfl session setup shared by the live and core backends: the standard callbacks with
   a debuginfo path that also searches the user's --debug-dir roots by build-id. */
#ifndef HS_DWFL_SETUP_H
#define HS_DWFL_SETUP_H

#include <elfutils/libdwfl.h>

/* A new Dwfl whose debug-file search covers /usr/lib/debug and every dir in debug_dirs
   (NULL-terminated, may be NULL); offline for cores, else for a live process.
   NULL on failure. */
Dwfl *hs_dwfl_new(const char *const *debug_dirs, int offline);

/* libdwfl's find_elf callback type (Dwfl_Callbacks.find_elf). */
typedef int hs_find_elf_fn(Dwfl_Module *mod, void **userdata, const char *modname,
			   Dwarf_Addr base, char **file_name, Elf **elfp);

/* As hs_dwfl_new(debug_dirs, 1), with the core backend's own find_elf (it looks under
   --sysroot before falling back to dwfl_build_id_find_elf). */
Dwfl *hs_dwfl_new_core(const char *const *debug_dirs, hs_find_elf_fn *find_elf);

#endif
