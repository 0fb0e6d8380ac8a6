/* The compact block list (see snapshot.h). A row is three LEB128 varints: the address's
   distance from the row before (the address itself at the start of a run), the size, the
   type. Typical rows (a few hundred bytes apart, small sizes) take 5 bytes. */
#include <stdlib.h>
#include <string.h>

#include "common/big_array.h"
#include "common/xalloc.h"
#include "snapshot/snapshot.h"

/* Three varints of 64, 64 and 32 bits. */
#define ROW_MAX (10 + 10 + 5)
/* A step wider than this starts a run (the address whole, not a step): the walkers' rows
   interleave heap by heap, and runs that do not overlap are read one after the other. A run
   holds at most RUN_ROWS rows, so that a lazy block index (src/refs) decodes no more than
   about a megabyte of heap's blocks for a lookup that lands in a run. */
#define RUN_GAP ((uint64_t)1 << 20)
#define RUN_ROWS 16384
/* Up to this many overlapping runs are merged as they are read; more are sorted. */
#define MERGE_MAX_RUNS 16

static uint8_t *put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

/* put_varint for the usual values, below 2^14, without a branch on their length (a row's
   step and size are 1 or 2 bytes in no order a processor could predict): both bytes are
   stored, and p moves past 1 or 2 of them. There must be room for 2. */
static inline uint8_t *put_varint_short(uint8_t *p, uint64_t v)
{
	uint64_t two = v >= 0x80;

	if (v >= 0x4000)
		return put_varint(p, v);
	p[0] = (uint8_t)((v & 0x7f) | two << 7);
	p[1] = (uint8_t)(v >> 7);
	return p + 1 + two;
}

static const uint8_t *get_varint(const uint8_t *p, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift = 0;

	while (*p & 0x80) {
		x |= (uint64_t)(*p++ & 0x7f) << shift;
		shift += 7;
	}
	*v = x | (uint64_t)*p++ << shift;
	return p;
}

/* get_varint for put_varint_short's values, below 2^14, without a branch on their length;
   longer ones through the loop. Reads p[1] whatever the length: there must be 2 bytes. */
static inline const uint8_t *get_varint_short(const uint8_t *p, uint64_t *v)
{
	uint64_t two = p[0] >> 7;

	if (p[0] & p[1] & 0x80)
		return get_varint(p, v);
	*v = (p[0] & 0x7fu) | (((uint64_t)p[1] << 7) & -two);
	return p + 1 + two;
}

void hs_block_log_append(struct hs_block_log *log, uint64_t addr, uint64_t size, uint32_t type)
{
	uint64_t step = addr - log->last_addr;
	uint8_t *p;

	if (log->count == 0 || addr < log->last_addr || step > RUN_GAP ||
	    log->runs[log->nruns - 1].count == RUN_ROWS) {
		hs_xgrow((void **)&log->runs, &log->runs_cap, log->nruns + 1, sizeof(*log->runs));
		log->runs[log->nruns++] = (struct hs_block_run){ .offset = log->len, .first = addr };
		step = addr;
	}
	hs_big_array_grow((void **)&log->bytes, &log->cap, log->len + ROW_MAX, 1);
	p = put_varint_short(log->bytes + log->len, step);
	p = put_varint_short(p, size);
	p = put_varint_short(p, type);
	log->len = (size_t)(p - log->bytes);
	log->last_addr = addr;
	log->count++;
	log->runs[log->nruns - 1].last = addr;
	if (addr + size > log->runs[log->nruns - 1].end)
		log->runs[log->nruns - 1].end = addr + size;
	log->runs[log->nruns - 1].count++;
}

