/* libdwfl session setup shared by the live and core backends: the standard callbacks with
   a debuginfo path that also searches the user's --debug-dir roots by build-id. */
#ifndef HS_DWFL_SETUP_H
#define HS_DWFL_SETUP_H

#include <elfutils/libdwfl.h>

/* A new Dwfl whose debug-file search covers /usr/lib/debug and every dir in debug_dirs
   (NULL-terminated, may be NULL); offline for cores, else for a live process.
   NULL on failure. */
Dwfl *hs_dwfl_new(const char *const *debug_dirs, int offline);

#endif
