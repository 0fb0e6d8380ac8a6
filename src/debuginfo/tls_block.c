/* Where a module's static TLS block lies for one thread (x86-64, variant II: blocks below
   the thread pointer). The executable's is at fs_base minus its offset, computed as glibc's
   _dl_determine_tlsoffset does for the first module; a shared library's offset is read from
   the target's own link_map (l_tls_offset, whose place in struct link_map ld.so's DWARF
   says, read with ld.so's other DWARF, before a live target stops), found through the
   executable's DT_DEBUG (r_debug). */
#include <dwarf.h>
#include <gelf.h>
#include <string.h>

#include "debuginfo/debuginfo_private.h"

/* Link maps followed at most, and dynamic entries read at most. */
#define MAX_LINK_MAPS 4096
#define MAX_DYN 1024
/* struct link_map's public head (<link.h>): l_addr, l_name, l_ld, l_next. */
#define LINK_MAP_L_LD 16
#define LINK_MAP_L_NEXT 24
#define R_DEBUG_R_MAP 8

static bool module_phdr(Dwfl_Module *mod, uint32_t type, GElf_Phdr *out, Dwarf_Addr *bias)
{
	Elf *elf = dwfl_module_getelf(mod, bias);
	size_t n;

	if (elf == NULL || elf_getphdrnum(elf, &n) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (gelf_getphdr(elf, (int)i, out) != NULL && out->p_type == type)
			return true;
	return false;
}

/* The executable's offset: roundup(p_memsz - firstbyte, p_align) + firstbyte, where firstbyte
   aligns the block's first byte as its p_vaddr is aligned (glibc's l_tls_firstbyte_offset). */
static bool exe_tls_offset(const GElf_Phdr *tls, uint64_t *off)
{
	uint64_t align = tls->p_align != 0 ? tls->p_align : 1;
	uint64_t firstbyte = -(tls->p_vaddr & (align - 1)) & (align - 1);

	if ((align & (align - 1)) != 0 || tls->p_memsz > UINT64_MAX - align)
		return false;
	/* As glibc computes it, in size_t arithmetic. */
	*off = ((tls->p_memsz - firstbyte + align - 1) & ~(align - 1)) + firstbyte;
	return true;
}

static bool is_dynamic_linker(Dwfl_Module *mod)
{
	const char *name = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	const char *base = name != NULL && strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name;

	return base != NULL && strncmp(base, "ld-", 3) == 0;
}

/* Whether mod is the executable: mapped from the target's executable file (libc.so.6 too
   has a PT_INTERP, so that cannot tell). By address: mod may come from another Dwfl than
   the target's (the one read before a live target stopped). */
static bool is_executable(struct hs_target *t, Dwfl_Module *mod)
{
	Dwarf_Addr start, end;

	if (t->exe == NULL || dwfl_module_info(mod, NULL, &start, &end, NULL, NULL, NULL, NULL) == NULL)
		return false;
	for (size_t i = 0; i < t->nmaps; i++)
		if (t->maps[i].path != NULL && strcmp(t->maps[i].path, t->exe) == 0 && t->maps[i].start >= start &&
		    t->maps[i].start < end)
			return true;
	return false;
}

static Dwfl_Module *executable(const struct hs_debuginfo *di, struct hs_target *t)
{
	for (size_t i = 0; i < di->nmodules; i++)
		if (is_executable(t, di->modules[i]->mod))
			return di->modules[i]->mod;
	return NULL;
}

/* The offset of l_tls_offset in ld.so's struct link_map (the internal one, which has it),
   from ld.so's DWARF dw. */
static bool l_tls_offset_place(Dwarf *dw, uint64_t *place)
{
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Die unit, die, member;
	size_t budget = HS_DI_MAX_DIES;

	while (dw != NULL && dwarf_get_units(dw, cu, &next, NULL, NULL, &unit, NULL) == 0) {
		cu = next;
		if (dwarf_child(&unit, &die) != 0)
			continue;
		do {
			const char *name = dwarf_diename(&die);

			if (budget-- == 0)
				return false;
			if (dwarf_tag(&die) != DW_TAG_structure_type || name == NULL ||
			    strcmp(name, "link_map") != 0 || dwarf_child(&die, &member) != 0)
				continue;
			do {
				const char *m = dwarf_diename(&member);
				if (budget-- == 0)
					return false;
				if (m != NULL && strcmp(m, "l_tls_offset") == 0)
					return hs_di_member_offset(&member, place);
			} while (dwarf_siblingof(&member, &member) == 0);
		} while (dwarf_siblingof(&die, &die) == 0);
	}
	return false;
}

/* The target's r_debug, from the executable's DT_DEBUG (which ld.so fills at start). */
static bool r_debug_address(struct hs_target *t, Dwfl_Module *exe, uint64_t *out)
{
	GElf_Phdr dyn;
	Dwarf_Addr bias;

	if (!module_phdr(exe, PT_DYNAMIC, &dyn, &bias))
		return false;
	for (uint64_t i = 0; i < MAX_DYN && i < dyn.p_memsz / 16; i++) {
		uint64_t tag, value;

		if (hs_target_read_u64(t, bias + dyn.p_vaddr + 16 * i, &tag) != 0 || tag == DT_NULL ||
		    hs_target_read_u64(t, bias + dyn.p_vaddr + 16 * i + 8, &value) != 0)
			return false;
		if (tag == DT_DEBUG) {
			*out = value;
			return value != 0;
		}
	}
	return false;
}

void hs_di_note_dynamic_linker(struct hs_debuginfo *di, struct di_module *m)
{
	if (!di->l_tls_offset_known && m->dw != NULL && is_dynamic_linker(m->mod))
		di->l_tls_offset_known = l_tls_offset_place(m->dw, &di->l_tls_offset);
}

static bool library_tls_offset(const struct hs_debuginfo *di, struct hs_target *t, Dwfl_Module *mod, uint64_t *off)
{
	Dwfl_Module *exe = executable(di, t);
	GElf_Phdr dyn;
	Dwarf_Addr bias;
	uint64_t r_debug, map, place = di->l_tls_offset, ld_addr;

	if (exe == NULL || !di->l_tls_offset_known || !module_phdr(mod, PT_DYNAMIC, &dyn, &bias) ||
	    !r_debug_address(t, exe, &r_debug) || hs_target_read_u64(t, r_debug + R_DEBUG_R_MAP, &map) != 0)
		return false;
	for (unsigned i = 0; i < MAX_LINK_MAPS && map != 0; i++) {
		if (hs_target_read_u64(t, map + LINK_MAP_L_LD, &ld_addr) != 0)
			return false;
		if (ld_addr == bias + dyn.p_vaddr)
			/* 0: no TLS; -1, -2: dynamic TLS only (glibc's NO_TLS_OFFSET, FORCED_DYNAMIC_TLS_OFFSET). */
			return hs_target_read_u64(t, map + place, off) == 0 && (int64_t)*off > 0;
		if (hs_target_read_u64(t, map + LINK_MAP_L_NEXT, &map) != 0)
			return false;
	}
	return false;
}

int hs_debuginfo_tls_block(const struct hs_debuginfo *di, struct hs_target *t, Dwfl_Module *mod, uint64_t fs_base,
			   uint64_t *block)
{
	GElf_Phdr tls;
	Dwarf_Addr bias;
	uint64_t off;
	bool found;

	if (t == NULL || mod == NULL || !module_phdr(mod, PT_TLS, &tls, &bias))
		return -1;
	found = is_executable(t, mod) ? exe_tls_offset(&tls, &off) : library_tls_offset(di, t, mod, &off);
	if (!found || off > fs_base)
		return -1;
	*block = fs_base - off;
	return 0;
}
