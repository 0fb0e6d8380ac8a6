/* The DWARF reader's front: its lifetime, each module read once (then only the variables
   whose layout holds a slot are kept), and the table's accessors. */
#include <stdlib.h>

#include "common/xalloc.h"
#include "debuginfo/debuginfo_private.h"

/* Modules read at most: a process maps a few hundred at the very most. */
#define MAX_MODULES 4096

struct hs_debuginfo *hs_debuginfo_new(void)
{
	return hs_xcalloc(1, sizeof(struct hs_debuginfo));
}

void hs_debuginfo_free(struct hs_debuginfo *di)
{
	if (di == NULL)
		return;
	for (size_t i = 0; i < di->nmodules; i++) {
		struct di_module *m = di->modules[i];

		hs_u64map_free(&m->record_of);
		hs_u64map_free(&m->layout_of);
		hs_di_names_free(m);
		free(m->tls);
		free(m);
	}
	for (size_t i = 0; i < di->ntypes; i++)
		free((char *)di->types[i].name);
	free(di->modules);
	free(di->types);
	free(di->origins);
	free(di->shapes);
	free(di->slots);
	free(di->globals);
	hs_u64map_free(&di->global_seen);
	hs_u64map_free(&di->dedup);
	free(di);
}

struct di_module *hs_di_find_module(const struct hs_debuginfo *di, Dwfl_Module *mod)
{
	for (size_t i = 0; i < di->nmodules; i++)
		if (di->modules[i]->mod == mod)
			return di->modules[i];
	return NULL;
}

void hs_di_add_global(struct hs_debuginfo *di, const char *name, uint64_t address, uint32_t type)
{
	uint64_t seen;

	/* A function's static appears again in each inlined copy of the function. */
	if (address != 0 && hs_u64map_get(&di->global_seen, address, &seen) && seen == (uint64_t)type + 1)
		return;
	if (address != 0)
		hs_u64map_put(&di->global_seen, address, (uint64_t)type + 1);
	hs_xgrow((void **)&di->globals, &di->globals_cap, di->nglobals + 1, sizeof(*di->globals));
	di->globals[di->nglobals++] = (struct hs_cvar){ .name = name, .address = address, .type = type };
}

/* Keeps the variables of v[from..*n) whose type has a slot (records are laid out by now). */
static void keep_slotted(const struct hs_debuginfo *di, struct hs_cvar *v, size_t from, size_t *n)
{
	size_t kept = from;

	for (size_t i = from; i < *n; i++)
		if (di->types[v[i].type].nslots > 0)
			v[kept++] = v[i];
	*n = kept;
}

void hs_debuginfo_add_module(struct hs_debuginfo *di, Dwfl_Module *mod)
{
	struct di_module *m;
	size_t first_global = di->nglobals;

	if (mod == NULL || hs_di_find_module(di, mod) != NULL || di->nmodules >= MAX_MODULES)
		return;
	m = hs_xcalloc(1, sizeof(*m));
	m->mod = mod;
	m->index = (uint32_t)di->nmodules;
	m->dies_left = HS_DI_MAX_DIES;
	m->visits_left = HS_DI_MAX_VISITS;
	hs_xgrow((void **)&di->modules, &di->modules_cap, di->nmodules + 1, sizeof(*di->modules));
	di->modules[di->nmodules++] = m;
	m->dw = dwfl_module_getdwarf(mod, &m->bias);
	if (m->dw == NULL)
		return;
	hs_di_note_dynamic_linker(di, m);
	hs_di_module_pass(di, m);
	hs_di_finish_pending(di);
	keep_slotted(di, di->globals, first_global, &di->nglobals);
	keep_slotted(di, m->tls, 0, &m->ntls);
}

const struct hs_ctype *hs_debuginfo_type(const struct hs_debuginfo *di, uint32_t index)
{
	return index < di->ntypes ? &di->types[index] : NULL;
}

size_t hs_debuginfo_ntypes(const struct hs_debuginfo *di)
{
	return di->ntypes;
}

const struct hs_cslot *hs_debuginfo_slots(const struct hs_debuginfo *di)
{
	return di->slots;
}

size_t hs_debuginfo_globals(const struct hs_debuginfo *di, const struct hs_cvar **out)
{
	*out = di->globals;
	return di->nglobals;
}

size_t hs_debuginfo_tls(const struct hs_debuginfo *di, Dwfl_Module *mod, const struct hs_cvar **out)
{
	struct di_module *m = hs_di_find_module(di, mod);

	*out = m != NULL ? m->tls : NULL;
	return m != NULL ? m->ntls : 0;
}
