/* ELF table iteration (see locate_private.h). */
#include <stddef.h>

#include "locate/locate_private.h"

bool hs_elf_next_table(struct hs_elf_table *tab, GElf_Word sh_type)
{
	while (tab->elf != NULL && (tab->scn = elf_nextscn(tab->elf, tab->scn)) != NULL) {
		if (gelf_getshdr(tab->scn, &tab->shdr) == NULL || tab->shdr.sh_type != sh_type ||
		    tab->shdr.sh_entsize == 0)
			continue;
		tab->data = elf_getdata(tab->scn, NULL);
		if (tab->data == NULL)
			continue;
		tab->count = tab->shdr.sh_size / tab->shdr.sh_entsize;
		return true;
	}
	return false;
}

const char *hs_elf_defined_function(const struct hs_elf_table *tab, size_t i, GElf_Sym *sym)
{
	if (gelf_getsym(tab->data, (int)i, sym) == NULL || sym->st_shndx == SHN_UNDEF)
		return NULL;
	if (GELF_ST_TYPE(sym->st_info) != STT_FUNC && GELF_ST_TYPE(sym->st_info) != STT_GNU_IFUNC)
		return NULL;
	return elf_strptr(tab->elf, tab->shdr.sh_link, sym->st_name);
}
