/* --filter and --exclude: which type names a view keeps. */
#ifndef HS_TYPE_FILTER_H
#define HS_TYPE_FILTER_H

#include <stdbool.h>

#include "diff/view_options.h"

/* True when name matches a --filter glob (or none was given) and no --exclude glob. */
bool hs_type_kept(const struct hs_view_options *o, const char *name);

#endif
