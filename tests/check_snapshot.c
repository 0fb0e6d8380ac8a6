/* check_snapshot: the oracle checker of heapsnap's exactness tests. It holds a snapshot
   against the report that tests/target/heaptarget wrote about itself (its live and freed
   pointers and malloc's own mallinfo figures) and against the identities of
   docs/snapshot-format.md.

   Usage: check_snapshot [--no-blocks] REPORT SNAPSHOT.json
   Prints one TAP line per assertion ("ok N - ..." / "not ok N - ...", with "# " lines giving
   up to 10 examples of a failure) and the plan; exits 0 when every assertion passed, 1
   otherwise, 2 on a usage error. With --no-blocks the snapshot must have no `blocks` (taken
   with `take --no-blocks`) and the per-pointer assertions are left out. */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_EXAMPLES 10
/* Blocks that are not the target's own are libc's: per thread a tcache_perthread_struct
   (648 usable bytes from glibc 2.30, 760 in 2.42) and, for each worker, its DTV (a few
   hundred bytes); process-wide a few stdio or locale buffers at most (heaptarget uses no
   stdio before it reports). 2 KiB per thread and 64 KiB overall leave room for all of that
   and still catch a walk that mistakes free chunks, or any sizeable region, for blocks. */
#define EXTRA_BYTES_BOUND(threads) (64 * 1024 + 2048 * (uint64_t)(threads))
/* Per-arena overhead bound for glibc 2.26-2.43 (docs/snapshot-format.md). */
#define OVERHEAD_BOUND(heaps) (2304 + 96 * (uint64_t)(heaps))

/* ---- TAP ---- */

static unsigned tap_n, tap_failed;

/* Failures of one assertion: a count and the first few, described. */
struct failures {
	uint64_t count;
	char example[MAX_EXAMPLES][160];
};

static void note(struct failures *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct failures *f, const char *fmt, ...)
{
	if (f->count < MAX_EXAMPLES) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(f->example[f->count], sizeof(f->example[0]), fmt, ap);
		va_end(ap);
	}
	f->count++;
}

/* Prints the assertion's TAP line and its examples; true when it passed. */
static bool verdict(const struct failures *f, const char *what)
{
	tap_n++;
	if (f->count == 0) {
		printf("ok %u - %s\n", tap_n, what);
		return true;
	}
	tap_failed++;
	printf("not ok %u - %s\n", tap_n, what);
	if (f->count > MAX_EXAMPLES)
		printf("# %" PRIu64 " failures, the first %d:\n", f->count, MAX_EXAMPLES);
	for (uint64_t i = 0; i < f->count && i < MAX_EXAMPLES; i++)
		printf("#   %s\n", f->example[i]);
	return false;
}

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	fputs("\n", stdout);
	va_end(ap);
}

static int finish(void)
{
	printf("1..%u\n", tap_n);
	return tap_failed == 0 ? 0 : 1;
}

/* ---- the report ---- */

enum { MI_ARENA, MI_ORDBLKS, MI_SMBLKS, MI_HBLKS, MI_HBLKHD, MI_USMBLKS, MI_FSMBLKS,
       MI_UORDBLKS, MI_FORDBLKS, MI_KEEPCOST, MI_FIELDS };

struct pointer {
	uint64_t addr, size;
};

struct report {
	int64_t pid;
	uint64_t threads;
	struct pointer *live; /* sorted by address once loaded */
	size_t nlive;
	uint64_t *freed;
	size_t nfreed;
	unsigned mallinfo_bits;
	uint64_t mallinfo[MI_FIELDS];
};

static void *checked(void *p)
{
	if (p == NULL) {
		fprintf(stderr, "check_snapshot: out of memory\n");
		exit(2);
	}
	return p;
}

/* Room for element n of a growing array. */
static void *grow(void *array, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return array;
	*cap = *cap ? 2 * *cap : 1024;
	return checked(realloc(array, *cap * elem));
}

