/* src/attach's public header: target access, the one interface through which every later
   stage reads a target (a stopped live process by ptrace, or a core file), and what the
   live and core backends offer beyond it. Depends on src/common alone. */
#ifndef HS_ATTACH_H
#define HS_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"

/* Target access: the one interface through which every later stage reads a target, whether
   it is a stopped live process or a core file (libunwind's accessor-table shape). The heap
   walker never knows which backend it reads. */

struct Dwfl;

enum {
	HS_MAP_R = 1,
	HS_MAP_W = 2,
	HS_MAP_X = 4,
	HS_MAP_PRIVATE = 8,
};

struct hs_mapping {
	uint64_t start, end; /* [start, end) */
	uint64_t offset;     /* file offset of start */
	unsigned perms;      /* HS_MAP_* */
	uint64_t inode;      /* 0 for anonymous memory */
	char *path;          /* NULL when anonymous; "[heap]", "[stack]" etc. kept as the kernel names them */
};

/* Frames unwound per thread at most: deeper stacks are cut there (docs/snapshot-format.md). */
#define HS_MAX_FRAMES 256
/* A thread's general registers: x86-64's struct user_regs_struct as 64-bit words. */
#define HS_THREAD_NREGS 27

/* DWARF register numbers of x86-64 (the psABI's): 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi,
   6 rbp, 7 rsp, 8..15 r8..r15, 16 the return address (rip). */
#define HS_FRAME_NREGS 17
/* One unwound frame's registers, as the unwinder recovered them. */
struct hs_frame_regs {
	uint64_t pc;      /* frames[k] (a return address for k > 0) */
	uint64_t cfa;     /* the frame's canonical frame address (the caller's rsp after return) */
	bool cfa_known;
	uint64_t reg[HS_FRAME_NREGS];
	uint32_t known;   /* bit n set: reg[n] holds the value it had in this frame */
};

struct hs_thread {
	pid_t tid;
	char name[16];    /* comm; "" when the target does not say (cores: all but the main thread) */
	uint64_t fs_base; /* thread pointer (TLS) */
	uint64_t sp, pc;
	/* The call stack, unwound on first use (hs_target_frames): return addresses, innermost
	   first, frames[0] = pc. A backend that moves the thread clears unwound. */
	uint64_t *frames;
	struct hs_frame_regs *frame_regs; /* parallel to frames: each frame's registers */
	size_t nframes;
	bool unwound;
	uint64_t regs[HS_THREAD_NREGS]; /* every general register (take --refs scans them) */
};

struct hs_target;

/* read and readv may be called from several threads at once (the walk's read-ahead and
   classification threads do): every backend's are safe for that (live: process_vm_readv or
   pread; core and image: pread and copies from state that does not change). */
struct hs_target_ops {
	/* Reads up to len bytes at addr; returns the count read (short at an unreadable
	   address), or -1 when nothing could be read. Never writes the target. */
	ssize_t (*read)(struct hs_target *t, uint64_t addr, void *buf, size_t len);
	/* Reads several ranges at once (a batch of small reads); returns 0 when every one was
	   read whole, -1 otherwise. */
	int (*readv)(struct hs_target *t, const uint64_t *addrs, void *const *bufs,
		     const size_t *lens, size_t n);
	/* Unwinds stopped thread `thread`: its pc and return addresses, innermost first, at most
	   max into frames, and each frame's registers into regs (parallel, zeroed by the caller;
	   frame 0's are filled by the caller from the thread's regs); returns the count (0 when
	   nothing could be unwound). Reads only, never loops: a corrupt stack ends the unwind
	   with the frames found so far. NULL for a backend without stacks (heap images). */
	size_t (*unwind)(struct hs_target *t, size_t thread, uint64_t *frames,
			 struct hs_frame_regs *regs, size_t max);
	/* Lets the target go: a live process resumes (or stays stopped if it was); idempotent. */
	void (*release)(struct hs_target *t);
	/* Frees the backend's state (after release). */
	void (*destroy)(struct hs_target *t);
};

/* For backends without anything better: readv as one read per range (all ranges tried; 0
   when every one was read whole), and release when nothing runs in the target. */
int hs_target_readv_each(struct hs_target *t, const uint64_t *addrs, void *const *bufs,
			 const size_t *lens, size_t n);
void hs_target_release_nothing(struct hs_target *t);

