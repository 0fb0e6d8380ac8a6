/* Memory reads for libunwind-ptrace through a page cache (see attach_private.h). libunwind
   hands its accessors the per-thread argument of _UPT_create, which libunwind-ptrace's own
   functions need as it is: the cache is found through a thread-local pointer instead. */
#include <stdlib.h>
#include <string.h>

#include "attach/attach_private.h"
#include "common/xalloc.h"

#define PAGE 4096u
#define CACHED_PAGES 16

struct cached_page {
	uint64_t base;
	size_t len; /* bytes readable from base; 0: the slot is empty */
	uint8_t bytes[PAGE];
};

struct hs_unwind_pages {
	struct hs_target *t;
	unsigned next; /* the slot the next miss replaces */
	struct cached_page pages[CACHED_PAGES];
};

static _Thread_local struct hs_unwind_pages *cache;

static const struct cached_page *page_holding(uint64_t addr)
{
	uint64_t base = addr & ~(uint64_t)(PAGE - 1);
	struct cached_page *p;
	ssize_t n;

	for (unsigned i = 0; i < CACHED_PAGES; i++)
		if (cache->pages[i].len > 0 && cache->pages[i].base == base)
			return &cache->pages[i];
	p = &cache->pages[cache->next];
	n = cache->t->ops->read(cache->t, base, p->bytes, PAGE);
	if (n <= 0)
		return NULL;
	cache->next = (cache->next + 1) % CACHED_PAGES;
	p->base = base;
	p->len = (size_t)n;
	return p;
}

/* libunwind asks for aligned words only. A word the cache cannot give (a page readable
   only through ptrace, such as execute-only code) is left to libunwind-ptrace. */
static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
	const struct cached_page *p;

	if (write)
		return -UNW_EINVAL; /* heapsnap never writes the target */
	if (cache != NULL && addr % sizeof(*val) == 0 && (p = page_holding(addr)) != NULL &&
	    addr - p->base + sizeof(*val) <= p->len) {
		memcpy(val, p->bytes + (addr - p->base), sizeof(*val));
		return 0;
	}
	return _UPT_access_mem(as, addr, val, write, arg);
}

unw_addr_space_t hs_unwind_create_addr_space(void)
{
	unw_accessors_t accessors = _UPT_accessors; /* copied by libunwind */

	accessors.access_mem = access_mem;
	return unw_create_addr_space(&accessors, 0);
}

struct hs_unwind_pages *hs_unwind_pages_new(struct hs_target *t)
{
	struct hs_unwind_pages *p = hs_xcalloc(1, sizeof(*p));

	p->t = t;
	return p;
}

void hs_unwind_reads_begin(struct hs_unwind_pages *pages)
{
	cache = pages;
}

void hs_unwind_reads_end(void)
{
	cache = NULL;
}
