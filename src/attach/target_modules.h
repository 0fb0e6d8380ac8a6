/* The target's modules whose ELF file could not be found, for messages such as "libc's
   symbols are missing": names and build-ids to tell the user what to install. */
#ifndef HS_TARGET_MODULES_H
#define HS_TARGET_MODULES_H

#include <stddef.h>

#include "attach/target.h"

struct hs_unfound_module {
	char *name;     /* the module's name as libdwfl reports it (a path or a soname) */
	char *build_id; /* lowercase hex, NULL when the target does not say */
};

/* The modules of t->dwfl whose ELF file dwfl_module_getelf cannot find, in address order;
   *out is malloc'd (free it with hs_unfound_modules_free). Returns their count. */
size_t hs_target_unfound_modules(struct hs_target *t, struct hs_unfound_module **out);
void hs_unfound_modules_free(struct hs_unfound_module *m, size_t n);

#endif