struct hs_target {
	const struct hs_target_ops *ops;
	const char *source;  /* "live", "core" or "image" */
	pid_t pid;
	char *exe;           /* path of the executable, as the target names it */
	char **cmdline;      /* argv, ncmdline strings */
	size_t ncmdline;
	struct hs_mapping *maps; /* sorted by start */
	size_t nmaps;
	struct hs_thread *threads;
	size_t nthreads;
	struct Dwfl *dwfl;   /* modules of the target (libdwfl), with debuginfo search set up */
	char **debug_dirs;   /* extra debug-file roots (--debug-dir), NULL-terminated, may be NULL */
	void *backend;
};

/* The modules of process pid as its /proc/PID/maps lists them (libdwfl, debug-file search
   as a take's), without stopping it: for reading their files before a take stops it. NULL
   when they cannot be listed. */
struct Dwfl *hs_dwfl_of_pid(pid_t pid, const char *const *debug_dirs);
/* Reads one 64-bit word; returns 0 on success. */
int hs_target_read_u64(struct hs_target *t, uint64_t addr, uint64_t *out);
/* The mapping holding addr, or NULL. */
const struct hs_mapping *hs_target_find_map(const struct hs_target *t, uint64_t addr);
/* The call stack of thread i (see struct hs_thread), unwound through the backend at the
   first call, which must come while the target is stopped; its frame count. A backend
   without stacks gives the pc alone. t->threads[i].frame_regs then holds each frame's
   registers: frame 0's all known (the thread's regs), outer frames' what the unwinder
   recovered (rsp, rbp, rbx, r12..r15, rip); cfa_known is false where no outer frame
   followed. */
size_t hs_target_frames(struct hs_target *t, size_t i, const uint64_t **frames);
/* Releases and destroys; NULL is fine. */
void hs_target_close(struct hs_target *t);

/* A page probe: the first HS_PROBE_BYTES of many pages of t, read in batches of at most
   HS_PROBE_BATCH (the scans for malloc's mmapped chunks). On a live target it also says
   which pages are worth reading: those /proc/PID/pagemap calls present or swapped (reading
   a page never touched would map the zero page into the target). Cores and images: every
   page. */
#define HS_PROBE_BATCH 512
#define HS_PROBE_BYTES 16
struct hs_page_probe;
struct hs_page_probe *hs_page_probe_open(struct hs_target *t);
/* False only for a page of a live target that was never touched (or was dropped). Pages
   must come mostly in address order: the pagemap is read in windows. */
bool hs_page_probe_used(struct hs_page_probe *p, uint64_t page);
/* Reads the first HS_PROBE_BYTES of each of the n pages at addrs (n <= HS_PROBE_BATCH) into
   heads; readable[i] says whether page i could be read. */
void hs_page_probe_read(struct hs_page_probe *p, const uint64_t *addrs, size_t n,
			uint64_t (*heads)[2], bool *readable);
void hs_page_probe_close(struct hs_page_probe *p);
/* Frees the common fields (maps, threads, cmdline, exe, dwfl); for backends' destroy. */
void hs_target_free_common(struct hs_target *t);

/* Core-file backend of the target access above: memory from the core's PT_LOAD
   segments, or from the mapped files (NT_FILE) where the kernel or gdb left them out;
   mappings, threads and process facts from the notes; modules through libdwfl.
   x86-64 cores only for now.

   What a core cannot say, and what this backend reports instead:
   - inode: 0 for anonymous memory, 1 for file-backed mappings (the core has no inodes);
   - HS_MAP_PRIVATE is set on every mapping whose perms are known (the core does not
     record shared ones);
   - perms of a file mapping left out of the core come from the file's program headers;
     0 (unknown) when neither the core nor the file tells;
   - only "[stack]" (the main thread's), "[vdso]" and "[vsyscall]" are named; the brk heap
     is an unnamed anonymous mapping. */

/* Opens a core file as a target. exe may be NULL (found from the core's notes / NT_FILE);
   sysroot may be NULL (prefix for file paths in the core, tried before the bare path);
   debug_dirs NULL-terminated or NULL. Errors are HS_ERR_TARGET. */
int hs_core_open(const char *core_path, const char *exe, const char *sysroot,
		 const char *const *debug_dirs, struct hs_target **out, struct hs_error *err);

