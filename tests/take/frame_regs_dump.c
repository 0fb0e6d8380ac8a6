/* Prints every unwound frame's registers (struct hs_frame_regs) of a live process or a core,
   for tests/take/frame-regs.sh: one line per frame,
     TID K PC FUNCTION CFA KNOWN RBP RSP RBX
   CFA and the registers "-" when unknown, KNOWN the hex mask of known registers, FUNCTION the
   symbol holding the pc (the call's, pc - 1, for a return address) or "?".
   Usage: frame_regs_dump live PID | frame_regs_dump core CORE */
#include <elfutils/libdwfl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach/attach.h"

enum { DWARF_RBX = 3, DWARF_RBP = 6, DWARF_RSP = 7 };

static const char *function_at(struct hs_target *t, uint64_t pc)
{
	Dwfl_Module *mod = t->dwfl != NULL ? dwfl_addrmodule(t->dwfl, pc) : NULL;
	const char *name = mod != NULL ? dwfl_module_addrname(mod, pc) : NULL;

	return name != NULL ? name : "?";
}

static void print_reg(const struct hs_frame_regs *r, unsigned n)
{
	if (r->known & (1u << n))
		printf(" 0x%" PRIx64, r->reg[n]);
	else
		printf(" -");
}

int main(int argc, char **argv)
{
	struct hs_error err = { 0 };
	struct hs_target *t = NULL;
	int rc;

	if (argc != 3 || (strcmp(argv[1], "live") != 0 && strcmp(argv[1], "core") != 0)) {
		fprintf(stderr, "usage: frame_regs_dump live PID | frame_regs_dump core CORE\n");
		return 2;
	}
	rc = strcmp(argv[1], "live") == 0 ? hs_live_open((pid_t)atoi(argv[2]), NULL, &t, &err) :
		hs_core_open(argv[2], NULL, NULL, NULL, &t, &err);
	if (rc != 0)
		return hs_report(&err);
	for (size_t i = 0; i < t->nthreads; i++) {
		const uint64_t *frames;
		size_t n = hs_target_frames(t, i, &frames);
		const struct hs_frame_regs *regs = t->threads[i].frame_regs;

		for (size_t k = 0; k < n; k++) {
			const struct hs_frame_regs *r = &regs[k];
			printf("%d %zu 0x%" PRIx64 " %s", (int)t->threads[i].tid, k, r->pc,
			       function_at(t, k > 0 ? r->pc - 1 : r->pc));
			if (r->cfa_known)
				printf(" 0x%" PRIx64, r->cfa);
			else
				printf(" -");
			printf(" 0x%" PRIx32, r->known);
			print_reg(r, DWARF_RBP);
			print_reg(r, DWARF_RSP);
			print_reg(r, DWARF_RBX);
			printf("\n");
		}
	}
	hs_target_close(t);
	return 0;
}
