/* The debuginfo fixture: a live target whose types, globals, statics, `__thread` variables and
   a blocked thread's locals the DWARF reader must find. It prints its own ground truth
   (sizeof, offsetof of every pointer member, addresses) to --report FILE, then "ready", and
   waits. Built -O0 (fixture-O0) and -O2 (fixture-O2) from the same source. */
#include <asm/prctl.h>
#include <link.h>
#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fixture.h"

/* Two records of one name and size, one in each unit, that differ: two types. */
struct twin {
	struct node *a;
	long b;
};

struct registry g_registry;
struct twin *g_twin;
struct node *g_head;
static struct item *s_items[4];
struct flex *g_flex;
conn_t g_conn;
union choice *g_choice;
struct inner *g_inner;
struct remote *g_remote;
struct ghost *g_ghost;       /* no slot: not a typed global */
void *g_opaque;
int g_plain;
__thread struct node *t_node;
__thread struct item *t_items[2];

static FILE *report;
static sem_t truth_written;

static struct node **cached_node(void)
{
	static struct node *fixture_cache; /* a function-local static */
	return &fixture_cache;
}

static unsigned long thread_pointer(void)
{
	unsigned long fs = 0;
	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
	return fs;
}

/* Each module's TLS block for the calling thread, as the dynamic linker says it. */
static int tls_block_truth(struct dl_phdr_info *info, size_t size, void *arg)
{
	char exe[4096];
	const char *name = info->dlpi_name, *slash;
	ssize_t n;

	(void)size;
	if (info->dlpi_tls_modid == 0 || info->dlpi_tls_data == NULL)
		return 0;
	if (name[0] == '\0' && (n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		name = exe;
	}
	slash = strrchr(name, '/');
	fprintf(report, "tlsblock\t%#lx\t%s\t%p\n", *(unsigned long *)arg, slash ? slash + 1 : name,
		info->dlpi_tls_data);
	return 0;
}

static void tls_truth(void)
{
	unsigned long fs = thread_pointer();

	dl_iterate_phdr(tls_block_truth, &fs);
	fprintf(report, "tls\t%#lx\tt_node\t%p\n", fs, (void *)&t_node);
	fprintf(report, "tls\t%#lx\tt_items\t%p\n", fs, (void *)t_items);
}

static void types_truth(FILE *f)
{
	TRUTH_TYPE(f, struct node);
	TRUTH_SLOT(f, struct node, offsetof(struct node, next), "one", "struct node", 1, 0);
	TRUTH_SLOT(f, struct node, offsetof(struct node, prev), "one", "struct node", 1, 0);
	TRUTH_TYPE(f, struct item);
	TRUTH_SLOT(f, struct item, offsetof(struct item, owner), "one", "struct node", 1, 0);
	TRUTH_SLOT(f, struct item, offsetof(struct item, cowner), "one", "struct node", 1, 0);
	TRUTH_SLOT(f, struct item, offsetof(struct item, fixed), "one", "struct node", 1, 0);
	TRUTH_SLOT(f, struct item, offsetof(struct item, vnode), "one", "struct node", 1, 0);
	TRUTH_SLOT(f, struct item, offsetof(struct item, vptr), "one", "struct node", 1, 0);
	TRUTH_SLOT(f, struct item, offsetof(struct item, remote), "one", "struct remote", 1, 0);
	TRUTH_TYPE(f, struct inner);
	TRUTH_SLOT(f, struct inner, offsetof(struct inner, first), "one", "struct node", 1, 0);
	TRUTH_TYPE(f, conn_t);
	TRUTH_SLOT(f, conn_t, offsetof(conn_t, current), "one", "struct item", 1, 0);
	TRUTH_TYPE(f, union choice);
	TRUTH_SLOT(f, union choice, offsetof(union choice, as_node), "one", "struct node", 1, 0);
	TRUTH_SLOT(f, union choice, offsetof(union choice, as_item), "one", "struct item", 1, 0);
	TRUTH_TYPE(f, struct registry);
	TRUTH_SLOT(f, struct registry, offsetof(struct registry, items), "one", "struct item", 8,
		   sizeof(struct item *));
	TRUTH_SLOT(f, struct registry, offsetof(struct registry, index), "pointers", "struct item", 1, 0);
	TRUTH_SLOT(f, struct registry, offsetof(struct registry, nested.first), "one", "struct node", 1, 0);
	TRUTH_SLOT(f, struct registry, offsetof(struct registry, pairs[0].first), "one", "struct node", 3,
		   sizeof(struct inner));
	TRUTH_SLOT(f, struct registry, offsetof(struct registry, grid), "one", "struct node", 6,
		   sizeof(struct node *));
	TRUTH_SLOT(f, struct registry, offsetof(struct registry, pick.as_node), "one", "struct node", 1, 0);
	TRUTH_SLOT(f, struct registry, offsetof(struct registry, pick.as_item), "one", "struct item", 1, 0);
	TRUTH_SLOT(f, struct registry, offsetof(struct registry, conn.current), "one", "struct item", 1, 0);
	TRUTH_SLOT(f, struct registry, offsetof(struct registry, connp), "one", "conn_t", 1, 0);
	TRUTH_TYPE(f, struct twin);
	TRUTH_SLOT(f, struct twin, offsetof(struct twin, a), "one", "struct node", 1, 0);
	TRUTH_TYPE(f, struct flex);
	TRUTH_SLOT(f, struct flex, offsetof(struct flex, head), "one", "struct node", 1, 0);
	fprintf(f, "flexible\tstruct flex\n");
	fixture2_truth(f);
}

static void globals_truth(FILE *f)
{
	fprintf(f, "global\tg_registry\t%p\n", (void *)&g_registry);
	fprintf(f, "gtype\tg_registry\tstruct registry\n");
	fprintf(f, "global\tg_head\t%p\n", (void *)&g_head);
	fprintf(f, "gslot\tg_head\t0\tone\tstruct node\t1\t0\n");
	fprintf(f, "global\ts_items\t%p\n", (void *)s_items);
	fprintf(f, "gslot\ts_items\t0\tone\tstruct item\t4\t%zu\n", sizeof(struct item *));
	fprintf(f, "global\tg_flex\t%p\n", (void *)&g_flex);
	fprintf(f, "gslot\tg_flex\t0\tone\tstruct flex\t1\t0\n");
	fprintf(f, "global\tg_conn\t%p\n", (void *)&g_conn);
	fprintf(f, "gtype\tg_conn\tconn_t\n");
	fprintf(f, "global\tg_choice\t%p\n", (void *)&g_choice);
	fprintf(f, "gslot\tg_choice\t0\tone\tunion choice\t1\t0\n");
	fprintf(f, "global\tg_inner\t%p\n", (void *)&g_inner);
	fprintf(f, "gslot\tg_inner\t0\tone\tstruct inner\t1\t0\n");
	fprintf(f, "global\tg_remote\t%p\n", (void *)&g_remote);
	fprintf(f, "gslot\tg_remote\t0\tone\tstruct remote\t1\t0\n");
	fprintf(f, "global\tfixture_cache\t%p\n", (void *)cached_node());
	fprintf(f, "gslot\tfixture_cache\t0\tone\tstruct node\t1\t0\n");
}

static struct node *new_node(int value)
{
	struct node *n = calloc(1, sizeof(*n));
	n->value = value;
	return n;
}

/* The blocked thread: its locals' addresses (and, optimized, a pointer held in a register)
   are the frame truth; it then waits in a raw pause() inside this very function, so its
   innermost frame is here. */
static void *blocked(void *arg)
{
	struct node *local_node = new_node(1);
	struct item *local_items[2] = { calloc(1, sizeof(struct item)), calloc(1, sizeof(struct item)) };
	struct node *kept = new_node(2);
	long tid = syscall(SYS_gettid);

	(void)arg;
	t_node = local_node;
	tls_truth();
	fprintf(report, "frame\t%ld\tlocal_node\t%p\n", tid, (void *)&local_node);
	fprintf(report, "frame\t%ld\tlocal_items\t%p\n", tid, (void *)local_items);
#ifndef FIXTURE_O0
	fprintf(report, "framevalue\t%ld\tkept\t%p\n", tid, (void *)kept);
#else
	fprintf(report, "frame\t%ld\tkept\t%p\n", tid, (void *)&kept);
#endif
	sem_post(&truth_written);
	for (;;) {
		long nr = SYS_pause;
		__asm__ volatile("syscall" : "+a"(nr) : "r"(kept), "r"(local_node) : "rcx", "r11", "memory");
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t thread;

	if (argc != 3 || strcmp(argv[1], "--report") != 0 || (report = fopen(argv[2], "w")) == NULL) {
		fprintf(stderr, "usage: fixture --report FILE\n");
		return 2;
	}
	setvbuf(report, NULL, _IOLBF, 0);
	g_head = new_node(0);
	s_items[0] = calloc(1, sizeof(struct item));
	g_remote = fixture2_remote();
	*cached_node() = new_node(3);
	g_flex = calloc(1, sizeof(struct flex) + 2 * sizeof(struct item *));
	types_truth(report);
	globals_truth(report);
	tls_truth();
	sem_init(&truth_written, 0, 0);
	if (pthread_create(&thread, NULL, blocked, NULL) != 0)
		return 1;
	sem_wait(&truth_written);
	fprintf(report, "ready\n");
	fclose(report);
	for (;;)
		pause();
}
