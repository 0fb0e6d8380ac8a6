/* The live-process backend (see attach.h). Threads are seized with PTRACE_SEIZE and stopped
   with PTRACE_INTERRUPT, so no signal is injected; a signal that arrives meanwhile is held
   and handed back on detach. heapsnap never writes the target: only process_vm_readv (or
   /proc/PID/mem read with pread) touches its memory. */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attach/attach_private.h"
#include "common/xalloc.h"

_Static_assert(sizeof(struct user_regs_struct) == HS_THREAD_NREGS * 8, "user_regs_struct");

/* Rounds of re-reading /proc/PID/task: each round stops the threads seen so far, so only a
   thread created by a not-yet-stopped thread can appear in the next one. */
#define SEIZE_ROUNDS 1000

struct seized {
	pid_t tid;
	int signal; /* to re-inject on detach */
	int stopped;
};

struct live {
	struct seized *tids;
	size_t ntids, cap;
	int was_stopped;
	int mem_fd;
	int pagemap_fd; /* /proc/PID/pagemap for hs_live_read_sparse, -1 without */
	int released;
	unw_addr_space_t unwind_as;    /* created at the first unwind */
	struct hs_unwind_pages *pages; /* what the unwinds read while the threads stay still */
};

/* What hs_live_detach_published detaches: published by the attaching code, read by
   signal handlers. */
static struct seized *volatile guard_tids;
static volatile sig_atomic_t guard_ntids;

static void guard_publish(struct live *l)
{
	guard_tids = l->tids;
	guard_ntids = (sig_atomic_t)l->ntids;
}

static void guard_clear(void)
{
	guard_ntids = 0;
	guard_tids = NULL;
}

static void detach_all(struct seized *tids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ptrace(PTRACE_DETACH, tids[i].tid, NULL, (void *)(long)tids[i].signal);
}

void hs_live_detach_published(void)
{
	detach_all(guard_tids, (size_t)guard_ntids);
	guard_ntids = 0;
}

static int is_seized(const struct live *l, pid_t tid)
{
	for (size_t i = 0; i < l->ntids; i++)
		if (l->tids[i].tid == tid)
			return 1;
	return 0;
}

static int seize_one(struct live *l, pid_t pid, pid_t tid, struct hs_error *err)
{
	sigset_t all, old;

	/* Block the guarded signals while the thread list grows, so a handler never sees a
	   half-written entry. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) != 0) {
		int e = errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (e == ESRCH)
			return 0; /* the thread ended meanwhile */
		if (e == EPERM) {
			char state;
			pid_t tracer = 0;
			if (hs_proc_state(pid, &state, &tracer) == 0 && tracer != 0)
				return hs_fail(err, HS_ERR_TARGET, "process %d is already traced by process %d "
					       "(a debugger?): detach it first", (int)pid, (int)tracer);
			return hs_fail(err, HS_ERR_TARGET, "not permitted to trace process %d: run heapsnap as "
				       "the process's user or root (see /proc/sys/kernel/yama/ptrace_scope)",
				       (int)pid);
		}
		return hs_fail(err, HS_ERR_TARGET, "cannot trace thread %d of process %d: %s",
			       (int)tid, (int)pid, strerror(e));
	}
	hs_xgrow((void **)&l->tids, &l->cap, l->ntids + 1, sizeof(*l->tids));
	l->tids[l->ntids] = (struct seized){ .tid = tid };
	l->ntids++;
	guard_publish(l);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ptrace(PTRACE_INTERRUPT, tid, NULL, NULL);
	return 0;
}

/* Waits for a seized thread's stop; keeps a signal that arrived meanwhile for the detach.
   Returns 1 stopped, 0 the thread is gone. Never blocks in waitpid: a killed process's leader
   reports nothing until its other threads are reaped, so a blocking wait could last forever;
   instead the wait ends when the process is a zombie. A thread that never stops (stuck in
   the kernel) is left to --timeout. */
