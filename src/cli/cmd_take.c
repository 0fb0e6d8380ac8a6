/* heapsnap take: options, then the take pipeline, then the atomic snapshot file. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_private.h"
#include "common/xalloc.h"
#include "snapshot/snapshot.h"
#include "take/take.h"

static const char take_help[] =
	"usage: heapsnap take PID [-o FILE] [options]\n"
	"       heapsnap take --core CORE [--exe EXE] [--sysroot DIR] [-o FILE] [options]\n"
	"\n"
	"Stops every thread of a live process (or reads a core file), walks glibc malloc's\n"
	"arenas, heaps and chunks, lists every live block with its usable size and inferred\n"
	"type, resumes the process and writes a JSON snapshot (mode 0600, written atomically).\n"
	"\n"
	"  -o, --output FILE      snapshot file; '-' for stdout (default heapsnap.PID.TIME.json)\n"
	"      --core CORE        read a core dump instead of a live process\n"
	"      --exe EXE          the executable that produced the core\n"
	"      --sysroot DIR      look for the core's files under DIR first\n"
	"      --debug-dir DIR    also look for debug files (by build-id) under DIR; repeatable\n"
	"      --no-debuginfo     locate malloc's state by scanning memory, without symbols\n"
	"      --no-blocks        omit the per-block list (totals and groups remain)\n"
	"      --refs             also scan for references: per block, reachable or leaked,\n"
	"                         its holder and its root (see heapsnap leaks)\n"
	"      --label TEXT       a label stored in the snapshot and shown by diff\n"
	"      --retries N        consistency retries on a live target (default 50)\n"
	"      --timeout SECONDS  give up after this long (default 60; 0 = never)\n"
	"  -q, --quiet            no progress on stderr\n"
	"  -h, --help             this help\n"
	"\n"
	"Exit: 0 written, 2 usage, 3 target unreadable or not glibc malloc, 4 heap never\n"
	"consistent, 5 output error.\n";

enum { OPT_SAVE_IMAGE = 256 };

static const struct option take_options[] = {
	{ "output", required_argument, NULL, 'o' },
	CLI_TARGET_OPTIONS,
	CLI_TAKE_OPTIONS,
	/* For heapsnap's developers, so not in the help: docs/fuzzing.md. */
	{ "save-image", required_argument, NULL, OPT_SAVE_IMAGE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int hs_cli_parse_pid(const char *s, pid_t *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 0x3fffffff)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

void hs_cli_take_defaults(struct hs_take_options *o)
{
	o->max_retries = 50;
	o->timeout_s = 60;
}

int hs_cli_take_option(const char *cmd, int id, const char *arg, struct hs_take_options *o,
		    const char ***dirs, size_t *ndirs, size_t *cap)
{
	char *end;

	switch (id) {
	case CLI_TAKE_DEBUG_DIR:
		hs_xgrow((void **)dirs, cap, *ndirs + 2, sizeof(**dirs));
		(*dirs)[(*ndirs)++] = arg;
		(*dirs)[*ndirs] = NULL;
		o->debug_dirs = *dirs;
		return 0;
	case CLI_TAKE_NO_DEBUGINFO: o->no_debuginfo = true; return 0;
	case CLI_TAKE_NO_BLOCKS: o->no_blocks = true; return 0;
	case CLI_TAKE_REFS: o->refs = true; return 0;
	case CLI_TAKE_LABEL: o->label = arg; return 0;
	case CLI_TAKE_RETRIES:
		o->max_retries = (unsigned)strtoul(arg, &end, 10);
		if (*arg == '\0' || *end || o->max_retries > 100000)
			return hs_cli_usage_error(cmd, "--retries takes a count from 0 to 100000, not '%s'", arg);
		return 0;
	case CLI_TAKE_TIMEOUT:
		o->timeout_s = strtod(arg, &end);
		if (*arg == '\0' || *end || !(o->timeout_s >= 0))
			return hs_cli_usage_error(cmd, "--timeout takes seconds (0 = never), not '%s'", arg);
		return 0;
	}
	return hs_cli_usage_error(cmd, "unknown option");
}

int hs_cli_take_options_check(const char *cmd, const struct hs_take_options *o)
{
	if (o->refs && o->no_blocks)
		return hs_cli_usage_error(cmd, "--refs describes each block: it does not go with --no-blocks");
	return 0;
}

static int parse_args(int argc, char **argv, struct hs_take_options *o, const char **out,
		      const char ***dirs)
{
	size_t ndirs = 0, cap = 0;
	bool quiet = false;
	int c;

	hs_cli_take_defaults(o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:qh", take_options, NULL)) != -1) {
		switch (c) {
		case 'o': *out = optarg; break;
		case CLI_TARGET_CORE: o->core = optarg; break;
		case CLI_TARGET_EXE: o->exe = optarg; break;
		case CLI_TARGET_SYSROOT: o->sysroot = optarg; break;
		case CLI_TAKE_DEBUG_DIR ... CLI_TAKE_REFS:
			if (hs_cli_take_option("take", c, optarg, o, dirs, &ndirs, &cap) != 0)
				return 2;
			break;
		case OPT_SAVE_IMAGE:
			if (strcmp(optarg, "-") == 0)
				return hs_cli_usage_error("take", "--save-image writes a file: give its name, not '-'");
			o->save_image = optarg;
			break;
		case 'q': quiet = true; break;
		case 'h': fputs(take_help, stdout); return 0;
		case ':': return hs_cli_usage_error("take", "option '%s' needs a value", argv[optind - 1]);
		default: return hs_cli_usage_error("take", "unknown option '%s'", argv[optind - 1]);
		}
	}
	o->debug_dirs = *dirs;
	if (hs_cli_take_options_check("take", o) != 0)
		return 2;
	o->progress = !quiet && isatty(STDERR_FILENO);
	if (o->core != NULL) {
		if (optind != argc)
			return hs_cli_usage_error("take", "give either PID or --core CORE, not both");
		return -1;
	}
	if (o->exe || o->sysroot)
		return hs_cli_usage_error("take", "--exe and --sysroot go with --core");
	if (optind == argc)
		return hs_cli_usage_error("take", "missing PID (or --core CORE)");
	if (optind + 1 != argc)
		return hs_cli_usage_error("take", "unexpected argument '%s'", argv[optind + 1]);
	if (hs_cli_parse_pid(argv[optind], &o->pid) < 0)
		return hs_cli_usage_error("take", "'%s' is not a process ID (a positive number)", argv[optind]);
	if (o->pid == getpid())
		return hs_cli_usage_error("take", "PID %d is heapsnap itself; give the PID of another process",
				       (int)o->pid);
	return -1;
}

int hs_cmd_take(int argc, char **argv)
{
	struct hs_take_options opts = { 0 };
	struct hs_error err = { 0 };
	struct hs_snapshot snap;
	const char *out = NULL, **dirs = NULL;
	char default_out[64];
	int rc = parse_args(argc, argv, &opts, &out, &dirs);

	if (rc >= 0) {
		free(dirs);
		return rc;
	}
	hs_snapshot_init(&snap);
	if (hs_take(&opts, &snap, &err) == 0) {
		if (out == NULL) {
			snprintf(default_out, sizeof(default_out), "heapsnap.%" PRId64 ".%lld.json",
				 snap.target.pid, (long long)time(NULL));
			out = default_out;
		}
		if (hs_snapshot_write_file(&snap, out, &err) == 0 && opts.progress)
			fprintf(stderr, "heapsnap: wrote %s\n", out);
	}
	hs_snapshot_free(&snap);
	free(dirs);
	return err.kind == HS_OK ? 0 : hs_report(&err);
}
