/* Big arrays (see big_array.h). Page faults cost far more than the bytes written, above all
   on a virtual machine, and a fresh 2 MiB page costs far less than its 512 small pages
   (bench/results.md), so arrays are backed by transparent huge pages (the system's setting is usually "madvise"),
   which need 2 MiB-aligned memory that does not move. So an array reserves address space
   of its own (PROT_NONE, no memory) and makes it writable 2 MiB at a time as it grows,
   taking each piece from the page pool while there is one. Past its reservation it moves,
   piece by piece, to one twice as large: mremap moves pages, it does not copy them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/big_array.h"
#include "common/page_pool.h"
#include "common/under_asan.h"
#include "common/xalloc.h"

#define PIECE HS_PAGE_POOL_PIECE
/* Address space an array reserves at first: 50 million blocks of a snapshot. */
#define FIRST_RESERVE ((size_t)256 << 20)

/* AddressSanitizer keeps a shadow of what malloc hands out and checks every access against
   it, which memory mapped here would escape: sanitized builds (--enable-sanitizers, the
   fuzzers) grow arrays with malloc, doubling. */
#ifdef HS_UNDER_ASAN
void hs_big_array_extend(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : need;

	while (n < need)
		n *= 2;
	*p = hs_xrealloc(*p, n * elem);
	memset((uint8_t *)*p + *cap * elem, 0, (n - *cap) * elem);
	*cap = n;
}

void hs_big_array_free(void *p, size_t cap, size_t elem)
{
	(void)cap;
	(void)elem;
	free(p);
}

void hs_big_array_prefault(size_t bytes)
{
	(void)bytes;
}

void hs_big_array_prefault_end(void)
{
}
#else
static size_t round_to_piece(size_t bytes)
{
	return (bytes + PIECE - 1) & ~(PIECE - 1);
}

/* The reservation of an array with `committed` bytes writable: FIRST_RESERVE, doubled
   as often as it took. */
static size_t reservation(size_t committed)
{
	size_t r = FIRST_RESERVE;

	while (r < committed)
		r *= 2;
	return r;
}

static uint8_t *reserve(size_t bytes)
{
	uint8_t *p = hs_page_pool_map(bytes, PROT_NONE, MAP_NORESERVE);

	if (p == NULL)
		hs_xalloc_fail(bytes);
	madvise(p, bytes, MADV_HUGEPAGE);
	return p;
}

/* Makes [start, start + len) writable: pieces from the pool while it lasts. */
static void commit(uint8_t *start, size_t len)
{
	for (size_t off = 0; off < len; off += PIECE)
		if (!hs_page_pool_take(start + off)) {
			if (mprotect(start + off, len - off, PROT_READ | PROT_WRITE) != 0)
				hs_xalloc_fail(len - off);
			return;
		}
}

/* Moves the `committed` bytes at p to a reservation of `bytes`. A piece at a time: pieces
   from the pool are mappings of their own. */
static uint8_t *move(uint8_t *p, size_t committed, size_t bytes)
{
	uint8_t *to = reserve(bytes);

	for (size_t off = 0; off < committed; off += PIECE)
		if (mremap(p + off, PIECE, PIECE, MREMAP_MAYMOVE | MREMAP_FIXED, to + off) == MAP_FAILED)
			hs_xalloc_fail(committed);
	munmap(p, reservation(committed));
	return to;
}

void hs_big_array_extend(void **p, size_t *cap, size_t need, size_t elem)
{
	uint8_t *base = *p;
	size_t have, want;

	if (need > (SIZE_MAX / 2 - PIECE) / elem)
		hs_xalloc_fail(SIZE_MAX);
	have = round_to_piece(*cap * elem);
	want = round_to_piece(need * elem);
	if (base == NULL)
		base = reserve(reservation(want));
	else if (want > reservation(have))
		base = move(base, have, reservation(want));
	commit(base + have, want - have);
	*p = base;
	*cap = want / elem;
}

void hs_big_array_free(void *p, size_t cap, size_t elem)
{
	if (p != NULL)
		munmap(p, reservation(round_to_piece(cap * elem)));
}

void hs_big_array_prefault(size_t bytes)
{
	hs_page_pool_fill(bytes);
}

void hs_big_array_prefault_end(void)
{
	hs_page_pool_drain();
}
#endif
