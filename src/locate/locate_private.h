/* src/locate's private header: the steps of hs_malloc_locate, one file each, and the helpers
   they share (ELF tables of libc's file). */
#ifndef HS_LOCATE_PRIVATE_H
#define HS_LOCATE_PRIVATE_H

#include <gelf.h>
#include <stdbool.h>

#include "attach/attach.h"
#include "locate/locate.h"

struct Dwfl_Module;
int hs_find_libc(struct hs_target *t, struct hs_malloc_info *m, struct Dwfl_Module **mod,
		 struct hs_error *err);
int hs_check_no_interposer(struct hs_target *t, struct Dwfl_Module *libc, struct hs_error *err);
int hs_read_libc_version(struct hs_target *t, struct hs_malloc_info *m, struct hs_error *err);
/* Fills main_arena, mp and the tcache TLS offset from symbols; returns 0 when all found. */
int hs_locate_by_symbols(struct hs_target *t, struct Dwfl_Module *libc, struct hs_malloc_info *m);
int hs_locate_by_scan(struct hs_target *t, struct hs_malloc_info *m, struct hs_error *err);
/* Finds the tcache TLS slot by the shape of what it points at in every thread. */
void hs_locate_tcache_slot_by_shape(struct hs_target *t, struct Dwfl_Module *libc,
				    struct hs_malloc_info *m);
/* The thread-pointer offsets of libc's initial-exec TLS variables (GOT slots of
   R_X86_64_TPOFF64 relocations without symbol): n pairs (addend, tpoff). */
size_t hs_libc_tls_slots(struct hs_target *t, struct Dwfl_Module *libc, int64_t (**pairs)[2]);
/* 2.27-2.29: which tcache counts this build has shows in the size of the chunk holding a
   thread's tcache struct (0x250 with char counts, 0x290 with the uint16_t backport); switches
   m->layout accordingly. Any other size is no layout heapsnap knows (exit 3). */
int hs_confirm_tcache_layout(struct hs_target *t, struct hs_malloc_info *m, struct hs_error *err);
void hs_find_malloc_code(struct Dwfl_Module *libc, bool use_symtab, struct hs_malloc_info *m);

/* Iterating the entries of an ELF file's tables of one kind (dynamic symbols, relocations),
   whatever section holds them: libc's own tables, read from its file through libdwfl. */
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
