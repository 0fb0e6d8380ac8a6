/* Ground truth for DWARF typing (issue 19; tests/typing/types.sh and core.sh): a program whose
   every block's type is known by construction. It builds a registry of sessions (each with a
   list of items, an index array of item pointers, an inline item array, a connection, a
   payload union, a name and an opaque buffer) from several threads, static lists, a
   function-local static, a __thread item per thread, a flexible-array list, a big mmapped
   item array, blocks held only by a waiting thread's stack locals, and blocks no DWARF
   pointer may type (reached through void *, char *, a pointer to an incomplete type, a
   pointer to a type bigger than the block, or only from untyped memory). A block pointed to
   by three struct a * and one struct b * is a struct a (the majority).

   Usage: typedtarget TRUTH. Writes one line per block it made to TRUTH, "0xADDRESS NAME"
   (NAME as issue 19 spells it, "-" for a block no DWARF pointer may type), then one line
   "none NAME" per type name no block may take and "vote 0xADDRESS" for the block typed
   pointers disagree on, then prints "ready" and waits. Built -O0 and
   -O2 from this one source. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORKERS 3
#define ITEMS_PER_SESSION 4
#define BIG_ITEMS 8192 /* 320 KiB: above malloc's mmap threshold */
#define MAX_TRUTHS 1024

struct opaque_thing; /* never defined: pointers to it type nothing */
struct session;

struct item {
	struct item *next;
	long id;
	char *label;
	struct opaque_thing *ext;
	struct session *owner;
};

typedef struct {
	int fd;
	struct session *owner;
	char *peer;
} conn_t;

union payload {
	long number;
	struct item *ref;
	char text[24];
};

struct session {
	struct session *next;
	struct item *items;
	struct item **by_id;
	struct item *inline_items; /* malloc(k * sizeof(struct item)) */
	char *name;
	void *opaque;
	conn_t *conn;
	union payload *pl;
};

struct registry {
	struct session *head;
	size_t n;
	struct session **index;
};

struct node {
	struct node *next;
	long value;
};

struct msg {
	struct msg *next;
	size_t len;
	char data[];
};

struct big {
	long words[32];
};

struct a {
	long x[4];
};

struct b {
	long y[3];
};

struct registry *g_registry;
struct msg *g_msgs;
struct item *g_big_items;
struct opaque_thing *g_opaque;
struct big *g_small;
struct a *g_a1, *g_a2, *g_a3;
struct b *g_b1;
char *g_text;
void *g_void;
void *g_hidden; /* a whole session, reached through void * alone */
__attribute__((used)) static struct node *s_nodes;
__thread struct item *t_current;

/* The truth table holds no pointer to a block (each address is kept inverted), so that it
   is no root that take --refs or why would find holding every block. */
static struct {
	uint64_t inverted_address;
	const char *name;
} truths[MAX_TRUTHS];
static size_t ntruths;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t built;

/* Records block p's expected name: name when typed, else "-". */
static void expect(const void *p, bool typed, const char *name)
{
	pthread_mutex_lock(&lock);
	if (ntruths == MAX_TRUTHS)
		abort();
	truths[ntruths].inverted_address = ~(uint64_t)(uintptr_t)p;
	truths[ntruths++].name = typed ? name : "-";
	pthread_mutex_unlock(&lock);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL)
		abort();
	memset(p, 0, n);
	return p;
}

/* A char buffer holding text (never a pointer): untyped. */
static char *text_block(const char *text, size_t size)
{
	char *p = xmalloc(size);

	snprintf(p, size, "%s", text);
	expect(p, false, NULL);
	return p;
}

static struct item *make_item(struct session *owner, long id, bool typed)
{
	struct item *it = xmalloc(sizeof(*it));

	expect(it, typed, "struct item");
	it->id = id;
	it->owner = owner;
	it->label = text_block("item", 16);
	it->ext = xmalloc(24);
	expect(it->ext, false, NULL);
	return it;
}

static struct session *make_session(const char *name, bool typed)
{
	struct session *s = xmalloc(sizeof(*s));
	struct item **tail = &s->items;

	expect(s, typed, "struct session");
	s->name = text_block(name, 32);
	s->opaque = xmalloc(48);
	memset(s->opaque, 0xab, 48);
	expect(s->opaque, false, NULL);
	s->conn = xmalloc(sizeof(*s->conn));
	expect(s->conn, typed, "conn_t");
	s->conn->fd = 3;
	s->conn->owner = s;
	s->conn->peer = text_block("peer", 20);
	s->pl = xmalloc(sizeof(*s->pl));
	expect(s->pl, typed, "union payload");
	s->pl->number = 42;
	s->by_id = xmalloc(ITEMS_PER_SESSION * sizeof(*s->by_id));
	expect(s->by_id, typed, "struct item *[]");
	for (long i = 0; i < ITEMS_PER_SESSION; i++) {
		*tail = s->by_id[i] = make_item(s, i, typed);
		tail = &(*tail)->next;
	}
	/* An inline array; its last element leads to one more item, reached through it alone. */
	s->inline_items = xmalloc(ITEMS_PER_SESSION * sizeof(*s->inline_items));
	expect(s->inline_items, typed, "struct item[]");
	for (long i = 0; i < ITEMS_PER_SESSION; i++) {
		s->inline_items[i].id = 100 + i;
		s->inline_items[i].owner = s;
	}
	s->inline_items[ITEMS_PER_SESSION - 1].next = make_item(s, 200, typed);
	return s;
}

