/* Building a snapshot in memory: types interned by name, groups counted as blocks arrive
   (so --no-blocks still has them), blocks kept in a compact log (snapshot.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "snapshot/snapshot.h"

/* Most blocks are of the first few types met and of small sizes (usable sizes are
   multiples of 8): those are counted in a dense table, an increment each, which is folded
   into the group table before the groups are read. */
#define DENSE_TYPES 16
#define DENSE_SIZES 512 /* sizes 0, 8, ..., 4088 */

/* Open-addressing tables private to the builder; kept beside the snapshot. */
struct builder {
	uint32_t *type_slots; /* type index + 1, 0 empty */
	size_t type_slots_n;
	struct group_slot { uint64_t size, count; uint32_t type; bool used; } *group_slots;
	size_t group_slots_n, ngroups;
	uint64_t (*dense)[DENSE_SIZES]; /* by type, then size / 8; NULL until a block comes */
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
		s->builder = hs_xcalloc(1, sizeof(struct builder));
	return s->builder;
}

void hs_snapshot_init(struct hs_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->has_blocks = true;
	/* Made now, not on first use: two threads may start adding to a snapshot at once. */
	s->builder = hs_xcalloc(1, sizeof(struct builder));
}

static void free_builder(struct hs_snapshot *s, struct builder *b)
{
	free(b->type_slots);
	free(b->group_slots);
	free(b->dense);
	free(b);
	s->builder = NULL;
}

const char *const hs_root_kind_names[HS_ROOT_NKINDS] = {
	[HS_ROOT_GLOBAL] = "global", [HS_ROOT_STACK] = "stack", [HS_ROOT_REGISTER] = "register",
	[HS_ROOT_TLS] = "tls", [HS_ROOT_MAPPING] = "mapping",
};

void hs_snapshot_refs_free(struct hs_snapshot_refs *refs)
{
	for (size_t i = 0; i < refs->nroots; i++) {
		free(refs->roots[i].name);
		free(refs->roots[i].module);
	}
	free(refs->roots);
	free(refs->blocks);
	memset(refs, 0, sizeof(*refs));
}

void hs_snapshot_free(struct hs_snapshot *s)
{
	if (s->refs != NULL) {
		hs_snapshot_refs_free(s->refs);
		free(s->refs);
	}
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
	for (size_t i = 0; i < s->nthreads; i++) {
		struct hs_thread_stack *th = &s->threads[i];
		for (size_t k = 0; k < th->nframes; k++) {
			free(th->frames[k].function);
			free(th->frames[k].module);
		}
		free(th->frames);
		free(th->name);
	}
	free(s->threads);
	free(s->arenas);
	for (size_t i = 0; i < s->ntypes; i++) {
		free(s->types[i].name);
		free(s->types[i].kind);
	}
	free(s->types);
	if (s->builder != NULL)
		free_builder(s, s->builder);
	free(s->groups);
	hs_block_log_free(&s->blocks);
	memset(s, 0, sizeof(*s));
}

static void rehash_types(struct hs_snapshot *s, struct builder *b)
{
	size_t n = b->type_slots_n ? b->type_slots_n * 2 : 64;
	uint32_t *slots = hs_xcalloc(n, sizeof(*slots));

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
	hs_xgrow((void **)&s->types, &s->types_cap, s->ntypes + 1, sizeof(*s->types));
	s->types[s->ntypes].name = hs_xstrdup(name);
	s->types[s->ntypes].kind = hs_xstrdup(kind);
	b->type_slots[j] = (uint32_t)s->ntypes + 1;
	return (uint32_t)s->ntypes++;
}

