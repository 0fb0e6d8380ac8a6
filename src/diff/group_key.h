/* Group keys: what --group-by makes of a (type, usable size) group, how keys compare, and
   how they read. A key is a text part (type name or kind) and a numeric part (a size, or
   the lower bound of a size class), so sizes order as numbers, not as strings. */
#ifndef HS_GROUP_KEY_H
#define HS_GROUP_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "diff/view_options.h"

struct hs_key {
	const char *text; /* type name or kind, "" when the key is a size; not owned */
	uint64_t lo, hi;  /* size, or size class lo..hi; 0 when the key is text only */
};

struct hs_key hs_group_key(enum hs_group_by by, const char *type_name, const char *kind,
			   uint64_t size);
/* Orders text, then the numbers; 0 when the keys are the same group. */
int hs_key_compare(const struct hs_key *a, const struct hs_key *b);
/* The key as the user reads it, allocated: "ns::Widget", "48", "ns::Widget|48", "vtable",
   "513-1024". */
char *hs_key_text(enum hs_group_by by, const struct hs_key *k);

#endif
