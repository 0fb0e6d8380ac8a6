/* Whether a take names blocks from DWARF (src/typing): on unless --no-debuginfo, and only
   with the block list kept (the names go to blocks, found by address). */
#include "take/take_private.h"

struct hs_debuginfo *hs_take_types_new(const struct hs_take_options *o)
{
	return o->no_debuginfo || o->no_blocks ? NULL : hs_debuginfo_new();
}

bool hs_take_types_wanted(struct hs_debuginfo *di, struct hs_target *t)
{
	if (di == NULL)
		return false;
	hs_typing_read_modules(di, t);
	return hs_debuginfo_ntypes(di) > 0;
}
