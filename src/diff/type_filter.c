/* Type-name globs (see diff.h): fnmatch without FNM_PATHNAME, since '/' means nothing
   in a type name; a backslash escapes the next character. */
#include <fnmatch.h>

#include "diff/diff.h"

static bool any_match(char *const *globs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(globs[i], name, 0) == 0)
			return true;
	return false;
}

bool hs_type_kept(const struct hs_view_options *o, const char *name)
{
	if (o->nfilters > 0 && !any_match(o->filters, o->nfilters, name))
		return false;
	return !any_match(o->excludes, o->nexcludes, name);
}
