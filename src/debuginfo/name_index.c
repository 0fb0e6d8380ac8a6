/* Record definitions by name, within one module: a pointer to a declaration (`struct conn;`
   in one CU, defined in another) is typed as the one complete definition of that name, when
   exactly one exists (C's per-unit copies are one; several of different sizes or members:
   none). */
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "debuginfo/debuginfo_private.h"

static struct di_name *find_name(struct di_module *m, const char *name)
{
	uint64_t first;

	if (!hs_u64map_get(&m->name_of, hs_di_hash(name, 0), &first))
		return NULL;
	for (uint32_t i = (uint32_t)first; i != 0; i = m->names[i - 1].next)
		if (strcmp(m->names[i - 1].name, name) == 0)
			return &m->names[i - 1];
	return NULL;
}

void hs_di_name_add(struct di_module *m, const char *name, Dwarf_Die *def)
{
	Dwarf_Word size;
	struct di_name *old = find_name(m, name);
	uint64_t hash = hs_di_hash(name, 0), first = 0;

	if (dwarf_aggregate_size(def, &size) != 0 || size == 0)
		return;
	if (old != NULL) {
		/* Shapes cost member visits: compared only for a name a declaration asks for. */
		old->ambiguous |= old->size != size;
		if (!old->ambiguous && old->nothers < HS_DI_MAX_TYPES) {
			hs_xgrow((void **)&old->others, &old->others_cap, old->nothers + 1, sizeof(*old->others));
			old->others[old->nothers++] = hs_di_die_key(m, def);
		}
		return;
	}
	if (m->nnames >= HS_DI_MAX_TYPES)
		return;
	hs_u64map_get(&m->name_of, hash, &first);
	hs_xgrow((void **)&m->names, &m->names_cap, m->nnames + 1, sizeof(*m->names));
	m->names[m->nnames] = (struct di_name){ .name = hs_xstrdup(name), .die_key = hs_di_die_key(m, def),
						.size = size, .next = (uint32_t)first };
	m->nnames++;
	hs_u64map_put(&m->name_of, hash, m->nnames);
	hs_u64map_put(&m->name_of_die, m->names[m->nnames - 1].die_key, m->nnames);
}

/* A name's same-size definitions are one record when their shapes agree (C's per-unit
   copies), else the name is ambiguous. */
static void settle_ambiguity(struct di_module *m, struct di_name *n, Dwarf_Die *first)
{
	uint64_t shape = n->nothers > 0 ? hs_di_record_shape(first) : 0;
	Dwarf_Die other;

	for (size_t i = 0; i < n->nothers && !n->ambiguous; i++)
		n->ambiguous = hs_di_die_from_key(m, n->others[i], &other) && hs_di_record_shape(&other) != shape;
	free(n->others);
	n->others = NULL;
	n->nothers = n->others_cap = 0;
}

bool hs_di_resolve_record(struct di_module *m, Dwarf_Die *rec, Dwarf_Die *def)
{
	Dwarf_Die sig;
	struct di_name *n;
	char *name;

	*def = *rec;
	/* DWARF 4 -fdebug-types-section: the definition is in a type unit, by signature. */
	if (hs_di_ref(rec, DW_AT_signature, &sig))
		*def = sig;
	if (!hs_di_flag(def, DW_AT_declaration))
		return true;
	name = hs_di_record_name(m, def, NULL);
	n = name != NULL ? find_name(m, name) : NULL;
	free(name);
	if (n == NULL || !hs_di_die_from_key(m, n->die_key, def))
		return false;
	settle_ambiguity(m, n, def);
	return !n->ambiguous;
}

void hs_di_names_free(struct di_module *m)
{
	for (size_t i = 0; i < m->nnames; i++) {
		free(m->names[i].name);
		free(m->names[i].others);
	}
	free(m->names);
	hs_u64map_free(&m->name_of);
	hs_u64map_free(&m->name_of_die);
}
