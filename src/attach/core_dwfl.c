/* The core's modules and stacks through libdwfl: dwfl_core_file_report finds them in the core (ELF
   headers in the dumped pages, the dynamic linker's list, NT_FILE), with --exe for the
   executable. elfutils 0.188 has no sysroot setting, so the module's file is looked up by
   our find_elf: the mapped file core_files.c verified (under --sysroot first), else by
   build-id and --exe as libdwfl does by default. The stacks are unwound by libdwfl's core
   unwinder (dwfl_core_file_attach), attached at the first unwind. */
#include <elfutils/libdwfl.h>
#include <unistd.h>

#include "attach/attach_private.h"
#include "common/xalloc.h"

/* Called by libdwfl when a module's ELF file is first needed; *userdata is the backend
   (set on every module once the report is done; the files are opened after it). */
static int core_find_elf(Dwfl_Module *mod, void **userdata, const char *modname,
			 Dwarf_Addr base, char **file_name, Elf **elfp)
{
	const struct core_backend *b = *userdata;
	const struct core_file_note *f = b != NULL ? hs_core_find_file_note(b, base) : NULL;

	if (f != NULL && f->offset == 0 && f->file != NULL && f->file->state == CORE_FILE_OK &&
	    f->file->elf != NULL) {
		int fd = dup(f->file->fd);
		if (fd >= 0) {
			*file_name = hs_xstrdup(f->file->host_path);
			*elfp = NULL;
			return fd;
		}
	}
	return dwfl_build_id_find_elf(mod, userdata, modname, base, file_name, elfp);
}

static int set_userdata(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
			void *arg)
{
	(void)mod;
	(void)name;
	(void)start;
	*userdata = arg;
	return DWARF_CB_OK;
}

int hs_core_report_modules(struct core_backend *b, struct hs_target *t,
			const char *const *debug_dirs, struct hs_error *err)
{
	t->dwfl = hs_dwfl_new_core(debug_dirs, core_find_elf);
	if (t->dwfl == NULL)
		return hs_fail(err, HS_ERR_TARGET, "cannot start libdwfl (%s): check the elfutils "
			       "installation", dwfl_errmsg(-1));
	dwfl_report_begin(t->dwfl);
	if (dwfl_core_file_report(t->dwfl, b->elf, b->exe_arg) < 0 ||
	    dwfl_report_end(t->dwfl, NULL, NULL) != 0)
		return hs_fail(err, HS_ERR_TARGET, "cannot find the modules of the core (%s): "
			       "the core is damaged, take it again", dwfl_errmsg(-1));
	dwfl_getmodules(t->dwfl, set_userdata, b, 0);
	return 0;
}

enum { DWARF_RBX = 3, DWARF_RBP = 6, DWARF_RSP = 7, DWARF_R12 = 12, DWARF_RIP = 16 };

/* What an outer frame can hold as it was in that frame: the registers a call preserves, rsp
   and the return address (the others are the callee's leftovers). */
#define CALL_PRESERVED ((1u << DWARF_RBX) | (1u << DWARF_RBP) | (1u << DWARF_RSP) | \
			(0xfu << DWARF_R12) /* r12..r15 */ | (1u << DWARF_RIP))

struct frames_out {
	pid_t tid;
	uint64_t *frames;
	struct hs_frame_regs *regs;
	size_t n, max;
};

/* The registers libdwfl knows in frame o->n: all in the first (from the core's notes), what
   the CFI recovers in the others. elfutils' x86-64 default rules (backends/x86_64_cfi.c, at
   least to 0.190) mark register 0 (rax) "same value" where rbx (3) is meant: so rax would
   pass through outer frames and rbx would be unknown wherever a function does not save it.
   Outer frames keep the call-preserved registers alone, and rbx, when no rule of the frame's
   CFI restores it, is the inner frame's, as the psABI says (and as libunwind has it). */
static void read_frame_regs(Dwfl_Frame *state, struct frames_out *o)
{
	struct hs_frame_regs *r = &o->regs[o->n];

	for (unsigned n = 0; n < HS_FRAME_NREGS; n++) {
		Dwarf_Word value;
		if (dwfl_frame_reg(state, n, &value) == 0) {
			r->reg[n] = value;
			r->known |= 1u << n;
		}
	}
	if (o->n == 0)
		return;
	r->known &= CALL_PRESERVED;
	if (!(r->known & (1u << DWARF_RBX)) && (r[-1].known & (1u << DWARF_RBX))) {
		r->reg[DWARF_RBX] = r[-1].reg[DWARF_RBX];
		r->known |= 1u << DWARF_RBX;
	}
}

static int take_frame(Dwfl_Frame *state, void *arg)
{
	struct frames_out *o = arg;
	struct hs_frame_regs *r = &o->regs[o->n];
	Dwarf_Addr pc;

	if (!dwfl_frame_pc(state, &pc, NULL) || pc == 0)
		return DWARF_CB_ABORT;
	read_frame_regs(state, o);
	/* The caller's rsp is the previous frame's CFA. */
	if (o->n > 0 && (r->known & (1u << DWARF_RSP))) {
		r[-1].cfa = r->reg[DWARF_RSP];
		r[-1].cfa_known = true;
	}
	o->frames[o->n++] = pc;
	/* Bounded by max: a stack that unwinds into itself ends there. */
	return o->n < o->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

static int unwind_if_wanted(Dwfl_Thread *thread, void *arg)
{
	struct frames_out *o = arg;

	/* Ends early (no CFI for a frame, unreadable stack) with the frames found so far. */
	if (dwfl_thread_tid(thread) == o->tid)
		dwfl_thread_getframes(thread, take_frame, o);
	return DWARF_CB_OK;
}

size_t hs_core_unwind(struct hs_target *t, size_t thread, uint64_t *frames,
		      struct hs_frame_regs *regs, size_t max)
{
	struct core_backend *b = t->backend;
	struct frames_out o = { t->threads[thread].tid, frames, regs, 0, max };

	if (b->unwinder == 0)
		b->unwinder = dwfl_core_file_attach(t->dwfl, b->elf) >= 0 ? 1 : -1;
	if (b->unwinder < 0)
		return 0;
	/* Over every thread, not dwfl_getthread_frames: elfutils 0.188 leaks the core's
	   per-thread state on that path (16 bytes a call), and on an iteration cut short. */
	dwfl_getthreads(t->dwfl, unwind_if_wanted, &o);
	return o.n;
}
