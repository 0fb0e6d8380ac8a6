/* Shared between why's files (see why.h). */
#ifndef HS_WHY_PRIVATE_H
#define HS_WHY_PRIVATE_H

#include "why/why.h"

/* A new zeroed path (root -1) at the end of a's, for query. */
struct hs_why_path *hs_why_add_path(struct hs_why_answer *a, const char *query);
/* True when nothing reaches block i (a direct or an indirect leak). */
bool hs_why_leaked(const struct hs_why_snapshot *w, size_t i);

#endif
