/* Typing a stopped target's blocks from DWARF: the modules' DWARF read, the roots' votes, the
   sweeps; the result kept (one decision per block) until it is applied to the snapshot. */
#include <elfutils/libdwfl.h>
#include <stdlib.h>

#include "common/big_array.h"
#include "common/xalloc.h"
#include "typing/typing_private.h"

static int add_module(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start, void *arg)
{
	(void)userdata, (void)name, (void)start;
	hs_debuginfo_add_module(arg, mod);
	return DWARF_CB_OK;
}

void hs_typing_read_modules(struct hs_debuginfo *di, Dwfl *dwfl)
{
	if (dwfl != NULL)
		dwfl_getmodules(dwfl, add_module, di, 0);
}

struct hs_typing *hs_typing_decide(struct hs_target *t, struct hs_debuginfo *di, Dwfl *dwfl,
				   const struct hs_snapshot *snap, const struct hs_block_index *bi)
{
	struct hs_typing *ty;
	size_t n;

	if (hs_debuginfo_ntypes(di) == 0 || !snap->has_blocks || snap->blocks.count == 0)
		return NULL;
	ty = hs_xcalloc(1, sizeof(*ty));
	ty->t = t;
	ty->di = di;
	ty->dwfl = dwfl;
	ty->bi = bi;
	n = ty->nblocks = bi->n;
	/* Big arrays: while a live target is stopped, memory faulted in before the stop. */
	hs_big_array_grow((void **)&ty->vote, &ty->vote_cap, n, sizeof(*ty->vote));
	hs_big_array_grow((void **)&ty->pending_bits, &ty->pending_cap, (n + 63) / 64, sizeof(*ty->pending_bits));
	ty->buf = hs_xmalloc(TYPING_WINDOW);
	hs_typing_roots(ty);
	hs_typing_sweeps(ty);
	free(ty->buf);
	ty->buf = NULL;
	ty->t = NULL; /* nothing more is read */
	ty->bi = NULL;
	ty->dwfl = NULL;
	return ty;
}

void hs_typing_free(struct hs_typing *ty)
{
	if (ty == NULL)
		return;
	hs_big_array_free(ty->vote, ty->vote_cap, sizeof(*ty->vote));
	free(ty->extra);
	hs_u64map_free(&ty->extra_head);
	hs_big_array_free(ty->pending_bits, ty->pending_cap, sizeof(*ty->pending_bits));
	free(ty->chase.v);
	free(ty->buf);
	free(ty);
}
