/* A target whose page scan must cross memory it never touched: one mmapped chunk (a 1 MiB
   malloc), then a 64 MiB anonymous writable mapping that is never written, which the kernel
   places below the chunk, so that the scan (in address order) reaches the mapping before the
   chunk. Prints "untouched START END" and "chunk ADDRESS" on stdout, then "ready", and waits.
   tests/take/untouched.sh checks that a take maps none of those pages (through the pagemap:
   a read of a page never touched would map the zero page there). Built without sanitizers:
   it must run on glibc's malloc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define UNTOUCHED (64u << 20)

int main(void)
{
	char *chunk = malloc(1u << 20);
	char *region;

	if (chunk == NULL)
		return 1;
	memset(chunk, 'x', 4096);
	region = mmap(NULL, UNTOUCHED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		return 1;
	printf("untouched %jx %jx\nchunk %jx\nready\n", (uintmax_t)(uintptr_t)region,
	       (uintmax_t)(uintptr_t)(region + UNTOUCHED), (uintmax_t)(uintptr_t)chunk);
	fflush(stdout);
	for (;;)
		pause();
}
