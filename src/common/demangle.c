/* Demangling through libstdc++ (see demangle.h); elfutils 0.188 exports no demangler. */
#include <stdlib.h>

#include "common/demangle.h"

/* libstdc++'s demangler (C linkage). */
extern char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

char *hs_demangle(const char *name)
{
	int status = -1;
	char *out = __cxa_demangle(name, NULL, NULL, &status);

	if (status != 0) {
		free(out);
		return NULL;
	}
	return out;
}
