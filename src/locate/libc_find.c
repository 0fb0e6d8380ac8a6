/* Finding the target's libc: its module, its mapped range, its release (from the banner in
   its read-only data), and making sure no other allocator has taken over malloc. */
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "locate/locate_private.h"

static int is_libc_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strncmp(base, "libc.so", 7) == 0 || strncmp(base, "libc-2.", 7) == 0;
}

struct find_ctx {
	Dwfl_Module *libc;
	const char *name;
	Dwarf_Addr lo, hi;
};

static int find_libc_cb(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
			void *arg)
{
	struct find_ctx *ctx = arg;
	Dwarf_Addr end;

	(void)userdata;
	if (!is_libc_name(name))
		return DWARF_CB_OK;
	dwfl_module_info(mod, NULL, NULL, &end, NULL, NULL, NULL, NULL);
	ctx->libc = mod;
	ctx->name = name;
	ctx->lo = start;
	ctx->hi = end;
	return DWARF_CB_ABORT;
}

int hs_find_libc(struct hs_target *t, struct hs_malloc_info *m, Dwfl_Module **mod,
		 struct hs_error *err)
{
	struct find_ctx ctx = { 0 };

	dwfl_getmodules(t->dwfl, find_libc_cb, &ctx, 0);
	if (ctx.libc == NULL)
		return hs_fail(err, HS_ERR_TARGET, "process %d has no shared glibc mapped (statically linked, "
			       "or another C library): heapsnap reads only glibc's malloc in a dynamically "
			       "linked process", (int)t->pid);
	m->libc_path = hs_xstrdup(ctx.name);
	m->libc_lo = ctx.lo;
	m->libc_hi = ctx.hi;
	*mod = ctx.libc;
	return 0;
}

/* True when the ELF's dynamic symbol table defines `name` as a function. */
static int dynsym_defines(Elf *elf, const char *name)
{
	struct hs_elf_table tab = { .elf = elf };

	while (hs_elf_next_table(&tab, SHT_DYNSYM))
		for (size_t i = 0; i < tab.count; i++) {
			GElf_Sym sym;
			const char *s = hs_elf_defined_function(&tab, i, &sym);
			if (s && strcmp(s, name) == 0)
				return 1;
		}
	return 0;
}

struct interposer_ctx {
	Dwfl_Module *libc;
	const char *found;
};

static int interposer_cb(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
			 void *arg)
{
	struct interposer_ctx *ctx = arg;
	Dwarf_Addr bias;
	Elf *elf;

	(void)userdata;
	(void)start;
	/* The dynamic loader has a minimal malloc of its own for before libc is up. */
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	if (mod == ctx->libc || strncmp(base, "ld-", 3) == 0 || strstr(name, "linux-vdso"))
		return DWARF_CB_OK;
	elf = dwfl_module_getelf(mod, &bias);
	if (elf != NULL && dynsym_defines(elf, "malloc") && dynsym_defines(elf, "free")) {
		ctx->found = name;
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

int hs_check_no_interposer(struct hs_target *t, Dwfl_Module *libc, struct hs_error *err)
{
	struct interposer_ctx ctx = { .libc = libc };

	dwfl_getmodules(t->dwfl, interposer_cb, &ctx, 0);
	if (ctx.found != NULL)
		return hs_fail(err, HS_ERR_TARGET, "process %d gets malloc from %s, not from glibc (jemalloc, "
			       "tcmalloc, mimalloc or similar): heapsnap reads only glibc's malloc",
			       (int)t->pid, ctx.found);
	return 0;
}

/* What the banner search reads at a time; a read takes 64 bytes more, so that a banner
   across two pieces is seen whole. */
#define BANNER_PIECE ((size_t)64 << 10)

/* Searches libc's read-only mappings, the executable ones or the others, for "release
   version X.Y" into m; false when it is not there. */
static bool find_banner(struct hs_target *t, struct hs_malloc_info *m, bool executable, char *buf)
{
	static const char needle[] = "release version ";

	for (size_t i = 0; i < t->nmaps; i++) {
		const struct hs_mapping *map = &t->maps[i];

		if (map->start < m->libc_lo || map->start >= m->libc_hi || !(map->perms & HS_MAP_R) ||
		    (map->perms & HS_MAP_W) || !(map->perms & HS_MAP_X) != !executable)
			continue;
		for (uint64_t a = map->start; a < map->end; a += BANNER_PIECE) {
			size_t len = map->end - a < BANNER_PIECE + 64 ? map->end - a : BANNER_PIECE + 64;
			ssize_t n = t->ops->read(t, a, buf, len);
			char *hit;

			if (n <= 0)
				break;
			hit = memmem(buf, (size_t)n, needle, sizeof(needle) - 1);
			if (hit && sscanf(hit + sizeof(needle) - 1, "%u.%u", &m->major, &m->minor) == 2) {
				snprintf(m->version, sizeof(m->version), "%u.%u", m->major, m->minor);
				return true;
			}
		}
	}
	return false;
}

/* The banner is in .rodata: in a mapping of its own where the linker separated code from
   data (most builds), else with the code. The code (1.4 MB, read while the target is
   stopped) is searched last. */
int hs_read_libc_version(struct hs_target *t, struct hs_malloc_info *m, struct hs_error *err)
{
	char *buf = hs_xmalloc(BANNER_PIECE + 64);
	bool found = find_banner(t, m, false, buf) || find_banner(t, m, true, buf);

	free(buf);
	if (found)
		return 0;
	return hs_fail(err, HS_ERR_TARGET, "cannot find the glibc release banner in %s: the target's libc "
		       "is not a glibc heapsnap knows", m->libc_path);
}
