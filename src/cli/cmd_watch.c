/* heapsnap watch: a take every --every seconds into --dir, one line per take, until --count
   takes or SIGINT/SIGTERM/SIGHUP. Between takes those signals only ask the loop to stop;
   during a take the take's own guard (attach/live.c) detaches the target and removes the
   unfinished file before heapsnap dies, so the target is always left running and every file
   in DIR is complete. What is done with each new snapshot is in after_take(). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_private.h"
#include "common/catch_signals.h"
#include "common/xalloc.h"
#include "diff/diff.h"
#include "snapshot/snapshot.h"
#include "trend/trend.h"

static const char watch_help[] =
	"usage: heapsnap watch PID --every SECONDS [--count N] [--dir DIR] [--keep N]\n"
	"                     [--metrics-file FILE] [options]\n"
	"\n"
	"Takes a snapshot of a live process every SECONDS into DIR, named\n"
	"heapsnap.PID.SECONDS.MILLISECONDS.json after the time the target was stopped (so the\n"
	"names sort by time), and prints one line per take: the time, the live bytes, the\n"
	"change since the first and since the previous take, the pause and the file. Stops\n"
	"after N takes, or on SIGINT or SIGTERM: the target is always left running and no\n"
	"file is left half written. 'heapsnap trend DIR/heapsnap.PID.*.json' reads the files.\n"
	"\n"
	"  --every SECONDS      the interval between takes (required; a decimal number > 0)\n"
	"  --count N            stop after N takes (default: until interrupted)\n"
	"  --dir DIR            where the snapshots go (default .)\n"
	"  --keep N             keep only the newest N snapshots of this watch, deleting older ones\n"
	"  --metrics-file FILE  after each take, rewrite FILE with its OpenMetrics text (as\n"
	"                       'show --format=openmetrics': totals, arenas, top 30 types), for\n"
	"                       node_exporter's textfile collector\n"
	"      --debug-dir DIR  as for take: also look for debug files under DIR; repeatable\n"
	"      --no-debuginfo   as for take\n"
	"      --no-blocks      as for take: groups and totals only (enough for trend)\n"
	"      --refs           as for take: reference data, for 'trend --group-by=root'\n"
	"      --label TEXT     as for take\n"
	"      --retries N      as for take (default 50)\n"
	"      --timeout SECONDS as for take, per take (default 60; 0 = never)\n"
	"  -h, --help           this help\n"
	"\n"
	"A take that finds the heap never consistent is reported and tried again at the next\n"
	"tick (ten such failures in a row end the watch with exit 4).\n"
	"\n"
	"Exit: 0 done or interrupted, 2 usage, 3 target unreadable or gone, 4 heap never\n"
	"consistent, 5 output error.\n";

/* A target that stays busy is given up on after this many failed takes in a row. */
#define MAX_FAILED_IN_A_ROW 10

enum { OPT_EVERY = 256, OPT_COUNT, OPT_DIR, OPT_KEEP, OPT_METRICS_FILE };

/* The types a --metrics-file lists: show's default --limit, a bounded label cardinality. */
#define METRICS_FILE_TYPES 30

static const struct option watch_options[] = {
	{ "every", required_argument, NULL, OPT_EVERY },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "dir", required_argument, NULL, OPT_DIR },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "metrics-file", required_argument, NULL, OPT_METRICS_FILE },
	CLI_TAKE_OPTIONS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct watch {
	struct hs_take_options take;
	const char **debug_dirs;
	double every;
	unsigned long count, keep;  /* 0 = no limit */
	const char *dir;
	const char *metrics_file;   /* --metrics-file, or NULL */
	struct hs_unit unit;
	unsigned long takes;
	uint64_t first_total, last_total;
	char **files;               /* with --keep: this watch's files, oldest first */
	size_t nfiles, files_cap;
};

static volatile sig_atomic_t stop_requested;

static void request_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Between takes: SIGINT, SIGTERM and SIGHUP end the watch after the current sleep; no
   SA_RESTART, so the sleep ends at once. hs_take installs its own guard for its duration. */
static void catch_stop_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	hs_catch_signals(sigs, sizeof(sigs) / sizeof(sigs[0]), request_stop, false);
}

