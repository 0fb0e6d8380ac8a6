/* The page pool (see page_pool.h): one piece-aligned mapping, advised to use huge pages and
   written through before the stop, of which pieces are handed out by number. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/page_pool.h"
#include "common/worker_thread.h"

static uint8_t *pool;
static size_t npieces;
static atomic_size_t next_piece;

struct span {
	uint8_t *start;
	size_t len;
};

/* Faults in every page of a span: all at once where the kernel can (5.14+), else by
   writing a byte to each page. */
static void *fault_in(void *arg)
{
	const struct span *s = arg;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

#ifdef MADV_POPULATE_WRITE
	if (madvise(s->start, s->len, MADV_POPULATE_WRITE) == 0)
		return NULL;
#endif
	for (size_t off = 0; off < s->len; off += page)
		((volatile uint8_t *)s->start)[off] = 0;
	return NULL;
}

void *hs_page_pool_map(size_t bytes, int prot, int flags)
{
	size_t len = bytes + HS_PAGE_POOL_PIECE;
	uint8_t *m = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	uint8_t *start;

	if (m == MAP_FAILED)
		return NULL;
	start = (uint8_t *)(((uintptr_t)m + HS_PAGE_POOL_PIECE - 1) & ~(uintptr_t)(HS_PAGE_POOL_PIECE - 1));
	if (start > m)
		munmap(m, (size_t)(start - m));
	munmap(start + bytes, (size_t)(m + len - (start + bytes)));
	return start;
}

void hs_page_pool_fill(size_t bytes)
{
	size_t n = bytes / HS_PAGE_POOL_PIECE;
	struct span first, second;
	pthread_t helper;
	bool helped;

	if (pool != NULL || n == 0 || (pool = hs_page_pool_map(n * HS_PAGE_POOL_PIECE, PROT_READ | PROT_WRITE, 0)) == NULL)
		return;
	madvise(pool, n * HS_PAGE_POOL_PIECE, MADV_HUGEPAGE);
	first = (struct span){ pool, n / 2 * HS_PAGE_POOL_PIECE };
	second = (struct span){ pool + first.len, (n - n / 2) * HS_PAGE_POOL_PIECE };
	helped = first.len > 0 && hs_processors_to_spare() && hs_worker_start(&helper, fault_in, &first);
	fault_in(&second);
	if (helped)
		pthread_join(helper, NULL);
	else if (first.len > 0)
		fault_in(&first);
	npieces = n;
	atomic_store(&next_piece, 0);
}

bool hs_page_pool_take(void *dst)
{
	size_t i = atomic_fetch_add_explicit(&next_piece, 1, memory_order_relaxed);

	if (i >= npieces)
		return false;
	return mremap(pool + i * HS_PAGE_POOL_PIECE, HS_PAGE_POOL_PIECE, HS_PAGE_POOL_PIECE,
		      MREMAP_MAYMOVE | MREMAP_FIXED, dst) != MAP_FAILED;
}

void hs_page_pool_drain(void)
{
	size_t taken = atomic_load(&next_piece);

	if (pool == NULL)
		return;
	/* Only the pieces never handed out: the place of those taken may hold other mappings
	   by now. */
	if (taken < npieces)
		munmap(pool + taken * HS_PAGE_POOL_PIECE, (npieces - taken) * HS_PAGE_POOL_PIECE);
	pool = NULL;
	npieces = 0;
	atomic_store(&next_piece, 0);
}
