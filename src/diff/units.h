/* Byte amounts for people: the units of --unit (IEC KiB/MiB/GiB, SI kB/MB/GB, B, or auto,
   which picks an IEC unit per value) and parsing amounts such as "10MiB" for --min-delta
   and --fail-if-growth. */
#ifndef HS_UNITS_H
#define HS_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hs_unit {
	const char *name; /* canonical spelling: "auto", "B", "KiB", ... */
	uint64_t bytes;   /* bytes in one unit; 0 for auto */
};

/* Case-insensitive; returns -1 for a name that is no unit (never a silent fallback). */
int hs_unit_parse(const char *text, struct hs_unit *u);
/* The accepted names, for messages: "auto, B, KiB, ...". */
const char *hs_unit_names(void);

/* "117 B", "8.00 KiB", "64.0 KiB", "523 MiB": three significant digits (whole bytes in B).
   With with_unit false the unit is left out (csv cells under a fixed unit). */
void hs_unit_format(const struct hs_unit *u, uint64_t bytes, bool with_unit, char *buf, size_t n);
/* The same with a sign always: "+4.3 KiB", "-300 B", "+0 B". */
void hs_unit_format_signed(const struct hs_unit *u, int64_t bytes, bool with_unit, char *buf,
			   size_t n);

/* A byte amount: digits with an optional fraction and an optional unit ("4096", "1.5MiB",
   "2 kB"); rounds to whole bytes. Returns -1 when malformed or 2^63 or more. */
int hs_parse_bytes(const char *text, uint64_t *out);

#endif
