/* Strings from a snapshot file shown to people: one line, bounded, no control characters,
   so a hostile type name or label cannot forge output lines or terminal escapes. */
#ifndef HS_PRINTABLE_H
#define HS_PRINTABLE_H

#include <stddef.h>

/* Copies s into out (size n), control bytes as '?'; cut with "..." past n - 1 bytes.
   Returns out. */
char *hs_printable(const char *s, char *out, size_t n);

#endif
