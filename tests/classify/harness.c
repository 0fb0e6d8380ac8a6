/* Classifier test harness (see harness.h). */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attach/attach.h"
#include "classify/classify.h"
#include "common/xalloc.h"
#include "harness.h"
#include "proc_target.h"

static int tap_n, tap_failed;
static pid_t running_child;

void tap_ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

void tap_bail(const char *fmt, ...)
{
	va_list ap;

	if (running_child > 0) {
		kill(running_child, SIGKILL);
		waitpid(running_child, NULL, 0);
	}
	printf("not ok %d - ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	tap_done();
	exit(1);
}

static void add_expectation(struct child *ch, size_t *cap, uint64_t addr, const char *name)
{
	hs_xgrow((void **)&ch->expect, cap, ch->nexpect + 1, sizeof(*ch->expect));
	ch->expect[ch->nexpect].addr = addr;
	ch->expect[ch->nexpect].name = name ? hs_xstrdup(name) : NULL;
	ch->nexpect++;
}

static void read_announcements(struct child *ch, FILE *f)
{
	char line[1024];
	size_t cap = 0;

	while (fgets(line, sizeof(line), f) != NULL) {
		uint64_t addr;
		int name_at = 0;
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "end") == 0)
			return;
		if (sscanf(line, "obj %" SCNx64 " %n", &addr, &name_at) == 1 && name_at > 0)
			add_expectation(ch, &cap, addr, line + name_at);
		else if (sscanf(line, "notclass %" SCNx64, &addr) == 1)
			add_expectation(ch, &cap, addr, NULL);
		else
			tap_bail("target said something unexpected: '%s'", line);
	}
	tap_bail("target ended its output without 'end': it failed to start or crashed");
}

void child_start(struct child *ch, char *const argv[], char *const env[])
{
	int fds[2], status;
	FILE *f;

	memset(ch, 0, sizeof(*ch));
	if (pipe(fds) != 0)
		tap_bail("pipe: %s", strerror(errno));
	fflush(stdout);
	if ((ch->pid = fork()) < 0)
		tap_bail("fork: %s", strerror(errno));
	if (ch->pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		/* "-NAME" unsets NAME, "NAME=VALUE" sets it. */
		for (size_t i = 0; env && env[i]; i++) {
			if (env[i][0] == '-')
				unsetenv(env[i] + 1);
			else
				putenv(env[i]);
		}
		execv(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	running_child = ch->pid;
	close(fds[1]);
	if ((f = fdopen(fds[0], "r")) == NULL)
		tap_bail("fdopen: %s", strerror(errno));
	read_announcements(ch, f);
	fclose(f);
	if (waitpid(ch->pid, &status, WUNTRACED) != ch->pid || !WIFSTOPPED(status))
		tap_bail("%s did not stop itself after announcing its objects", argv[0]);
}

void child_end(struct child *ch)
{
	kill(ch->pid, SIGKILL);
	waitpid(ch->pid, NULL, 0);
	running_child = 0;
	for (size_t i = 0; i < ch->nexpect; i++)
		free(ch->expect[i].name);
	free(ch->expect);
	memset(ch, 0, sizeof(*ch));
}

static const struct hs_mapping *main_heap_mapping(const struct hs_target *t)
{
	for (size_t i = 0; i < t->nmaps; i++)
		if (t->maps[i].path != NULL && strcmp(t->maps[i].path, "[heap]") == 0)
			return &t->maps[i];
	return NULL;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Chunks from the start of [heap] to the top chunk: in use when the next chunk's PREV_INUSE
   bit says so. */
static void walk_main_heap(struct heap_view *v, const uint8_t *heap, uint64_t start, uint64_t end)
{
	size_t cap = 0;
	uint64_t p = start;

	while (p + 16 <= end) {
		uint64_t size, next;
		memcpy(&size, heap + (p - start) + 8, 8);
		size &= ~7ULL;
		if (size < 32 || size % 16 != 0 || p + size > end)
			tap_bail("test heap walk lost its way at chunk 0x%" PRIx64, p);
		next = p + size;
		if (next + 16 > end)
			return; /* p is the top chunk */
		if (heap[next - start + 8] & 1) {
			hs_xgrow((void **)&v->blocks, &cap, v->nblocks + 1, sizeof(*v->blocks));
			v->blocks[v->nblocks++] = (struct walked_block){ .addr = p + 16, .usable = size - 8 };
		}
		p = next;
	}
}

uint32_t classify_block(struct hs_classifier *c, uint64_t addr, uint64_t usable,
			const uint8_t *bytes, size_t avail)
{
	return hs_classify_named(c, addr, usable, bytes, avail,
				 hs_classify_shape(c, usable, bytes, avail));
}

void classify_child_heap(struct heap_view *v, pid_t pid)
{
	char why[512];
	const struct hs_mapping *m;
	uint8_t *heap;
	struct hs_classifier *c;
	double t0;

	memset(v, 0, sizeof(*v));
	if ((v->t = proc_target_open(pid, why, sizeof(why))) == NULL)
		tap_bail("%s", why);
	if ((m = main_heap_mapping(v->t)) == NULL)
		tap_bail("the target has no [heap] mapping");
	heap = hs_xmalloc(m->end - m->start);
	if (v->t->ops->read(v->t, m->start, heap, m->end - m->start) != (ssize_t)(m->end - m->start))
		tap_bail("cannot read the target's heap");
	walk_main_heap(v, heap, m->start, m->end);

	hs_snapshot_init(&v->snap);
	c = hs_classifier_new(v->t, &v->snap);
	t0 = now_ns();
	for (size_t i = 0; i < v->nblocks; i++) {
		struct walked_block *b = &v->blocks[i];
		b->type = classify_block(c, b->addr, b->usable, heap + (b->addr - m->start), b->usable);
	}
	v->ns_per_block = v->nblocks ? (now_ns() - t0) / v->nblocks : 0;
	hs_classifier_free(c);
	free(heap);
}

void heap_view_free(struct heap_view *v)
{
	hs_snapshot_free(&v->snap);
	hs_target_close(v->t);
	free(v->blocks);
	memset(v, 0, sizeof(*v));
}

const struct walked_block *block_holding(const struct heap_view *v, uint64_t addr)
{
	size_t lo = 0, hi = v->nblocks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct walked_block *b = &v->blocks[mid];
		if (addr < b->addr)
			hi = mid;
		else if (addr >= b->addr + b->usable)
			lo = mid + 1;
		else
			return b;
	}
	return NULL;
}

const char *type_name(const struct heap_view *v, uint32_t type)
{
	return type < v->snap.ntypes ? v->snap.types[type].name : "(no such type)";
}

const char *type_kind(const struct heap_view *v, uint32_t type)
{
	return type < v->snap.ntypes ? v->snap.types[type].kind : "(no such type)";
}

size_t count_named(const struct heap_view *v, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < v->nblocks; i++)
		n += strcmp(type_name(v, v->blocks[i].type), name) == 0;
	return n;
}

size_t expected_count(const struct child *ch, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < ch->nexpect; i++)
		n += ch->expect[i].name != NULL && strcmp(ch->expect[i].name, name) == 0;
	return n;
}

