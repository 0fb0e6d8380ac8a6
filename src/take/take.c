/* The take pipeline (see take.h): a live process or a core file. */
#include "take/take_private.h"

int hs_take(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_error *err)
{
	return o->core != NULL ? hs_take_core(o, snap, err) : hs_take_live(o, snap, err);
}