static void rehash_groups(struct builder *b)
{
	size_t n = b->group_slots_n ? b->group_slots_n * 2 : 1024;
	struct group_slot *slots = hs_xcalloc(n, sizeof(*slots));

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

static void count_in_group(struct builder *b, uint32_t type, uint64_t size, uint64_t count)
{
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
	b->group_slots[j].count += count;
}

static void fold_dense(struct builder *b)
{
	if (b->dense == NULL)
		return;
	for (uint32_t type = 0; type < DENSE_TYPES; type++)
		for (uint64_t k = 0; k < DENSE_SIZES; k++)
			if (b->dense[type][k] != 0)
				count_in_group(b, type, 8 * k, b->dense[type][k]);
	free(b->dense);
	b->dense = NULL;
}

void hs_snapshot_add_block(struct hs_snapshot *s, uint64_t addr, uint64_t size, uint32_t type)
{
	struct builder *b = builder_of(s);

	if (type < DENSE_TYPES && size < 8 * DENSE_SIZES && size % 8 == 0) {
		if (b->dense == NULL)
			b->dense = hs_xcalloc(DENSE_TYPES, sizeof(*b->dense));
		b->dense[type][size / 8]++;
	} else {
		count_in_group(b, type, size, 1);
	}
	if (s->has_blocks)
		hs_block_log_append(&s->blocks, addr, size, type);
}

struct retype {
	struct hs_snapshot *s;
	struct hs_block_log log;
	const uint32_t *type_of;
	size_t i;
};

static int retype_block(void *arg, const struct hs_block *b)
{
	struct retype *r = arg;
	uint32_t type = r->type_of[r->i] != UINT32_MAX ? r->type_of[r->i] : b->type;

	r->i++;
	count_in_group(builder_of(r->s), type, b->size, 1);
	hs_block_log_append(&r->log, b->addr, b->size, type);
	return 0;
}

void hs_snapshot_retype_blocks(struct hs_snapshot *s, const uint32_t *type_of)
{
	struct builder *b = builder_of(s);
	struct retype r = { .s = s, .type_of = type_of };

	free(b->group_slots);
	free(b->dense);
	b->group_slots = NULL;
	b->dense = NULL;
	b->group_slots_n = b->ngroups = 0;
	hs_block_log_each(&s->blocks, retype_block, &r);
	hs_block_log_free(&s->blocks);
	s->blocks = r.log;
}

void hs_snapshot_absorb(struct hs_snapshot *s, struct hs_snapshot *part)
{
	struct builder *b = builder_of(s), *from = builder_of(part);

	fold_dense(from);
	for (size_t i = 0; i < from->group_slots_n; i++)
		if (from->group_slots[i].used)
			count_in_group(b, from->group_slots[i].type, from->group_slots[i].size,
				       from->group_slots[i].count);
	if (s->has_blocks)
		hs_block_log_append_log(&s->blocks, &part->blocks);
	hs_snapshot_free(part);
}

const struct hs_totals_field hs_totals_fields[HS_TOTALS_NFIELDS] = {
#define F(name) { #name, offsetof(struct hs_totals, name) }
	F(live_blocks), F(live_bytes), F(live_chunk_bytes), F(mmapped_blocks), F(mmapped_bytes),
	F(tcache_blocks), F(tcache_bytes), F(fastbin_blocks), F(fastbin_bytes), F(free_blocks),
	F(free_bytes), F(top_bytes), F(system_bytes), F(overhead_bytes),
#undef F
};
_Static_assert(sizeof(struct hs_totals) == HS_TOTALS_NFIELDS * sizeof(uint64_t), "every field is listed");

void hs_totals_add(struct hs_totals *sum, const struct hs_totals *t)
{
	for (size_t i = 0; i < HS_TOTALS_NFIELDS; i++)
		*hs_totals_field(sum, i) += hs_totals_value(t, i);
}

void hs_snapshot_warn(struct hs_snapshot *s, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	hs_xgrow((void **)&s->walk.warnings, &s->walk.warnings_cap, s->walk.nwarnings + 1,
	      sizeof(*s->walk.warnings));
	s->walk.warnings[s->walk.nwarnings++] = hs_xstrdup(buf);
}

static int cmp_group(const void *a, const void *b)
{
	const struct hs_group *x = a, *y = b;
	if (x->type != y->type)
		return (x->type > y->type) - (x->type < y->type);
	return (x->size > y->size) - (x->size < y->size);
}

static int cmp_type_name(const void *a, const void *b, void *arg)
{
	const struct hs_type *types = arg;
	return strcmp(types[*(const uint32_t *)a].name, types[*(const uint32_t *)b].name);
}

/* Types are interned in the order the naming threads meet them, which depends on timing:
   they are put in the order of their names (which are unique), so that a heap that has not
   changed gives the same snapshot. The blocks' types are renumbered to match. */
static void order_types_by_name(struct hs_snapshot *s, struct builder *b)
{
	uint32_t *order, *renumber;
	struct hs_type *sorted;

	if (s->ntypes == 0) /* no types, no blocks: nothing to order */
		return;
	order = hs_xmalloc(s->ntypes * sizeof(*order));
	renumber = hs_xmalloc(s->ntypes * sizeof(*renumber));
	sorted = hs_xmalloc(s->ntypes * sizeof(*sorted));
	for (uint32_t i = 0; i < s->ntypes; i++)
		order[i] = i;
	qsort_r(order, s->ntypes, sizeof(*order), cmp_type_name, s->types);
	for (uint32_t i = 0; i < s->ntypes; i++) {
		renumber[order[i]] = i;
		sorted[i] = s->types[order[i]];
	}
	memcpy(s->types, sorted, s->ntypes * sizeof(*sorted));
	for (size_t i = 0; i < b->group_slots_n; i++)
		if (b->group_slots[i].used)
			b->group_slots[i].type = renumber[b->group_slots[i].type];
	hs_block_log_renumber_types(&s->blocks, renumber, s->ntypes);
	free(order);
	free(sorted);
}

void hs_snapshot_finish_blocks(struct hs_snapshot *s)
{
	struct builder *b = builder_of(s);
	struct hs_group *groups;
	size_t n = 0;

	fold_dense(b);
	groups = hs_xmalloc((b->ngroups ? b->ngroups : 1) * sizeof(*groups));
	order_types_by_name(s, b);
	for (size_t i = 0; i < b->group_slots_n; i++)
		if (b->group_slots[i].used)
			groups[n++] = (struct hs_group){ .type = b->group_slots[i].type,
							 .size = b->group_slots[i].size,
							 .count = b->group_slots[i].count };
	qsort(groups, n, sizeof(*groups), cmp_group);
	free_builder(s, b);
	s->groups = groups;
	s->ngroups = n;
}
