/* Locating malloc (see locate.h): symbols first, memory scans when there are none. */
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

#include "locate/locate_private.h"

void hs_malloc_info_free(struct hs_malloc_info *m)
{
	free(m->libc_path);
	free(m->malloc_code);
	memset(m, 0, sizeof(*m));
}

int hs_confirm_tcache_layout(struct hs_target *t, struct hs_malloc_info *m, struct hs_error *err)
{
	const struct hs_glibc_layout *u16 = hs_glibc_layout_u16_counts(m->layout);

	if (u16 == NULL)
		return 0;
	for (size_t i = 0; i < t->nthreads; i++) {
		uint64_t p, size;

		if (hs_target_read_u64(t, t->threads[i].fs_base + (uint64_t)m->tcache_tpoff, &p) != 0 || p == 0 ||
		    hs_target_read_u64(t, p - 8, &size) != 0)
			continue;
		size &= ~7ull;
		if (size == ((u16->tc_sizeof + 8 + 15) & ~15ull))
			m->layout = u16;
		else if (size != ((m->layout->tc_sizeof + 8 + 15) & ~15ull))
			return hs_fail(err, HS_ERR_TARGET, "glibc %s's tcache struct sits in a chunk of 0x%llx "
				       "bytes, a layout heapsnap does not know: report it with this glibc's "
				       "package version", m->version, (unsigned long long)size);
		return 0;
	}
	return 0; /* no thread has a tcache yet: nothing is cached, either layout walks alike */
}

int hs_malloc_locate(struct hs_target *t, bool no_debuginfo, struct hs_malloc_info *m,
		     struct hs_error *err)
{
	Dwfl_Module *libc = NULL;
	bool by_symbols;

	memset(m, 0, sizeof(*m));
	if (hs_find_libc(t, m, &libc, err) < 0 || hs_check_no_interposer(t, libc, err) < 0 ||
	    hs_read_libc_version(t, m, err) < 0)
		return -1;
	m->layout = hs_glibc_layout_for(m->major, m->minor);
	if (m->layout == NULL)
		return hs_fail(err, HS_ERR_TARGET, "glibc %s is not supported (heapsnap knows 2.26 to 2.43): "
			       "use a heapsnap release that covers it", m->version);
	by_symbols = !no_debuginfo && hs_locate_by_symbols(t, libc, m) == 0;
	if (!by_symbols && hs_locate_by_scan(t, m, err) < 0)
		return -1;
	if (!m->have_tcache_slot)
		hs_locate_tcache_slot_by_shape(t, libc, m);
	/* Without the tcache pointers, cached free chunks would pass for live blocks. */
	if (!m->have_tcache_slot)
		return hs_fail(err, HS_ERR_TARGET, "cannot tell which of %s's thread-local variables is the "
			       "tcache: install libc's debug symbols (libc6-dbg) or pass --debug-dir", m->libc_path);
	if (hs_confirm_tcache_layout(t, m, err) < 0)
		return -1;
	hs_find_malloc_code(libc, by_symbols, m);
	return 0;
}
