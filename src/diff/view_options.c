/* Parsing the shared show/diff options (see diff.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "diff/diff.h"

const struct option hs_view_long_options[] = {
	{ "group-by", required_argument, NULL, HS_OPT_GROUP_BY },
	{ "sort", required_argument, NULL, HS_OPT_SORT },
	{ "diff", required_argument, NULL, HS_OPT_DIFF },
	{ "limit", required_argument, NULL, HS_OPT_LIMIT },
	{ "unit", required_argument, NULL, HS_OPT_UNIT },
	{ "filter", required_argument, NULL, HS_OPT_FILTER },
	{ "exclude", required_argument, NULL, HS_OPT_EXCLUDE },
	{ "min-delta", required_argument, NULL, HS_OPT_MIN_DELTA },
	{ "format", required_argument, NULL, HS_OPT_FORMAT },
	{ "fail-if-growth", required_argument, NULL, HS_OPT_FAIL_IF_GROWTH },
	{ "verbose", no_argument, NULL, HS_OPT_VERBOSE },
	{ "help", no_argument, NULL, HS_OPT_HELP },
	{ "output", required_argument, NULL, HS_OPT_OUTPUT },
	{ "threads", no_argument, NULL, HS_OPT_THREADS },
	{ NULL, 0, NULL, 0 },
};

const char hs_view_options_help[] =
	"  --group-by=KEY       type (default), size, type,size, kind, sizeclass (usable size\n"
	"                       in power-of-two classes: 513-1024, ...) or root (the root\n"
	"                       that alone holds each block: 'global SYMBOL (MODULE)', 'stack\n"
	"                       TID (NAME)', ..., 'several roots', 'leaked'; needs a snapshot\n"
	"                       taken with --refs)\n"
	"  --sort=FIGURE        size (default), count, avg or name\n"
	"  --limit=N            rows shown (default 30, 0 = all); the rest in one 'N other' row\n"
	"  --unit=UNIT          auto (default: KiB, MiB, GiB per value), B, KiB, MiB, GiB,\n"
	"                       kB, MB, GB; any case\n"
	"  --filter=GLOB[,...]  keep only types whose name matches a glob ('\\,' is a comma)\n"
	"  --exclude=GLOB[,...] drop types whose name matches a glob\n"
	"  --format=FORMAT      table (default), json, csv, pprof (gzipped profile.proto for\n"
	"                       'go tool pprof'; every group, whatever the filters; needs -o)\n"
	"                       or openmetrics (show only: Prometheus text, top --limit types)\n"
	"  -o, --output=FILE    write to FILE (whole or not at all, mode 0600); '-' is stdout\n"
	"  -v, --verbose        also show glibc's own blocks (kind libc), hidden by default\n"
	"  -h, --help           this help\n";

static const char *const group_by_names[] = { "type", "size", "type,size", "kind", "sizeclass", "root" };
static const char *const sort_names[] = { "size", "count", "avg", "name" };
static const char *const order_names[] = { "absolute", "positive" };
static const char *const format_names[] = { "table", "json", "csv", "pprof", "openmetrics" };

const char *hs_group_by_name(enum hs_group_by g) { return group_by_names[g]; }
const char *hs_sort_name(enum hs_sort_by s) { return sort_names[s]; }
const char *hs_order_name(enum hs_order o) { return order_names[o]; }

void hs_view_options_init(struct hs_view_options *o)
{
	memset(o, 0, sizeof(*o));
	o->limit = 30;
	hs_unit_parse("auto", &o->unit);
}

static void free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void hs_view_options_free(struct hs_view_options *o)
{
	free_list(o->filters, o->nfilters);
	free_list(o->excludes, o->nexcludes);
	memset(o, 0, sizeof(*o));
}

/* The index of arg among names, or -1 with why naming the choices. */
static int choose(const char *option, const char *arg, const char *const *names, int n,
		  char *why, size_t why_n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	int len = snprintf(why, why_n, "--%s takes", option);
	for (int i = 0; i < n && len > 0 && (size_t)len < why_n; i++)
		len += snprintf(why + len, why_n - (size_t)len, "%s %s", i ? (i + 1 == n ? " or" : ",") : "",
				names[i]);
	if (len > 0 && (size_t)len < why_n)
		snprintf(why + len, why_n - (size_t)len, ", not '%s'", arg);
	return -1;
}

