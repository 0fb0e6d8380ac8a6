/* The snapshot's "threads": each thread's stack, unwound while the target was stopped (the
   busy check did it, hs_target_frames), named here from the modules' symbol tables through
   libdwfl, which reads the modules' files, not the target: for a live target this runs
   after it was let go, outside the pause. */
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

#include "common/demangle.h"
#include "common/xalloc.h"
#include "take/take_private.h"

/* A function's name as the symbol table gives it, without a symbol version
   ("__libc_start_main@@GLIBC_2.34"), demangled. */
static char *function_name(const char *symbol)
{
	char *bare = hs_xstrdup(symbol), *name;

	bare[strcspn(bare, "@")] = '\0';
	name = hs_demangle(bare);
	if (name == NULL)
		return bare;
	free(bare);
	return name;
}

static void name_frame(const struct hs_target *t, uint64_t address, bool innermost,
		       struct hs_stack_frame *f)
{
	/* A caller's frame holds a return address, which may already be past its function's
	   last byte (a call as the last instruction): its call instruction is the byte before. */
	uint64_t at = innermost ? address : address - 1;
	const struct hs_mapping *map = hs_target_find_map(t, at);
	Dwfl_Module *mod = t->dwfl != NULL ? dwfl_addrmodule(t->dwfl, at) : NULL;
	const char *symbol;
	GElf_Off offset;
	GElf_Sym sym;

	f->address = address;
	/* The module as the target maps it (a core's libdwfl names some by soname only). */
	if (map != NULL && map->path != NULL)
		f->module = hs_xstrdup(map->path);
	else if (mod != NULL)
		f->module = hs_xstrdup(dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
	symbol = mod != NULL ? dwfl_module_addrinfo(mod, at, &offset, &sym, NULL, NULL, NULL) : NULL;
	if (symbol != NULL)
		f->function = function_name(symbol);
}

void hs_take_threads(struct hs_target *t, struct hs_snapshot *snap)
{
	snap->has_threads = true;
	snap->threads = hs_xcalloc(t->nthreads, sizeof(*snap->threads));
	snap->nthreads = t->nthreads;
	for (size_t i = 0; i < t->nthreads; i++) {
		struct hs_thread_stack *th = &snap->threads[i];
		const uint64_t *frames;

		th->tid = t->threads[i].tid;
		th->name = t->threads[i].name[0] != '\0' ? hs_xstrdup(t->threads[i].name) : NULL;
		th->nframes = hs_target_frames(t, i, &frames);
		th->frames = hs_xcalloc(th->nframes, sizeof(*th->frames));
		for (size_t k = 0; k < th->nframes; k++)
			name_frame(t, frames[k], k == 0, &th->frames[k]);
	}
}
