/* Walking and classifying a stopped target, and the snapshot's header: shared by live and
   core takes. */
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "common/xalloc.h"
#include "heapwalk/heapwalk.h"
#include "take/take_private.h"

struct sink_ctx {
	struct hs_snapshot *snap;        /* where blocks are emitted */
	struct hs_snapshot *types;       /* where their types are interned */
	struct hs_classifier *classifier;
	struct hs_target *t;
	struct hs_block_sink sink;
};

static uint8_t shape_block(void *arg, uint64_t usable, const uint8_t *bytes, size_t avail)
{
	struct sink_ctx *c = arg;
	return (uint8_t)hs_classify_shape(c->classifier, usable, bytes, avail);
}

static size_t head_block(void *arg, const uint8_t *bytes, size_t avail)
{
	(void)arg;
	return hs_classify_head_bytes(bytes, avail);
}

static uint32_t classify_block(void *arg, uint64_t addr, uint64_t usable, const uint8_t *bytes,
			       size_t avail, uint8_t shape, const char *libc_name)
{
	struct sink_ctx *c = arg;

	if (libc_name != NULL)
		return hs_classify_libc(c->classifier, libc_name);
	return hs_classify_named(c->classifier, addr, usable, bytes, avail, (enum hs_shape)shape);
}

static void emit_block(void *arg, uint64_t addr, uint64_t usable, uint32_t type)
{
	struct sink_ctx *c = arg;
	hs_snapshot_add_block(c->snap, addr, usable, type);
}

static const struct hs_block_sink *fork_sink(void *arg);
static void join_sink(void *arg, const struct hs_block_sink *child);

static void sink_init(struct sink_ctx *c, struct hs_target *t, struct hs_snapshot *emit_to,
		      struct hs_snapshot *types, bool can_fork)
{
	*c = (struct sink_ctx){ .snap = emit_to, .types = types, .t = t };
	/* What the classifier learns holds for this stop only. */
	c->classifier = hs_classifier_new(t, types);
	c->sink = (struct hs_block_sink){ .shape = shape_block, .head = head_block,
					  .classify = classify_block, .emit = emit_block, .arg = c,
					  .fork = can_fork ? fork_sink : NULL,
					  .join = can_fork ? join_sink : NULL };
}

/* A second walker's sink: a classifier of its own, interning into the same type table, and
   a snapshot part of its own for the blocks, absorbed at the join. */
static const struct hs_block_sink *fork_sink(void *arg)
{
	struct sink_ctx *c = arg, *child = hs_xmalloc(sizeof(*child));
	struct hs_snapshot *part = hs_xmalloc(sizeof(*part));

	hs_snapshot_init(part);
	part->has_blocks = c->snap->has_blocks;
	sink_init(child, c->t, part, c->types, false);
	return &child->sink;
}

static void join_sink(void *arg, const struct hs_block_sink *child_sink)
{
	struct sink_ctx *c = arg, *child = child_sink->arg;

	hs_snapshot_absorb(c->snap, child->snap);
	free(child->snap);
	hs_classifier_free(child->classifier);
	free(child);
}

struct hs_take_walk {
	struct sink_ctx ctx;
	struct hs_heap_walk *walk;
};

/* What is left once the heap walk itself is done or failed. */
static void take_walk_free(struct hs_take_walk *tw)
{
	hs_classifier_free(tw->ctx.classifier);
	free(tw);
}

int hs_take_walk_read(struct hs_target *t, struct hs_target *through, const struct hs_malloc_info *m,
		      struct hs_snapshot *snap, struct hs_error *err, struct hs_take_walk **out)
{
	struct hs_take_walk *tw = hs_xmalloc(sizeof(*tw));

	sink_init(&tw->ctx, t, snap, snap, true);
	if (hs_heap_walk_read(through, m, &tw->ctx.sink, snap, err, &tw->walk) < 0) {
		take_walk_free(tw);
		*out = NULL;
		return -1;
	}
	*out = tw;
	return 0;
}

int hs_take_walk_finish(struct hs_take_walk *tw)
{
	int rc = hs_heap_walk_finish(tw->walk);

	take_walk_free(tw);
	return rc;
}

double hs_take_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* RFC 3339 UTC to the millisecond, so snapshots a second apart (heapsnap watch) have exact
   intervals for trend's slopes. */
static char *rfc3339(struct timespec when)
{
	char buf[48];
	struct tm tm;
	size_t len;

	gmtime_r(&when.tv_sec, &tm);
	len = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + len, sizeof(buf) - len, ".%03ldZ", when.tv_nsec / 1000000);
	return hs_xstrdup(buf);
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
	hex = hs_xmalloc(2 * (size_t)n + 1);
	for (int i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", bits[i]);
	return hex;
}

void hs_take_describe(struct hs_target *t, const struct hs_malloc_info *m,
		      const struct hs_take_options *o, struct timespec stopped_at, struct hs_snapshot *s)
{
	s->taken_at = rfc3339(stopped_at);
	s->label = o->label ? hs_xstrdup(o->label) : NULL;
	s->target.pid = t->pid;
	s->target.exe = t->exe ? hs_xstrdup(t->exe) : NULL;
	s->target.cmdline = hs_xcalloc(t->ncmdline + 1, sizeof(char *));
	for (size_t i = 0; i < t->ncmdline; i++)
		s->target.cmdline[i] = hs_xstrdup(t->cmdline[i]);
	s->target.ncmdline = t->ncmdline;
	s->target.build_id = exe_build_id(t);
	s->target.source = hs_xstrdup(t->source);
	s->target.threads = t->nthreads;
	s->glibc.version = hs_xstrdup(m->version);
	s->glibc.libc_path = hs_xstrdup(m->libc_path);
	s->glibc.main_arena = m->main_arena;
	s->glibc.located_by = hs_xstrdup(m->located_by);
}

