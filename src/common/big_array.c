/* Big arrays (see big_array.h). The first touch of each 4 KiB page is a page fault, 10 to
   20 us on a virtual machine: the 28 MB of 700 thousand free chunks' records would cost
   0.1 s in faults alone. A 2 MiB page costs about as much as one 4 KiB one, so large arrays
   ask for transparent huge pages (the system's setting is usually "madvise"). A huge page
   that realloc moves to an address not aligned to 2 MiB falls apart into small ones, so an
   array starts with room for RESERVE_BYTES: malloc maps that much address space but only
   the pages written become memory, and the array seldom moves. The advice covers malloc's
   whole mapping of the array, from the page holding its start to the end of its usable
   size, so that the mapping stays in one piece and realloc can still move it with mremap
   rather than copy it. */
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>

#include "common/xalloc.h"
#include "common/big_array.h"

#define PAGE 4096
/* From this size on an array is worth huge pages. */
#define HUGE_ARRAY_BYTES (1u << 20)

#define RESERVE_BYTES (64u << 20)

/* AddressSanitizer writes the shadow of every byte malloc hands out and takes back, so
   there the reservation (and xgrow's 16 elements of the classify queue: 77 MB) costs its
   whole size in writes, 0.8 s per walk of a small heap: sanitized builds (--enable-sanitizers,
   the fuzzers) allocate what is asked and double from there. gcc says __SANITIZE_ADDRESS__,
   clang __has_feature(address_sanitizer). */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#ifdef UNDER_ASAN
void hs_big_array_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : need;

	if (need <= *cap)
		return;
	while (n < need)
		n *= 2;
	*p = xrealloc(*p, n * elem);
	*cap = n;
}
#else
void hs_big_array_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t bytes;
	uintptr_t lo, hi;

	if (need <= *cap)
		return;
	if (*cap == 0 && need < RESERVE_BYTES / elem)
		need = RESERVE_BYTES / elem;
	xgrow(p, cap, need, elem);
	bytes = malloc_usable_size(*p);
	if (bytes < HUGE_ARRAY_BYTES)
		return;
	lo = (uintptr_t)*p & ~(uintptr_t)(PAGE - 1);
	hi = ((uintptr_t)*p + bytes + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
	madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}
#endif
