/* Module roots: the writable part of every module's PT_LOAD segments (the parts still
   writable in the target: RELRO is read-only by then), one root per symbol of the module's
   symbol table (libdwfl: .symtab, else .dynsym) named by the symbol, demangled, and one root
   per module and section (".data", ".bss") for the words outside any symbol. malloc's own
   state (main_arena) is no root: its bins and top point at chunk headers, which lie inside
   the blocks before them. The modules' PT_TLS sizes give the static TLS block's size. */
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "refs/refs_private.h"

extern char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

/* A symbol (or an excluded range: name NULL) inside a writable segment. */
struct sym {
	uint64_t lo, hi;
	const char *name;
};

struct module_pass {
	struct hs_target *t;
	const struct hs_malloc_info *m;
	struct root_set *rs;
	struct covered *cov;
	uint64_t tls;
};

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return (x->hi < y->hi) - (x->hi > y->hi); /* the largest first */
}

static char *symbol_name(const char *name)
{
	int status = -1;
	char *d = strncmp(name, "_Z", 2) == 0 ? __cxa_demangle(name, NULL, NULL, &status) : NULL;

	return d != NULL && status == 0 ? d : hs_xstrdup(name);
}

/* The root of a module's words outside symbols in one section, made on first use. */
struct gap_root {
	int64_t root; /* -1 until made */
	uint64_t lo, hi;
};

static void add_gap(struct module_pass *p, struct gap_root *g, const char *section, const char *module,
		    uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return;
	if (g->root < 0) {
		g->root = hs_root_add(p->rs, HS_ROOT_GLOBAL, hs_xstrdup(section), module, -1, lo, 0);
		g->lo = lo;
	}
	g->hi = hi;
	p->rs->refs->roots[g->root].size = g->hi - g->lo;
	hs_root_add_piece(p->rs, (uint32_t)g->root, lo, hi, NULL);
}

/* Gaps of [lo, hi) split at the .data/.bss boundary. */
static void add_gaps(struct module_pass *p, struct gap_root gaps[2], const char *module, uint64_t lo,
		     uint64_t hi, uint64_t bss_start)
{
	uint64_t cut = bss_start < lo ? lo : bss_start > hi ? hi : bss_start;

	add_gap(p, &gaps[0], ".data", module, lo, cut);
	add_gap(p, &gaps[1], ".bss", module, cut, hi);
}

/* One writable range [lo, hi) of a module: its symbols, then the gaps between them. */
static void add_range(struct module_pass *p, const char *module, uint64_t lo, uint64_t hi,
		      uint64_t bss_start, struct sym *syms, size_t nsyms, struct gap_root gaps[2])
{
	uint64_t cursor = lo;

	for (size_t i = 0; i < nsyms; i++) {
		uint64_t a = syms[i].lo > cursor ? syms[i].lo : cursor;
		uint64_t b = syms[i].hi < hi ? syms[i].hi : hi;

		if (b <= a || syms[i].hi <= lo || syms[i].lo >= hi)
			continue;
		add_gaps(p, gaps, module, cursor, a, bss_start);
		if (syms[i].name != NULL) {
			uint32_t r = hs_root_add(p->rs, HS_ROOT_GLOBAL, symbol_name(syms[i].name), module, -1,
						 syms[i].lo, syms[i].hi - syms[i].lo);
			hs_root_add_piece(p->rs, r, a, b, NULL);
		}
		cursor = b;
	}
	add_gaps(p, gaps, module, cursor, hi, bss_start);
}

