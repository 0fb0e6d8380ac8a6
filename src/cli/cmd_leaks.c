/* heapsnap leaks: the blocks of a snapshot taken with --refs that no root reaches, with
   LeakSanitizer's split into direct leaks (no other leaked block points to them) and
   indirect ones (reached only from leaked blocks). The snapshot is a file, or taken here
   of a live process or a core by take's own pipeline (in memory: no file is written). The
   leaked blocks then go through show's pipeline, so every show option works the same. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_private.h"
#include "diff/diff.h"
#include "snapshot/snapshot.h"
#include "take/take.h"

static const char leaks_help[] =
	"usage: heapsnap leaks FILE [options]\n"
	"       heapsnap leaks PID [take options] [options]\n"
	"       heapsnap leaks --core CORE [--exe EXE] [--sysroot DIR] [take options] [options]\n"
	"\n"
	"Shows the leaked blocks of a snapshot taken with 'heapsnap take --refs': the blocks no\n"
	"root (global, stack, register, TLS, other mapping) reaches, grouped as show groups them,\n"
	"after a line with LeakSanitizer's split: direct leaks (no other leaked block points to\n"
	"them) and indirect ones (reached only from leaked blocks); each row has its split too.\n"
	"Given a PID (a number) or --core, it takes the snapshot itself, as 'heapsnap take --refs'\n"
	"does (the process stopped only while its heap is read), and writes no snapshot file.\n"
	"\n"
	"  --fail-if-leaks=BYTES\n"
	"                       exit 1 when the leaked blocks hold more than BYTES\n"
	"  take options, with PID or --core only (see heapsnap take --help): --exe, --sysroot,\n"
	"                       --debug-dir, --no-debuginfo, --label, --retries, --timeout,\n"
	"                       --quiet\n"
	"%s"
	"  --threads            also each thread's stack when the snapshot was taken\n"
	"\n"
	"Exit: 0 shown, 1 --fail-if-leaks tripped, 2 usage, 3 the snapshot cannot be read or has\n"
	"no reference data (or the target cannot be read), 4 the heap was never consistent,\n"
	"5 output error.\n";

enum { OPT_FAIL_IF_LEAKS = 450, OPT_QUIET };

static const struct option leaks_options[] = {
	{ "fail-if-leaks", required_argument, NULL, OPT_FAIL_IF_LEAKS },
	CLI_TARGET_OPTIONS,
	{ "quiet", no_argument, NULL, OPT_QUIET },
	CLI_TAKE_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

/* What leaks' own options set. */
struct leaks_args {
	uint64_t fail_over;
	const char *fail_text; /* --fail-if-leaks as given */
	bool gate, quiet;
	const char *take_option; /* the first take option given, to refuse it with a FILE */
	bool reported;           /* a take option's usage error was already printed */
	struct hs_take_options take;
	const char **dirs;
	size_t ndirs, dirs_cap;
};

static int apply(void *arg, int id, const char *value, char *why, size_t n)
{
	struct leaks_args *a = arg;

	if (id == OPT_FAIL_IF_LEAKS) {
		if (hs_parse_bytes(value, &a->fail_over) < 0) {
			snprintf(why, n, "--fail-if-leaks takes a size in bytes (e.g. 1MiB), not '%s'", value);
			return -1;
		}
		a->gate = true;
		a->fail_text = value;
		return 0;
	}
	for (size_t i = 0; leaks_options[i].name != NULL && a->take_option == NULL; i++)
		if (leaks_options[i].val == id)
			a->take_option = leaks_options[i].name;
	switch (id) {
	case CLI_TARGET_CORE: a->take.core = value; return 0;
	case CLI_TARGET_EXE: a->take.exe = value; return 0;
	case CLI_TARGET_SYSROOT: a->take.sysroot = value; return 0;
	case OPT_QUIET: a->quiet = true; return 0;
	}
	if (hs_cli_take_option("leaks", id, value, &a->take, &a->dirs, &a->ndirs, &a->dirs_cap) != 0) {
		a->reported = true;
		why[0] = '\0';
		return -1;
	}
	return 0;
}

/* Whether the command line names one snapshot to read or take (the PID parsed into
   a->take): 0, or 2 after a usage error. */
static int check_target(struct leaks_args *a, const char **file)
{
	struct hs_take_options *o = &a->take;
	bool pid = *file != NULL && hs_cli_parse_pid(*file, &o->pid) == 0;

	if (pid)
		*file = NULL;
	if (o->core != NULL && (pid || *file != NULL))
		return hs_cli_usage_error("leaks", "give one of FILE, PID or --core CORE, not two");
	if (*file == NULL && !pid && o->core == NULL)
		return hs_cli_usage_error("leaks", "missing the snapshot FILE (or a PID, or --core CORE)");
	if (*file != NULL && a->take_option != NULL)
		return hs_cli_usage_error("leaks", "--%s takes a snapshot: it goes with a PID or --core, not "
					  "with a snapshot FILE", a->take_option);
	if (o->no_blocks)
		return hs_cli_usage_error("leaks", "leaks needs every block: --no-blocks does not go with it");
	if (o->core == NULL && (o->exe || o->sysroot))
		return hs_cli_usage_error("leaks", "--exe and --sysroot go with --core");
	if (pid && o->pid == getpid())
		return hs_cli_usage_error("leaks", "PID %d is heapsnap itself; give the PID of another process",
					  (int)o->pid);
	o->refs = true;
	o->debug_dirs = a->dirs;
	o->progress = !a->quiet && isatty(STDERR_FILENO);
	return 0;
}

