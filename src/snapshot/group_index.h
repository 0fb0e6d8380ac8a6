/* Finding a snapshot's group by (type, usable size): an open-addressing table over the
   `groups` array, used to check that blocks and groups agree and to credit a block to its
   group while blocks stream past. */
#ifndef HS_GROUP_INDEX_H
#define HS_GROUP_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "snapshot/snapshot.h"

#define HS_NO_GROUP SIZE_MAX

struct hs_group_index {
	size_t *slots; /* group index + 1, 0 empty */
	size_t nslots;
};

/* Indexes the snapshot's groups; returns the index of the first group whose (type, size)
   repeats an earlier one, or HS_NO_GROUP when all are distinct. */
size_t hs_group_index_build(struct hs_group_index *ix, const struct hs_snapshot *s);
size_t hs_group_index_find(const struct hs_group_index *ix, const struct hs_snapshot *s,
			   uint32_t type, uint64_t size);
void hs_group_index_free(struct hs_group_index *ix);

#endif
