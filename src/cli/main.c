/* heapsnap's entry point: dispatches to a subcommand (git's command table shape). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_private.h"
#include "config.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "take", hs_cmd_take, "snapshot the glibc heap of a live process or a core file" },
	{ "show", hs_cmd_show, "show one snapshot's composition" },
	{ "diff", hs_cmd_diff, "compare two snapshots: what grew, what shrank" },
	{ "watch", hs_cmd_watch, "take a snapshot of a live process every few seconds" },
	{ "trend", hs_cmd_trend, "which groups keep growing across many snapshots" },
	{ "report", hs_cmd_report, "write snapshots as a self-contained HTML report" },
	{ "stat", hs_cmd_stat, "malloc's own figures (mallinfo2, malloc_info) and where RSS goes" },
	{ "leaks", hs_cmd_leaks, "the leaked blocks of a snapshot taken with --refs" },
	{ "why", hs_cmd_why, "who holds a block: the chain from its root (--refs snapshots)" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: heapsnap <command> [options]\n"
		     "       heapsnap --help | --version\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-6s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nexit codes: 0 ok, 1 a gate tripped (diff, trend, leaks), 2 usage,\n"
		     "            3 target unreadable, 4 heap not consistent, 5 output error\n"
		     "'heapsnap <command> --help' describes a command; 'man heapsnap' has the rest.\n");
}

int hs_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "heapsnap: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": try 'heapsnap %s%s--help'\n", cmd ? cmd : "", cmd ? " " : "");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr), 2;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return usage(stdout), 0;
	if (strcmp(argv[1], "--version") == 0) {
		printf("heapsnap %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	return hs_cli_usage_error(NULL, "unknown command '%s'", argv[1]);
}
