/* --fail-if-growth: the CI gate. Trips when the total live bytes (all groups, before any
   filter) grew by more than an amount of bytes or a percentage of the old total. */
#ifndef HS_GROWTH_GATE_H
#define HS_GROWTH_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "diff/comparison.h"

/* True when the gate is set and tripped; then why says by how much, for people. */
bool hs_growth_gate_tripped(const struct hs_comparison *c, char *why, size_t n);

#endif