static size_t module_symbols(Dwfl_Module *mod, const struct hs_malloc_info *m, struct sym **out)
{
	int n = dwfl_module_getsymtab(mod);
	size_t count = 0, cap = 0;
	struct sym *syms = NULL;

	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *name = dwfl_module_getsym_info(mod, i, &sym, &addr, NULL, NULL, NULL);
		int type = GELF_ST_TYPE(sym.st_info);

		if (name == NULL || sym.st_size == 0 || sym.st_shndx == SHN_UNDEF ||
		    (type != STT_OBJECT && type != STT_NOTYPE && type != STT_COMMON))
			continue;
		hs_xgrow((void **)&syms, &cap, count + 1, sizeof(*syms));
		syms[count++] = (struct sym){ .lo = addr, .hi = addr + sym.st_size,
					      .name = addr == m->main_arena ? NULL : name };
	}
	/* main_arena also without symbols (located by the scan). */
	hs_xgrow((void **)&syms, &cap, count + 1, sizeof(*syms));
	syms[count++] = (struct sym){ .lo = m->main_arena, .hi = m->main_arena + m->layout->ms_sizeof };
	qsort(syms, count, sizeof(*syms), cmp_sym);
	*out = syms;
	return count;
}

static void add_module(struct module_pass *p, Dwfl_Module *mod)
{
	const char *name;
	struct gap_root gaps[2] = { { .root = -1 }, { .root = -1 } };
	const char *mainfile = NULL;
	struct sym *syms = NULL;
	size_t nsyms = 0, nphdr;
	GElf_Addr bias;
	Elf *elf = dwfl_module_getelf(mod, &bias);

	if (elf == NULL || elf_getphdrnum(elf, &nphdr) != 0)
		return;
	name = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &mainfile, NULL);
	if (mainfile == NULL)
		mainfile = name;
	for (size_t i = 0; i < nphdr; i++) {
		GElf_Phdr ph;
		uint64_t lo, hi;

		if (gelf_getphdr(elf, (int)i, &ph) == NULL)
			continue;
		if (ph.p_type == PT_TLS)
			p->tls += (ph.p_memsz + (ph.p_align ? ph.p_align - 1 : 0)) & ~(ph.p_align ? ph.p_align - 1 : 0);
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_W))
			continue;
		if (syms == NULL)
			nsyms = module_symbols(mod, p->m, &syms);
		lo = bias + ph.p_vaddr;
		hi = lo + ph.p_memsz;
		hs_covered_add(p->cov, lo, hi);
		/* Only what the target's mappings say is writable. */
		for (size_t k = 0; k < p->t->nmaps; k++) {
			const struct hs_mapping *map = &p->t->maps[k];
			uint64_t a = map->start > lo ? map->start : lo, b = map->end < hi ? map->end : hi;

			if (a < b && (map->perms & HS_MAP_W)) {
				hs_covered_add(p->cov, map->start, map->end);
				add_range(p, mainfile, a, b, bias + ph.p_vaddr + ph.p_filesz, syms, nsyms, gaps);
			}
		}
	}
	free(syms);
}

struct module_list {
	struct { Dwarf_Addr start; Dwfl_Module *mod; } *v;
	size_t n, cap;
};

static int list_module(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start, void *arg)
{
	struct module_list *l = arg;

	(void)userdata;
	(void)name;
	hs_xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n].start = start;
	l->v[l->n++].mod = mod;
	return DWARF_CB_OK;
}

static int cmp_module(const void *a, const void *b)
{
	Dwarf_Addr x = *(const Dwarf_Addr *)a, y = *(const Dwarf_Addr *)b;
	return (x > y) - (x < y);
}

uint64_t hs_roots_modules(struct hs_target *t, const struct hs_malloc_info *m, struct root_set *rs,
			  struct covered *cov)
{
	struct module_pass p = { .t = t, .m = m, .rs = rs, .cov = cov };
	struct module_list l = { 0 };

	/* In address order: libdwfl lists a live process's and a core's modules differently,
	   and the roots' indices should not depend on that. */
	dwfl_getmodules(t->dwfl, list_module, &l, 0);
	qsort(l.v, l.n, sizeof(*l.v), cmp_module);
	for (size_t i = 0; i < l.n; i++)
		add_module(&p, l.v[i].mod);
	free(l.v);
	return p.tls;
}
