/* Core-file backend (see attach.h): opening and checking the core, the target operations,
   and the queries the take uses to report what the core lacks. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach/attach_private.h"
#include "common/xalloc.h"

static ssize_t core_read(struct hs_target *t, uint64_t addr, void *buf, size_t len)
{
	return hs_core_read_memory(t->backend, addr, buf, len);
}

static void core_destroy(struct hs_target *t)
{
	struct core_backend *b = t->backend;

	/* libdwfl reads the core's Elf until dwfl_end. */
	hs_target_free_common(t);
	for (size_t i = 0; t->debug_dirs != NULL && t->debug_dirs[i] != NULL; i++)
		free(t->debug_dirs[i]);
	free(t->debug_dirs);
	hs_core_close_files(b);
	hs_core_free_notes(b);
	free(b->segs);
	free(b->gaps);
	if (b->elf != NULL)
		elf_end(b->elf);
	if (b->fd >= 0)
		close(b->fd);
	free(b->sysroot);
	free(b->exe_arg);
	free(b);
	free(t);
}

static const struct hs_target_ops core_ops = {
	.read = core_read,
	.readv = hs_target_readv_each,
	.unwind = hs_core_unwind,
	.release = hs_target_release_nothing, /* nothing runs in a core */
	.destroy = core_destroy,
};

static const char *machine_name(unsigned machine, unsigned elfclass)
{
	switch (machine) {
	case EM_X86_64:
		return elfclass == ELFCLASS32 ? "x32" : "x86-64";
	case EM_386:
		return "32-bit x86";
	case EM_AARCH64:
		return "AArch64";
	case EM_ARM:
		return "32-bit ARM";
	case EM_RISCV:
		return "RISC-V";
	case EM_PPC64:
		return "POWER";
	case EM_S390:
		return "s390";
	default:
		return NULL;
	}
}

/* Opens the file and checks it is an x86-64 ELF core. */
static int open_core(struct core_backend *b, const char *path, struct hs_error *err)
{
	struct stat st;
	GElf_Ehdr eh;
	const char *machine;

	b->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (b->fd < 0 || fstat(b->fd, &st) != 0)
		return hs_fail(err, HS_ERR_TARGET, "cannot open core file %s: %s: check the path "
			       "and its permissions", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return hs_fail(err, HS_ERR_TARGET, "%s is not a regular file: give a core dump "
			       "file", path);
	if (st.st_size == 0)
		return hs_fail(err, HS_ERR_TARGET, "%s is empty, not a core dump: the dump probably "
			       "failed (disk space, core size limit); take it again", path);
	b->core_size = (uint64_t)st.st_size;
	elf_version(EV_CURRENT);
	b->elf = elf_begin(b->fd, ELF_C_READ_MMAP, NULL);
	if (b->elf == NULL || elf_kind(b->elf) != ELF_K_ELF || gelf_getehdr(b->elf, &eh) == NULL)
		return hs_fail(err, HS_ERR_TARGET, "%s is not an ELF file: give a core dump (from "
			       "the kernel or gdb's gcore)", path);
	b->image = (const unsigned char *)elf_rawfile(b->elf, NULL);
	if (b->image == NULL)
		return hs_fail(err, HS_ERR_TARGET, "cannot map core file %s (%s): check free "
			       "address space and memory", path, elf_errmsg(-1));
	if (eh.e_type != ET_CORE)
		return hs_fail(err, HS_ERR_TARGET, "%s is an ELF %s, not a core dump: give the core "
			       "with --core (and this file with --exe if it is the executable)", path,
			       eh.e_type == ET_EXEC || eh.e_type == ET_DYN ? "executable or library"
			       : "object");
	if (eh.e_machine != EM_X86_64 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		machine = machine_name(eh.e_machine, eh.e_ident[EI_CLASS]);
		if (machine != NULL)
			return hs_fail(err, HS_ERR_TARGET, "%s is a core dump of a process for %s: "
				       "heapsnap reads x86-64 cores only for now", path, machine);
		return hs_fail(err, HS_ERR_TARGET, "%s is a core dump of a process for ELF "
			       "machine %u: heapsnap reads x86-64 cores only for now", path, eh.e_machine);
	}
	return 0;
}

static char **copy_strings(const char *const *v)
{
	size_t n = 0;
	char **copy;

	if (v == NULL)
		return NULL;
	while (v[n] != NULL)
		n++;
	copy = hs_xcalloc(n + 1, sizeof(*copy));
	for (size_t i = 0; i < n; i++)
		copy[i] = hs_xstrdup(v[i]);
	return copy;
}

int hs_core_open(const char *core_path, const char *exe, const char *sysroot,
		 const char *const *debug_dirs, struct hs_target **out, struct hs_error *err)
{
	struct hs_target *t = hs_xcalloc(1, sizeof(*t));
	struct core_backend *b = hs_xcalloc(1, sizeof(*b));

	t->ops = &core_ops;
	t->source = "core";
	t->backend = b;
	t->debug_dirs = copy_strings(debug_dirs);
	b->fd = -1;
	b->page_size = 4096;
	b->sysroot = sysroot != NULL && sysroot[0] != '\0' ? hs_xstrdup(sysroot) : NULL;
	b->exe_arg = exe != NULL ? hs_xstrdup(exe) : NULL;
	*out = NULL;
	if (open_core(b, core_path, err) != 0 || hs_core_read_notes(b, t, core_path, err) != 0)
		goto fail;
	hs_core_load_segments(b);
	if (hs_core_report_modules(b, t, debug_dirs, err) != 0)
		goto fail;
	hs_core_open_files(b, t);
	hs_core_build_maps(b, t);
	hs_core_describe_process(b, t);
	hs_core_compute_gaps(b, t);
	*out = t;
	return 0;
fail:
	core_destroy(t);
	return -1;
}

const struct hs_core_gap *hs_core_gaps(const struct hs_target *t, size_t *n)
{
	const struct core_backend *b = t->ops == &core_ops ? t->backend : NULL;

	*n = b != NULL ? b->ngaps : 0;
	return b != NULL ? b->gaps : NULL;
}

const char *hs_core_file_source(const struct hs_target *t, uint64_t addr)
{
	const struct core_file *file = t->ops == &core_ops ? hs_core_file_for(t->backend, addr) : NULL;

	return file != NULL ? file->host_path : NULL;
}