static void register_session(struct session *s)
{
	pthread_mutex_lock(&lock);
	s->next = g_registry->head;
	g_registry->head = s;
	g_registry->n++;
	pthread_mutex_unlock(&lock);
}

/* A function-local static (not inlined: it keeps its own scope at -O2). */
__attribute__((noinline)) static void remember_item(void)
{
	__attribute__((used)) static struct item *s_remembered;

	s_remembered = make_item(NULL, 300, true);
}

/* The innermost frames of worker 0: it waits here, its caller holding pointer locals. */
__attribute__((noinline)) static void wait_forever(void)
{
	for (;;)
		pause();
}

__attribute__((noinline)) static void hold_locals(void)
{
	struct session *volatile held = make_session("held", true);
	struct item *volatile held_item = make_item(NULL, 400, true);

	pthread_barrier_wait(&built);
	wait_forever();
	(void)held;
	(void)held_item;
}

static void *worker(void *arg)
{
	char name[16];

	snprintf(name, sizeof(name), "worker%d", (int)(intptr_t)arg);
	t_current = make_item(NULL, 500, true);
	register_session(make_session(name, true));
	if (arg == 0)
		hold_locals();
	pthread_barrier_wait(&built);
	wait_forever();
	return NULL;
}

static void build_globals(void)
{
	struct msg *m;

	g_registry = xmalloc(sizeof(*g_registry));
	expect(g_registry, true, "struct registry");
	register_session(make_session("main1", true));
	register_session(make_session("main2", true));
	t_current = make_item(NULL, 600, true);
	remember_item();
	for (int i = 0; i < 5; i++) {
		struct node *n = xmalloc(sizeof(*n));
		expect(n, true, "struct node");
		n->value = i;
		n->next = s_nodes;
		s_nodes = n;
	}
	for (size_t extra = 10; extra <= 100; extra += 90) {
		m = xmalloc(sizeof(*m) + extra);
		expect(m, true, "struct msg"); /* flexible: one struct msg, not an array */
		m->len = extra;
		m->next = g_msgs;
		g_msgs = m;
	}
	g_big_items = xmalloc(BIG_ITEMS * sizeof(*g_big_items));
	expect(g_big_items, true, "struct item[]");
	g_opaque = xmalloc(64);
	expect(g_opaque, false, NULL);
	g_small = xmalloc(16); /* smaller than a struct big */
	expect(g_small, false, NULL);
	g_a1 = g_a2 = g_a3 = xmalloc(sizeof(struct a));
	g_b1 = (struct b *)g_a1;
	expect(g_a1, true, "struct a");
	g_text = text_block("plain text", 64);
	g_void = xmalloc(64);
	expect(g_void, false, NULL);
	g_hidden = make_session("hidden", false);
}

/* The index of the registry, once every thread has registered its session. */
static void build_index(void)
{
	size_t i = 0;

	g_registry->index = xmalloc(g_registry->n * sizeof(*g_registry->index));
	expect(g_registry->index, true, "struct session *[]");
	for (struct session *s = g_registry->head; s != NULL; s = s->next)
		g_registry->index[i++] = s;
}

static int write_truth(const char *path)
{
	static const char *const never[] = { "struct b", "struct big", "struct opaque_thing",
					      "struct b[]", "struct big[]" };
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	for (size_t i = 0; i < ntruths; i++)
		fprintf(f, "0x%jx %s\n", (uintmax_t)~truths[i].inverted_address, truths[i].name);
	for (size_t i = 0; i < sizeof(never) / sizeof(*never); i++)
		fprintf(f, "none %s\n", never[i]);
	fprintf(f, "vote 0x%jx\n", (uintmax_t)(uintptr_t)g_a1);
	return fclose(f);
}

int main(int argc, char **argv)
{
	pthread_t th;

	if (argc != 2) {
		fprintf(stderr, "usage: typedtarget TRUTH\n");
		return 2;
	}
	build_globals();
	/* Every worker (worker 0 from hold_locals), and main. */
	pthread_barrier_init(&built, NULL, WORKERS + 1);
	for (int i = 0; i < WORKERS; i++)
		if (pthread_create(&th, NULL, worker, (void *)(intptr_t)i) != 0)
			return 1;
	pthread_barrier_wait(&built);
	build_index();
	if (write_truth(argv[1]) != 0)
		return 1;
	puts("ready");
	fflush(stdout);
	wait_forever();
}
