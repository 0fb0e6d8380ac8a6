/* Helpers common to every target backend (see attach.h). */
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <sys/user.h>

#include "attach/attach.h"
#include "common/sorted_search.h"
#include "common/xalloc.h"

int hs_target_read_u64(struct hs_target *t, uint64_t addr, uint64_t *out)
{
	return t->ops->read(t, addr, out, sizeof(*out)) == (ssize_t)sizeof(*out) ? 0 : -1;
}

const struct hs_mapping *hs_target_find_map(const struct hs_target *t, uint64_t addr)
{
	size_t i = hs_sorted_first_after(t->maps, t->nmaps, sizeof(*t->maps), offsetof(struct hs_mapping, start), addr);

	return i > 0 && addr < t->maps[i - 1].end ? &t->maps[i - 1] : NULL;
}

int hs_target_readv_each(struct hs_target *t, const uint64_t *addrs, void *const *bufs,
			 const size_t *lens, size_t n)
{
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		if (t->ops->read(t, addrs[i], bufs[i], lens[i]) != (ssize_t)lens[i])
			ret = -1;
	return ret;
}

void hs_target_release_nothing(struct hs_target *t)
{
	(void)t;
}

/* The word of a thread's regs (struct user_regs_struct) holding each DWARF register. */
#define USER_REG(name) (offsetof(struct user_regs_struct, name) / sizeof(uint64_t))
static const unsigned char dwarf_to_user_reg[HS_FRAME_NREGS] = {
	USER_REG(rax), USER_REG(rdx), USER_REG(rcx), USER_REG(rbx), USER_REG(rsi), USER_REG(rdi),
	USER_REG(rbp), USER_REG(rsp), USER_REG(r8), USER_REG(r9), USER_REG(r10), USER_REG(r11),
	USER_REG(r12), USER_REG(r13), USER_REG(r14), USER_REG(r15), USER_REG(rip),
};

/* Frame 0 is the thread as it stopped: every register is the thread's own. */
static void innermost_frame_regs(const struct hs_thread *th, struct hs_frame_regs *r)
{
	for (unsigned n = 0; n < HS_FRAME_NREGS; n++)
		r->reg[n] = th->regs[dwarf_to_user_reg[n]];
	r->known = (1u << HS_FRAME_NREGS) - 1;
}

size_t hs_target_frames(struct hs_target *t, size_t i, const uint64_t **frames)
{
	struct hs_thread *th = &t->threads[i];

	if (!th->unwound) {
		free(th->frames);
		free(th->frame_regs);
		th->frames = hs_xcalloc(HS_MAX_FRAMES, sizeof(*th->frames));
		th->frame_regs = hs_xcalloc(HS_MAX_FRAMES, sizeof(*th->frame_regs));
		th->nframes = t->ops->unwind != NULL ?
			t->ops->unwind(t, i, th->frames, th->frame_regs, HS_MAX_FRAMES) : 0;
		if (th->nframes == 0)
			th->frames[th->nframes++] = th->pc;
		innermost_frame_regs(th, &th->frame_regs[0]);
		for (size_t k = 0; k < th->nframes; k++)
			th->frame_regs[k].pc = th->frames[k];
		/* Kept at their size: a process may have thousands of threads. */
		th->frames = hs_xrealloc(th->frames, th->nframes * sizeof(*th->frames));
		th->frame_regs = hs_xrealloc(th->frame_regs, th->nframes * sizeof(*th->frame_regs));
		th->unwound = true;
	}
	*frames = th->frames;
	return th->nframes;
}

void hs_target_close(struct hs_target *t)
{
	if (t == NULL)
		return;
	t->ops->release(t);
	t->ops->destroy(t);
}

void hs_target_free_common(struct hs_target *t)
{
	for (size_t i = 0; i < t->nmaps; i++)
		free(t->maps[i].path);
	free(t->maps);
	for (size_t i = 0; i < t->ncmdline; i++)
		free(t->cmdline[i]);
	free(t->cmdline);
	for (size_t i = 0; i < t->nthreads; i++) {
		free(t->threads[i].frames);
		free(t->threads[i].frame_regs);
	}
	free(t->threads);
	free(t->exe);
	if (t->dwfl != NULL)
		dwfl_end(t->dwfl);
	t->maps = NULL;
	t->cmdline = NULL;
	t->threads = NULL;
	t->exe = NULL;
	t->dwfl = NULL;
}
