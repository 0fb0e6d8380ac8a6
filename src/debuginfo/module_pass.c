/* One pass over a module's units (type units too, and dwz's partial units where imported):
   the top-level DIEs of each, C++ namespaces and records, and function bodies for their
   statics. It indexes record
   definitions by name (for declarations elsewhere) and types the static and `__thread`
   variables; every DIE visited counts against the module's budget. */
#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "debuginfo/debuginfo_private.h"

struct found {
	uint64_t die_key, address;
	bool tls;
};

struct pass {
	struct hs_debuginfo *di;
	struct di_module *m;
	bool cxx;
	struct found *found;
	size_t nfound, found_cap;
	struct u64map imported; /* partial units walked (dwz), by DIE key */
};

static const char *variable_name(Dwarf_Die *var)
{
	Dwarf_Attribute a;
	const char *name = dwarf_attr_integrate(var, DW_AT_name, &a) != NULL ? dwarf_formstring(&a) : NULL;

	return name != NULL ? name : "(unnamed)";
}

/* A variable with a static location, typed once every unit's records are indexed (its type may
   point to a record declared here and defined in a later unit). */
static void static_variable(struct pass *p, Dwarf_Die *var)
{
	uint64_t addr;
	bool tls;

	if (p->nfound >= HS_DI_MAX_TYPES || !dwarf_hasattr(var, DW_AT_location) ||
	    !hs_di_static_location(p->m, var, &addr, &tls))
		return;
	hs_xgrow((void **)&p->found, &p->found_cap, p->nfound + 1, sizeof(*p->found));
	p->found[p->nfound++] = (struct found){ .die_key = hs_di_die_key(p->m, var), .address = addr, .tls = tls };
}

static void type_variable(struct pass *p, const struct found *f)
{
	Dwarf_Die var, type;
	uint32_t index;

	if (!hs_di_die_from_key(p->m, f->die_key, &var) || !hs_di_ref(&var, DW_AT_type, &type))
		return;
	index = hs_di_variable_type(p->di, p->m, &type);
	if (index == HS_DI_NO_TYPE)
		return;
	if (!f->tls) {
		hs_di_add_global(p->di, variable_name(&var), f->address, index);
		return;
	}
	hs_xgrow((void **)&p->m->tls, &p->m->tls_cap, p->m->ntls + 1, sizeof(*p->m->tls));
	p->m->tls[p->m->ntls++] = (struct hs_cvar){ .name = variable_name(&var), .address = f->address,
						    .type = index };
}

static void walk(struct pass *p, Dwarf_Die *parent, const char *prefix, unsigned depth, bool in_function);

/* A record definition: indexed by name; a C++ one may hold nested records. */
static void record(struct pass *p, Dwarf_Die *rec, const char *prefix, unsigned depth)
{
	const char *tag = dwarf_diename(rec);
	char name[HS_DI_NAME_MAX];
	int n;

	if (tag == NULL || hs_di_flag(rec, DW_AT_declaration))
		return;
	if (p->cxx && dwarf_hasattr(rec, DW_AT_specification)) {
		/* A type unit's definition: its scope is the declaration's it specifies. */
		char *full = hs_di_record_name(p->m, rec, NULL);

		n = full != NULL ? snprintf(name, sizeof(name), "%s", full) : -1;
		free(full);
	} else if (p->cxx)
		n = snprintf(name, sizeof(name), "%s%s", prefix, tag);
	else
		n = snprintf(name, sizeof(name), "%s %s",
			     dwarf_tag(rec) == DW_TAG_union_type ? "union" : "struct", tag);
	if (n < 0 || (size_t)n >= sizeof(name))
		return;
	hs_di_name_add(p->m, name, rec);
	if (p->cxx && (size_t)n + 2 < sizeof(name)) {
		strcat(name, "::");
		walk(p, rec, name, depth + 1, false);
	}
}

static void nspace(struct pass *p, Dwarf_Die *ns, const char *prefix, unsigned depth)
{
	const char *tag = dwarf_diename(ns);
	char name[HS_DI_NAME_MAX];
	int n = snprintf(name, sizeof(name), "%s%s::", prefix, tag != NULL ? tag : "(anonymous namespace)");

	if (n > 0 && (size_t)n < sizeof(name))
		walk(p, ns, name, depth + 1, false);
}

/* A partial unit that dwz made of DIEs several units shared (in the module's file or its
   alternate file): walked once, where first imported. */
static void imported_unit(struct pass *p, Dwarf_Die *import, const char *prefix, unsigned depth)
{
	Dwarf_Die unit;
	uint64_t key, seen;

	if (!hs_di_ref(import, DW_AT_import, &unit))
		return;
	key = hs_di_die_key(p->m, &unit);
	if (hs_u64map_get(&p->imported, key, &seen))
		return;
	hs_u64map_put(&p->imported, key, 1);
	walk(p, &unit, prefix, depth + 1, false);
}

static void walk(struct pass *p, Dwarf_Die *parent, const char *prefix, unsigned depth, bool in_function)
{
	Dwarf_Die child;

	if (depth > HS_DI_MAX_DEPTH || dwarf_child(parent, &child) != 0)
		return;
	do {
		if (p->m->dies_left == 0)
			return;
		p->m->dies_left--;
		switch (dwarf_tag(&child)) {
		case DW_TAG_variable:
			static_variable(p, &child);
			break;
		case DW_TAG_structure_type:
		case DW_TAG_class_type:
		case DW_TAG_union_type:
			if (!in_function)
				record(p, &child, prefix, depth);
			break;
		case DW_TAG_namespace:
			nspace(p, &child, prefix, depth);
			break;
		case DW_TAG_subprogram:
		case DW_TAG_lexical_block:
		case DW_TAG_inlined_subroutine:
			walk(p, &child, prefix, depth + 1, true);
			break;
		case DW_TAG_imported_unit:
			imported_unit(p, &child, prefix, depth);
			break;
		default:
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

void hs_di_module_pass(struct hs_debuginfo *di, struct di_module *m)
{
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Die unit;
	struct pass p = { .di = di, .m = m };

	while (m->dies_left > 0) {
		/* A unit whose header is broken comes without its DIE. */
		unit = (Dwarf_Die){ 0 };
		if (dwarf_get_units(m->dw, cu, &next, NULL, NULL, &unit, NULL) != 0)
			break;
		cu = next;
		m->dies_left--;
		if (unit.cu == NULL)
			continue;
		p.cxx = hs_di_is_cxx(&unit);
		walk(&p, &unit, "", 0, false);
	}
	for (size_t i = 0; i < p.nfound; i++)
		type_variable(&p, &p.found[i]);
	free(p.found);
	hs_u64map_free(&p.imported);
}