void hs_block_log_append_log(struct hs_block_log *log, const struct hs_block_log *src)
{
	if (src->count == 0)
		return;
	/* Every run starts with its address whole, so src's bytes stand as they are. */
	hs_xgrow((void **)&log->runs, &log->runs_cap, log->nruns + src->nruns, sizeof(*log->runs));
	for (size_t r = 0; r < src->nruns; r++) {
		log->runs[log->nruns] = src->runs[r];
		log->runs[log->nruns++].offset += log->len;
	}
	hs_big_array_grow((void **)&log->bytes, &log->cap, log->len + src->len + ROW_MAX, 1);
	memcpy(log->bytes + log->len, src->bytes, src->len);
	log->len += src->len;
	log->count += src->count;
	log->last_addr = src->last_addr;
}

/* Reading one run: where the next row is, where the run ends, the row last read. */
struct run_cursor {
	const uint8_t *p, *end;
	struct hs_block b;
};

static void cursor_next(struct run_cursor *c)
{
	uint64_t step, size, type;

	c->p = get_varint(c->p, &step);
	c->p = get_varint(c->p, &size);
	c->p = get_varint(c->p, &type);
	c->b = (struct hs_block){ .addr = c->b.addr + step, .size = size, .type = (uint32_t)type };
}

static struct run_cursor run_start(const struct hs_block_log *log, size_t run)
{
	const uint8_t *end = log->bytes + (run + 1 < log->nruns ? log->runs[run + 1].offset : log->len);
	return (struct run_cursor){ .p = log->bytes + log->runs[run].offset, .end = end };
}

/* Hands one row to visit, its type read through the log's map. */
static int deliver(const struct hs_block_log *log, int (*visit)(void *, const struct hs_block *), void *arg,
		   const struct hs_block *row)
{
	struct hs_block b = *row;

	if (log->type_map != NULL && b.type < log->ntype_map)
		b.type = log->type_map[b.type];
	return visit(arg, &b);
}

/* Merges the runs: each step takes the lowest address among the runs' next rows. */
static int each_merged(const struct hs_block_log *log, int (*visit)(void *, const struct hs_block *),
		       void *arg)
{
	struct run_cursor c[MERGE_MAX_RUNS];
	size_t live = 0;
	int rc = 0;

	for (size_t r = 0; r < log->nruns; r++) {
		c[live] = run_start(log, r);
		cursor_next(&c[live]);
		live++;
	}
	while (live > 0 && rc == 0) {
		size_t low = 0;

		for (size_t r = 1; r < live; r++)
			if (c[r].b.addr < c[low].b.addr)
				low = r;
		rc = deliver(log, visit, arg, &c[low].b);
		if (c[low].p < c[low].end) {
			cursor_next(&c[low]);
		} else {
			/* Keeps the runs in their order, so that equal addresses come out as appended. */
			for (size_t r = low; r + 1 < live; r++)
				c[r] = c[r + 1];
			live--;
		}
	}
	return rc;
}

struct numbered_block {
	struct hs_block b;
	uint64_t seq; /* order of appending */
};

