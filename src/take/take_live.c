/* Taking a live process: stop it, make sure malloc is not mid-change (nudging a thread
   caught inside it forward alone), read the heap while stopped, let it go, then finish the
   walk (the free lists, the checks) and sort the blocks. A walk that finds the heap in
   mid-change lets the process run a moment and tries again, up to --retries. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/image.h"
#include "attach/attach.h"
#include "common/big_array.h"
#include "common/unpreempted.h"
#include "heapwalk/heapwalk.h"
#include "refs/refs.h"
#include "take/take_private.h"

/* Per attempt: how often, and for how long, a thread inside malloc is let run alone. */
#define MAX_NUDGES 200
#define NUDGE_USEC 100

/* Nudges each thread caught inside malloc forward on its own, the others staying stopped,
   until no thread is inside malloc and no arena is locked. False when that does not happen
   within the nudges allowed (or the threads changed): then the whole process is let go. */
static bool settle(struct hs_target *t, const struct hs_malloc_info *m, char *why, size_t whylen)
{
	for (unsigned nudges = 0; nudges < MAX_NUDGES; nudges++) {
		size_t thread;

		if (!hs_malloc_busy(t, m, why, whylen, &thread))
			return true;
		if (thread == SIZE_MAX || hs_live_nudge(t, thread, NUDGE_USEC) != 0)
			return false;
	}
	return false;
}

int hs_take_prepare(struct hs_target *t, bool no_debuginfo, struct hs_malloc_info *m, bool *located,
		    struct hs_error *err)
{
	char why[256];

	if (!*located) {
		if (hs_malloc_locate(t, no_debuginfo, m, err) < 0)
			return -1;
		*located = true;
	}
	if (!settle(t, m, why, sizeof(why)))
		return hs_fail(err, HS_ERR_WALK, "malloc was busy in every attempt (last: %s): try again, "
			       "or raise --retries", why);
	return 0;
}

/* One attempt's reading: stopped target in, a walk to finish once it runs again out.
   Returns 0, or -1 with err set (HS_ERR_WALK when trying again may help). With
   --save-image, the walk reads through a recording, left in *recording for saving once the
   target runs again. */
static int attempt(struct hs_target *t, const struct hs_take_options *o, struct hs_malloc_info *m,
		   bool *located, struct hs_snapshot *snap, struct hs_target **recording,
		   struct hs_take_walk **walk, struct hs_error *err)
{
	if (hs_take_prepare(t, o->no_debuginfo, m, located, err) < 0)
		return -1;
	if (o->save_image != NULL)
		*recording = hs_image_record(t);
	return hs_take_walk_read(t, *recording ? *recording : t, m, snap, err, walk);
}

/* Prefaulting (big_array.h), guessed from the target's maps before the stop: while it is
   stopped, a walk writes about 5 bytes a block for the block list and 32 for each free
   chunk's record, besides its read windows. On the benchmark target (4 million blocks in
   1.4 GB of arenas) that came to 60 MB, 1/24 of the arenas' bytes, and to 40 MB (1/36)
   without the block list. The arenas are the [heap] and the anonymous writable mappings
   that start on a 64 MiB boundary, where the heaps of the other arenas start: mmapped
   chunks, stacks and the program's own mappings hold no records. DWARF typing adds about 36
   bytes a block (the block index, the votes), half the arenas' bytes on bench/typed_target
   (blocks of 80 bytes on average). At most 64 MiB, so that heapsnap's memory does not grow
   with the heap's bytes. */
#define PREFAULT_SHARE 24
#define PREFAULT_SHARE_NO_BLOCKS 36
#define PREFAULT_SHARE_TYPING 2
#define PREFAULT_MAX ((size_t)64 << 20)
#define HEAP_ALIGN ((uint64_t)64 << 20)

static size_t prefault_guess(pid_t pid, bool blocks, bool typing)
{
	struct hs_mapping *maps;
	struct hs_error err = { 0 };
	size_t n, arenas = 0;

	if (hs_proc_read_maps(pid, &maps, &n, &err) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct hs_mapping *m = &maps[i];
		bool heap = m->path == NULL ? m->start % HEAP_ALIGN == 0 : strcmp(m->path, "[heap]") == 0;

		if ((m->perms & HS_MAP_W) && m->inode == 0 && heap)
			arenas += m->end - m->start;
		free(m->path);
	}
	free(maps);
	arenas = arenas / (blocks ? PREFAULT_SHARE : PREFAULT_SHARE_NO_BLOCKS) +
		 (typing ? arenas / PREFAULT_SHARE_TYPING : 0);
	return arenas < PREFAULT_MAX ? arenas : PREFAULT_MAX;
}

