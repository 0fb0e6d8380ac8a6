/* take --refs, the whole scan: the roots (modules first: their TLS sizes
   size the threads' TLS roots), the graph passes, the figures. */
#include <stdlib.h>
#include <time.h>

#include "common/xalloc.h"
#include "refs/refs_private.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int hs_refs_take(struct hs_target *t, const struct hs_malloc_info *m, struct hs_snapshot *snap,
		 const struct hs_block_index *bi, struct hs_error *err)
{
	double start = now_ms();
	struct hs_snapshot_refs *refs = hs_xcalloc(1, sizeof(*refs));
	struct root_set rs = { .refs = refs };
	struct covered cov = { 0 };
	struct scanner s;
	uint64_t tls;

	if (bi->n >= (size_t)INT32_MAX) {
		free(refs);
		return hs_fail(err, HS_ERR_TARGET, "%zu blocks are more than --refs can index (2^31): take the "
			       "snapshot without --refs", bi->n);
	}
	tls = hs_roots_modules(t, m, &rs, &cov);
	hs_roots_threads(t, bi, tls, &rs, &cov);
	hs_roots_mappings(t, m, snap, bi, &rs, &cov);
	hs_scanner_init(&s, t, bi, true);
	hs_refs_graph(&s, &rs, refs);
	refs->figures.roots = refs->nroots;
	refs->figures.scanned_bytes = s.scanned_bytes;
	refs->figures.unreadable_bytes = s.unreadable_bytes;
	refs->figures.scan_ms = now_ms() - start;
	hs_scanner_free(&s);
	free(rs.pieces);
	free(rs.node);
	free(cov.range);
	if (snap->refs != NULL) {
		hs_snapshot_refs_free(snap->refs);
		free(snap->refs);
	}
	snap->refs = refs;
	return 0;
}