static int by_addr(const void *a, const void *b)
{
	uint64_t x = ((const struct pointer *)a)->addr, y = ((const struct pointer *)b)->addr;
	return (x > y) - (x < y);
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Reads the report; notes every malformed line. */
static void load_report(const char *path, struct report *r, struct failures *f)
{
	FILE *in = fopen(path, "r");
	char *line = NULL;
	size_t len = 0, live_cap = 0, freed_cap = 0, lineno = 0;
	bool have_pid = false, have_threads = false, have_mallinfo = false, ready = false;

	memset(r, 0, sizeof(*r));
	r->mallinfo_bits = 64;
	if (in == NULL) {
		note(f, "cannot open %s", path);
		return;
	}
	while (getline(&line, &len, in) > 0) {
		uint64_t *m = r->mallinfo, a, b;
		unsigned bits;
		int end = -1;

		lineno++;
		if (ready)
			note(f, "line %zu: a record after 'ready'", lineno);
		else if (sscanf(line, "pid %" SCNd64 "%n", &r->pid, &end) == 1 && line[end] == '\n')
			have_pid = true;
		else if (sscanf(line, "threads %" SCNu64 "%n", &r->threads, &end) == 1 && line[end] == '\n')
			have_threads = true;
		else if (sscanf(line, "live %" SCNx64 " %" SCNu64 "%n", &a, &b, &end) == 2 && line[end] == '\n') {
			r->live = grow(r->live, &live_cap, r->nlive, sizeof(*r->live));
			r->live[r->nlive++] = (struct pointer){ a, b };
		} else if (sscanf(line, "freed %" SCNx64 "%n", &a, &end) == 1 && line[end] == '\n') {
			r->freed = grow(r->freed, &freed_cap, r->nfreed, sizeof(*r->freed));
			r->freed[r->nfreed++] = a;
		} else if (sscanf(line, "mallinfo_bits %u%n", &bits, &end) == 1 && line[end] == '\n'
			   && (bits == 32 || bits == 64))
			r->mallinfo_bits = bits;
		else if (sscanf(line, "mallinfo %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
				" %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 "%n",
				&m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &m[6], &m[7], &m[8], &m[9],
				&end) == MI_FIELDS && line[end] == '\n')
			have_mallinfo = true;
		else if (strcmp(line, "ready\n") == 0)
			ready = true;
		else
			note(f, "line %zu: not a report record: %.60s", lineno, line);
	}
	free(line);
	fclose(in);
	if (!have_pid || !have_threads || !have_mallinfo || !ready)
		note(f, "missing record(s):%s%s%s%s", have_pid ? "" : " pid",
		     have_threads ? "" : " threads", have_mallinfo ? "" : " mallinfo",
		     ready ? "" : " ready (last)");
	qsort(r->live, r->nlive, sizeof(*r->live), by_addr);
	qsort(r->freed, r->nfreed, sizeof(*r->freed), by_value);
	for (size_t i = 1; i < r->nlive; i++)
		if (r->live[i].addr == r->live[i - 1].addr)
			note(f, "live 0x%" PRIx64 " listed twice", r->live[i].addr);
}

/* ---- the snapshot ---- */

enum { LIVE_BLOCKS, LIVE_BYTES, LIVE_CHUNK_BYTES, MMAPPED_BLOCKS, MMAPPED_BYTES,
       TCACHE_BLOCKS, TCACHE_BYTES, FASTBIN_BLOCKS, FASTBIN_BYTES, FREE_BLOCKS, FREE_BYTES,
       TOP_BYTES, SYSTEM_BYTES, OVERHEAD_BYTES, COUNTERS };

static const char *const counter_name[COUNTERS] = {
	"live_blocks", "live_bytes", "live_chunk_bytes", "mmapped_blocks", "mmapped_bytes",
	"tcache_blocks", "tcache_bytes", "fastbin_blocks", "fastbin_bytes", "free_blocks",
	"free_bytes", "top_bytes", "system_bytes", "overhead_bytes",
};

struct arena {
	uint64_t address, heaps;
	uint64_t c[COUNTERS];
};

struct block {
	uint64_t addr, size, type;
};

struct snapshot {
	uint64_t c[COUNTERS]; /* totals */
	uint64_t narenas_total;
	struct arena *arenas;
	size_t narenas;
	size_t ntypes;
	bool has_blocks;
	struct block *blocks; /* in file order */
	size_t nblocks;
	uint64_t main_arena;
	/* glibc 2.43 counts 16 bytes too many in mmapped_mem per mremap; heapsnap reports the
	   mappings' true size and states the difference in a warning, read here. */
	uint64_t hblkhd_drift;
	bool drift_allowed; /* glibc 2.43 or later */
};

static bool get_uint(json_t *obj, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static void read_hblkhd_drift(json_t *root, struct snapshot *s)
{
	const char *version = json_string_value(json_object_get(json_object_get(root, "glibc"), "version"));
	json_t *warnings = json_object_get(json_object_get(root, "walk"), "warnings"), *w;
	unsigned major, minor;
	size_t i;

	s->drift_allowed = version && sscanf(version, "%u.%u", &major, &minor) == 2 &&
			   (major > 2 || (major == 2 && minor >= 43));
	json_array_foreach(warnings, i, w) {
		const char *text = json_string_value(w), *at;
		unsigned long long drift;

		if (text && (at = strstr(text, "mmapped_mem (mallinfo hblkhd) is ")) != NULL &&
		    sscanf(at, "mmapped_mem (mallinfo hblkhd) is %llu bytes above", &drift) == 1)
			s->hblkhd_drift = drift;
	}
}

static bool get_hex(json_t *obj, const char *key, uint64_t *out)
{
	const char *s = json_string_value(json_object_get(obj, key));
	char *end;
	if (s == NULL || strncmp(s, "0x", 2) != 0)
		return false;
	*out = strtoull(s + 2, &end, 16);
	return end != s + 2 && *end == '\0';
}

static void get_counters(json_t *obj, const char *where, uint64_t c[COUNTERS], struct failures *f)
{
	for (int i = 0; i < COUNTERS; i++)
		if (!get_uint(obj, counter_name[i], &c[i]))
			note(f, "%s: %s missing or not a non-negative integer", where, counter_name[i]);
}

/* The counters, arenas and types; notes what is missing or malformed. */
static void load_figures(json_t *root, struct snapshot *s, struct failures *f)
{
	json_t *totals = json_object_get(root, "totals"), *arenas = json_object_get(root, "arenas");
	json_t *types = json_object_get(root, "types"), *v;
	size_t i;

	if (!json_is_object(totals))
		note(f, "totals missing");
	get_counters(totals, "totals", s->c, f);
	if (!get_uint(totals, "arenas", &s->narenas_total))
		note(f, "totals: arenas missing");
	if (!get_hex(json_object_get(root, "glibc"), "main_arena", &s->main_arena))
		note(f, "glibc.main_arena missing or not a \"0x...\" string");
	read_hblkhd_drift(root, s);
	if (!json_is_array(arenas) || json_array_size(arenas) == 0)
		note(f, "arenas missing or empty");
	s->narenas = json_array_size(arenas);
	s->arenas = checked(calloc(s->narenas + 1, sizeof(*s->arenas)));
	json_array_foreach(arenas, i, v) {
		char where[32];
		snprintf(where, sizeof(where), "arenas[%zu]", i);
		get_counters(v, where, s->arenas[i].c, f);
		if (!get_hex(v, "address", &s->arenas[i].address))
			note(f, "%s: address missing or not a \"0x...\" string", where);
		if (!get_uint(v, "heaps", &s->arenas[i].heaps) || s->arenas[i].heaps == 0)
			note(f, "%s: heaps missing or not a positive integer", where);
	}
	if (!json_is_array(types))
		note(f, "types missing");
	s->ntypes = json_array_size(types);
	json_array_foreach(types, i, v)
		if (!json_is_string(json_object_get(v, "name")) || !json_is_string(json_object_get(v, "kind")))
			note(f, "types[%zu]: name or kind missing", i);
}

/* The block rows; notes malformed rows and type indices out of range. */
static void load_blocks(json_t *root, struct snapshot *s, struct failures *f)
{
	json_t *blocks = json_object_get(root, "blocks"), *row;
	size_t i;

	s->has_blocks = blocks != NULL;
	s->blocks = checked(calloc(json_array_size(blocks) + 1, sizeof(*s->blocks)));
	json_array_foreach(blocks, i, row) {
		json_t *a = json_array_get(row, 0), *b = json_array_get(row, 1), *t = json_array_get(row, 2);
		if (json_array_size(row) != 3 || !json_is_integer(a) || !json_is_integer(b)
		    || !json_is_integer(t) || json_integer_value(a) < 0 || json_integer_value(b) < 0
		    || json_integer_value(t) < 0 || (size_t)json_integer_value(t) >= s->ntypes) {
			note(f, "blocks[%zu] is not [address, size, type index < %zu]", i, s->ntypes);
			continue;
		}
		s->blocks[s->nblocks++] = (struct block){ (uint64_t)json_integer_value(a),
							  (uint64_t)json_integer_value(b),
							  (uint64_t)json_integer_value(t) };
	}
	if (blocks != NULL && !json_is_array(blocks))
		note(f, "blocks is not an array");
}

/* ---- assertions ---- */

static void check_header(json_t *root, const struct report *r)
{
	struct failures f = { 0 };
	json_t *target = json_object_get(root, "target");
	uint64_t threads;
	json_int_t pid = json_integer_value(json_object_get(target, "pid"));

	if (strcmp(json_string_value(json_object_get(root, "format")) ?: "", "heapsnap") != 0)
		note(&f, "format is not \"heapsnap\"");
	if (!json_is_integer(json_object_get(root, "version"))
	    || json_integer_value(json_object_get(root, "version")) != 1)
		note(&f, "version is not 1");
	verdict(&f, "format is \"heapsnap\", version 1");

	memset(&f, 0, sizeof(f));
	if (!json_is_integer(json_object_get(target, "pid")) || pid != r->pid)
		note(&f, "target.pid %lld, report pid %" PRId64, (long long)pid, r->pid);
	verdict(&f, "target.pid is the report's pid");

	memset(&f, 0, sizeof(f));
	if (!get_uint(target, "threads", &threads))
		note(&f, "target.threads missing");
	else if (threads != r->threads)
		note(&f, "target.threads %" PRIu64 ", report threads %" PRIu64, threads, r->threads);
	verdict(&f, "target.threads is the report's thread count");
}

static void check_mode(const char *path)
{
	struct failures f = { 0 };
	struct stat st;

	if (stat(path, &st) != 0)
		note(&f, "cannot stat %s", path);
	else if ((st.st_mode & 07777) != 0600)
		note(&f, "mode is %04o", (unsigned)(st.st_mode & 07777));
	verdict(&f, "snapshot file mode is 0600");
}

static const struct block *find_block(const struct block *sorted, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sorted[mid].addr == addr)
			return &sorted[mid];
		if (sorted[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int block_by_addr(const void *a, const void *b)
{
	uint64_t x = ((const struct block *)a)->addr, y = ((const struct block *)b)->addr;
	return (x > y) - (x < y);
}

/* Order and overlap; sorts the blocks in place between the two, so that the overlap check
   and the lookups that follow work whatever order the file had. */
static void check_block_order(struct snapshot *s)
{
	struct failures order = { 0 }, overlap = { 0 };

	for (size_t i = 1; i < s->nblocks; i++) {
		const struct block *p = &s->blocks[i - 1], *b = &s->blocks[i];
		if (b->addr <= p->addr)
			note(&order, "blocks[%zu] 0x%" PRIx64 " after 0x%" PRIx64, i, b->addr, p->addr);
	}
	verdict(&order, "blocks are sorted by address, without duplicates");
	qsort(s->blocks, s->nblocks, sizeof(*s->blocks), block_by_addr);
	for (size_t i = 1; i < s->nblocks; i++) {
		const struct block *p = &s->blocks[i - 1], *b = &s->blocks[i];
		if (p->addr + p->size > b->addr)
			note(&overlap, "0x%" PRIx64 "+%" PRIu64 " reaches past 0x%" PRIx64, p->addr,
			     p->size, b->addr);
	}
	verdict(&overlap, "blocks do not overlap");
}

static bool is_live(const struct report *r, uint64_t addr)
{
	struct pointer key = { addr, 0 };
	return bsearch(&key, r->live, r->nlive, sizeof(*r->live), by_addr) != NULL;
}

static void check_pointers(const struct snapshot *s, const struct report *r)
{
	struct failures missing = { 0 }, wrong = { 0 }, freed = { 0 }, count = { 0 }, bound = { 0 };
	uint64_t found = 0, found_bytes = 0, all_bytes = 0;

	for (size_t i = 0; i < r->nlive; i++) {
		const struct block *b = find_block(s->blocks, s->nblocks, r->live[i].addr);
		if (b == NULL) {
			note(&missing, "live 0x%" PRIx64 " (%" PRIu64 " bytes) is not a block",
			     r->live[i].addr, r->live[i].size);
			continue;
		}
		found++;
		found_bytes += b->size;
		if (b->size != r->live[i].size)
			note(&wrong, "0x%" PRIx64 ": block size %" PRIu64 ", usable size %" PRIu64,
			     b->addr, b->size, r->live[i].size);
	}
	verdict(&missing, "every live pointer is a block");
	verdict(&wrong, "every live pointer's block has its usable size");

	for (size_t i = 0; i < r->nfreed; i++)
		if (find_block(s->blocks, s->nblocks, r->freed[i]) != NULL && !is_live(r, r->freed[i]))
			note(&freed, "freed 0x%" PRIx64 " is a block", r->freed[i]);
	verdict(&freed, "no freed pointer is a block");

	for (size_t i = 0; i < s->nblocks; i++)
		all_bytes += s->blocks[i].size;
	if (s->nblocks < r->nlive)
		note(&count, "%zu blocks, %zu live pointers", s->nblocks, r->nlive);
	verdict(&count, "at least as many blocks as live pointers");
	diag("%" PRIu64 " blocks besides the live pointers (libc's own), %" PRIu64 " bytes",
	     s->nblocks - found, all_bytes - found_bytes);
	if (all_bytes - found_bytes >= EXTRA_BYTES_BOUND(r->threads))
		note(&bound, "%" PRIu64 " bytes in blocks that are no live pointer, bound %" PRIu64,
		     all_bytes - found_bytes, EXTRA_BYTES_BOUND(r->threads));
	verdict(&bound, "blocks besides the live pointers stay under 64 KiB + 2 KiB per thread");
}

struct group {
	uint64_t type, size, count;
};

static int group_order(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->type != y->type)
		return (x->type > y->type) - (x->type < y->type);
	return (x->size > y->size) - (x->size < y->size);
}

/* The blocks counted per (type, size), in group_order. */
static struct group *count_blocks(const struct snapshot *s, size_t *n)
{
	struct group *g = checked(calloc(s->nblocks + 1, sizeof(*g)));

	*n = 0;
	for (size_t i = 0; i < s->nblocks; i++)
		g[(*n)++] = (struct group){ s->blocks[i].type, s->blocks[i].size, 1 };
	qsort(g, *n, sizeof(*g), group_order);
	size_t runs = 0;
	for (size_t i = 0; i < *n; i++) {
		if (runs > 0 && group_order(&g[runs - 1], &g[i]) == 0)
			g[runs - 1].count++;
		else
			g[runs++] = g[i];
	}
	*n = runs;
	return g;
}

/* Groups from the blocks against groups in the file, both in group_order. */
static void match_groups(const struct group *want, size_t nwant, const struct group *have,
			 size_t nhave, struct failures *f)
{
	size_t w = 0, h = 0;

	while (w < nwant || h < nhave) {
		int cmp = w == nwant ? 1 : h == nhave ? -1 : group_order(&want[w], &have[h]);
		const struct group *key = cmp <= 0 ? &want[w] : &have[h];
		uint64_t blocks = cmp <= 0 ? want[w++].count : 0;
		uint64_t counted = cmp >= 0 ? have[h++].count : 0;
		if (blocks != counted)
			note(f, "type %" PRIu64 ", size %" PRIu64 ": %" PRIu64 " blocks, group count %" PRIu64,
			     key->type, key->size, blocks, counted);
	}
}

/* Groups are well-formed and, when blocks are present, count exactly the blocks per
   (type, size); their sums are the totals either way. */
static void check_groups(json_t *root, const struct snapshot *s)
{
	struct failures form = { 0 }, sums = { 0 }, match = { 0 };
	json_t *groups = json_object_get(root, "groups"), *g;
	struct group *have = checked(calloc(json_array_size(groups) + 1, sizeof(*have)));
	uint64_t count_sum = 0, bytes_sum = 0;
	size_t nhave = 0, i;

	if (!json_is_array(groups))
		note(&form, "groups missing");
	json_array_foreach(groups, i, g) {
		uint64_t type, size, count, bytes;
		if (!get_uint(g, "type", &type) || !get_uint(g, "size", &size)
		    || !get_uint(g, "count", &count) || !get_uint(g, "bytes", &bytes)) {
			note(&form, "groups[%zu]: type, size, count or bytes missing", i);
			continue;
		}
		if (type >= s->ntypes)
			note(&form, "groups[%zu]: type %" PRIu64 " out of range", i, type);
		if (count == 0 || bytes != count * size)
			note(&form, "groups[%zu]: count %" PRIu64 ", bytes %" PRIu64 " for size %" PRIu64,
			     i, count, bytes, size);
		count_sum += count;
		bytes_sum += bytes;
		have[nhave++] = (struct group){ type, size, count };
	}
	qsort(have, nhave, sizeof(*have), group_order);
	for (i = 1; i < nhave; i++)
		if (group_order(&have[i - 1], &have[i]) == 0)
			note(&form, "two groups for type %" PRIu64 ", size %" PRIu64, have[i].type, have[i].size);
	verdict(&form, "groups are well-formed: types in range, bytes = count x size, one per (type, size)");

	if (count_sum != s->c[LIVE_BLOCKS] || bytes_sum != s->c[LIVE_BYTES])
		note(&sums, "groups hold %" PRIu64 " blocks, %" PRIu64 " bytes; totals %" PRIu64 ", %" PRIu64,
		     count_sum, bytes_sum, s->c[LIVE_BLOCKS], s->c[LIVE_BYTES]);
	verdict(&sums, "groups add up to totals.live_blocks and live_bytes");

	if (s->has_blocks) {
		size_t nwant;
		struct group *want = count_blocks(s, &nwant);
		match_groups(want, nwant, have, nhave, &match);
		verdict(&match, "groups count exactly the blocks of each (type, size)");
		free(want);
	}
	free(have);
}

static void check_block_totals(const struct snapshot *s)
{
	struct failures f = { 0 };
	uint64_t bytes = 0;

	for (size_t i = 0; i < s->nblocks; i++)
		bytes += s->blocks[i].size;
	if (s->c[LIVE_BLOCKS] != s->nblocks)
		note(&f, "live_blocks %" PRIu64 ", %zu blocks", s->c[LIVE_BLOCKS], s->nblocks);
	if (s->c[LIVE_BYTES] != bytes)
		note(&f, "live_bytes %" PRIu64 ", blocks hold %" PRIu64, s->c[LIVE_BYTES], bytes);
	verdict(&f, "totals.live_blocks and live_bytes are the blocks' count and sum");
}

/* Mmapped chunks belong to no arena: totals count them (live, mmapped, and on 2.43 the ones
   a tcache holds), the arenas do not. Every other counter is the sum over arenas. */
static void check_arena_sums(const struct snapshot *s)
{
	struct failures f = { 0 };
	uint64_t sum[COUNTERS] = { 0 };

	if (s->narenas_total != s->narenas)
		note(&f, "totals.arenas %" PRIu64 ", %zu arena objects", s->narenas_total, s->narenas);
	for (int c = 0; c < COUNTERS; c++)
		for (size_t i = 0; i < s->narenas; i++)
			sum[c] += s->arenas[i].c[c];
	for (int c = 0; c < COUNTERS; c++) {
		bool outside_arenas = c == LIVE_BLOCKS || c == LIVE_BYTES || c == MMAPPED_BLOCKS ||
				      c == MMAPPED_BYTES || c == TCACHE_BLOCKS || c == TCACHE_BYTES;
		if (!outside_arenas && sum[c] != s->c[c])
			note(&f, "totals.%s %" PRIu64 ", sum over arenas %" PRIu64, counter_name[c], s->c[c], sum[c]);
	}
	if (sum[MMAPPED_BLOCKS] != 0 || sum[MMAPPED_BYTES] != 0)
		note(&f, "arenas count %" PRIu64 " mmapped blocks: those belong to no arena", sum[MMAPPED_BLOCKS]);
	/* Each mmapped chunk is one block outside the arenas: live, or (2.43) in a tcache. */
	if (s->c[LIVE_BLOCKS] < sum[LIVE_BLOCKS] || s->c[TCACHE_BLOCKS] < sum[TCACHE_BLOCKS] ||
	    (s->c[LIVE_BLOCKS] - sum[LIVE_BLOCKS]) + (s->c[TCACHE_BLOCKS] - sum[TCACHE_BLOCKS]) !=
		    s->c[MMAPPED_BLOCKS])
		note(&f, "live and tcache blocks outside the arenas: %" PRIu64 " + %" PRIu64 ", mmapped_blocks %"
		     PRIu64, s->c[LIVE_BLOCKS] - sum[LIVE_BLOCKS], s->c[TCACHE_BLOCKS] - sum[TCACHE_BLOCKS],
		     s->c[MMAPPED_BLOCKS]);
	if (s->c[LIVE_BYTES] < sum[LIVE_BYTES] || s->c[LIVE_BYTES] - sum[LIVE_BYTES] > s->c[MMAPPED_BYTES])
		note(&f, "live bytes outside the arenas %" PRIu64 " exceed mmapped_bytes %" PRIu64,
		     s->c[LIVE_BYTES] - sum[LIVE_BYTES], s->c[MMAPPED_BYTES]);
	verdict(&f, "totals are the sums over arenas, plus the mmapped chunks that belong to none");
}

/* system_bytes is made of the chunks and overhead the walk found, in every arena. */
static uint64_t parts_of_system(const uint64_t c[COUNTERS])
{
	return c[LIVE_CHUNK_BYTES] + c[TCACHE_BYTES] + c[FASTBIN_BYTES] + c[FREE_BYTES]
	       + c[TOP_BYTES] + c[OVERHEAD_BYTES];
}

static void check_arena_identities(const struct snapshot *s)
{
	struct failures parts = { 0 }, overhead = { 0 };

	if (parts_of_system(s->c) != s->c[SYSTEM_BYTES])
		note(&parts, "totals: system_bytes %" PRIu64 ", parts %" PRIu64, s->c[SYSTEM_BYTES],
		     parts_of_system(s->c));
	for (size_t i = 0; i < s->narenas; i++) {
		const struct arena *a = &s->arenas[i];
		if (parts_of_system(a->c) != a->c[SYSTEM_BYTES])
			note(&parts, "arena 0x%" PRIx64 ": system_bytes %" PRIu64 ", parts %" PRIu64,
			     a->address, a->c[SYSTEM_BYTES], parts_of_system(a->c));
		if (a->c[OVERHEAD_BYTES] > OVERHEAD_BOUND(a->heaps))
			note(&overhead, "arena 0x%" PRIx64 ": overhead %" PRIu64 " > %" PRIu64 " for %" PRIu64
			     " heaps", a->address, a->c[OVERHEAD_BYTES], OVERHEAD_BOUND(a->heaps), a->heaps);
	}
	verdict(&parts, "system_bytes = live_chunk + tcache + fastbin + free + top + overhead bytes "
			"(totals and every arena)");
	verdict(&overhead, "every arena's overhead_bytes <= 2304 + 96 x heaps");
}

/* One identity against mallinfo; glibc < 2.33's int fields only hold the value mod 2^32. */
static void identity(const struct report *r, const char *what, uint64_t snapshot, int field)
{
	static const char *const mallinfo_name[MI_FIELDS] = {
		"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
		"fordblks", "keepcost",
	};
	struct failures f = { 0 };
	uint64_t mask = r->mallinfo_bits == 32 ? UINT32_MAX : UINT64_MAX;
	char title[200];

	if ((snapshot & mask) != r->mallinfo[field])
		note(&f, "snapshot %" PRIu64 ", mallinfo %s %" PRIu64 " (snapshot - mallinfo = %" PRId64 ")",
		     snapshot, mallinfo_name[field], r->mallinfo[field],
		     (int64_t)((snapshot & mask) - r->mallinfo[field]));
	snprintf(title, sizeof(title), "%s = mallinfo %s", what, mallinfo_name[field]);
	verdict(&f, title);
}

static void check_mallinfo(const struct snapshot *s, const struct report *r)
{
	const uint64_t *c = s->c;
	const struct arena *main_arena = NULL;

	identity(r, "system_bytes", c[SYSTEM_BYTES], MI_ARENA);
	identity(r, "mmapped_blocks", c[MMAPPED_BLOCKS], MI_HBLKS);
	identity(r, "mmapped_bytes (+ the drift a glibc 2.43 warning states)", c[MMAPPED_BYTES] + s->hblkhd_drift,
		 MI_HBLKHD);
	struct failures drift = { 0 };
	if (s->hblkhd_drift != 0 && !(s->drift_allowed && s->hblkhd_drift % 16 == 0))
		note(&drift, "a drift of %" PRIu64 " bytes stated", s->hblkhd_drift);
	verdict(&drift, "an hblkhd drift is stated only on glibc 2.43+, in multiples of 16 bytes");
	identity(r, "fastbin_blocks", c[FASTBIN_BLOCKS], MI_SMBLKS);
	identity(r, "fastbin_bytes", c[FASTBIN_BYTES], MI_FSMBLKS);
	identity(r, "free_bytes + fastbin_bytes + top_bytes", c[FREE_BYTES] + c[FASTBIN_BYTES] + c[TOP_BYTES],
		 MI_FORDBLKS);
	identity(r, "free_blocks + arenas", c[FREE_BLOCKS] + s->narenas_total, MI_ORDBLKS);
	identity(r, "live_chunk_bytes + tcache_bytes + overhead_bytes",
		 c[LIVE_CHUNK_BYTES] + c[TCACHE_BYTES] + c[OVERHEAD_BYTES], MI_UORDBLKS);
	/* keepcost is the size of the main arena's top chunk. */
	for (size_t i = 0; i < s->narenas; i++)
		if (s->arenas[i].address == s->main_arena)
			main_arena = &s->arenas[i];
	if (main_arena != NULL) {
		identity(r, "the main arena's top_bytes", main_arena->c[TOP_BYTES], MI_KEEPCOST);
	} else {
		struct failures f = { 0 };
		note(&f, "no arena has glibc.main_arena's address 0x%" PRIx64, s->main_arena);
		verdict(&f, "the main arena's top_bytes = mallinfo keepcost");
	}
}

/* Everything after the report: the file, its header, its blocks and its figures. */
static void check_snapshot(const char *path, const struct report *r, bool expect_blocks)
{
	struct failures f = { 0 };
	struct snapshot s = { 0 };
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);

	if (!json_is_object(root))
		note(&f, "%s:%d: %s", path, jerr.line, jerr.text);
	if (!verdict(&f, "the snapshot parses as a JSON object")) {
		json_decref(root);
		return;
	}
	check_mode(path);
	if (r != NULL)
		check_header(root, r);

	memset(&f, 0, sizeof(f));
	load_figures(root, &s, &f);
	load_blocks(root, &s, &f);
	if (expect_blocks != s.has_blocks)
		note(&f, expect_blocks ? "blocks missing (taken with --no-blocks?)"
				       : "blocks present though --no-blocks was given");
	if (verdict(&f, "totals, arenas, types and blocks are complete, type indices in range")) {
		if (s.has_blocks) {
			check_block_order(&s);
			if (r != NULL)
				check_pointers(&s, r);
			check_block_totals(&s);
		}
		check_groups(root, &s);
		check_arena_sums(&s);
		check_arena_identities(&s);
		if (r != NULL)
			check_mallinfo(&s, r);
	}
	json_decref(root);
	free(s.arenas);
	free(s.blocks);
}

int main(int argc, char **argv)
{
	bool expect_blocks = !(argc == 4 && strcmp(argv[1], "--no-blocks") == 0);
	struct failures f = { 0 };
	struct report r;

	/* --structure: no report (a target that never stops changing): only what a snapshot
	   must satisfy on its own. */
	if (argc == 3 && strcmp(argv[1], "--structure") == 0) {
		check_snapshot(argv[2], NULL, true);
		return finish();
	}
	if (argc != (expect_blocks ? 3 : 4)) {
		fprintf(stderr, "usage: check_snapshot [--no-blocks] REPORT SNAPSHOT.json\n"
				"       check_snapshot --structure SNAPSHOT.json\n");
		return 2;
	}
	load_report(argv[argc - 2], &r, &f);
	if (verdict(&f, "the report is well-formed"))
		check_snapshot(argv[argc - 1], &r, expect_blocks);
	free(r.live);
	free(r.freed);
	return finish();
}
