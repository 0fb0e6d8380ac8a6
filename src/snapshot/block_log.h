/* A snapshot's block list, kept compact: millions of (address, size, type) rows in a few
   bytes each (LEB128 varints, each address as the distance from the one before), appended
   in any order and read back in address order. A walk appends in address order but for a
   few runs (blocks it could settle only after following the free lists; heaps outside the
   page scan): reading merges the runs, and sorts only when there are many. */
#ifndef HS_BLOCK_LOG_H
#define HS_BLOCK_LOG_H

#include <stddef.h>
#include <stdint.h>

struct hs_block {
	uint64_t addr; /* user pointer */
	uint64_t size; /* usable size */
	uint32_t type; /* index into the snapshot's types */
};

struct hs_block_log {
	uint8_t *bytes;
	size_t len, cap;
	uint64_t count, last_addr;
	size_t *runs; /* offset where each run of ascending addresses starts */
	size_t nruns, runs_cap;
	uint32_t *type_map; /* NULL, or the type each row's type is read back as */
	size_t ntype_map;
};

void hs_block_log_append(struct hs_block_log *log, uint64_t addr, uint64_t size, uint32_t type);
/* Appends every row of src, as runs of their own. */
void hs_block_log_append_log(struct hs_block_log *log, const struct hs_block_log *src);
/* From now on, a row appended with type t reads back with type map[t] (t < n). The log
   takes map over (malloc'd; freed with the log). */
void hs_block_log_renumber_types(struct hs_block_log *log, uint32_t *map, size_t n);
/* Calls visit on every block, in address order (equal addresses in the order appended);
   stops at, and returns, the first nonzero value visit returns. */
int hs_block_log_each(const struct hs_block_log *log, int (*visit)(void *arg, const struct hs_block *b),
		      void *arg);
void hs_block_log_free(struct hs_block_log *log);

#endif
