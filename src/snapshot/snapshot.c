/* Building a snapshot in memory: types interned by name, groups counted as blocks arrive
   (so --no-blocks still has them), blocks kept in a compact array and sorted by address at
   the end. */
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/xalloc.h"
#include "snapshot/snapshot.h"

#define PAGE 4096
/* Arrays from this size on are worth huge pages (2 MiB each). */
#define HUGE_ARRAY_BYTES (4u << 20)
#define BLOCKS_RESERVE (8u << 20)

/* Open-addressing tables private to the builder; kept beside the snapshot. */
struct builder {
	uint32_t *type_slots; /* type index + 1, 0 empty */
	size_t type_slots_n;
	struct group_slot { uint64_t size, count; uint32_t type; bool used; } *group_slots;
	size_t group_slots_n, ngroups;
};

static uint64_t hash_str(const char *p)
{
	uint64_t h = 1469598103934665603ULL;
	while (*p)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return h;
}

static uint64_t hash_group(uint32_t type, uint64_t size)
{
	uint64_t h = (size * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)type * 0xC2B2AE3D27D4EB4FULL);
	return h ^ (h >> 29);
}

static struct builder *builder_of(struct hs_snapshot *s)
{
	if (s->builder == NULL)
		s->builder = xcalloc(1, sizeof(struct builder));
	return s->builder;
}

void hs_snapshot_init(struct hs_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->has_blocks = true;
}

static void free_builder(struct hs_snapshot *s, struct builder *b)
{
	free(b->type_slots);
	free(b->group_slots);
	free(b);
	s->builder = NULL;
}

void hs_snapshot_free(struct hs_snapshot *s)
{
	free(s->taken_at);
	free(s->label);
	free(s->target.exe);
	free(s->target.build_id);
	free(s->target.source);
	for (size_t i = 0; i < s->target.ncmdline; i++)
		free(s->target.cmdline[i]);
	free(s->target.cmdline);
	free(s->glibc.version);
	free(s->glibc.libc_path);
	free(s->glibc.located_by);
	for (size_t i = 0; i < s->walk.nwarnings; i++)
		free(s->walk.warnings[i]);
	free(s->walk.warnings);
	free(s->arenas);
	for (size_t i = 0; i < s->ntypes; i++) {
		free(s->types[i].name);
		free(s->types[i].kind);
	}
	free(s->types);
	if (s->builder != NULL)
		free_builder(s, s->builder);
	free(s->groups);
	free(s->blocks);
	memset(s, 0, sizeof(*s));
}

