/* Probing many pages of a target for a header at their start (see attach.h): the page scans
   for malloc's mmapped chunks (heapwalk/anon_scan.c, stat/stat_mmapped.c). On a live target
   only pages that are resident or swapped are worth reading, as /proc/PID/pagemap says:
   malloc wrote every header it left, and reading a page never touched would map the zero
   page into the target (its page tables change, and the pagemap then calls it present).
   Cores and images have no pagemap: every page counts. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/attach.h"
#include "common/xalloc.h"

#define WINDOW 4096            /* pagemap entries read at once */

struct hs_page_probe {
	struct hs_target *t;
	int fd; /* /proc/PID/pagemap, -1 when the target has none (every page counts) */
	uint64_t pagesize;
	uint64_t base, n; /* the window: n entries from the page at base */
	uint64_t entries[WINDOW];
	void *bufs[HS_PROBE_BATCH];
	size_t lens[HS_PROBE_BATCH];
};

struct hs_page_probe *hs_page_probe_open(struct hs_target *t)
{
	struct hs_page_probe *p = hs_xcalloc(1, sizeof(*p));

	p->t = t;
	p->fd = -1;
	p->pagesize = (uint64_t)sysconf(_SC_PAGESIZE);
	if (strcmp(t->source, "live") == 0 && t->pid > 0)
		p->fd = hs_proc_open_pagemap(t->pid);
	for (size_t i = 0; i < HS_PROBE_BATCH; i++)
		p->lens[i] = HS_PROBE_BYTES;
	return p;
}

bool hs_page_probe_used(struct hs_page_probe *p, uint64_t page)
{
	if (p->fd < 0)
		return true;
	if (page < p->base || page >= p->base + p->n * p->pagesize) {
		p->base = page;
		p->n = hs_proc_read_pagemap(p->fd, page / p->pagesize, p->entries, WINDOW);
		if (p->n == 0)
			return true; /* no presence to go by: read the page */
	}
	return (p->entries[(page - p->base) / p->pagesize] & HS_PAGEMAP_USED) != 0;
}

void hs_page_probe_read(struct hs_page_probe *p, const uint64_t *addrs, size_t n,
			uint64_t (*heads)[2], bool *readable)
{
	struct hs_target *t = p->t;

	for (size_t i = 0; i < n; i++)
		p->bufs[i] = heads[i];
	/* A page that cannot be read (e.g. dropped from a core) fails the whole batch: then each
	   page is read alone, so it costs one read and the others are still seen. */
	if (t->ops->readv(t, addrs, p->bufs, p->lens, n) == 0)
		for (size_t i = 0; i < n; i++)
			readable[i] = true;
	else
		for (size_t i = 0; i < n; i++)
			readable[i] = t->ops->read(t, addrs[i], heads[i], HS_PROBE_BYTES) == HS_PROBE_BYTES;
}

void hs_page_probe_close(struct hs_page_probe *p)
{
	if (p == NULL)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}
