/* src/attach's private header. The state of the core-file backend, shared by its files:
   core.c (open, ops), core_notes.c (notes), core_memory.c (reads and gaps), core_files.c
   (mapped files), core_maps.c (the mapping list), core_process.c (pid, exe, argv) and
   core_dwfl.c (modules, stacks); and the live backend's page-cached reads for libunwind
   (unwind_reads.c) and its reads that skip untouched pages (live_sparse.c); the libdwfl session setup both backends share (dwfl_setup.c). */
#ifndef HS_ATTACH_PRIVATE_H
#define HS_ATTACH_PRIVATE_H

#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <libunwind-ptrace.h>
#include <stdbool.h>
#include <stdint.h>

#include "attach/attach.h"

/* A PT_LOAD segment; the core holds [vaddr, vaddr + avail) at offset. avail is p_filesz,
   cut at the end of the file when the core is truncated. */
struct core_segment {
	uint64_t vaddr, memsz, filesz, avail, offset;
	unsigned perms; /* HS_MAP_* from p_flags */
};

/* One NT_FILE entry: a file-backed mapping. */
struct core_file_note {
	uint64_t start, end, offset; /* offset in bytes */
	char *path;                  /* as the core names it */
	struct core_file *file;      /* the file it reads from, shared by the path's entries */
};

enum core_file_state { CORE_FILE_OK, CORE_FILE_MISSING, CORE_FILE_WRONG_ID };

/* A mapped file opened on this host to stand in for memory the core left out. */
struct core_file {
	char *core_path;   /* the path in the core */
	char *host_path;   /* what was opened (under --sysroot, or --exe), NULL when none */
	int fd;            /* -1 unless CORE_FILE_OK */
	uint64_t size;
	enum core_file_state state;
	Elf *elf;          /* when the file is an ELF file: for perms of mappings left out */
};

/* Auxiliary vector entries the backend uses (0 when absent). */
struct core_auxv {
	uint64_t entry, phdr, sysinfo_ehdr, execfn;
	const void *raw; /* the NT_AUXV note's bytes, in the core's Elf */
	size_t rawsize;
};

struct core_backend {
	int fd;
	uint64_t core_size;
	Elf *elf;
	const unsigned char *image; /* the whole core, as libelf maps it */
	char *sysroot, *exe_arg;

	struct core_segment *segs; /* sorted by vaddr */
	size_t nsegs;
	struct core_file_note *notes_file; /* sorted by start */
	size_t nnotes_file;
	uint64_t page_size;        /* NT_FILE's unit of file offsets */
	struct core_file *files;
	size_t nfiles;
	struct core_auxv auxv;
	char fname[17];            /* NT_PRPSINFO pr_fname, pr_psargs (NUL-terminated) */
	char psargs[81];
	pid_t psinfo_pid;          /* 0 without NT_PRPSINFO */
	bool have_psinfo;

	struct hs_core_gap *gaps;
	size_t ngaps;

	int unwinder; /* libdwfl's core unwinder: 0 not yet attached, 1 attached, -1 failed */
};

/* core_notes.c: parses the PT_NOTE segments into b and t->threads; fails on truncated or
   malformed notes and on a core without threads. */
int hs_core_read_notes(struct core_backend *b, struct hs_target *t, const char *core_path,
		    struct hs_error *err);
void hs_core_free_notes(struct core_backend *b);

/* core_files.c: opens the files behind NT_FILE (under --sysroot, --exe for the
   executable) and drops those whose build-id differs from the module's in t->dwfl. */
void hs_core_open_files(struct core_backend *b, struct hs_target *t);
void hs_core_close_files(struct core_backend *b);
/* The path to try for a core path: under the sysroot first, then as is. NULL-terminated
   list of up to 2 malloc'd strings in out. */
void hs_core_file_candidates(const struct core_backend *b, const char *path, char *out[3]);

