/* Which pages of a live process are resident, from /proc/PID/pagemap (bit 63 of each page's
   entry; needs no privilege), read a window of entries at a time so that heapsnap's memory
   does not grow with the size of what is asked about. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/xalloc.h"

#include "stat/stat.h"

#define PAGE 4096u
#define PRESENT (1ull << 63)

int hs_stat_pages_open(struct hs_stat_pages *p, pid_t pid, struct hs_error *err)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	p->first = p->count = 0;
	p->saved = NULL;
	p->nsaved = p->cap_saved = p->last_saved = 0;
	if ((p->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return hs_fail(err, HS_ERR_TARGET, "cannot open %s: check that the process still runs", path);
	return 0;
}

void hs_stat_pages_close(struct hs_stat_pages *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	for (size_t i = 0; i < p->nsaved; i++)
		free(p->saved[i].bits);
	free(p->saved);
	p->saved = NULL;
	p->nsaved = 0;
}

/* The entry of page number `page`, reading the window that starts there when it is not in
   view; -1 when the pagemap cannot be read. */
static int entry(struct hs_stat_pages *p, uint64_t page, uint64_t *out)
{
	if (page < p->first || page >= p->first + p->count) {
		ssize_t got = pread(p->fd, p->entries, sizeof(p->entries), (off_t)(page * sizeof(p->entries[0])));

		if (got < (ssize_t)sizeof(p->entries[0]))
			return -1;
		p->first = page;
		p->count = (size_t)got / sizeof(p->entries[0]);
	}
	*out = p->entries[page - p->first];
	return 0;
}

int hs_stat_pages_save(struct hs_stat_pages *p, uint64_t lo, uint64_t hi, struct hs_error *err)
{
	struct hs_stat_saved_pages *sv;
	uint64_t e;

	hs_xgrow((void **)&p->saved, &p->cap_saved, p->nsaved + 1, sizeof(*p->saved));
	sv = &p->saved[p->nsaved++];
	sv->first = lo / PAGE;
	sv->count = (hi + PAGE - 1) / PAGE - sv->first;
	sv->bits = hs_xcalloc((size_t)(sv->count + 63) / 64, sizeof(uint64_t));
	for (uint64_t i = 0; i < sv->count; i++) {
		if (entry(p, sv->first + i, &e) < 0)
			return hs_fail(err, HS_ERR_TARGET, "cannot read the process's pagemap: check /proc is mounted");
		if (e & PRESENT)
			sv->bits[i / 64] |= 1ull << (i % 64);
	}
	return 0;
}

/* Whether the page was present: from the saved bits that cover it, else from pagemap. */
static int present(struct hs_stat_pages *p, uint64_t page, bool *yes)
{
	uint64_t e;

	for (size_t k = 0; k < p->nsaved; k++) {
		size_t i = (p->last_saved + k) % p->nsaved;
		const struct hs_stat_saved_pages *sv = &p->saved[i];

		if (page >= sv->first && page - sv->first < sv->count) {
			p->last_saved = i;
			*yes = (sv->bits[(page - sv->first) / 64] >> ((page - sv->first) % 64)) & 1;
			return 0;
		}
	}
	if (entry(p, page, &e) < 0)
		return -1;
	*yes = (e & PRESENT) != 0;
	return 0;
}

int hs_stat_pages_resident(struct hs_stat_pages *p, uint64_t lo, uint64_t hi, uint64_t *bytes,
			   struct hs_error *err)
{
	*bytes = 0;
	for (uint64_t page = lo / PAGE; page * PAGE < hi; page++) {
		uint64_t a = page * PAGE > lo ? page * PAGE : lo, b = (page + 1) * PAGE < hi ? (page + 1) * PAGE : hi;
		bool yes;

		if (present(p, page, &yes) < 0)
			return hs_fail(err, HS_ERR_TARGET, "cannot read the process's pagemap: check /proc is mounted");
		if (yes)
			*bytes += b - a;
	}
	return 0;
}