static int parse_count(const char *option, const char *arg, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0 || *out == 0)
		return hs_cli_usage_error("watch", "%s takes a positive number, not '%s'", option, arg);
	return 0;
}

/* Returns -1 to go on, or the exit code (0 after --help). */
static int parse_args(int argc, char **argv, struct watch *w)
{
	size_t ndirs = 0, cap = 0;
	char *end;
	int c;

	hs_cli_take_defaults(&w->take);
	w->dir = ".";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", watch_options, NULL)) != -1) {
		switch (c) {
		case OPT_EVERY:
			w->every = strtod(optarg, &end);
			if (*optarg == '\0' || *end || !(w->every > 0) || !isfinite(w->every))
				return hs_cli_usage_error("watch", "--every takes seconds (a number > 0), not '%s'", optarg);
			break;
		case OPT_COUNT:
			if (parse_count("--count", optarg, &w->count) != 0)
				return 2;
			break;
		case OPT_KEEP:
			if (parse_count("--keep", optarg, &w->keep) != 0)
				return 2;
			break;
		case OPT_DIR: w->dir = optarg; break;
		case OPT_METRICS_FILE: w->metrics_file = optarg; break;
		case CLI_TAKE_DEBUG_DIR ... CLI_TAKE_REFS:
			if (hs_cli_take_option("watch", c, optarg, &w->take, &w->debug_dirs, &ndirs, &cap) != 0)
				return 2;
			break;
		case 'h': fputs(watch_help, stdout); return 0;
		case ':': return hs_cli_usage_error("watch", "option '%s' needs a value", argv[optind - 1]);
		default: return hs_cli_usage_error("watch", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return hs_cli_usage_error("watch", "missing PID");
	if (optind + 1 != argc)
		return hs_cli_usage_error("watch", "unexpected argument '%s'", argv[optind + 1]);
	if (hs_cli_parse_pid(argv[optind], &w->take.pid) < 0)
		return hs_cli_usage_error("watch", "'%s' is not a process ID (a positive number)", argv[optind]);
	if (w->take.pid == getpid())
		return hs_cli_usage_error("watch", "PID %d is heapsnap itself; give the PID of another process",
				       (int)w->take.pid);
	if (w->every == 0)
		return hs_cli_usage_error("watch", "missing --every SECONDS");
	if (hs_cli_take_options_check("watch", &w->take) != 0)
		return 2;
	return -1;
}

/* DIR/heapsnap.PID.SECONDS.MILLISECONDS.json from the snapshot's taken_at. */
static char *file_name(const struct watch *w, const struct hs_snapshot *snap)
{
	double at = 0;
	size_t n = strlen(w->dir) + 96;
	char *path = hs_xmalloc(n);

	if (hs_parse_rfc3339(snap->taken_at, &at) < 0)
		at = (double)time(NULL);
	snprintf(path, n, "%s/heapsnap.%" PRId64 ".%lld.%03d.json", w->dir, snap->target.pid,
		 (long long)floor(at), (int)((at - floor(at)) * 1000 + 0.5) % 1000);
	return path;
}

static int print_line(struct watch *w, const struct hs_snapshot *snap, const char *path,
		      struct hs_error *err)
{
	uint64_t total = snap->totals.live_bytes;
	char when[16] = "", size[48], since_first[48], since_last[48];
	const char *t = snap->taken_at != NULL ? strchr(snap->taken_at, 'T') : NULL;

	if (w->takes == 1)
		w->first_total = w->last_total = total;
	if (t != NULL)
		snprintf(when, sizeof(when), "%.12s", t + 1);
	hs_unit_format(&w->unit, total, true, size, sizeof(size));
	hs_unit_format_signed(&w->unit, (int64_t)(total - w->first_total), true, since_first, sizeof(since_first));
	hs_unit_format_signed(&w->unit, (int64_t)(total - w->last_total), true, since_last, sizeof(since_last));
	w->last_total = total;
	printf("%-12s  live %10s  since first %11s  since last %11s  pause %7.1f ms  %s\n", when, size,
	       since_first, since_last, snap->walk.pause_ms, path);
	if (fflush(stdout) != 0 || ferror(stdout))
		return hs_fail(err, HS_ERR_OUTPUT, "cannot write the output (%s): check the output's destination",
			       strerror(errno));
	return 0;
}

/* --keep: deletes this watch's oldest files beyond N. */
static int prune(struct watch *w, char *path, struct hs_error *err)
{
	if (w->keep == 0)
		return free(path), 0;
	hs_xgrow((void **)&w->files, &w->files_cap, w->nfiles + 1, sizeof(*w->files));
	w->files[w->nfiles++] = path;
	while (w->nfiles > w->keep) {
		if (unlink(w->files[0]) < 0 && errno != ENOENT)
			return hs_fail(err, HS_ERR_OUTPUT, "cannot delete %s for --keep (%s): check the directory's permissions",
				       w->files[0], strerror(errno));
		free(w->files[0]);
		memmove(w->files, w->files + 1, --w->nfiles * sizeof(*w->files));
	}
	return 0;
}

/* Everything done with a new snapshot once its file is written: the place for more. */
static int after_take(struct watch *w, const struct hs_snapshot *snap, char *path, struct hs_error *err)
{
	if (print_line(w, snap, path, err) < 0 ||
	    (w->metrics_file && hs_openmetrics_write_file(snap, METRICS_FILE_TYPES, w->metrics_file, err) < 0))
		return free(path), -1;
	return prune(w, path, err);
}

static int take_one(struct watch *w, struct hs_error *err)
{
	struct hs_snapshot snap;
	char *path = NULL;
	int rc;

	hs_snapshot_init(&snap);
	rc = hs_take(&w->take, &snap, err);
	if (rc == 0) {
		path = file_name(w, &snap);
		rc = hs_snapshot_write_file(&snap, path, err);
	}
	if (rc == 0) {
		w->takes++;
		rc = after_take(w, &snap, path, err);
	} else {
		free(path);
	}
	hs_snapshot_free(&snap);
	return rc;
}

static void add_seconds(struct timespec *t, double s)
{
	double whole = floor(s);

	t->tv_sec += (time_t)whole;
	t->tv_nsec += (long)((s - whole) * 1e9);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Sleeps until the next tick after now (ticks the takes overran are skipped); false when a
   stop was asked for. */
static bool wait_for_tick(struct timespec *tick, double every)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	do
		add_seconds(tick, every);
	while (before(tick, &now));
	while (!stop_requested && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, tick, NULL) == EINTR)
		;
	return !stop_requested;
}

static int watch(struct watch *w, struct hs_error *err)
{
	struct timespec tick;
	unsigned failed_in_a_row = 0;
	struct stat st;

	if (stat(w->dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return hs_fail(err, HS_ERR_OUTPUT, "--dir %s is not a directory (%s): create it or give another",
			       w->dir, errno ? strerror(errno) : "not a directory");
	catch_stop_signals();
	clock_gettime(CLOCK_MONOTONIC, &tick);
	while (!stop_requested) {
		struct hs_error take_err = { 0 };
		if (take_one(w, &take_err) == 0) {
			failed_in_a_row = 0;
		} else if (take_err.kind == HS_ERR_WALK && ++failed_in_a_row < MAX_FAILED_IN_A_ROW) {
			fprintf(stderr, "heapsnap: watch: %s (trying again at the next tick)\n", take_err.msg);
		} else {
			*err = take_err;
			return -1;
		}
		/* The take replaced the handlers with its guard: ours again until the next. */
		catch_stop_signals();
		if (w->count != 0 && w->takes >= w->count)
			break;
		if (!wait_for_tick(&tick, w->every))
			break;
	}
	return 0;
}

int hs_cmd_watch(int argc, char **argv)
{
	struct watch w = { 0 };
	struct hs_error err = { 0 };
	int rc = parse_args(argc, argv, &w);

	if (rc < 0) {
		hs_unit_parse("auto", &w.unit);
		rc = watch(&w, &err) == 0 ? 0 : hs_report(&err);
	}
	for (size_t i = 0; i < w.nfiles; i++)
		free(w.files[i]);
	free(w.files);
	free(w.debug_dirs);
	return rc;
}
