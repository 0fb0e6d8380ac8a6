/* A target whose heap holds memory it never touched: one mmapped chunk (a 1 MiB malloc),
   then a 64 MiB anonymous writable mapping that is never written, which the kernel places
   below the chunk, so that the page scan (in address order) reaches the mapping before the
   chunk; and a live 16 MiB block in the main arena (the mmap threshold raised) of which only
   the first page is written, so that the walk's windows cross its untouched pages. Prints
   "untouched START END", "chunk ADDRESS" and "block ADDRESS USABLE" on stdout, then "ready",
   and waits. tests/take/untouched.sh checks that a take maps none of those pages (through
   the pagemap: a read of a page never touched would map the zero page there). Built
   without sanitizers: it must run on glibc's malloc. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define UNTOUCHED (64u << 20)
#define BLOCK (16u << 20)

int main(void)
{
	char *chunk = malloc(1u << 20);
	char *region, *block;

	if (chunk == NULL || !mallopt(M_MMAP_THRESHOLD, 32 << 20) || (block = malloc(BLOCK)) == NULL)
		return 1;
	memset(chunk, 'x', 4096);
	memset(block, 'y', 4096);
	region = mmap(NULL, UNTOUCHED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		return 1;
	printf("untouched %jx %jx\nchunk %jx\nblock %jx %zu\nready\n", (uintmax_t)(uintptr_t)region,
	       (uintmax_t)(uintptr_t)(region + UNTOUCHED), (uintmax_t)(uintptr_t)chunk,
	       (uintmax_t)(uintptr_t)block, malloc_usable_size(block));
	fflush(stdout);
	for (;;)
		pause();
}
