/* A stand-in allocator (LD_PRELOAD) for the "malloc is not glibc's" refusal test: a bump
   allocator over a static pool, like jemalloc or tcmalloc it provides malloc and free. */
#include <stddef.h>
#include <string.h>

static char pool[64 << 20];
static size_t used;

void *malloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n > sizeof(pool) - used)
		return NULL;
	p = pool + used;
	used += n;
	return p;
}

void free(void *p)
{
	(void)p;
}

void *calloc(size_t n, size_t size)
{
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *old, size_t n)
{
	void *p = malloc(n);
	if (p && old)
		memcpy(p, old, n); /* the pool is large enough for a bounded over-read */
	return p;
}