static bool same_name(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Does the announced object meet its expectation? Says why not in why. */
static bool meets(const struct heap_view *v, const struct expectation *e, bool exact_start,
		  char *why, size_t whylen)
{
	const struct walked_block *b = block_holding(v, e->addr);

	if (b == NULL || (exact_start && b->addr != e->addr)) {
		snprintf(why, whylen, "0x%" PRIx64 " is not %s live block", e->addr,
			 exact_start ? "the start of a" : "in a");
		return false;
	}
	snprintf(why, whylen, "0x%" PRIx64 " (block 0x%" PRIx64 ", %" PRIu64 " bytes) is named '%s' (%s)",
		 e->addr, b->addr, b->usable, type_name(v, b->type), type_kind(v, b->type));
	if (e->name == NULL)
		return strcmp(type_kind(v, b->type), "vtable") != 0;
	return strcmp(type_name(v, b->type), e->name) == 0;
}

void check_expectations(const struct heap_view *v, const struct child *ch, bool exact_start)
{
	for (size_t i = 0; i < ch->nexpect; i++) {
		size_t n = 0, failed = 0;
		char why[512], first_failure[512] = "";
		bool seen_before = false;

		for (size_t j = 0; j < i && !seen_before; j++)
			seen_before = same_name(ch->expect[j].name, ch->expect[i].name);
		if (seen_before)
			continue;
		for (size_t j = i; j < ch->nexpect; j++) {
			if (!same_name(ch->expect[j].name, ch->expect[i].name))
				continue;
			n++;
			if (!meets(v, &ch->expect[j], exact_start, why, sizeof(why)) && failed++ == 0)
				snprintf(first_failure, sizeof(first_failure), "%s", why);
		}
		if (ch->expect[i].name != NULL)
			tap_ok(failed == 0, "all %zu announced '%s' objects are named so", n, ch->expect[i].name);
		else
			tap_ok(failed == 0, "none of %zu announced non-polymorphic objects is named as a class", n);
		if (failed)
			tap_diag("%zu wrong, first: %s", failed, first_failure);
	}
}

void check_no_heap_text(const struct heap_view *v, const char *marker)
{
	size_t bad = 0;

	for (size_t i = 0; i < v->snap.ntypes; i++)
		if (strstr(v->snap.types[i].name, marker) != NULL && bad++ == 0)
			tap_diag("type name carries target data: '%s'", v->snap.types[i].name);
	tap_ok(bad == 0, "no type name (of %zu) carries the target's data marker '%s'", v->snap.ntypes,
	       marker);
}
