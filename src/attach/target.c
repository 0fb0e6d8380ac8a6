/* Helpers common to every target backend (see attach.h). */
#include <elfutils/libdwfl.h>
#include <stdlib.h>

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

size_t hs_target_frames(struct hs_target *t, size_t i, const uint64_t **frames)
{
	struct hs_thread *th = &t->threads[i];

	if (!th->unwound) {
		free(th->frames);
		th->frames = hs_xcalloc(HS_MAX_FRAMES, sizeof(*th->frames));
		th->nframes = t->ops->unwind != NULL ? t->ops->unwind(t, i, th->frames, HS_MAX_FRAMES) : 0;
		if (th->nframes == 0)
			th->frames[th->nframes++] = th->pc;
		/* Kept at its size: a process may have thousands of threads. */
		th->frames = hs_xrealloc(th->frames, th->nframes * sizeof(*th->frames));
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
	for (size_t i = 0; i < t->nthreads; i++)
		free(t->threads[i].frames);
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