/* The leaked blocks of a snapshot file into v. */
static int read_file(const char *file, struct hs_snapshot *snap, struct hs_leaks_view *v, struct hs_error *err)
{
	struct hs_snapshot_reader *r = NULL;
	struct hs_block b;
	size_t group, i = 0;
	int rc = hs_snapshot_open(file, snap, &r, err);

	if (rc == 0 && (snap->refs == NULL || !snap->has_blocks))
		rc = hs_fail(err, HS_ERR_TARGET, "%s has no reference data: take it with 'heapsnap take --refs'", file);
	if (rc == 0)
		rc = hs_snapshot_read_block_refs(r, err);
	if (rc == 0)
		hs_leaks_view_init(v, snap);
	while (rc == 0 && (rc = hs_snapshot_next_block(r, &b, &group, err)) > 0) {
		hs_leaks_view_offer(v, &b, snap->refs->blocks[i++].owner);
		rc = 0;
	}
	hs_snapshot_close(r);
	return rc;
}

struct offer {
	struct hs_leaks_view *v;
	const struct hs_block_ref *refs;
	size_t next;
};

static int offer_block(void *arg, const struct hs_block *b)
{
	struct offer *o = arg;

	hs_leaks_view_offer(o->v, b, o->refs[o->next++].owner);
	return 0;
}

/* The leaked blocks of a snapshot taken now (with --refs) into v. */
static int take_now(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_leaks_view *v,
		    struct hs_error *err)
{
	struct offer offer = { v, NULL, 0 };

	if (hs_take(o, snap, err) < 0)
		return -1;
	hs_leaks_view_init(v, snap);
	offer.refs = snap->refs->blocks;
	hs_block_log_each(&snap->blocks, offer_block, &offer);
	return 0;
}

static int leaks(const struct hs_view_options *opts, const char *file, struct leaks_args *a,
		 struct hs_error *err)
{
	struct hs_snapshot snap;
	struct hs_leaks_view v = { 0 };
	char name[64];
	int rc;

	hs_snapshot_init(&snap);
	if (file != NULL) {
		rc = read_file(file, &snap, &v, err);
	} else {
		rc = take_now(&a->take, &snap, &v, err);
		snprintf(name, sizeof(name), "process %d (taken now)", (int)a->take.pid);
		file = a->take.core != NULL ? a->take.core : name;
	}
	if (rc == 0) {
		hs_leaks_view_finish(&v, &snap);
		rc = hs_cli_show(opts, &v.only, file, &v, NULL, err);
	}
	if (rc == 0 && a->gate && v.size[HS_DIRECT] + v.size[HS_INDIRECT] > a->fail_over)
		rc = hs_fail(err, HS_ERR_GATE, "the leaked blocks hold %" PRIu64 " bytes, more than "
			     "--fail-if-leaks=%s: the rows above show their types",
			     v.size[HS_DIRECT] + v.size[HS_INDIRECT], a->fail_text);
	hs_leaks_view_free(&v);
	hs_snapshot_free(&snap);
	return rc;
}

int hs_cmd_leaks(int argc, char **argv)
{
	struct hs_view_options opts;
	struct hs_error err = { 0 };
	struct leaks_args a = { 0 };
	struct hs_view_extra extra = { leaks_options, apply, &a, true };
	const char *file;
	char why[512];
	int rc = 0;

	hs_cli_take_defaults(&a.take);
	hs_view_options_init(&opts);
	switch (hs_view_parse_args_extra(argc, argv, &opts, &file, 1, &extra, why, sizeof(why))) {
	case HS_ARGS_HELP:
		printf(leaks_help, hs_view_options_help);
		break;
	case HS_ARGS_USAGE:
		rc = a.reported ? 2 : hs_cli_usage_error("leaks", "%s", why);
		break;
	case HS_ARGS_OK:
		if (opts.group_by == HS_BY_ROOT)
			rc = hs_cli_usage_error("leaks", "--group-by=root: no root holds a leaked block; "
						"'heapsnap show --group-by=root' shows the held ones");
		else if ((rc = check_target(&a, &file)) == 0 && (rc = hs_cli_show_refuse("leaks", &opts)) == 0 &&
		    (rc = leaks(&opts, file, &a, &err)) < 0)
			rc = hs_report(&err);
		break;
	}
	hs_view_options_free(&opts);
	free(a.dirs);
	return rc;
}
