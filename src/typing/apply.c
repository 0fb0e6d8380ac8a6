/* Naming the decided blocks: `T`, `T[]` (a block of several Ts) or `T *[]`, kind
   "debuginfo", unless the classifier named the block by its vtable, its CPython type or as
   glibc's own (those outrank DWARF). The blocks pointers disagreed on are counted in the
   snapshot's warnings, with one of them as an example. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "typing/typing_private.h"

struct naming {
	struct hs_typing *ty;
	struct hs_snapshot *snap;
	uint32_t *type_of;       /* per block: its new type, UINT32_MAX to keep its own */
	bool *kept;              /* per snapshot type: a name that outranks DWARF */
	size_t nkept;
	struct u64map names;     /* (key << 1 | array) -> snapshot type + 1 */
	size_t i;
	uint64_t disagreed, example;
	uint32_t example_keys[2];
};

static bool outranks_dwarf(const char *kind)
{
	return strcmp(kind, "vtable") == 0 || strcmp(kind, "python") == 0 || strcmp(kind, "libc") == 0;
}

static uint32_t type_named(struct naming *nm, uint32_t key, bool array)
{
	uint64_t memo = ((uint64_t)key << 1) | array, have;
	const char *base = hs_debuginfo_type(nm->ty->di, key_type(key))->name;
	char *name;
	uint32_t type;

	if (hs_u64map_get(&nm->names, memo, &have))
		return (uint32_t)have - 1;
	if (base == NULL) {
		type = UINT32_MAX;
	} else {
		size_t len = strlen(base) + 8;

		name = hs_xmalloc(len);
		snprintf(name, len, "%s%s", base, key_pointers(key) ? " *[]" : array ? "[]" : "");
		type = hs_snapshot_type(nm->snap, name, "debuginfo");
		free(name);
	}
	hs_u64map_put(&nm->names, memo, (uint64_t)type + 1);
	return type;
}

/* The candidates of a block with more than one: two of them with votes, or none. */
static bool disagreement(const struct hs_typing *ty, uint32_t b, uint32_t keys[2])
{
	uint64_t head = 0;
	size_t n = 0;

	if (ty->vote[b].key != KEY_NONE && ty->vote[b].count > 0)
		keys[n++] = ty->vote[b].key;
	hs_u64map_get(&ty->extra_head, (uint64_t)b + 1, &head);
	for (uint32_t i = (uint32_t)head; i != 0 && n < 2; i = ty->extra[i - 1].next)
		if (ty->extra[i - 1].count > 0)
			keys[n++] = ty->extra[i - 1].key;
	return n == 2;
}

static int name_block(void *arg, const struct hs_block *b)
{
	struct naming *nm = arg;
	struct hs_typing *ty = nm->ty;
	size_t i = nm->i++;
	uint32_t key = ty->vote[i].decided;

	nm->type_of[i] = UINT32_MAX;
	if (key == KEY_NONE || (b->type < nm->nkept && nm->kept[b->type]))
		return 0;
	nm->type_of[i] = type_named(nm, key, !key_pointers(key) && hs_typing_nelem(ty, key, b->size) > 1);
	if ((ty->vote[i].flags & F_EXTRA) && disagreement(ty, (uint32_t)i, nm->example_keys) && nm->disagreed++ == 0)
		nm->example = b->addr;
	return 0;
}

static const char *key_name(const struct hs_typing *ty, uint32_t key)
{
	const char *name = hs_debuginfo_type(ty->di, key_type(key))->name;
	return name != NULL ? name : "(anonymous)";
}

void hs_typing_apply(struct hs_typing *ty, struct hs_snapshot *snap)
{
	struct naming nm = { .ty = ty, .snap = snap };

	if (ty == NULL)
		return;
	nm.type_of = hs_xmalloc((ty->nblocks ? ty->nblocks : 1) * sizeof(*nm.type_of));
	/* The classifier's names that outrank DWARF, known before any DWARF name is added. */
	nm.nkept = snap->ntypes;
	nm.kept = hs_xmalloc(nm.nkept ? nm.nkept : 1);
	for (size_t i = 0; i < nm.nkept; i++)
		nm.kept[i] = outranks_dwarf(snap->types[i].kind);
	hs_block_log_each(&snap->blocks, name_block, &nm);
	hs_snapshot_retype_blocks(snap, nm.type_of);
	if (nm.disagreed > 0)
		hs_snapshot_warn(snap, "debuginfo: typed pointers disagree on %" PRIu64 " blocks (0x%" PRIx64
				 ": %s%s or %s%s); each took the type most of them say", nm.disagreed, nm.example,
				 key_name(ty, nm.example_keys[0]), key_pointers(nm.example_keys[0]) ? " *[]" : "",
				 key_name(ty, nm.example_keys[1]), key_pointers(nm.example_keys[1]) ? " *[]" : "");
	if (ty->frozen > 0)
		hs_snapshot_warn(snap, "debuginfo: %" PRIu64 " blocks changed type %d times and kept the last",
				 ty->frozen, MAX_FLIPS);
	hs_u64map_free(&nm.names);
	free(nm.type_of);
	free(nm.kept);
	hs_typing_free(ty);
}
