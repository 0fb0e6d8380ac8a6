/* The stat pipeline (see stat.h). Live: stop the process, locate malloc, let any thread
   inside malloc finish alone, read malloc's lists, the mmapped chunks and the resident pages
   while stopped, then let it go; a list caught mid-change is tried again after a moment, as
   take does. Core: the same reading, without RSS (a core has no resident pages). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attach/attach.h"
#include "common/unpreempted.h"
#include "stat/stat.h"
#include "take/take.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int stat_core(const struct hs_stat_options *o, struct hs_malloc_stats *s, struct hs_error *err)
{
	struct hs_malloc_info m = { 0 };
	struct hs_target *t;
	int rc;

	if (hs_core_open(o->core, o->exe, o->sysroot, o->debug_dirs, &t, err) < 0)
		return -1;
	rc = hs_malloc_locate(t, o->no_debuginfo, &m, err);
	if (rc == 0)
		rc = hs_stat_read(t, &m, s, err);
	hs_target_close(t);
	hs_malloc_info_free(&m);
	return rc;
}

/* One attempt on the stopped target. */
static int attempt(struct hs_target *t, const struct hs_stat_options *o, struct hs_malloc_info *m,
		   bool *located, struct hs_malloc_stats *s, struct hs_error *err)
{
	if (hs_take_prepare(t, o->no_debuginfo, m, located, err) < 0)
		return -1;
	if (hs_stat_read(t, m, s, err) < 0)
		return -1;
	hs_stat_find_mmapped(t, m, s);
	return hs_stat_rss(t->pid, s, err);
}

int hs_stat(const struct hs_stat_options *o, struct hs_malloc_stats *s, struct hs_error *err)
{
	struct hs_malloc_info m = { 0 };
	bool located = false;
	unsigned tries = 0;

	memset(s, 0, sizeof(*s));
	if (o->core != NULL)
		return stat_core(o, s, err);
	hs_take_install_signal_guard();
	for (;;) {
		struct hs_error attempt_err = { 0 };
		struct hs_unpreempted resuming;
		struct hs_target *t;
		double stopped = now_ms();
		int rc;

		if (hs_live_open(o->pid, o->debug_dirs, &t, err) < 0)
			break;
		hs_stat_free(s);
		rc = attempt(t, o, &m, &located, s, &attempt_err);
		hs_unpreempted_begin(&resuming);
		t->ops->release(t);
		s->pause_ms = now_ms() - stopped;
		hs_unpreempted_end(&resuming);
		s->retries = tries;
		bool again = rc != 0 && attempt_err.kind == HS_ERR_WALK && tries < o->max_retries &&
			     !hs_live_was_stopped(t) && !hs_live_gone(t);
		if (rc != 0 && !again)
			*err = attempt_err;
		hs_target_close(t);
		if (!again)
			break;
		usleep((1000u << (tries < 6 ? tries : 6)) + (unsigned)(rand() % 1000));
		tries++;
	}
	hs_malloc_info_free(&m);
	return err->kind == HS_OK ? 0 : -1;
}
