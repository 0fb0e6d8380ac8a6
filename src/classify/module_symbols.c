/* What the target's modules say about an address, through libdwfl: the symbol covering it
   (from .symtab, a debug file's .symtab, or .dynsym, whichever libdwfl found), a symbol's
   address by name, a section's extent. */
#include <elfutils/libdwfl.h>
#include <gelf.h>

#include "attach/attach.h"
#include "classify/classify_private.h"

const char *hs_symbol_covering(struct hs_classifier *c, uint64_t addr, uint64_t *offset)
{
	Dwfl_Module *mod;
	GElf_Off off;
	GElf_Sym sym;
	const char *name = NULL;

	hs_classify_lock();
	mod = c->t->dwfl ? dwfl_addrmodule(c->t->dwfl, addr) : NULL;
	if (mod != NULL)
		name = dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL, NULL);
	hs_classify_unlock();
	/* libdwfl falls back to the nearest symbol below: only a sized symbol that holds addr
	   says what addr is. The name lives as long as the module. */
	if (name == NULL || sym.st_size == 0 || off >= sym.st_size)
		return NULL;
	*offset = off;
	return name;
}

static bool same_symbol_name(const char *sym, const char *name)
{
	size_t n = strlen(name);
	/* .dynsym names may carry a version ("name@@GLIBC_2.2.5"). */
	return strncmp(sym, name, n) == 0 && (sym[n] == '\0' || sym[n] == '@');
}

uint64_t hs_module_symbol(Dwfl_Module *mod, const char *name)
{
	int n = dwfl_module_getsymtab(mod);

	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *s = dwfl_module_getsym_info(mod, i, &sym, &addr, NULL, NULL, NULL);
		if (s != NULL && sym.st_shndx != SHN_UNDEF && same_symbol_name(s, name))
			return addr;
	}
	return 0;
}

bool hs_module_section(Dwfl_Module *mod, const char *name, uint64_t *start, uint64_t *end)
{
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	size_t shstrndx;

	if (elf == NULL || elf_getshdrstrndx(elf, &shstrndx) != 0)
		return false;
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn != NULL; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr shdr;
		const char *s;
		if (gelf_getshdr(scn, &shdr) == NULL || !(shdr.sh_flags & SHF_ALLOC))
			continue;
		s = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (s != NULL && strcmp(s, name) == 0) {
			*start = shdr.sh_addr + bias;
			*end = *start + shdr.sh_size;
			return true;
		}
	}
	return false;
}
