/* The CLI front: one cmd_<name>() per subcommand (git's builtin/ shape). Each parses its own
   options and returns the process exit code of the CLI contract. */
#ifndef HS_CLI_PRIVATE_H
#define HS_CLI_PRIVATE_H

#include <stddef.h>
#include <sys/types.h>

#include "diff/diff.h"
#include "take/take.h"

int hs_cmd_take(int argc, char **argv);
int hs_cmd_show(int argc, char **argv);
int hs_cmd_diff(int argc, char **argv);
int hs_cmd_trend(int argc, char **argv);
int hs_cmd_watch(int argc, char **argv);
int hs_cmd_report(int argc, char **argv);

/* The take options watch shares with take: their getopt ids and table entries. */
enum { CLI_TAKE_DEBUG_DIR = 350, CLI_TAKE_NO_DEBUGINFO, CLI_TAKE_NO_BLOCKS, CLI_TAKE_LABEL,
       CLI_TAKE_RETRIES, CLI_TAKE_TIMEOUT, CLI_TAKE_REFS };
#define CLI_TAKE_OPTIONS \
	{ "debug-dir", required_argument, NULL, CLI_TAKE_DEBUG_DIR }, \
	{ "no-debuginfo", no_argument, NULL, CLI_TAKE_NO_DEBUGINFO }, \
	{ "no-blocks", no_argument, NULL, CLI_TAKE_NO_BLOCKS }, \
	{ "label", required_argument, NULL, CLI_TAKE_LABEL }, \
	{ "retries", required_argument, NULL, CLI_TAKE_RETRIES }, \
	{ "timeout", required_argument, NULL, CLI_TAKE_TIMEOUT }, \
	{ "refs", no_argument, NULL, CLI_TAKE_REFS }

/* How the commands that read a target (take, leaks, stat) name one other than by PID: a
   core file, the executable, a sysroot. Their getopt ids and table entries. */
enum { CLI_TARGET_CORE = 360, CLI_TARGET_EXE, CLI_TARGET_SYSROOT };
#define CLI_TARGET_OPTIONS \
	{ "core", required_argument, NULL, CLI_TARGET_CORE }, \
	{ "exe", required_argument, NULL, CLI_TARGET_EXE }, \
	{ "sysroot", required_argument, NULL, CLI_TARGET_SYSROOT }

/* take's defaults (50 retries, a 60 s timeout). */
void hs_cli_take_defaults(struct hs_take_options *o);
/* Applies one of the shared take options (the --debug-dir list grows in dirs, NULL-ended);
   returns 0, or 2 after printing the usage error under cmd's name. */
int hs_cli_take_option(const char *cmd, int id, const char *arg, struct hs_take_options *o,
		    const char ***dirs, size_t *ndirs, size_t *cap);
/* Once the options are read: 2 after printing the usage error under cmd's name when they
   do not go together (--refs with --no-blocks), else 0. */
int hs_cli_take_options_check(const char *cmd, const struct hs_take_options *o);
/* A process ID: a positive number; -1 otherwise. */
int hs_cli_parse_pid(const char *s, pid_t *pid);
int hs_cmd_stat(int argc, char **argv);
int hs_cmd_leaks(int argc, char **argv);
int hs_cmd_why(int argc, char **argv);

/* show's pipeline, which leaks shares: snap's groups built into rows, ordered and rendered
   to the options' output (-o). leaks: NULL, or the leaks view whose `only` is snap (its
   split goes into the rows). Returns 0, or -1 with err set. */
struct hs_view_options;
struct hs_leaks_view;
struct hs_root_split;
int hs_cli_show(const struct hs_view_options *opts, const struct hs_snapshot *snap, const char *path,
		const struct hs_leaks_view *leaks, const struct hs_root_split *split, struct hs_error *err);
/* --format=pprof over snapshots taken with --refs (both, for diff): each side's holder
   chains into c->stacks, read again from c->path; nothing otherwise. Returns 0, or -1 with
   err set. hs_cli_pprof_holders_free once c is rendered. */
struct hs_comparison;
struct hs_cli_pprof_holders {
	struct hs_pprof_stacks stacks[2];
};
int hs_cli_pprof_holders(struct hs_comparison *c, struct hs_cli_pprof_holders *h, struct hs_error *err);
void hs_cli_pprof_holders_free(struct hs_cli_pprof_holders *h);

/* The show options cmd refuses (diff's own; --threads with CSV): 2 after printing the
   usage error, else 0. */
int hs_cli_show_refuse(const char *cmd, const struct hs_view_options *opts);

/* Prints "heapsnap: CMD: MSG: try 'heapsnap CMD --help'" and returns 2. */
int hs_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
