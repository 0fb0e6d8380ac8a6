/* Large reads of a stopped live process that leave alone the pages it never touched. A page
   of private anonymous memory that the process never wrote reads as zeros, but reading it
   through process_vm_readv maps the zero page into the process (its page tables grow, and its
   pagemap then calls the page present). The walk reads whole windows of the heaps, live
   blocks' untouched pages included, so for a read of a private anonymous mapping the pagemap
   says which pages are present or swapped: those are read (one iovec per run), the others
   are filled with zeros here, which is what reading them would give. Anything else (a file
   mapping, no pagemap, a read that fails) is left to the plain read. */
#include <sys/uio.h>
#include <string.h>
#include <unistd.h>

#include "attach/attach_private.h"

#define STEP_PAGES 512u        /* pagemap entries and iovecs per step */

/* Whether the range lies in one private anonymous mapping: its untouched pages are zeros. */
static bool zero_when_untouched(const struct hs_target *t, uint64_t addr, size_t len)
{
	const struct hs_mapping *map = hs_target_find_map(t, addr);

	return map != NULL && addr + len <= map->end && map->inode == 0 && (map->perms & HS_MAP_PRIVATE) &&
	       (map->path == NULL || strcmp(map->path, "[heap]") == 0);
}

/* One step: [addr, addr+len), which touches at most STEP_PAGES pages. Returns 0 or -1. */
static int read_step(const struct hs_target *t, int pagemap_fd, uint64_t addr, uint8_t *buf, size_t len,
		     uint64_t pagesize)
{
	uint64_t entries[STEP_PAGES], first = addr / pagesize, end = addr + len;
	struct iovec local[STEP_PAGES], remote[STEP_PAGES];
	size_t npages = (size_t)((end + pagesize - 1) / pagesize - first), nruns = 0, want = 0;

	if (hs_proc_read_pagemap(pagemap_fd, first, entries, npages) != npages)
		return -1;
	for (size_t i = 0; i < npages; i++) {
		uint64_t lo = (first + i) * pagesize, hi = lo + pagesize;
		size_t off, n;

		lo = lo > addr ? lo : addr;
		hi = hi < end ? hi : end;
		off = (size_t)(lo - addr);
		n = (size_t)(hi - lo);
		if (!(entries[i] & HS_PAGEMAP_USED)) {
			memset(buf + off, 0, n);
		} else if (nruns > 0 && (uint8_t *)local[nruns - 1].iov_base + local[nruns - 1].iov_len == buf + off) {
			local[nruns - 1].iov_len += n;
			remote[nruns - 1].iov_len += n;
			want += n;
		} else {
			local[nruns] = (struct iovec){ buf + off, n };
			remote[nruns] = (struct iovec){ (void *)(uintptr_t)lo, n };
			nruns++;
			want += n;
		}
	}
	return nruns == 0 || process_vm_readv(t->pid, local, nruns, remote, nruns, 0) == (ssize_t)want ? 0 : -1;
}

ssize_t hs_live_read_sparse(const struct hs_target *t, int pagemap_fd, uint64_t addr, void *buf, size_t len)
{
	uint64_t pagesize = (uint64_t)sysconf(_SC_PAGESIZE), done = 0;

	if (pagemap_fd < 0 || len < HS_SPARSE_READ_MIN || !zero_when_untouched(t, addr, len))
		return -1;
	while (done < len) {
		/* STEP_PAGES - 1 pages' worth touches at most STEP_PAGES pages, aligned or not. */
		size_t n = len - done < (STEP_PAGES - 1) * pagesize ? len - done : (STEP_PAGES - 1) * pagesize;

		if (read_step(t, pagemap_fd, addr + done, (uint8_t *)buf + done, n, pagesize) < 0)
			return -1;
		done += n;
	}
	return (ssize_t)len;
}