static int wait_stopped(struct live *l, struct seized *s, pid_t pid)
{
	for (unsigned spins = 0;; spins++) {
		int status;
		char state;
		pid_t tracer;
		pid_t r = waitpid(s->tid, &status, __WALL | WNOHANG);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return 0;
		if (r == 0) {
			if (hs_proc_state(pid, &state, &tracer) != 0 || state == 'Z' || state == 'X')
				return 0;
			usleep(spins < 100 ? 20 : 1000);
			continue;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return 0;
		if (!WIFSTOPPED(status))
			continue;
		if ((status >> 16) == PTRACE_EVENT_STOP) {
			int sig = WSTOPSIG(status);
			if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
				l->was_stopped = 1;
		} else if ((status >> 16) == 0) {
			s->signal = WSTOPSIG(status);
		}
		return 1;
	}
}

static int seize_all(struct live *l, pid_t pid, struct hs_error *err)
{
	pid_t *tids = NULL;
	size_t cap = 0;
	int rc = 0;

	for (int round = 0;; round++) {
		ssize_t n = hs_proc_list_tasks(pid, &tids, &cap);
		size_t added = 0;

		if (n < 0) {
			rc = hs_fail(err, HS_ERR_TARGET, "process %d exited while heapsnap attached: "
				     "nothing to snapshot", (int)pid);
			break;
		}
		for (ssize_t i = 0; i < n && rc == 0; i++) {
			if (is_seized(l, tids[i]))
				continue;
			size_t before = l->ntids;
			rc = seize_one(l, pid, tids[i], err);
			added += l->ntids - before;
		}
		if (rc != 0 || added == 0)
			break;
		if (round == SEIZE_ROUNDS) {
			rc = hs_fail(err, HS_ERR_WALK, "process %d keeps creating threads faster than they can "
				     "be stopped: try again later", (int)pid);
			break;
		}
	}
	free(tids);
	return rc;
}

static int collect_threads(struct hs_target *t, struct live *l, struct hs_error *err)
{
	size_t kept = 0;

	t->threads = hs_xcalloc(l->ntids ? l->ntids : 1, sizeof(*t->threads));
	for (size_t i = 0; i < l->ntids; i++) {
		struct user_regs_struct regs;
		struct seized *s = &l->tids[i];

		if (!wait_stopped(l, s, t->pid))
			continue;
		s->stopped = 1;
		if (ptrace(PTRACE_GETREGS, s->tid, NULL, &regs) != 0)
			continue;
		t->threads[t->nthreads] = (struct hs_thread){ .tid = s->tid, .fs_base = regs.fs_base,
							      .sp = regs.rsp, .pc = regs.rip };
		hs_proc_thread_name(t->pid, s->tid, t->threads[t->nthreads].name);
		memcpy(t->threads[t->nthreads++].regs, &regs, sizeof(regs));
		l->tids[kept++] = *s;
	}
	/* Threads that ended are dropped; the rest stay registered for the detach. */
	l->ntids = kept;
	guard_publish(l);
	if (t->nthreads == 0)
		return hs_fail(err, HS_ERR_TARGET, "process %d exited while heapsnap attached: "
			       "nothing to snapshot", (int)t->pid);
	return 0;
}

int hs_live_nudge(struct hs_target *t, size_t index, unsigned usec)
{
	struct live *l = t->backend;
	struct seized *s = &l->tids[index];
	struct user_regs_struct regs;
	pid_t *tids = NULL;
	size_t cap = 0;
	ssize_t n;

	if (index >= l->ntids || l->was_stopped || s->tid != t->threads[index].tid)
		return -1;
	/* A signal held back at the stop is delivered now, as it would have been anyway. */
	if (ptrace(PTRACE_CONT, s->tid, NULL, (void *)(long)s->signal) != 0)
		return -1;
	s->signal = 0;
	usleep(usec);
	ptrace(PTRACE_INTERRUPT, s->tid, NULL, NULL);
	if (!wait_stopped(l, s, t->pid) || ptrace(PTRACE_GETREGS, s->tid, NULL, &regs) != 0)
		return -1;
	t->threads[index].fs_base = regs.fs_base;
	t->threads[index].sp = regs.rsp;
	t->threads[index].pc = regs.rip;
	/* It ran: its stack is to be unwound again, and the pages read so far may be stale. */
	t->threads[index].unwound = false;
	free(l->pages);
	l->pages = NULL;
	memcpy(t->threads[index].regs, &regs, sizeof(regs));
	n = hs_proc_list_tasks(t->pid, &tids, &cap);
	free(tids);
	return n == (ssize_t)l->ntids ? 0 : -1;
}

static ssize_t live_read(struct hs_target *t, uint64_t addr, void *buf, size_t len)
{
	struct live *l = t->backend;
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (len >= HS_SPARSE_READ_MIN && hs_live_read_sparse(t, l->pagemap_fd, addr, buf, len) == (ssize_t)len)
		return (ssize_t)len;
	n = process_vm_readv(t->pid, &local, 1, &remote, 1, 0);

	if (n < 0 && (errno == ENOSYS || errno == EPERM) && l->mem_fd >= 0)
		n = pread(l->mem_fd, buf, len, (off_t)addr);
	return n <= 0 ? -1 : n;
}

static int live_readv(struct hs_target *t, const uint64_t *addrs, void *const *bufs,
		      const size_t *lens, size_t n)
{
	enum { BATCH = 512 };
	struct iovec local[BATCH], remote[BATCH];

	for (size_t i = 0; i < n; i += BATCH) {
		size_t k = n - i < BATCH ? n - i : BATCH, want = 0;

		for (size_t j = 0; j < k; j++) {
			local[j] = (struct iovec){ bufs[i + j], lens[i + j] };
			remote[j] = (struct iovec){ (void *)(uintptr_t)addrs[i + j], lens[i + j] };
			want += lens[i + j];
		}
		if (process_vm_readv(t->pid, local, k, remote, k, 0) != (ssize_t)want) {
			/* Fall back to one read each: the batch stops at the first bad range. */
			for (size_t j = 0; j < k; j++)
				if (live_read(t, addrs[i + j], bufs[i + j], lens[i + j]) != (ssize_t)lens[i + j])
					return -1;
		}
	}
	return 0;
}

/* The registers libunwind restores in an outer frame (callee-saved ones, rsp and rip); its
   x86-64 register numbers are DWARF's. */
static const unw_regnum_t recovered_regs[] = {
	UNW_X86_64_RBX, UNW_X86_64_RBP, UNW_X86_64_RSP, UNW_X86_64_R12, UNW_X86_64_R13,
	UNW_X86_64_R14, UNW_X86_64_R15, UNW_X86_64_RIP,
};

static void read_frame_regs(unw_cursor_t *cursor, struct hs_frame_regs *r)
{
	for (size_t i = 0; i < sizeof(recovered_regs) / sizeof(*recovered_regs); i++) {
		unw_word_t value;
		if (unw_get_reg(cursor, recovered_regs[i], &value) == 0) {
			r->reg[recovered_regs[i]] = value;
			r->known |= 1u << recovered_regs[i];
		}
	}
}

/* libunwind-ptrace from the thread's registers; memory through the page cache, kept for
   every thread of the stop (the unwind tables are read once, not once per thread). */
static size_t live_unwind(struct hs_target *t, size_t thread, uint64_t *frames,
			  struct hs_frame_regs *regs, size_t max)
{
	struct live *l = t->backend;
	unw_cursor_t cursor;
	size_t n = 0;
	void *upt;

	if (l->released || thread >= l->ntids || !l->tids[thread].stopped)
		return 0;
	if (l->unwind_as == NULL && (l->unwind_as = hs_unwind_create_addr_space()) == NULL)
		return 0;
	if (l->pages == NULL)
		l->pages = hs_unwind_pages_new(t);
	if ((upt = _UPT_create(t->threads[thread].tid)) == NULL)
		return 0;
	hs_unwind_reads_begin(l->pages);
	if (unw_init_remote(&cursor, l->unwind_as, upt) == 0) {
		unw_word_t ip;
		/* Bounded by max: a stack that unwinds into itself ends there. */
		do {
			if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0 || ip == 0)
				break;
			read_frame_regs(&cursor, &regs[n]);
			/* The caller's rsp is this frame's CFA: the previous frame's. */
			if (n > 0 && (regs[n].known & (1u << UNW_X86_64_RSP))) {
				regs[n - 1].cfa = regs[n].reg[UNW_X86_64_RSP];
				regs[n - 1].cfa_known = true;
			}
			frames[n++] = ip;
		} while (n < max && unw_step(&cursor) > 0);
	}
	hs_unwind_reads_end();
	_UPT_destroy(upt);
	return n;
}

