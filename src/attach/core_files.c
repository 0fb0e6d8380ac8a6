/* The files behind a core's file-backed mappings (NT_FILE), opened on this host to stand in
   for the memory the core left out. A file is looked for under --sysroot first, then at its
   own path (--exe replaces the executable's); an ELF file is used only when its build-id
   is the one the core's memory image declares, as libdwfl read it for the module. */
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach/attach_private.h"
#include "common/xalloc.h"

void hs_core_file_candidates(const struct core_backend *b, const char *path, char *out[3])
{
	size_t n = 0;

	if (b->sysroot != NULL && path[0] == '/') {
		out[n] = hs_xmalloc(strlen(b->sysroot) + strlen(path) + 1);
		strcpy(out[n], b->sysroot);
		strcat(out[n++], path);
	}
	out[n++] = hs_xstrdup(path);
	out[n] = NULL;
}

/* The build-id the core's module at addr declares; 0 when none is known. */
static int expected_build_id(Dwfl *dwfl, uint64_t addr, const unsigned char **bits)
{
	Dwfl_Module *mod = dwfl != NULL ? dwfl_addrmodule(dwfl, addr) : NULL;
	GElf_Addr vaddr;
	int len = mod != NULL ? dwfl_module_build_id(mod, bits, &vaddr) : 0;

	return len > 0 ? len : 0;
}

/* Opens one candidate; the file's state says whether it can be used. */
static void try_open(struct core_file *file, const char *host_path, const unsigned char *want,
		     int want_len)
{
	int fd = open(host_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	Elf *elf;
	const void *have = NULL;
	ssize_t have_len = 0;

	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf != NULL && elf_kind(elf) != ELF_K_ELF) {
		elf_end(elf);
		elf = NULL;
	}
	if (elf != NULL)
		have_len = dwelf_elf_gnu_build_id(elf, &have);
	if (want_len > 0 && (have_len != want_len || memcmp(have, want, (size_t)want_len) != 0)) {
		elf_end(elf);
		close(fd);
		file->state = CORE_FILE_WRONG_ID;
		return;
	}
	file->state = CORE_FILE_OK;
	file->fd = fd;
	file->size = (uint64_t)st.st_size;
	file->elf = elf;
	file->host_path = hs_xstrdup(host_path);
}

static void open_one(struct core_backend *b, Dwfl *dwfl, struct core_file *file,
		     const struct core_file_note *first, bool is_exe)
{
	const unsigned char *want = NULL;
	int want_len = expected_build_id(dwfl, first->start, &want);
	char *candidates[3];

	file->fd = -1;
	file->state = CORE_FILE_MISSING;
	if (is_exe && b->exe_arg != NULL) {
		candidates[0] = hs_xstrdup(b->exe_arg);
		candidates[1] = NULL;
	} else {
		hs_core_file_candidates(b, file->core_path, candidates);
	}
	for (size_t i = 0; candidates[i] != NULL; i++) {
		if (file->state != CORE_FILE_OK)
			try_open(file, candidates[i], want, want_len);
		free(candidates[i]);
	}
}

void hs_core_open_files(struct core_backend *b, struct hs_target *t)
{
	/* The executable is the file mapped at the entry point. */
	const struct core_file_note *exe = b->auxv.entry ? hs_core_find_file_note(b, b->auxv.entry) : NULL;

	/* Entries of one path share one file; a core has few distinct paths. */
	b->files = hs_xcalloc(b->nnotes_file, sizeof(*b->files));
	for (size_t i = 0; i < b->nnotes_file; i++) {
		struct core_file_note *f = &b->notes_file[i];
		for (size_t j = 0; j < b->nfiles && f->file == NULL; j++)
			if (strcmp(b->files[j].core_path, f->path) == 0)
				f->file = &b->files[j];
		if (f->file != NULL)
			continue;
		f->file = &b->files[b->nfiles++];
		f->file->core_path = f->path;
		open_one(b, t->dwfl, f->file, f, exe != NULL && strcmp(exe->path, f->path) == 0);
	}
}

void hs_core_close_files(struct core_backend *b)
{
	for (size_t i = 0; i < b->nfiles; i++) {
		struct core_file *file = &b->files[i];
		if (file->elf != NULL)
			elf_end(file->elf);
		if (file->fd >= 0)
			close(file->fd);
		free(file->host_path);
	}
	free(b->files);
	b->files = NULL;
	b->nfiles = 0;
}
