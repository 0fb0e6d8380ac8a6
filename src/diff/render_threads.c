/* show --threads as text: each thread's stack after the table (see diff.h). Names come
   from the snapshot file, so they are shown through hs_printable. */
#include <inttypes.h>
#include <string.h>

#include "diff/diff.h"
#include "snapshot/snapshot.h"

void hs_render_threads(const struct hs_snapshot *s, FILE *out)
{
	char name[64], function[512], module[256];

	fprintf(out, "\nthreads: %zu\n", s->nthreads);
	for (size_t i = 0; i < s->nthreads; i++) {
		const struct hs_thread_stack *th = &s->threads[i];

		fprintf(out, "\n%" PRId64 " %s\n", th->tid,
			th->name != NULL ? hs_printable(th->name, name, sizeof(name)) : "?");
		for (size_t k = 0; k < th->nframes; k++) {
			const struct hs_stack_frame *f = &th->frames[k];
			const char *base = f->module != NULL && strrchr(f->module, '/') != NULL
						   ? strrchr(f->module, '/') + 1
						   : f->module;

			fprintf(out, "#%zu 0x%" PRIx64 " %s", k, f->address,
				f->function != NULL ? hs_printable(f->function, function, sizeof(function)) : "??");
			if (base != NULL)
				fprintf(out, " (%s)", hs_printable(base, module, sizeof(module)));
			fputc('\n', out);
		}
	}
}
