/* The reference scan's parts: the roots, the word scanner and the graph
   passes. Private to src/refs. */
#ifndef HS_REFS_PRIVATE_H
#define HS_REFS_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "refs/refs.h"

/* A piece of memory a root covers (a root may have several: a module's gaps between
   symbols), or, for a register root, the registers of one thread. */
struct root_piece {
	uint32_t root;
	uint64_t start, end;
	const uint64_t *words; /* non-NULL: scan these words (registers), not memory */
};

struct root_set {
	struct hs_snapshot_refs *refs; /* the roots themselves */
	struct root_piece *pieces;
	size_t npieces, pieces_cap;
	int32_t *node;                 /* per root: the root node owning what it reaches */
	size_t node_cap;
};

uint32_t hs_root_add(struct root_set *rs, enum hs_root_kind kind, char *name, const char *module,
		     int64_t tid, uint64_t address, uint64_t size);
void hs_root_add_piece(struct root_set *rs, uint32_t root, uint64_t start, uint64_t end,
		       const uint64_t *words);

/* Memory the thread roots and module roots cover, so that "other mappings" leave it out. */
struct covered {
	uint64_t (*range)[2];
	size_t n, cap;
};
void hs_covered_add(struct covered *c, uint64_t start, uint64_t end);
bool hs_covered_overlaps(const struct covered *c, uint64_t start, uint64_t end);

/* roots_threads.c: per thread, its registers and stack (one root node) and its static TLS. */
void hs_roots_threads(struct hs_target *t, const struct hs_block_index *bi, uint64_t static_tls,
		      struct root_set *rs, struct covered *cov);
/* roots_modules.c: the writable segments of every module, one root per symbol, plus one per
   module and section for the words outside any symbol; malloc's own state is left out.
   Returns the modules' static TLS bytes (their PT_TLS blocks). */
uint64_t hs_roots_modules(struct hs_target *t, const struct hs_malloc_info *m, struct root_set *rs,
			  struct covered *cov);
/* roots_mappings.c: every other writable mapping that is not malloc's. */
void hs_roots_mappings(struct hs_target *t, const struct hs_malloc_info *m, const struct hs_snapshot *snap,
		       const struct hs_block_index *bi, struct root_set *rs, const struct covered *cov);

/* scan.c: reads memory through the target in windows and calls back for every aligned word
   that points into a live block, in the order of the words. The words that may point into a
   block wait in a queue of SCAN_QUEUE, their lookups started, and are finished together. */
#define SCAN_QUEUE 256
/* The most bytes of blocks a piece of a level given to the second thread holds. */
#define SCAN_PIECE ((size_t)1 << 20)
typedef void (*hs_word_visit)(void *arg, uint32_t src, uint32_t dst, uint64_t at);
struct scan_worker;

struct scanner {
	struct hs_target *t;
	const struct hs_block_index *bi;
	uint8_t *buf;
	uint64_t scanned_bytes, unreadable_bytes;
	hs_word_visit visit; /* of the scan under way */
	void *arg;
	/* Optional: called with a queue's found blocks before their visits, so that the visits'
	   reads of per-block state start together. */
	void (*prefetch)(void *arg, uint32_t dst);
	uint64_t lo, hi;     /* the block index's bounds: no block holds a value outside */
	size_t span_hint;    /* hs_block_index_start's */
	struct scan_worker *worker; /* NULL: no second thread */
	size_t queued;
	uint64_t value[SCAN_QUEUE], at[SCAN_QUEUE];
	const uint32_t *granule[SCAN_QUEUE];
	uint32_t src[SCAN_QUEUE], dst[SCAN_QUEUE];
};

/* With_worker: a second thread scans every other piece of the levels, when there is a
   processor for it. */
void hs_scanner_init(struct scanner *s, struct hs_target *t, const struct hs_block_index *bi, bool with_worker);
void hs_scanner_free(struct scanner *s);
/* Words in [start, end) (src passed through to visit). */
void hs_scan_range(struct scanner *s, uint64_t start, uint64_t end, uint32_t src, hs_word_visit visit,
		   void *arg);
void hs_scan_words(struct scanner *s, const uint64_t *words, size_t n, uint64_t base, uint32_t src,
		   hs_word_visit visit, void *arg);
/* The blocks idx[0..n) (ascending indices), neighbours read together. */
void hs_scan_blocks(struct scanner *s, const uint32_t *idx, size_t n, hs_word_visit visit, void *arg);

/* scan_worker.c: the second thread (NULL when none could start); give it a piece of a level,
   then, after scanning the piece before it, visit (through s's visit) what it found. */
struct scan_worker *hs_scan_worker_start(struct hs_target *t, const struct hs_block_index *bi);
void hs_scan_worker_give(struct scan_worker *w, const uint32_t *idx, size_t n);
void hs_scan_worker_visit(struct scan_worker *w, struct scanner *s);
void hs_scan_worker_stop(struct scan_worker *w);

/* graph.c: the passes over the graph, filling refs->blocks and the figures. */
void hs_refs_graph(struct scanner *s, const struct root_set *rs, struct hs_snapshot_refs *refs);

#endif
