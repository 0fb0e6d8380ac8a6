/* Where malloc's code lies in the target, so that a thread stopped inside it (or with a
   caller inside it, e.g. blocked in mmap from sysmalloc) is recognised and the walk retried.
   With a symbol table every malloc function, static ones included, has its own range; with
   only .dynsym the span of the exported malloc functions stands for malloc.o's text, which
   holds the static helpers between them. */
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <string.h>

#include "common/xalloc.h"
#include "locate/locate_private.h"

static const char *const malloc_functions[] = {
	"malloc", "free", "calloc", "realloc", "memalign", "aligned_alloc", "posix_memalign",
	"valloc", "pvalloc", "reallocarray", "malloc_usable_size", "malloc_trim", "mallinfo",
	"mallinfo2", "malloc_stats", "mallopt", "malloc_info", "cfree",
	"__libc_malloc", "__libc_free", "__libc_calloc", "__libc_realloc", "__libc_memalign",
	"__libc_valloc", "__libc_pvalloc", "__libc_mallinfo", "__libc_mallinfo2",
	"_int_malloc", "_int_free", "_int_free_merge_chunk", "_int_free_create_chunk",
	"_int_free_maybe_consolidate", "_int_realloc", "_int_memalign", "_mid_memalign",
	"sysmalloc", "sysmalloc_mmap", "sysmalloc_mmap_fallback", "systrim", "malloc_consolidate",
	"tcache_init", "tcache_thread_shutdown", "tcache_get", "tcache_put", "arena_get2",
	"arena_get_retry", "_int_new_arena", "get_free_list", "reused_arena", "new_heap",
	"alloc_new_heap", "grow_heap", "shrink_heap", "heap_trim", "munmap_chunk", "mremap_chunk",
	"malloc_printerr", "ptmalloc_init", "__malloc_fork_lock_parent",
	"__malloc_fork_unlock_parent", "__malloc_fork_unlock_child",
	"__malloc_arena_thread_freeres", "int_mallinfo", "malloc_hook_ini", "realloc_hook_ini",
	"memalign_hook_ini", "__malloc_check_init", "_int_malloc_small", "tcache_key_initialize",
};

/* Compares a symbol name with a function name, ignoring GCC's clone suffixes (.cold,
   .part.N, .isra.N, .constprop.N). Asked for each of libc's thousands of functions while
   the target is stopped: the first letter rules out most names before anything else. */
static int is_malloc_function(const char *name)
{
	size_t len = strcspn(name, ".");

	for (size_t i = 0; i < sizeof(malloc_functions) / sizeof(malloc_functions[0]); i++)
		if (malloc_functions[i][0] == name[0] && strncmp(malloc_functions[i], name, len) == 0 &&
		    malloc_functions[i][len] == '\0')
			return 1;
	return 0;
}

static void add_range(struct hs_malloc_info *m, size_t *cap, uint64_t lo, uint64_t hi)
{
	hs_xgrow((void **)&m->malloc_code, cap, m->nmalloc_code + 1, sizeof(*m->malloc_code));
	m->malloc_code[m->nmalloc_code++] = (struct hs_code_range){ lo, hi };
}

static void from_symtab(Dwfl_Module *libc, struct hs_malloc_info *m, size_t *cap)
{
	int n = dwfl_module_getsymtab(libc);

	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		const char *name = dwfl_module_getsym_info(libc, i, &sym, &addr, NULL, NULL, NULL);

		if (name && GELF_ST_TYPE(sym.st_info) == STT_FUNC && is_malloc_function(name))
			add_range(m, cap, addr, addr + (sym.st_size ? sym.st_size : 1));
	}
}

static void from_dynsym(Dwfl_Module *libc, struct hs_malloc_info *m, size_t *cap)
{
	Dwarf_Addr bias;
	struct hs_elf_table tab = { .elf = dwfl_module_getelf(libc, &bias) };
	uint64_t lo = UINT64_MAX, hi = 0;

	while (hs_elf_next_table(&tab, SHT_DYNSYM))
		for (size_t i = 0; i < tab.count; i++) {
			GElf_Sym sym;
			const char *name = hs_elf_defined_function(&tab, i, &sym);

			if (name == NULL || !is_malloc_function(name))
				continue;
			if (bias + sym.st_value < lo)
				lo = bias + sym.st_value;
			if (bias + sym.st_value + sym.st_size > hi)
				hi = bias + sym.st_value + sym.st_size;
		}
	if (lo < hi)
		add_range(m, cap, lo, hi);
}

void hs_find_malloc_code(Dwfl_Module *libc, bool use_symtab, struct hs_malloc_info *m)
{
	size_t cap = 0;

	if (use_symtab)
		from_symtab(libc, m, &cap);
	from_dynsym(libc, m, &cap);
}