static void live_release(struct hs_target *t)
{
	struct live *l = t->backend;
	sigset_t all, old;

	if (l == NULL || l->released)
		return;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	detach_all(l->tids, l->ntids);
	guard_clear();
	l->released = 1;
	free(l->pages);
	l->pages = NULL;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void live_destroy(struct hs_target *t)
{
	struct live *l = t->backend;

	if (l != NULL) {
		if (l->mem_fd >= 0)
			close(l->mem_fd);
		if (l->pagemap_fd >= 0)
			close(l->pagemap_fd);
		if (l->unwind_as != NULL)
			unw_destroy_addr_space(l->unwind_as);
		free(l->pages);
		free(l->tids);
		free(l);
	}
	hs_target_free_common(t);
	free(t);
}

static const struct hs_target_ops live_ops = {
	.read = live_read,
	.readv = live_readv,
	.unwind = live_unwind,
	.release = live_release,
	.destroy = live_destroy,
};

/* True when pid has exited or is exiting: waits up to ~100 ms for an exit in progress to
   show, ending early when t (may be NULL) can still read its memory. */
static int process_exited(pid_t pid, const struct hs_target *t)
{
	for (int i = 0; i < 20; i++) {
		char state;
		pid_t tracer;
		uint64_t word;

		if (hs_proc_state(pid, &state, &tracer) != 0 || state == 'Z' || state == 'X')
			return 1;
		if (t != NULL && t->nmaps > 0 &&
		    hs_target_read_u64((struct hs_target *)t, t->maps[0].start, &word) == 0)
			return 0;
		usleep(5000);
	}
	return 0;
}

int hs_live_gone(const struct hs_target *t)
{
	return process_exited(t->pid, t);
}

int hs_live_was_stopped(const struct hs_target *t)
{
	return ((const struct live *)t->backend)->was_stopped;
}

static int check_process(pid_t pid, struct hs_error *err)
{
	char state;
	pid_t tracer = 0;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return hs_fail(err, HS_ERR_TARGET, "no process with PID %d: check the PID (ps, pgrep)", (int)pid);
	if (hs_proc_state(pid, &state, &tracer) != 0)
		return hs_fail(err, HS_ERR_TARGET, "cannot read /proc/%d/status: check the PID and your "
			       "permissions", (int)pid);
	/* A target that died while an earlier attempt had it still names heapsnap as tracer. */
	if (state == 'Z' || state == 'X' || tracer == getpid())
		return hs_fail(err, HS_ERR_TARGET, "process %d has exited: nothing to snapshot", (int)pid);
	if (tracer != 0)
		return hs_fail(err, HS_ERR_TARGET, "process %d is already traced by process %d (a debugger?): "
			       "detach it first", (int)pid, (int)tracer);
	return 0;
}

struct Dwfl *hs_dwfl_of_pid(pid_t pid, const char *const *debug_dirs)
{
	Dwfl *dwfl = hs_dwfl_new(debug_dirs, 0);

	if (dwfl == NULL)
		return NULL;
	dwfl_report_begin(dwfl);
	if (dwfl_linux_proc_report(dwfl, pid) != 0 || dwfl_report_end(dwfl, NULL, NULL) != 0) {
		dwfl_end(dwfl);
		return NULL;
	}
	return dwfl;
}

static int report_modules(struct hs_target *t, const char *const *debug_dirs, struct hs_error *err)
{
	t->dwfl = hs_dwfl_of_pid(t->pid, debug_dirs);
	if (t->dwfl == NULL)
		return hs_fail(err, HS_ERR_TARGET, "cannot list the modules of process %d: %s",
			       (int)t->pid, dwfl_errmsg(-1));
	return 0;
}

int hs_live_open(pid_t pid, const char *const *debug_dirs, struct hs_target **out,
		 struct hs_error *err)
{
	struct hs_target *t;
	struct live *l;
	char path[64];

	if (check_process(pid, err) < 0)
		return -1;
	t = hs_xcalloc(1, sizeof(*t));
	l = hs_xcalloc(1, sizeof(*l));
	t->ops = &live_ops;
	t->source = "live";
	t->pid = pid;
	t->backend = l;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	l->mem_fd = open(path, O_RDONLY | O_CLOEXEC);
	l->pagemap_fd = hs_proc_open_pagemap(pid);
	if (seize_all(l, pid, err) < 0 || collect_threads(t, l, err) < 0 ||
	    hs_proc_read_maps(pid, &t->maps, &t->nmaps, err) < 0 ||
	    report_modules(t, debug_dirs, err) < 0) {
		/* Whatever step failed, a process that is gone is the reason to give. */
		if (process_exited(pid, NULL)) {
			err->kind = HS_OK;
			hs_fail(err, HS_ERR_TARGET, "process %d exited during the take: nothing to snapshot",
				(int)pid);
		}
		hs_target_close(t);
		return -1;
	}
	hs_proc_read_identity(pid, t);
	*out = t;
	return 0;
}
