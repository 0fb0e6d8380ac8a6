/* heapsnap stat: options, then the stat pipeline, then the figures in the chosen format. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_private.h"
#include "common/output_file.h"
#include "common/xalloc.h"
#include "stat/stat.h"

static const char stat_help[] =
	"usage: heapsnap stat PID [--format=text|json|malloc-info] [-o FILE] [options]\n"
	"       heapsnap stat --core CORE [--exe EXE] [--sysroot DIR] [--format=...] [options]\n"
	"\n"
	"Reads glibc malloc's own state from outside (arenas, bins, fastbins, tcaches, heaps,\n"
	"mp_ counters; no walk of every chunk) and prints per arena and in total the figures\n"
	"mallinfo2() and malloc_info() would give inside the process, and where the process's\n"
	"RSS goes: live chunks, free chunks (what malloc_trim could give back), malloc's\n"
	"metadata and the rest of the process. A core has no RSS figures.\n"
	"\n"
	"      --format FORMAT    text (default), json, or malloc-info: exactly the XML\n"
	"                         malloc_info(0, fp) would print in the process\n"
	"  -o, --output FILE      write there (mode 0600, atomically) instead of stdout\n"
	"      --core CORE        read a core dump instead of a live process\n"
	"      --exe EXE          the executable that produced the core\n"
	"      --sysroot DIR      look for the core's files under DIR first\n"
	"      --debug-dir DIR    also look for debug files (by build-id) under DIR; repeatable\n"
	"      --no-debuginfo     locate malloc's state by scanning memory, without symbols\n"
	"      --retries N        consistency retries on a live target (default 50)\n"
	"  -v, --verbose          say on stderr how long the process was stopped\n"
	"  -h, --help             this help\n"
	"\n"
	"Exit: 0 printed, 2 usage, 3 target unreadable or not glibc malloc, 4 malloc's lists\n"
	"not consistent, 5 output error.\n";

enum { OPT_DEBUG_DIR = 256, OPT_NO_DEBUGINFO, OPT_RETRIES, OPT_FORMAT };
enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_MALLOC_INFO };

static const struct option stat_options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	CLI_TARGET_OPTIONS,
	{ "debug-dir", required_argument, NULL, OPT_DEBUG_DIR },
	{ "no-debuginfo", no_argument, NULL, OPT_NO_DEBUGINFO },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct stat_args {
	struct hs_stat_options o;
	enum format format;
	const char *out;
	bool verbose;
};

static int parse_args(int argc, char **argv, struct stat_args *a, const char ***dirs)
{
	size_t ndirs = 0, cap = 0;
	char *end;
	long pid;
	int c;

	a->o.max_retries = 50;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:vh", stat_options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0) a->format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0) a->format = FORMAT_JSON;
			else if (strcmp(optarg, "malloc-info") == 0) a->format = FORMAT_MALLOC_INFO;
			else return hs_cli_usage_error("stat", "--format takes text, json or malloc-info, not '%s'", optarg);
			break;
		case 'o': a->out = optarg; break;
		case CLI_TARGET_CORE: a->o.core = optarg; break;
		case CLI_TARGET_EXE: a->o.exe = optarg; break;
		case CLI_TARGET_SYSROOT: a->o.sysroot = optarg; break;
		case OPT_DEBUG_DIR:
			hs_xgrow((void **)dirs, &cap, ndirs + 2, sizeof(**dirs));
			(*dirs)[ndirs++] = optarg;
			(*dirs)[ndirs] = NULL;
			break;
		case OPT_NO_DEBUGINFO: a->o.no_debuginfo = true; break;
		case OPT_RETRIES:
			a->o.max_retries = (unsigned)strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end || a->o.max_retries > 100000)
				return hs_cli_usage_error("stat", "--retries takes a count from 0 to 100000, not '%s'", optarg);
			break;
		case 'v': a->verbose = true; break;
		case 'h': fputs(stat_help, stdout); return 0;
		case ':': return hs_cli_usage_error("stat", "option '%s' needs a value", argv[optind - 1]);
		default: return hs_cli_usage_error("stat", "unknown option '%s'", argv[optind - 1]);
		}
	}
	a->o.debug_dirs = *dirs;
	if (a->o.core != NULL) {
		if (optind != argc)
			return hs_cli_usage_error("stat", "give either PID or --core CORE, not both");
		return -1;
	}
	if (a->o.exe || a->o.sysroot)
		return hs_cli_usage_error("stat", "--exe and --sysroot go with --core");
	if (optind == argc)
		return hs_cli_usage_error("stat", "missing PID (or --core CORE)");
	if (optind + 1 != argc)
		return hs_cli_usage_error("stat", "unexpected argument '%s'", argv[optind + 1]);
	errno = 0;
	pid = strtol(argv[optind], &end, 10);
	if (errno || end == argv[optind] || *end || pid <= 0 || pid > 0x3fffffff)
		return hs_cli_usage_error("stat", "'%s' is not a process ID (a positive number)", argv[optind]);
	if (pid == getpid())
		return hs_cli_usage_error("stat", "PID %ld is heapsnap itself; give the PID of another process", pid);
	a->o.pid = (pid_t)pid;
	return -1;
}

static int print(const struct hs_malloc_stats *s, enum format format, FILE *fp)
{
	switch (format) {
	case FORMAT_JSON: return hs_stat_print_json(s, fp);
	case FORMAT_MALLOC_INFO: return hs_stat_print_malloc_info(s, fp);
	default: return hs_stat_print_text(s, fp);
	}
}

int hs_cmd_stat(int argc, char **argv)
{
	struct stat_args a = { 0 };
	struct hs_error err = { 0 };
	struct hs_malloc_stats s;
	struct hs_output out;
	const char **dirs = NULL;
	int rc = parse_args(argc, argv, &a, &dirs);

	if (rc >= 0) {
		free(dirs);
		return rc;
	}
	if (hs_stat(&a.o, &s, &err) == 0) {
		if (a.verbose && a.o.core == NULL)
			fprintf(stderr, "heapsnap: process %d was stopped for %.1f ms (%u retries)\n", (int)a.o.pid,
				s.pause_ms, s.retries);
		if (hs_output_open(&out, a.out ? a.out : "-", &err) == 0) {
			if (print(&s, a.format, out.fp) < 0) {
				hs_output_abort(&out);
				hs_fail(&err, HS_ERR_OUTPUT, "cannot write the figures: check the disk and the file");
			} else {
				hs_output_commit(&out, &err);
			}
		}
	}
	hs_stat_free(&s);
	free(dirs);
	return err.kind == HS_OK ? 0 : hs_report(&err);
}
