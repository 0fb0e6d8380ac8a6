/* The advice line of stat: given only where the figures call for it (free chunks holding at
   least 64 MiB and a quarter of the arenas' resident bytes), naming MALLOC_ARENA_MAX only
   when there are several arenas, and never for a core (no RSS). */
#include <string.h>

#include "stat/stat.h"
#include "../diff/tap.h"

#define MIB ((uint64_t)1 << 20)

static const char *advice_for(size_t narenas, uint64_t live, uint64_t free_bytes, bool available)
{
	static char buf[512];
	struct hs_malloc_stats s = { .narenas = narenas };

	s.rss = (struct hs_stat_rss){ .available = available, .live = live, .free = free_bytes };
	return hs_stat_advice(&s, buf, sizeof(buf));
}

int main(void)
{
	const char *a;

	a = advice_for(8, 200 * MIB, 300 * MIB, true);
	tap_ok(a != NULL && strstr(a, "MALLOC_ARENA_MAX") && strstr(a, "malloc_trim(0)") &&
	       strstr(a, "300.0 MiB") && strstr(a, "8 arenas") && strstr(a, "60%"),
	       "many arenas with much free resident memory: the fact, MALLOC_ARENA_MAX and malloc_trim");
	a = advice_for(1, 200 * MIB, 300 * MIB, true);
	tap_ok(a != NULL && !strstr(a, "MALLOC_ARENA_MAX") && strstr(a, "malloc_trim(0)"),
	       "one arena: malloc_trim only");
	tap_ok(advice_for(8, 10 * MIB, 63 * MIB, true) == NULL, "under 64 MiB free: no advice");
	tap_ok(advice_for(8, 900 * MIB, 100 * MIB, true) == NULL, "free under a quarter: no advice");
	tap_ok(advice_for(8, 200 * MIB, 300 * MIB, false) == NULL, "no RSS figures (a core): no advice");
	return tap_done();
}