static void backoff(unsigned attempt_no)
{
	/* Let the target run a little, more each time, so a long malloc call can finish. */
	unsigned us = 1000u << (attempt_no < 6 ? attempt_no : 6);
	usleep(us + (unsigned)(rand() % 1000));
}

int hs_take_live(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_error *err)
{
	double start = hs_take_now_ms(), pause = 0;
	struct timespec first_stop = { 0 };
	struct hs_malloc_info m = { 0 };
	struct hs_target *t = NULL, *recording = NULL;
	struct hs_take_types types;
	struct hs_typing *typing = NULL;
	bool located = false;
	unsigned tries = 0;
	int rc;

	hs_take_install_signal_guard();
	if (o->timeout_s > 0)
		alarm((unsigned)(o->timeout_s + 0.999));
	hs_take_types_begin(&types, o, NULL);
	hs_big_array_prefault(prefault_guess(o->pid, !o->no_blocks, types.di != NULL));
	for (;;) {
		struct hs_error attempt_err = { 0 };
		struct hs_take_walk *walk = NULL;
		struct hs_unpreempted resuming;
		struct hs_block_index index = { 0 };
		double stopped;

		hs_snapshot_free(snap);
		hs_snapshot_init(snap);
		snap->has_blocks = hs_take_types_keep_blocks(&types, o);
		/* The target stops inside hs_live_open (seized, then its maps and modules read). */
		stopped = hs_take_now_ms();
		if (hs_live_open(o->pid, o->debug_dirs, &t, err) < 0)
			break;
		if (tries == 0)
			clock_gettime(CLOCK_REALTIME, &first_stop);
		if (o->progress)
			fprintf(stderr, "\rheapsnap: walking the heap of process %d (attempt %u)", (int)o->pid, tries + 1);
		rc = attempt(t, o, &m, &located, snap, &recording, &walk, &attempt_err);
		if (rc != 0 && hs_live_gone(t)) {
			attempt_err.kind = HS_OK;
			hs_fail(&attempt_err, HS_ERR_TARGET, "process %d exited during the take: nothing to "
				"snapshot", (int)o->pid);
		}
		/* DWARF types and --refs need the whole block list, free lists resolved, while the
		   target is stopped. */
		if (rc == 0 && (o->refs || types.di != NULL)) {
			rc = hs_take_walk_finish(walk);
			walk = NULL;
			if (rc == 0) /* one index of the blocks for both; typing alone fills it lazily */
				(o->refs ? hs_block_index_build : hs_block_index_lazy)(&index, snap);
			if (rc == 0)
				typing = hs_take_types_decide(&types, t, snap, &index);
			if (rc == 0 && o->refs)
				rc = hs_refs_take(t, &m, snap, &index, &attempt_err);
		}
		/* The pause ends when the last thread is let go, before any of them runs. */
		hs_unpreempted_begin(&resuming);
		t->ops->release(t);
		pause = hs_take_now_ms() - stopped;
		hs_unpreempted_end(&resuming);
		hs_block_index_free(&index);
		if (rc == 0 && walk != NULL)
			rc = hs_take_walk_finish(walk);
		if (rc == 0)
			break;
		hs_typing_free(typing);
		typing = NULL;
		hs_target_close(recording);
		recording = NULL;
		if (attempt_err.kind != HS_ERR_WALK || tries >= o->max_retries || hs_live_was_stopped(t)) {
			*err = attempt_err;
			break;
		}
		hs_target_close(t);
		t = NULL;
		backoff(tries++);
	}
	alarm(0);
	hs_big_array_prefault_end();
	if (o->progress)
		fprintf(stderr, "\n");
	if (err->kind == HS_OK && recording != NULL)
		hs_image_save(recording, &m, &snap->totals, o->save_image, err);
	hs_target_close(recording);
	if (err->kind == HS_OK) {
		hs_take_types_apply(typing, o, snap);
		typing = NULL;
		hs_snapshot_finish_blocks(snap);
		hs_take_describe(t, &m, o, first_stop, snap);
		hs_take_threads(t, snap);
		snap->walk.pause_ms = pause;
		snap->walk.retries = tries;
		snap->walk.duration_ms = hs_take_now_ms() - start;
	}
	hs_typing_free(typing);
	hs_take_types_end(&types);
	hs_target_close(t);
	hs_malloc_info_free(&m);
	return err->kind == HS_OK ? 0 : -1;
}
