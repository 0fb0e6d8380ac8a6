/* Checked allocation helpers (see xalloc.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

void hs_xalloc_fail(size_t n)
{
	fprintf(stderr, "heapsnap: out of memory allocating %zu bytes: free memory or use --no-blocks\n", n);
	exit(5);
}

void *hs_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		hs_xalloc_fail(n);
	return p;
}

void *hs_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		hs_xalloc_fail(n * size);
	return p;
}

void *hs_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		hs_xalloc_fail(n);
	return p;
}

void hs_xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;

	if (need <= *cap)
		return;
	while (n < need)
		n *= 2;
	*p = hs_xrealloc(*p, n * elem);
	*cap = n;
}

char *hs_xstrdup(const char *s)
{
	char *d = strdup(s);
	if (d == NULL)
		hs_xalloc_fail(strlen(s) + 1);
	return d;
}
