/* Shared between why's files (see why.h). */
#ifndef HS_WHY_PRIVATE_H
#define HS_WHY_PRIVATE_H

#include "why/why.h"

/* A new zeroed path (root -1) at the end of a's, for query. */
struct hs_why_path *hs_why_add_path(struct hs_why_answer *a, const char *query);
/* True when nothing reaches block i (a direct or an indirect leak). */
bool hs_why_leaked(const struct hs_why_snapshot *w, size_t i);

/* Where a climb up the holders stopped: at a block whose memo is set (at: that block), at a
   root (at: the root's index), or at the start of a leaked chain (a block with no holder,
   or one a hostile file says a root holds). */
enum hs_why_top { HS_WHY_TOP_MEMO, HS_WHY_TOP_ROOT, HS_WHY_TOP_LEAK };
/* Climbs block_refs' holders from block i, pushing onto *stack (grown as needed, *cap its
   room) each block on the way whose memo is `unset` (memo NULL: every block), from i up;
   leaked: the chain is a leak's (it ends where its holders do; else only at a root). At
   most nblocks steps: holders that loop, and a held chain that ends nowhere, are
   HS_ERR_TARGET errors naming block i. Returns the count pushed, or -1. */
ssize_t hs_why_climb(const struct hs_why_snapshot *w, size_t i, bool leaked, const uint32_t *memo,
		     uint32_t unset, size_t **stack, size_t *cap, enum hs_why_top *top, uint32_t *at,
		     struct hs_error *err);

#endif
