/* Locating malloc's state from symbols: libc's .symtab, or its debug file's (found by
   build-id through libdwfl, in /usr/lib/debug and every --debug-dir). */
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "locate/locate_private.h"

static int elf_has_symtab(Elf *elf)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;

	while ((scn = elf_nextscn(elf, scn)) != NULL)
		if (gelf_getshdr(scn, &shdr) && shdr.sh_type == SHT_SYMTAB)
			return 1;
	return 0;
}

int hs_locate_by_symbols(struct hs_target *t, Dwfl_Module *libc, struct hs_malloc_info *m)
{
	int64_t (*slots)[2] = NULL;
	uint64_t tcache_tls = 0;
	bool have_tcache_tls = false;
	Dwarf_Addr bias;
	Elf *main_elf = dwfl_module_getelf(libc, &bias);
	int n = dwfl_module_getsymtab(libc);

	m->main_arena = m->mp = 0;
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *name = dwfl_module_getsym_info(libc, i, &sym, &addr, NULL, NULL, NULL);

		if (name == NULL)
			continue;
		if (strcmp(name, "main_arena") == 0 && GELF_ST_TYPE(sym.st_info) == STT_OBJECT)
			m->main_arena = addr;
		else if (strcmp(name, "mp_") == 0 && GELF_ST_TYPE(sym.st_info) == STT_OBJECT)
			m->mp = addr;
		else if (strcmp(name, "tcache") == 0 && GELF_ST_TYPE(sym.st_info) == STT_TLS) {
			tcache_tls = sym.st_value;
			have_tcache_tls = true;
		}
	}
	if (m->main_arena == 0 || m->mp == 0)
		return -1;
	if (have_tcache_tls) {
		size_t ns = hs_libc_tls_slots(t, libc, &slots);
		for (size_t i = 0; i < ns; i++)
			if ((uint64_t)slots[i][0] == tcache_tls) {
				m->tcache_tpoff = slots[i][1];
				m->have_tcache_slot = true;
			}
		free(slots);
	}
	m->located_by = main_elf && elf_has_symtab(main_elf) ? "symtab" : "debuginfo";
	return 0;
}
