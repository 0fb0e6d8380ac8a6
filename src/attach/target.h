/* Target access: the one interface through which every later stage reads a target, whether
   it is a stopped live process or a core file (libunwind's accessor-table shape). The heap
   walker never knows which backend it reads. */
#ifndef HS_TARGET_H
#define HS_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"

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

struct hs_thread {
	pid_t tid;
	char name[16];    /* comm; "" when the target does not say (cores: all but the main thread) */
	uint64_t fs_base; /* thread pointer (TLS) */
	uint64_t sp, pc;
	/* The call stack, unwound on first use (hs_target_frames): return addresses, innermost
	   first, frames[0] = pc. A backend that moves the thread clears unwound. */
	uint64_t *frames;
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
	   max into frames; returns the count (0 when nothing could be unwound). Reads only,
	   never loops: a corrupt stack ends the unwind with the frames found so far. NULL for a
	   backend without stacks (heap images). */
	size_t (*unwind)(struct hs_target *t, size_t thread, uint64_t *frames, size_t max);
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
	const char *source;  /* "live" or "core" */
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

/* Reads one 64-bit word; returns 0 on success. */
int hs_target_read_u64(struct hs_target *t, uint64_t addr, uint64_t *out);
/* The mapping holding addr, or NULL. */
const struct hs_mapping *hs_target_find_map(const struct hs_target *t, uint64_t addr);
/* The call stack of thread i (see struct hs_thread), unwound through the backend at the
   first call, which must come while the target is stopped; its frame count. A backend
   without stacks gives the pc alone. */
size_t hs_target_frames(struct hs_target *t, size_t i, const uint64_t **frames);
/* Releases and destroys; NULL is fine. */
void hs_target_close(struct hs_target *t);
/* Frees the common fields (maps, threads, cmdline, exe, dwfl); for backends' destroy. */
void hs_target_free_common(struct hs_target *t);

#endif