/* core_memory.c: the PT_LOAD segments, reads and the gaps. */
void hs_core_load_segments(struct core_backend *b);
ssize_t hs_core_read_memory(const struct core_backend *b, uint64_t addr, void *buf, size_t len);
/* The NT_FILE entry holding addr, or NULL. */
const struct core_file_note *hs_core_find_file_note(const struct core_backend *b, uint64_t addr);
/* The PT_LOAD segment holding addr (in memsz), or NULL. */
const struct core_segment *hs_core_find_segment(const struct core_backend *b, uint64_t addr);
void hs_core_compute_gaps(struct core_backend *b, const struct hs_target *t);
/* The file the bytes at addr are read from, or NULL (in the core, or missing). */
const struct core_file *hs_core_file_for(const struct core_backend *b, uint64_t addr);

/* core_maps.c: t->maps from NT_FILE and the anonymous PT_LOAD segments. */
void hs_core_build_maps(struct core_backend *b, struct hs_target *t);

/* core_process.c: t->pid, t->exe, t->cmdline, and the names of [stack]/[vdso]. */
void hs_core_describe_process(struct core_backend *b, struct hs_target *t);

/* core_dwfl.c: t->dwfl with the core's modules reported. */
int hs_core_report_modules(struct core_backend *b, struct hs_target *t,
			const char *const *debug_dirs, struct hs_error *err);

/* core_dwfl.c: the target op unwind, by libdwfl's core unwinder (registers from the
   core's notes, CFI from the modules' files, stack memory from the core). */
size_t hs_core_unwind(struct hs_target *t, size_t thread, uint64_t *frames,
		      struct hs_frame_regs *regs, size_t max);

/* unwind_reads.c: memory reads for libunwind-ptrace, which would otherwise read the stopped
   threads' stacks and the unwind tables one word at a time with PTRACE_PEEKDATA (thousands
   of system calls for a few idle threads: bench/results.md): whole pages read through the
   target and kept while its threads stay still. */
struct hs_unwind_pages;
struct hs_unwind_pages *hs_unwind_pages_new(struct hs_target *t); /* free() it */
/* An address space with libunwind-ptrace's accessors, but for memory, which is read
   through the pages set by hs_unwind_reads_begin on the calling thread. */
unw_addr_space_t hs_unwind_create_addr_space(void);
/* From now on, on this thread, the accessors read through pages; until hs_unwind_reads_end. */
void hs_unwind_reads_begin(struct hs_unwind_pages *pages);
void hs_unwind_reads_end(void);

/* live_sparse.c: a read of at least HS_SPARSE_READ_MIN bytes of one private anonymous
   mapping of a stopped live process, reading only the pages its pagemap (pagemap_fd) calls
   present or swapped and zero-filling the others, which it never touched. Returns len, or
   -1 when it does not apply or fails (the caller reads plainly). */
#define HS_SPARSE_READ_MIN (64u << 10)
ssize_t hs_live_read_sparse(const struct hs_target *t, int pagemap_fd, uint64_t addr, void *buf, size_t len);

/* libdwfl session setup shared by the live and core backends: the standard callbacks with
   a debuginfo path that also searches the user's --debug-dir roots by build-id. */

/* A new Dwfl whose debug-file search covers /usr/lib/debug and every dir in debug_dirs
   (NULL-terminated, may be NULL); offline for cores, else for a live process.
   NULL on failure. */
Dwfl *hs_dwfl_new(const char *const *debug_dirs, int offline);

/* libdwfl's find_elf callback type (Dwfl_Callbacks.find_elf). */
typedef int hs_find_elf_fn(Dwfl_Module *mod, void **userdata, const char *modname,
			   Dwarf_Addr base, char **file_name, Elf **elfp);

/* As hs_dwfl_new(debug_dirs, 1), with the core backend's own find_elf (it looks under
   --sysroot before falling back to dwfl_build_id_find_elf). */
Dwfl *hs_dwfl_new_core(const char *const *debug_dirs, hs_find_elf_fn *find_elf);

#endif