/* A readable mapping whose memory is in neither the core nor a usable file. */
struct hs_core_gap {
	uint64_t start, end;  /* [start, end) */
	const char *path;     /* the mapping's path, NULL for anonymous memory */
	const char *reason;   /* why, e.g. "not in the core", "file's build-id differs" */
};

/* The gaps of a core target, sorted by start (*n = 0 and NULL for other targets). */
const struct hs_core_gap *hs_core_gaps(const struct hs_target *t, size_t *n);

/* The file that reads at addr come from when the core lacks them (after --sysroot and
   --exe), or NULL when addr is in the core or in no usable file. */
const char *hs_core_file_source(const struct hs_target *t, uint64_t addr);

/* The live-process backend of target access: every thread seized and interrupted with
   ptrace (no signal injected), memory read with process_vm_readv. */

/* Stops every thread of pid and returns it as a target. debug_dirs: extra debug-file roots
   (NULL-terminated, may be NULL). On failure nothing stays attached. */
int hs_live_open(pid_t pid, const char *const *debug_dirs, struct hs_target **out,
		 struct hs_error *err);

/* True when the target was in group-stop (SIGSTOP, job control) before heapsnap came. */
int hs_live_was_stopped(const struct hs_target *t);

/* Lets thread `index` of t run for about usec microseconds while every other thread stays
   stopped, then stops it again and refreshes its registers: a thread caught inside malloc can
   finish its call without the rest of the process moving. Returns 0 when it stopped again, -1
   when the set of threads changed (a thread ended or a new one appeared): then the caller
   must stop the process anew. */
int hs_live_nudge(struct hs_target *t, size_t index, unsigned usec);

/* True when the process has exited (or is exiting): reads that failed were not the heap's
   fault. Waits up to ~100 ms for an exit in progress to show. */
int hs_live_gone(const struct hs_target *t);

/* Detaches every thread of the live target being taken (the one stopped now, if any),
   handing back the signals held; async-signal-safe, for a signal handler that is about to
   end heapsnap (what to do on which signal is the caller's policy: take_signals.c). */
void hs_live_detach_published(void);

/* Reading a live process's description from /proc: mappings, executable, command line,
   thread IDs and state. */

int hs_proc_read_maps(pid_t pid, struct hs_mapping **maps, size_t *nmaps, struct hs_error *err);
void hs_proc_read_identity(pid_t pid, struct hs_target *t);
/* A thread's name (/proc/PID/task/TID/comm, 15 characters at most); "" when unreadable. */
void hs_proc_thread_name(pid_t pid, pid_t tid, char name[16]);
/* Thread IDs in /proc/PID/task; returns the count, -1 when the process is gone. */
ssize_t hs_proc_list_tasks(pid_t pid, pid_t **tids, size_t *cap);
/* The State letter of /proc/PID/status and its TracerPid; -1 when unreadable. */
int hs_proc_state(pid_t pid, char *state, pid_t *tracer);
/* /proc/PID/pagemap: a 64-bit entry per page, bit 63 present, bit 62 swapped (readable
   without privilege; heapsnap uses no frame numbers). A page neither present nor swapped
   was never touched (or was dropped): it reads as zeros. */
#define HS_PAGEMAP_PRESENT (1ull << 63)
#define HS_PAGEMAP_USED (3ull << 62) /* present or swapped */
/* Opens it (read-only, close-on-exec); -1 when it cannot be opened. */
int hs_proc_open_pagemap(pid_t pid);
/* The entries of up to n pages from page number first: how many were read (fewer past the
   end of the address space, 0 on an error). */
size_t hs_proc_read_pagemap(int fd, uint64_t first, uint64_t *entries, size_t n);

/* The target's modules whose ELF file could not be found, for messages such as "libc's
   symbols are missing": names and build-ids to tell the user what to install. */

struct hs_unfound_module {
	char *name;     /* the module's name as libdwfl reports it (a path or a soname) */
	char *build_id; /* lowercase hex, NULL when the target does not say */
};

/* The modules of t->dwfl whose ELF file dwfl_module_getelf cannot find, in address order;
   *out is malloc'd (free it with hs_unfound_modules_free). Returns their count. */
size_t hs_target_unfound_modules(struct hs_target *t, struct hs_unfound_module **out);
void hs_unfound_modules_free(struct hs_unfound_module *m, size_t n);

#endif
