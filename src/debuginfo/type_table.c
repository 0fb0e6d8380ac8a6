/* The type table: named records reserved on first sight (a pointer to them is enough) and
   laid out afterwards, so only types reachable from pointer-holding variables are read;
   variables' unnamed layouts (`struct item *[8]`). Deduplicated within a module: a record by
   name, size and shape (its members' names, offsets and types' names: C's per-CU copies are
   one type, two different records of one name are two), a layout by its size and slots. */
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "debuginfo/debuginfo_private.h"

static uint32_t new_type(struct hs_debuginfo *di, char *name, uint64_t size, uint64_t shape,
			 uint64_t die_key, uint32_t module)
{
	if (di->ntypes >= HS_DI_MAX_TYPES) {
		free(name);
		return HS_DI_NO_TYPE;
	}
	hs_xgrow((void **)&di->types, &di->types_cap, di->ntypes + 1, sizeof(*di->types));
	hs_xgrow((void **)&di->origins, &di->origins_cap, di->ntypes + 1, sizeof(*di->origins));
	hs_xgrow((void **)&di->shapes, &di->shapes_cap, di->ntypes + 1, sizeof(*di->shapes));
	di->types[di->ntypes] = (struct hs_ctype){ .name = name, .size = size };
	di->shapes[di->ntypes] = shape;
	di->origins[di->ntypes] = (struct di_origin){ .die_key = die_key, .module = module };
	return (uint32_t)di->ntypes++;
}

/* Appends a type's slots to the table (as many as fit). */
static void commit_slots(struct hs_debuginfo *di, uint32_t index, const struct di_slots *s)
{
	size_t n = s->n < HS_DI_MAX_SLOTS - di->nslots ? s->n : HS_DI_MAX_SLOTS - di->nslots;

	hs_xgrow((void **)&di->slots, &di->slots_cap, di->nslots + n, sizeof(*di->slots));
	if (n > 0)
		memcpy(di->slots + di->nslots, s->v, n * sizeof(*s->v));
	di->types[index].first_slot = (uint32_t)di->nslots;
	di->types[index].nslots = (uint32_t)n;
	di->types[index].flexible = s->flexible;
	di->origins[index].done = true;
	di->nslots += n;
}

static void memo(struct u64map *map, uint64_t key, uint32_t index)
{
	hs_u64map_put(map, key, (uint64_t)index + 1);
}

uint32_t hs_di_record_index(struct hs_debuginfo *di, struct di_module *m, Dwarf_Die *rec,
			    const char *typedef_name)
{
	uint64_t key = hs_di_die_key(m, rec), def_key, hash, known;
	Dwarf_Die def;
	Dwarf_Word size;
	uint32_t index = HS_DI_NO_TYPE;
	char *name;

	if (hs_u64map_get(&m->record_of, key, &known))
		return (uint32_t)(known - 1);
	if (!hs_di_resolve_record(m, rec, &def)) {
		memo(&m->record_of, key, HS_DI_NO_TYPE);
		return HS_DI_NO_TYPE;
	}
	def_key = hs_di_die_key(m, &def);
	if (hs_u64map_get(&m->record_of, def_key, &known)) {
		memo(&m->record_of, key, (uint32_t)(known - 1));
		return (uint32_t)(known - 1);
	}
	name = dwarf_aggregate_size(&def, &size) == 0 && size > 0 ?
		       hs_di_record_name(m, &def, typedef_name) : NULL;
	if (name != NULL) {
		uint64_t shape = hs_di_record_shape(&def);

		hash = hs_di_hash(name, ((uint64_t)m->index << 48) ^ size ^ shape);
		if (hs_u64map_get(&di->dedup, hash, &known) && di->types[known - 1].name != NULL &&
		    strcmp(di->types[known - 1].name, name) == 0 && di->types[known - 1].size == size &&
		    di->shapes[known - 1] == shape && di->origins[known - 1].module == m->index) {
			free(name);
			index = (uint32_t)(known - 1);
		} else {
			index = new_type(di, name, size, shape, def_key, m->index);
			if (index != HS_DI_NO_TYPE)
				memo(&di->dedup, hash, index);
		}
	}
	memo(&m->record_of, key, index);
	memo(&m->record_of, def_key, index);
	return index;
}

static uint64_t layout_hash(uint64_t size, const struct di_slots *s, uint32_t module)
{
	uint64_t h = 0x84222325cbf29ce4ull ^ size ^ ((uint64_t)module << 48);

	for (size_t i = 0; i < s->n; i++) {
		const struct hs_cslot *c = &s->v[i];
		uint64_t words[4] = { c->offset, c->stride, ((uint64_t)c->count << 32) | c->target, c->kind };

		for (int w = 0; w < 4; w++)
			h = (h ^ words[w]) * 0x100000001b3ull;
	}
	return h != 0 ? h : 1;
}

static bool same_layout(const struct hs_debuginfo *di, uint32_t index, uint64_t size, const struct di_slots *s)
{
	const struct hs_ctype *t = &di->types[index];

	if (t->name != NULL || t->size != size || t->nslots != s->n)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		const struct hs_cslot *a = &di->slots[t->first_slot + i], *b = &s->v[i];
		if (a->offset != b->offset || a->stride != b->stride || a->count != b->count ||
		    a->target != b->target || a->kind != b->kind)
			return false;
	}
	return true;
}

static uint32_t layout_index(struct hs_debuginfo *di, struct di_module *m, uint64_t size,
			     const struct di_slots *s)
{
	uint64_t hash = layout_hash(size, s, m->index), known;
	uint32_t index;

	if (hs_u64map_get(&di->dedup, hash, &known) && di->origins[known - 1].module == m->index &&
	    same_layout(di, (uint32_t)(known - 1), size, s))
		return (uint32_t)(known - 1);
	index = new_type(di, NULL, size, 0, 0, m->index);
	if (index == HS_DI_NO_TYPE)
		return index;
	commit_slots(di, index, s);
	memo(&di->dedup, hash, index);
	return index;
}

uint32_t hs_di_variable_type(struct hs_debuginfo *di, struct di_module *m, Dwarf_Die *type)
{
	uint64_t key = hs_di_die_key(m, type), known;
	Dwarf_Die t;
	uint64_t size;
	const char *typedef_name = NULL;
	struct di_slots s = { 0 };
	uint32_t index = HS_DI_NO_TYPE;

	if (hs_u64map_get(&m->layout_of, key, &known))
		return (uint32_t)(known - 1);
	if (hs_di_strip(type, &t, &typedef_name)) {
		if (hs_di_is_record_tag(dwarf_tag(&t)))
			index = hs_di_record_index(di, m, &t, typedef_name);
		if (index == HS_DI_NO_TYPE && hs_di_type_size(&t, &size)) {
			hs_di_layout(di, m, &t, 0, 0, &s);
			if (s.n > 0)
				index = layout_index(di, m, size, &s);
			free(s.v);
		}
	}
	memo(&m->layout_of, key, index);
	return index;
}

void hs_di_finish_pending(struct hs_debuginfo *di)
{
	while (di->next_pending < di->ntypes) {
		size_t i = di->next_pending++;
		struct di_slots s = { 0 };
		struct di_module *m;
		Dwarf_Die die;

		if (di->origins[i].done)
			continue;
		m = di->modules[di->origins[i].module];
		if (hs_di_die_from_key(m, di->origins[i].die_key, &die))
			hs_di_layout(di, m, &die, 0, 0, &s);
		commit_slots(di, (uint32_t)i, &s);
		free(s.v);
	}
}
