/* The compact block list gives back exactly what was appended, in address order: one
   ascending run, a few runs (merged), many runs (sorted), equal addresses, values at the
   ends of their ranges (varints of 1 to 10 bytes), and a log appended to another. Checked
   against a plain sorted copy. */
#include <inttypes.h>
#include <stdlib.h>

#include "snapshot/snapshot.h"
#include "tests/diff/tap.h"

struct expect {
	const struct hs_block *want;
	size_t n, seen;
	int wrong;
};

static int check_row(void *arg, const struct hs_block *b)
{
	struct expect *e = arg;

	if (e->seen >= e->n || b->addr != e->want[e->seen].addr || b->size != e->want[e->seen].size ||
	    b->type != e->want[e->seen].type) {
		if (e->wrong++ == 0)
			printf("# row %zu: got [%" PRIu64 ",%" PRIu64 ",%u]\n", e->seen, b->addr, b->size, b->type);
	}
	e->seen++;
	return 0;
}

static int by_addr_then_order(const void *a, const void *b)
{
	const struct hs_block *x = a, *y = b;
	if (x->addr != y->addr)
		return (x->addr > y->addr) - (x->addr < y->addr);
	/* ties: the size field carries the order of appending in these tests */
	return (x->size > y->size) - (x->size < y->size);
}

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Appends rows, then checks the log against the rows sorted by address. */
static void check(const char *what, struct hs_block *rows, size_t n)
{
	struct hs_block_log log = { 0 };
	struct expect e = { .want = rows, .n = n };
	char msg[160];

	for (size_t i = 0; i < n; i++)
		hs_block_log_append(&log, rows[i].addr, rows[i].size, rows[i].type);
	qsort(rows, n, sizeof(*rows), by_addr_then_order);
	tap_ok(log.count == n, "count");
	hs_block_log_each(&log, check_row, &e);
	snprintf(msg, sizeof(msg), "%s: %zu rows in address order, each as appended (%zu runs)", what, n,
		 log.nruns);
	tap_ok(e.seen == n && e.wrong == 0, msg);
	hs_block_log_free(&log);
}

static int stop_at_third(void *arg, const struct hs_block *b)
{
	int *calls = arg;
	(void)b;
	return ++*calls == 3 ? 7 : 0;
}

int main(void)
{
	enum { N = 200000 };
	struct hs_block *rows = calloc(N, sizeof(*rows));
	uint64_t s = 88172645463325252ULL;
	size_t n;

	/* One ascending run, steps like a heap's. */
	for (size_t i = 0; i < N; i++)
		rows[i] = (struct hs_block){ .addr = 0x55550000 + 16 * i * 17, .size = i, .type = (uint32_t)(i % 5) };
	check("one run", rows, N);

	/* A walk's shape: the heap in order, then the settled pending blocks, then an old heap. */
	n = 0;
	for (size_t i = 0; i < 1000; i++)
		rows[n++] = (struct hs_block){ .addr = 0x10000 + 64 * i, .size = n, .type = 1 };
	for (size_t i = 0; i < 100; i++)
		rows[n++] = (struct hs_block){ .addr = 0x10020 + 640 * i, .size = n, .type = 2 };
	for (size_t i = 0; i < 10; i++)
		rows[n++] = (struct hs_block){ .addr = 0x8000 + 32 * i, .size = n, .type = 3 };
	check("three runs, merged", rows, n);

	/* Equal addresses within a run and across runs keep the order they came in. */
	n = 0;
	rows[n++] = (struct hs_block){ .addr = 500, .size = 0 };
	rows[n++] = (struct hs_block){ .addr = 500, .size = 1 };
	rows[n++] = (struct hs_block){ .addr = 100, .size = 2 };
	rows[n++] = (struct hs_block){ .addr = 500, .size = 3 };
	check("equal addresses", rows, n);

	/* Random order: a run per row or so, far more than are merged. */
	for (size_t i = 0; i < N; i++)
		rows[i] = (struct hs_block){ .addr = next_random(&s) >> (i % 64), .size = i,
					     .type = (uint32_t)next_random(&s) };
	check("random order, sorted", rows, N);

	/* The ends of each field's range. */
	n = 0;
	rows[n++] = (struct hs_block){ .addr = 0, .size = 0, .type = 0 };
	rows[n++] = (struct hs_block){ .addr = 127, .size = 127, .type = 127 };
	rows[n++] = (struct hs_block){ .addr = 128, .size = 128, .type = 128 };
	rows[n++] = (struct hs_block){ .addr = UINT64_MAX - 1, .size = UINT64_MAX, .type = UINT32_MAX };
	rows[n++] = (struct hs_block){ .addr = UINT64_MAX, .size = UINT64_MAX - 1, .type = UINT32_MAX - 1 };
	rows[n++] = (struct hs_block){ .addr = 1ULL << 63, .size = 1ULL << 63, .type = 1u << 31 };
	check("extreme values", rows, n);

	/* A log appended to another (a second walker's blocks) keeps its rows and their order,
	   and rows appended after it follow its last one. */
	{
		struct hs_block_log first = { 0 }, second = { 0 };
		struct hs_block want[7] = {
			{ .addr = 0x100, .size = 1 }, { .addr = 0x200, .size = 2 }, { .addr = 0x900, .size = 3 },
			{ .addr = 0x150, .size = 4 }, { .addr = 0x950, .size = 5 }, { .addr = 0x50, .size = 6 },
			{ .addr = 0x960, .size = 7 },
		};
		struct expect e = { .n = 7 };

		for (int i = 0; i < 3; i++)
			hs_block_log_append(&first, want[i].addr, want[i].size, 0);
		for (int i = 3; i < 6; i++)
			hs_block_log_append(&second, want[i].addr, want[i].size, 0);
		hs_block_log_append_log(&first, &second);
		hs_block_log_append(&first, want[6].addr, want[6].size, 0);
		qsort(want, 7, sizeof(*want), by_addr_then_order);
		e.want = want;
		hs_block_log_each(&first, check_row, &e);
		tap_ok(first.count == 7 && e.seen == 7 && e.wrong == 0,
		       "a log appended to another: every row, in address order");
		hs_block_log_free(&first);
		hs_block_log_free(&second);
	}

	/* An empty log visits nothing; a nonzero return stops the visit and is passed on. */
	{
		struct hs_block_log log = { 0 };
		int calls = 0;

		tap_ok(hs_block_log_each(&log, stop_at_third, &calls) == 0 && calls == 0, "an empty log visits nothing");
		for (uint64_t i = 0; i < 10; i++)
			hs_block_log_append(&log, 16 * i, 8, 0);
		tap_ok(hs_block_log_each(&log, stop_at_third, &calls) == 7 && calls == 3,
		       "the visit stops at the first nonzero return, which it returns");
		hs_block_log_free(&log);
	}
	free(rows);
	return tap_done();
}