static void rehash_types(struct hs_snapshot *s, struct builder *b)
{
	size_t n = b->type_slots_n ? b->type_slots_n * 2 : 64;
	uint32_t *slots = xcalloc(n, sizeof(*slots));

	for (size_t i = 0; i < s->ntypes; i++) {
		size_t j = hash_str(s->types[i].name) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(b->type_slots);
	b->type_slots = slots;
	b->type_slots_n = n;
}

uint32_t hs_snapshot_type(struct hs_snapshot *s, const char *name, const char *kind)
{
	struct builder *b = builder_of(s);
	size_t j;

	if ((s->ntypes + 1) * 2 > b->type_slots_n)
		rehash_types(s, b);
	for (j = hash_str(name) & (b->type_slots_n - 1); b->type_slots[j];
	     j = (j + 1) & (b->type_slots_n - 1)) {
		uint32_t i = b->type_slots[j] - 1;
		if (strcmp(s->types[i].name, name) == 0)
			return i;
	}
	xgrow((void **)&s->types, &s->types_cap, s->ntypes + 1, sizeof(*s->types));
	s->types[s->ntypes].name = xstrdup(name);
	s->types[s->ntypes].kind = xstrdup(kind);
	b->type_slots[j] = (uint32_t)s->ntypes + 1;
	return (uint32_t)s->ntypes++;
}

static void rehash_groups(struct builder *b)
{
	size_t n = b->group_slots_n ? b->group_slots_n * 2 : 1024;
	struct group_slot *slots = xcalloc(n, sizeof(*slots));

	for (size_t i = 0; i < b->group_slots_n; i++) {
		struct group_slot *g = &b->group_slots[i];
		if (!g->used)
			continue;
		size_t j = hash_group(g->type, g->size) & (n - 1);
		while (slots[j].used)
			j = (j + 1) & (n - 1);
		slots[j] = *g;
	}
	free(b->group_slots);
	b->group_slots = slots;
	b->group_slots_n = n;
}

/* Asks for transparent huge pages on a large array: each 4 KiB page's first touch is a
   page fault, about 10 us on a virtual machine, so the 96 MB of 4 million blocks would cost
   a quarter of a second in faults alone; a 2 MiB page costs about as much as one of them.
   The advice covers malloc's whole mapping of the array (from the page holding its start to
   the end of its usable size), so that the mapping stays in one piece and realloc can still
   move it with mremap instead of copying it. */
static void advise_huge_pages(void *p)
{
	size_t bytes = malloc_usable_size(p);
	uintptr_t lo = (uintptr_t)p & ~(uintptr_t)(PAGE - 1);
	uintptr_t hi = ((uintptr_t)p + bytes + PAGE - 1) & ~(uintptr_t)(PAGE - 1);

	if (bytes >= HUGE_ARRAY_BYTES)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

/* The first growth makes room for BLOCKS_RESERVE blocks: malloc maps that much address
   space, only what is written becomes memory, and the array seldom moves (realloc moving a
   huge page to an address not aligned to 2 MiB splits it into small ones). */
static void grow_blocks(struct hs_snapshot *s)
{
	xgrow((void **)&s->blocks, &s->blocks_cap, s->blocks_cap ? s->nblocks + 1 : BLOCKS_RESERVE,
	      sizeof(*s->blocks));
	advise_huge_pages(s->blocks);
}

void hs_snapshot_add_block(struct hs_snapshot *s, uint64_t addr, uint64_t size, uint32_t type)
{
	struct builder *b = builder_of(s);
	size_t j;

	if ((b->ngroups + 1) * 2 > b->group_slots_n)
		rehash_groups(b);
	for (j = hash_group(type, size) & (b->group_slots_n - 1); b->group_slots[j].used;
	     j = (j + 1) & (b->group_slots_n - 1))
		if (b->group_slots[j].type == type && b->group_slots[j].size == size)
			break;
	if (!b->group_slots[j].used) {
		b->group_slots[j] = (struct group_slot){ .size = size, .type = type, .used = true };
		b->ngroups++;
	}
	b->group_slots[j].count++;

	if (!s->has_blocks)
		return;
	if (s->nblocks == s->blocks_cap)
		grow_blocks(s);
	s->blocks[s->nblocks++] = (struct hs_block){ .addr = addr, .size = size, .type = type };
}

void hs_snapshot_warn(struct hs_snapshot *s, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	xgrow((void **)&s->walk.warnings, &s->walk.warnings_cap, s->walk.nwarnings + 1,
	      sizeof(*s->walk.warnings));
	s->walk.warnings[s->walk.nwarnings++] = xstrdup(buf);
}

static int cmp_block(const void *a, const void *b)
{
	const struct hs_block *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

/* Merges the two sorted runs [0, split) and [split, n) in place, with a copy of the
   shorter one as the only extra memory. */
static void merge_runs(struct hs_block *b, size_t split, size_t n)
{
	size_t na = split, nb = n - split;

	if (na <= nb) {
		struct hs_block *a = xmalloc(na * sizeof(*a));
		size_t i = 0, j = split, k = 0;

		memcpy(a, b, na * sizeof(*a));
		while (i < na && j < n)
			b[k++] = b[j].addr < a[i].addr ? b[j++] : a[i++];
		memcpy(b + k, a + i, (na - i) * sizeof(*a));
		free(a);
	} else {
		struct hs_block *tail = xmalloc(nb * sizeof(*tail));
		size_t i = split, j = nb, k = n;

		memcpy(tail, b + split, nb * sizeof(*tail));
		while (i > 0 && j > 0)
			b[--k] = tail[j - 1].addr < b[i - 1].addr ? b[--i] : tail[--j];
		memcpy(b, tail, j * sizeof(*tail));
		free(tail);
	}
}

/* The walker emits blocks mostly in address order: one run, or two when the blocks it could
   settle only after following the free lists come last. Those cases cost one pass; any
   other order is sorted in full. */
static void sort_blocks(struct hs_block *b, size_t n)
{
	size_t runs = 1, split = 0;

	for (size_t i = 1; i < n && runs <= 2; i++)
		if (b[i].addr < b[i - 1].addr) {
			runs++;
			split = i;
		}
	if (runs == 2)
		merge_runs(b, split, n);
	else if (runs > 2)
		qsort(b, n, sizeof(*b), cmp_block);
}

static int cmp_group(const void *a, const void *b)
{
	const struct hs_group *x = a, *y = b;
	if (x->type != y->type)
		return (x->type > y->type) - (x->type < y->type);
	return (x->size > y->size) - (x->size < y->size);
}

void hs_snapshot_finish_blocks(struct hs_snapshot *s)
{
	struct builder *b = builder_of(s);
	struct hs_group *groups = xmalloc((b->ngroups ? b->ngroups : 1) * sizeof(*groups));
	size_t n = 0;

	for (size_t i = 0; i < b->group_slots_n; i++)
		if (b->group_slots[i].used)
			groups[n++] = (struct hs_group){ .type = b->group_slots[i].type,
							 .size = b->group_slots[i].size,
							 .count = b->group_slots[i].count };
	qsort(groups, n, sizeof(*groups), cmp_group);
	free_builder(s, b);
	s->groups = groups;
	s->ngroups = n;
	if (s->has_blocks)
		sort_blocks(s->blocks, s->nblocks);
}
