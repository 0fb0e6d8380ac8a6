/* --group-by=root (see diff.h): one pass over block_refs and the block stream. A part
   is found by (group, key) in a hash map, so the pass costs memory for the parts and 4
   bytes per block, not per root. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/u64map.h"
#include "common/xalloc.h"
#include "diff/diff.h"

static char *key_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *key_printf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = hs_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *hs_root_key(const struct hs_root *root)
{
	const char *module = root->module, *slash = module ? strrchr(module, '/') : NULL;

	switch (root->kind) {
	case HS_ROOT_GLOBAL:
		if (module == NULL)
			return key_printf("global %s", root->name);
		return key_printf("global %s (%s)", root->name, slash ? slash + 1 : module);
	case HS_ROOT_MAPPING:
		return key_printf("mapping %s", root->name);
	default:
		return key_printf("%s %" PRId64 " (%s)", hs_root_kind_names[root->kind], root->tid, root->name);
	}
}

/* The key index of a block's owner: its root, or the two keys after the roots. */
static uint32_t owner_key(const struct hs_snapshot_refs *refs, int32_t owner)
{
	if (owner >= 0)
		return (uint32_t)owner;
	return (uint32_t)refs->nroots + (owner == HS_OWNER_SEVERAL ? 0 : 1);
}

int hs_root_split_read(struct hs_root_split *split, struct hs_snapshot *s, const char *path,
		       struct hs_snapshot_reader *r, bool per_block, struct hs_error *err)
{
	struct u64map part_of = { 0 };
	struct hs_block b;
	size_t group, cap = 0, i = 0;
	uint64_t found;
	int rc;

	memset(split, 0, sizeof(*split));
	if (s->refs == NULL || !s->has_blocks)
		return hs_fail(err, HS_ERR_TARGET, "%s has no reference data for --group-by=root: take it with "
			       "'heapsnap take --refs'", path);
	if (hs_snapshot_read_block_refs(r, err) < 0)
		return -1;
	split->nkeys = s->refs->nroots + 2;
	split->keys = hs_xmalloc(split->nkeys * sizeof(*split->keys));
	for (size_t k = 0; k < s->refs->nroots; k++)
		split->keys[k] = hs_root_key(&s->refs->roots[k]);
	split->keys[s->refs->nroots] = hs_xstrdup("several roots");
	split->keys[s->refs->nroots + 1] = hs_xstrdup("leaked");
	split->nblocks = s->refs->nblocks;
	if (per_block)
		split->block_part = hs_xmalloc((split->nblocks ? split->nblocks : 1) * sizeof(*split->block_part));
	while ((rc = hs_snapshot_next_block(r, &b, &group, err)) > 0) {
		uint32_t key;
		uint64_t id;

		if (i >= split->nblocks) {
			rc = hs_fail(err, HS_ERR_TARGET, "%s: more blocks than block_refs rows: the snapshot is "
				     "damaged, take it again", path);
			break;
		}
		key = owner_key(s->refs, s->refs->blocks[i].owner);
		id = (uint64_t)group * split->nkeys + key + 1; /* 0 marks empty slots */

		if (!hs_u64map_get(&part_of, id, &found)) {
			found = split->nparts;
			hs_xgrow((void **)&split->parts, &cap, split->nparts + 1, sizeof(*split->parts));
			split->parts[split->nparts++] = (struct hs_root_part){ group, key, 0 };
			hs_u64map_put(&part_of, id, found);
		}
		split->parts[found].count++;
		if (per_block)
			split->block_part[i] = (uint32_t)found;
		i++;
	}
	hs_u64map_free(&part_of);
	if (!per_block) {
		free(s->refs->blocks);
		s->refs->blocks = NULL;
		s->refs->nblocks = 0;
	}
	if (rc == 0)
		hs_snapshot_rewind_blocks(r);
	return rc;
}

void hs_root_split_free(struct hs_root_split *split)
{
	for (size_t k = 0; k < split->nkeys; k++)
		free(split->keys[k]);
	free(split->keys);
	free(split->parts);
	free(split->block_part);
	memset(split, 0, sizeof(*split));
}
