/* glibc's stdio: FILE objects (fopen's, recognised by their _flags magic and a vtable inside
   libc's __libc_IO_vtables section, which glibc 2.24+ checks itself) and their buffers, whose
   addresses the FILEs hold. Buffers of every open FILE, stdin/stdout/stderr included (static
   in libc, buffers on the heap), are collected up front from libc's _IO_list_all. */
#include <elfutils/libdwfl.h>

#include "attach/attach.h"
#include "classify/classify_private.h"

/* struct _IO_FILE, 64-bit, unchanged since glibc 2.1. */
enum {
	IO_BUF_BASE = 56,
	IO_CHAIN = 104,
	IO_FILE_VTABLE = 216, /* in _IO_FILE_plus, right after the FILE */
};
#define IO_MAGIC 0xFBAD0000u
#define IO_MAGIC_MASK 0xFFFF0000u
#define MAX_LISTED_FILES 65536 /* bounds a walk of a corrupt list */

_Static_assert(IO_FILE_VTABLE + 8 == FILE_HEAD_BYTES, "FILE_HEAD_BYTES covers a FILE's vtable");

bool hs_stdio_file_flags(uint64_t word0)
{
	return ((uint32_t)word0 & IO_MAGIC_MASK) == IO_MAGIC;
}

static void remember_buffer(struct hs_classifier *c, uint64_t buf)
{
	hs_u64map_put(&c->stdio_buffers, buf, 1);
	if (buf < c->stdio_buffers_lo)
		c->stdio_buffers_lo = buf;
	if (buf > c->stdio_buffers_hi)
		c->stdio_buffers_hi = buf;
}

static void remember_buffers_of_open_files(struct hs_classifier *c, uint64_t list_all)
{
	uint64_t fp, file[IO_CHAIN / 8 + 1];

	if (!hs_peek(c, list_all, &fp, sizeof(fp)))
		return;
	for (size_t n = 0; fp != 0 && n < MAX_LISTED_FILES; n++) {
		if (!hs_peek(c, fp, file, sizeof(file)) || !hs_stdio_file_flags(file[0]))
			return;
		if (file[IO_BUF_BASE / 8] != 0)
			remember_buffer(c, file[IO_BUF_BASE / 8]);
		fp = file[IO_CHAIN / 8];
	}
}

static int find_libc_stdio(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
			   void *arg)
{
	struct hs_classifier *c = arg;
	uint64_t list_all;

	(void)userdata;
	(void)name;
	(void)start;
	/* Looked up by section, not by file name: a static binary carries libc inside. */
	if (!hs_module_section(mod, "__libc_IO_vtables", &c->io_vtables_start, &c->io_vtables_end))
		return DWARF_CB_OK;
	if ((list_all = hs_module_symbol(mod, "_IO_list_all")) != 0)
		remember_buffers_of_open_files(c, list_all);
	return DWARF_CB_ABORT;
}

void hs_stdio_init(struct hs_classifier *c)
{
	c->stdio_buffers_lo = UINT64_MAX;
	c->stdio_buffers_hi = 0;
	if (c->t->dwfl != NULL)
		dwfl_getmodules(c->t->dwfl, find_libc_stdio, c, 0);
}

type_ref hs_classify_stdio_buffer(struct hs_classifier *c, uint64_t addr)
{
	uint64_t seen;

	if (addr < c->stdio_buffers_lo || addr > c->stdio_buffers_hi ||
	    !hs_u64map_get(&c->stdio_buffers, addr, &seen))
		return 0;
	return hs_fixed_type(c, &c->stdio_buffer, "glibc:stdio buffer", "libc");
}

type_ref hs_classify_stdio(struct hs_classifier *c, uint64_t addr, uint64_t usable, const uint8_t *bytes,
			size_t avail)
{
	uint64_t vtable, buf;
	type_ref t;

	if ((t = hs_classify_stdio_buffer(c, addr)) != 0)
		return t;
	if (avail < 8 || !hs_stdio_file_flags(load_u64(bytes)) || c->io_vtables_end == 0 ||
	    usable < IO_FILE_VTABLE + 8)
		return 0;
	if (avail >= IO_FILE_VTABLE + 8) {
		vtable = load_u64(bytes + IO_FILE_VTABLE);
		buf = load_u64(bytes + IO_BUF_BASE);
	} else if (!hs_peek(c, addr + IO_FILE_VTABLE, &vtable, 8) || !hs_peek(c, addr + IO_BUF_BASE, &buf, 8)) {
		return 0;
	}
	if (vtable < c->io_vtables_start || vtable >= c->io_vtables_end)
		return 0;
	/* Its buffer too, should the walk reach it after the FILE (found without libc's list). */
	if (buf != 0)
		remember_buffer(c, buf);
	return hs_fixed_type(c, &c->file, "glibc:FILE", "libc");
}
