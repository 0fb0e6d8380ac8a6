/* libc's initial-exec TLS variables (tcache among them) are reached through GOT slots that
   the dynamic linker filled from R_X86_64_TPOFF64 relocations: the slot holds the variable's
   offset from the thread pointer. Reading those slots in the target gives the offsets
   without any symbol; the relocation's addend is the variable's offset in libc's TLS block,
   which the debug file's `tcache` symbol names. */
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "locate/locate_private.h"

#ifndef R_X86_64_TPOFF64
#define R_X86_64_TPOFF64 18
#endif

size_t hs_libc_tls_slots(struct hs_target *t, Dwfl_Module *libc, int64_t (**pairs)[2])
{
	Dwarf_Addr bias;
	struct hs_elf_table tab = { .elf = dwfl_module_getelf(libc, &bias) };
	size_t n = 0, cap = 0;

	*pairs = NULL;
	while (hs_elf_next_table(&tab, SHT_RELA))
		for (size_t i = 0; i < tab.count; i++) {
			GElf_Rela rela;
			uint64_t value;

			if (gelf_getrela(tab.data, (int)i, &rela) == NULL ||
			    GELF_R_TYPE(rela.r_info) != R_X86_64_TPOFF64 || GELF_R_SYM(rela.r_info) != 0)
				continue;
			if (hs_target_read_u64(t, bias + rela.r_offset, &value) != 0)
				continue;
			hs_xgrow((void **)pairs, &cap, n + 1, sizeof(**pairs));
			(*pairs)[n][0] = rela.r_addend;
			(*pairs)[n][1] = (int64_t)value;
			n++;
		}
	return n;
}
