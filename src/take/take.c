/* The take pipeline (see take.h). */
#include "take/take.h"

int hs_take(const struct hs_take_options *opts, struct hs_snapshot *snap, struct hs_error *err)
{
	(void)opts;
	(void)snap;
	return hs_fail(err, HS_ERR_TARGET, "take is not built yet");
}
