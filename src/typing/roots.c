/* The typed roots: every global and static variable with a pointer in it, every thread's
   `__thread` variables (in each module's static TLS block) and the locals of every
   thread's unwound frames, as the DWARF reader lays them out. Their memory is read (in one
   sorted pass, neighbours together) and their pointers vote; a local held in a register
   votes with the register's value. */
#include <elfutils/libdwfl.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "typing/typing_private.h"

struct root_pieces {
	struct cast_piece *v;
	size_t n, cap;
};

static void add_root(struct hs_typing *ty, struct root_pieces *r, const struct hs_cvar *var, uint64_t address)
{
	uint32_t key = key_of(var->type, false);

	if (var->by_value) {
		hs_typing_cast(ty, key, 1, (const uint8_t *)&var->value, 0, sizeof(var->value), 1);
		return;
	}
	hs_xgrow((void **)&r->v, &r->cap, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = (struct cast_piece){ .addr = address, .len = hs_typing_extent(ty, key, 1), .nelem = 1,
					    .key = key, .undo = KEY_NONE };
}

struct tls_pass {
	struct hs_typing *ty;
	struct root_pieces *r;
};

static int tls_module(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start, void *arg)
{
	struct tls_pass *p = arg;
	const struct hs_cvar *vars;
	size_t n = hs_debuginfo_tls(p->ty->di, mod, &vars);

	bool found = false;
	uint64_t below = 0; /* the module's static TLS offset: the same below every thread pointer */

	(void)userdata, (void)name, (void)start;
	for (size_t i = 0; n > 0 && i < p->ty->t->nthreads; i++) {
		uint64_t fs_base = p->ty->t->threads[i].fs_base, block;

		if (fs_base == 0)
			continue;
		if (!found) {
			if (hs_debuginfo_tls_block(p->ty->di, p->ty->t, mod, fs_base, &block) < 0)
				return DWARF_CB_OK;
			found = true;
			below = fs_base - block;
		}
		if (fs_base < below)
			continue;
		for (size_t k = 0; k < n; k++)
			add_root(p->ty, p->r, &vars[k], fs_base - below + vars[k].address);
	}
	return DWARF_CB_OK;
}

static void frame_roots(struct hs_typing *ty, struct root_pieces *r)
{
	struct hs_target *t = ty->t;
	struct hs_cvar *vars = NULL;
	size_t cap = 0;

	for (size_t i = 0; i < t->nthreads && ty->dwfl != NULL; i++) {
		const uint64_t *frames;
		size_t nframes = hs_target_frames(t, i, &frames);

		for (size_t k = 0; k < nframes && t->threads[i].frame_regs != NULL; k++) {
			const struct hs_frame_regs *regs = &t->threads[i].frame_regs[k];
			Dwfl_Module *mod = dwfl_addrmodule(ty->dwfl, k == 0 ? regs->pc : regs->pc - 1);
			size_t n;

			if (mod == NULL)
				continue;
			n = hs_debuginfo_frame_vars(ty->di, mod, regs, k == 0, &vars, &cap);
			for (size_t v = 0; v < n; v++)
				add_root(ty, r, &vars[v], vars[v].address);
		}
	}
	free(vars);
}

void hs_typing_roots(struct hs_typing *ty)
{
	struct root_pieces r = { 0 };
	struct tls_pass tls = { .ty = ty, .r = &r };
	const struct hs_cvar *globals;
	size_t n = hs_debuginfo_globals(ty->di, &globals);

	for (size_t i = 0; i < n; i++)
		add_root(ty, &r, &globals[i], globals[i].address);
	if (ty->dwfl != NULL)
		dwfl_getmodules(ty->dwfl, tls_module, &tls, 0);
	frame_roots(ty, &r);
	hs_typing_sort_pieces(r.v, r.n);
	hs_typing_read_pieces(ty, r.v, r.n);
	hs_typing_flush(ty);
	free(r.v);
}