static int cmp_numbered(const void *a, const void *b)
{
	const struct numbered_block *x = a, *y = b;
	if (x->b.addr != y->b.addr)
		return (x->b.addr > y->b.addr) - (x->b.addr < y->b.addr);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Many runs: every row decoded into one array and sorted. */
static int each_sorted(const struct hs_block_log *log, int (*visit)(void *, const struct hs_block *),
		       void *arg)
{
	struct numbered_block *all = hs_xmalloc(log->count * sizeof(*all));
	size_t n = 0;
	int rc = 0;

	for (size_t r = 0; r < log->nruns; r++) {
		struct run_cursor c = run_start(log, r);
		while (c.p < c.end) {
			cursor_next(&c);
			all[n] = (struct numbered_block){ .b = c.b, .seq = n };
			n++;
		}
	}
	qsort(all, n, sizeof(*all), cmp_numbered);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = deliver(log, visit, arg, &all[i].b);
	free(all);
	return rc;
}

/* Orders (first address, run index) pairs. */
static int cmp_run_first(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	if (x[0] != y[0])
		return (x[0] > y[0]) - (x[0] < y[0]);
	return (x[1] > y[1]) - (x[1] < y[1]);
}

size_t *hs_block_log_runs_in_order(const struct hs_block_log *log)
{
	uint64_t *key = hs_xmalloc(log->nruns * 2 * sizeof(*key));
	size_t *order = hs_xmalloc(log->nruns * sizeof(*order));

	/* Sorted as (first address, index) pairs: first addresses are distinct when the runs
	   do not overlap. */
	for (size_t r = 0; r < log->nruns; r++) {
		key[2 * r] = log->runs[r].first;
		key[2 * r + 1] = r;
	}
	qsort(key, log->nruns, 2 * sizeof(*key), cmp_run_first);
	for (size_t k = 0; k < log->nruns; k++) {
		order[k] = (size_t)key[2 * k + 1];
		if (k > 0 && log->runs[order[k - 1]].last >= log->runs[order[k]].first) {
			free(order);
			order = NULL;
			break;
		}
	}
	free(key);
	return order;
}

static int each_in_order(const struct hs_block_log *log, const size_t *order,
			 int (*visit)(void *, const struct hs_block *), void *arg)
{
	int rc = 0;

	for (size_t k = 0; k < log->nruns && rc == 0; k++) {
		struct run_cursor c = run_start(log, order[k]);

		while (c.p < c.end && rc == 0) {
			cursor_next(&c);
			rc = deliver(log, visit, arg, &c.b);
		}
	}
	return rc;
}

int hs_block_log_each(const struct hs_block_log *log, int (*visit)(void *arg, const struct hs_block *b),
		      void *arg)
{
	size_t *order;
	int rc;

	if (log->count == 0)
		return 0;
	if ((order = hs_block_log_runs_in_order(log)) != NULL) {
		rc = each_in_order(log, order, visit, arg);
		free(order);
		return rc;
	}
	return log->nruns <= MERGE_MAX_RUNS ? each_merged(log, visit, arg) : each_sorted(log, visit, arg);
}

static int put_bounds(void *arg, const struct hs_block *b)
{
	struct hs_block_bounds **next = arg;

	*(*next)++ = (struct hs_block_bounds){ .addr = b->addr, .end = b->addr + b->size };
	return 0;
}

struct hs_block_bounds *hs_block_log_run_bounds(const struct hs_block_log *log, size_t r, struct hs_block_bounds *out)
{
	struct run_cursor c = run_start(log, r);
	uint64_t addr = 0, step, size, type;

	while (c.p < c.end) {
		if (c.end - c.p > ROW_MAX) {
			c.p = get_varint_short(c.p, &step);
			c.p = get_varint_short(c.p, &size);
			c.p = get_varint_short(c.p, &type);
		} else {
			c.p = get_varint(c.p, &step);
			c.p = get_varint(c.p, &size);
			c.p = get_varint(c.p, &type);
		}
		addr += step;
		*out++ = (struct hs_block_bounds){ .addr = addr, .end = addr + size };
	}
	return out;
}

void hs_block_log_bounds(const struct hs_block_log *log, struct hs_block_bounds *out)
{
	size_t *order;

	if (log->count == 0)
		return;
	if ((order = hs_block_log_runs_in_order(log)) == NULL) {
		hs_block_log_each(log, put_bounds, &out);
		return;
	}
	for (size_t k = 0; k < log->nruns; k++)
		out = hs_block_log_run_bounds(log, order[k], out);
	free(order);
}

void hs_block_log_renumber_types(struct hs_block_log *log, uint32_t *map, size_t n)
{
	free(log->type_map);
	log->type_map = map;
	log->ntype_map = n;
}

void hs_block_log_free(struct hs_block_log *log)
{
	hs_big_array_free(log->bytes, log->cap, 1);
	free(log->runs);
	free(log->type_map);
	*log = (struct hs_block_log){ 0 };
}
