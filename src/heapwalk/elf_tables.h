/* Iterating the entries of an ELF file's tables of one kind (dynamic symbols, relocations),
   whatever section holds them: libc's own tables, read from its file through libdwfl. */
#ifndef HS_ELF_TABLES_H
#define HS_ELF_TABLES_H

#include <gelf.h>
#include <stdbool.h>

struct hs_elf_table {
	Elf *elf;
	Elf_Scn *scn;
	GElf_Shdr shdr;
	Elf_Data *data;
	size_t count; /* entries in the current section */
};

/* Moves to the next section of type sh_type (SHT_DYNSYM, SHT_RELA, ...); false at the end.
   Start with a zeroed struct whose elf is set. */
bool hs_elf_next_table(struct hs_elf_table *tab, GElf_Word sh_type);

/* The name of a defined function symbol at index i of a SHT_DYNSYM table, or NULL. */
const char *hs_elf_defined_function(const struct hs_elf_table *tab, size_t i, GElf_Sym *sym);

#endif