/* Appends the globs of a comma-separated list; a backslash-escaped comma stays in its glob,
   escape and all, for fnmatch to read as a literal comma. */
static int add_globs(char ***list, size_t *n, const char *arg, const char *option, char *why,
		     size_t why_n)
{
	const char *start = arg, *p = arg;

	for (;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p != ',' && *p != '\0')
			continue;
		if (p == start)
			return snprintf(why, why_n, "--%s has an empty pattern in '%s'", option, arg), -1;
		*list = hs_xrealloc(*list, (*n + 1) * sizeof(**list));
		(*list)[*n] = hs_xmalloc((size_t)(p - start) + 1);
		memcpy((*list)[*n], start, (size_t)(p - start));
		(*list)[(*n)++][p - start] = '\0';
		if (*p == '\0')
			return 0;
		start = p + 1;
	}
}

static int parse_limit(struct hs_view_options *o, const char *arg, char *why, size_t n)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0 || v > SIZE_MAX)
		return snprintf(why, n, "--limit takes a number of rows (0 = all), not '%s'", arg), -1;
	o->limit = (size_t)v;
	return 0;
}

/* BYTES (with an optional unit) or PCT%. */
static int parse_growth(struct hs_view_options *o, const char *arg, char *why, size_t n)
{
	size_t len = strlen(arg);
	char *end;

	o->fail_if_growth.set = true;
	o->fail_if_growth.text = arg;
	if (len > 1 && arg[len - 1] == '%') {
		o->fail_if_growth.percent = true;
		o->fail_if_growth.pct = strtod(arg, &end);
		if (*arg >= '0' && *arg <= '9' && end == arg + len - 1 && isfinite(o->fail_if_growth.pct))
			return 0;
	} else if (hs_parse_bytes(arg, &o->fail_if_growth.bytes) == 0) {
		return 0;
	}
	return snprintf(why, n, "--fail-if-growth takes BYTES (e.g. 1048576 or 1MiB) or PCT%% (e.g. 10%%), not '%s'",
			arg), -1;
}

int hs_view_option(struct hs_view_options *o, int id, const char *arg, char *why, size_t n)
{
	int i;

	switch (id) {
	case HS_OPT_GROUP_BY:
		if ((i = choose("group-by", arg, group_by_names, 6, why, n)) < 0)
			return -1;
		o->group_by = (enum hs_group_by)i;
		return 0;
	case HS_OPT_SORT:
		if ((i = choose("sort", arg, sort_names, 4, why, n)) < 0)
			return -1;
		o->sort = (enum hs_sort_by)i;
		return 0;
	case HS_OPT_DIFF:
		o->diff_only = "--diff";
		if ((i = choose("diff", arg, order_names, 2, why, n)) < 0)
			return -1;
		o->order = (enum hs_order)i;
		return 0;
	case HS_OPT_FORMAT:
		if ((i = choose("format", arg, format_names, 5, why, n)) < 0)
			return -1;
		o->format = (enum hs_format)i;
		return 0;
	case HS_OPT_LIMIT:
		return parse_limit(o, arg, why, n);
	case HS_OPT_UNIT:
		if (hs_unit_parse(arg, &o->unit) == 0)
			return 0;
		return snprintf(why, n, "--unit takes %s (any case), not '%s'", hs_unit_names(), arg), -1;
	case HS_OPT_FILTER:
		return add_globs(&o->filters, &o->nfilters, arg, "filter", why, n);
	case HS_OPT_EXCLUDE:
		return add_globs(&o->excludes, &o->nexcludes, arg, "exclude", why, n);
	case HS_OPT_MIN_DELTA:
		o->diff_only = "--min-delta";
		if (hs_parse_bytes(arg, &o->min_delta) == 0)
			return 0;
		return snprintf(why, n, "--min-delta takes BYTES (e.g. 4096 or 4KiB), not '%s'", arg), -1;
	case HS_OPT_FAIL_IF_GROWTH:
		o->diff_only = "--fail-if-growth";
		return parse_growth(o, arg, why, n);
	case HS_OPT_VERBOSE:
		o->verbose = true;
		return 0;
	case HS_OPT_OUTPUT:
		o->output = arg;
		return 0;
	case HS_OPT_THREADS:
		o->show_only = "--threads";
		o->threads = true;
		return 0;
	}
	return snprintf(why, n, "unknown option"), -1;
}
