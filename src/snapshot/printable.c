/* One-line, bounded copies of file-supplied strings (see snapshot.h). */
#include <string.h>

#include "snapshot/snapshot.h"

char *hs_printable(const char *s, char *out, size_t n)
{
	size_t i = 0;

	if (n == 0)
		return out;
	for (; s[i] != '\0' && i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[i] = '\0';
	if (s[i] != '\0' && n >= 4) {
		size_t cut = n - 4;
		/* Not inside a UTF-8 sequence: back up over continuation bytes. */
		while (cut > 0 && ((unsigned char)out[cut] & 0xC0) == 0x80)
			cut--;
		memcpy(out + cut, "...", 4);
	}
	return out;
}
