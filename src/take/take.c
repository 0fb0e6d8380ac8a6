/* The take pipeline (see take.h): stop the target, make sure malloc is not mid-change, walk,
   classify each live block while the target is stopped, let the target go. A walk that
   finds the heap in mid-change resumes the target briefly and tries again. */
#include <elfutils/libdwfl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attach/image.h"
#include "attach/live.h"
#include "classify/classify.h"
#include "common/xalloc.h"
#include "heapwalk/walk.h"
#include "take/take.h"

/* Per attempt: how often, and for how long, a thread inside malloc is let run alone. */
#define MAX_NUDGES 200
#define NUDGE_USEC 100

struct sink_ctx {
	struct hs_snapshot *snap;
	struct hs_classifier *classifier;
};

static uint32_t classify_block(void *arg, uint64_t addr, uint64_t usable, const uint8_t *bytes,
			       size_t avail, const char *libc_name)
{
	struct sink_ctx *c = arg;

	if (libc_name != NULL)
		return hs_classify_libc(c->classifier, libc_name);
	return hs_classify(c->classifier, addr, usable, bytes, avail);
}

static void emit_block(void *arg, uint64_t addr, uint64_t usable, uint32_t type)
{
	struct sink_ctx *c = arg;
	hs_snapshot_add_block(c->snap, addr, usable, type);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static char *rfc3339(time_t when)
{
	char buf[32];
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static char *exe_build_id(struct hs_target *t)
{
	const struct hs_mapping *exe_map = NULL;
	const unsigned char *bits;
	GElf_Addr vaddr;
	Dwfl_Module *mod;
	char *hex;
	int n;

	for (size_t i = 0; i < t->nmaps && exe_map == NULL; i++)
		if (t->exe && t->maps[i].path && strcmp(t->maps[i].path, t->exe) == 0)
			exe_map = &t->maps[i];
	if (exe_map == NULL || (mod = dwfl_addrmodule(t->dwfl, exe_map->start)) == NULL ||
	    (n = dwfl_module_build_id(mod, &bits, &vaddr)) <= 0)
		return NULL;
	hex = xmalloc(2 * (size_t)n + 1);
	for (int i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", bits[i]);
	return hex;
}

static void describe_target(struct hs_target *t, const struct hs_malloc_info *m, struct hs_snapshot *s)
{
	s->target.pid = t->pid;
	s->target.exe = t->exe ? xstrdup(t->exe) : NULL;
	s->target.cmdline = xcalloc(t->ncmdline + 1, sizeof(char *));
	for (size_t i = 0; i < t->ncmdline; i++)
		s->target.cmdline[i] = xstrdup(t->cmdline[i]);
	s->target.ncmdline = t->ncmdline;
	s->target.build_id = exe_build_id(t);
	s->target.source = xstrdup(t->source);
	s->target.threads = t->nthreads;
	s->glibc.version = xstrdup(m->version);
	s->glibc.libc_path = xstrdup(m->libc_path);
	s->glibc.main_arena = m->main_arena;
	s->glibc.located_by = xstrdup(m->located_by);
}

/* Nudges each thread caught inside malloc forward on its own, the others staying stopped,
   until no thread is inside malloc and no arena is locked. False when that does not happen
   within the nudges allowed (or the threads changed): then the whole process is let go. */
static bool settle(struct hs_target *t, const struct hs_malloc_info *m, char *why, size_t whylen)
{
	for (unsigned nudges = 0; nudges < MAX_NUDGES; nudges++) {
		size_t thread;

		if (!hs_malloc_busy(t, m, why, whylen, &thread))
			return true;
		if (thread == SIZE_MAX || strcmp(t->source, "live") != 0 ||
		    hs_live_nudge(t, thread, NUDGE_USEC) != 0)
			return false;
	}
	return false;
}

/* One attempt: stopped target in, snapshot out. Returns 0, or -1 with err set (HS_ERR_WALK
   when trying again may help). With --save-image, the walk reads through a recording, left
   in *recording for saving once the target runs again. */
static int attempt(struct hs_target *t, const struct hs_take_options *o, struct hs_malloc_info *m,
		   bool *located, struct hs_snapshot *snap, struct hs_target **recording,
		   struct hs_error *err)
{
	struct sink_ctx ctx = { .snap = snap };
	struct hs_block_sink sink = { .classify = classify_block, .emit = emit_block, .arg = &ctx };
	char why[256];
	int rc;

	if (!*located) {
		if (hs_malloc_locate(t, o->no_debuginfo, m, err) < 0)
			return -1;
		*located = true;
	}
	if (!settle(t, m, why, sizeof(why)))
		return hs_fail(err, HS_ERR_WALK, "malloc was busy in every attempt (last: %s): try again, "
			       "or raise --retries", why);
	/* What the classifier learns holds for this stop only. */
	ctx.classifier = hs_classifier_new(t, snap);
	if (o->save_image != NULL)
		*recording = hs_image_record(t);
	rc = hs_heap_walk(*recording ? *recording : t, m, &sink, snap, err);
	hs_classifier_free(ctx.classifier);
	if (rc < 0)
		return -1;
	hs_snapshot_finish_blocks(snap);
	return 0;
}

static void backoff(unsigned attempt_no)
{
	/* Let the target run a little, more each time, so a long malloc call can finish. */
	unsigned us = 1000u << (attempt_no < 6 ? attempt_no : 6);
	usleep(us + (unsigned)(rand() % 1000));
}

int hs_take(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_error *err)
{
	double start = now_ms(), pause = 0;
	time_t first_stop = 0;
	struct hs_malloc_info m = { 0 };
	struct hs_target *t = NULL, *recording = NULL;
	bool located = false;
	unsigned tries = 0;
	int rc;

	if (o->core != NULL)
		return hs_fail(err, HS_ERR_USAGE, "--core is not available in this build: take a live process");
	hs_live_install_signal_guard();
	if (o->timeout_s > 0)
		alarm((unsigned)(o->timeout_s + 0.999));
	for (;;) {
		struct hs_error attempt_err = { 0 };
		double stopped;

		hs_snapshot_free(snap);
		hs_snapshot_init(snap);
		snap->has_blocks = !o->no_blocks;
		if (hs_live_open(o->pid, o->debug_dirs, &t, err) < 0)
			break;
		stopped = now_ms();
		if (tries == 0)
			first_stop = time(NULL);
		if (o->progress)
			fprintf(stderr, "\rheapsnap: walking the heap of process %d (attempt %u)", (int)o->pid, tries + 1);
		rc = attempt(t, o, &m, &located, snap, &recording, &attempt_err);
		t->ops->release(t);
		pause = now_ms() - stopped;
		if (rc == 0)
			break;
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
	if (o->progress)
		fprintf(stderr, "\n");
	if (err->kind == HS_OK && recording != NULL)
		hs_image_save(recording, &m, &snap->totals, o->save_image, err);
	hs_target_close(recording);
	if (err->kind == HS_OK) {
		snap->taken_at = rfc3339(first_stop);
		describe_target(t, &m, snap);
		snap->label = o->label ? xstrdup(o->label) : NULL;
		snap->walk.pause_ms = pause;
		snap->walk.retries = tries;
		snap->walk.duration_ms = now_ms() - start;
	}
	hs_target_close(t);
	hs_malloc_info_free(&m);
	return err->kind == HS_OK ? 0 : -1;
}
