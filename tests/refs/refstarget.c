/* refstarget: the self-reporting target of take --refs. It makes blocks held in each way a
   root can hold them, and blocks leaked in each way LeakSanitizer tells apart, then writes
   its own truth table and waits. Addresses are kept XOR-masked, so that the table itself is
   no reference; the stack the leaks were made on is overwritten before the report.

   Held (state reachable, then the root's kind and name):
     global g_ptr                     one block
     global list_head                 a static list of LIST_LEN nodes (the chain's root)
     global g_table                   TABLE blocks in a global array
     global g_big                     an mmapped chunk (256 KiB) and BIG_HOLDS blocks it holds
     global g_interior                a block pointed to only 24 bytes inside
     stack holder                     a block whose only pointer is a local of thread
                                      "holder", blocked in read(2)
     tls refstarget                   a block held by a __thread variable of the main thread
     mapping 0xSTART                  a block held from an anonymous mmap of its own
   Leaked: DIRECT blocks nothing points to (state direct); PARENTS blocks each pointing to a
   child (parent direct, child indirect); a cycle of CYCLE blocks that nothing outside points
   to (state cycle: one of them is reported direct, the others indirect).

   Usage: refstarget --report FILE [--commands FIFO]
     report lines "block ADDR SIZE STATE KIND NAME TID" (KIND and NAME "-" for leaks; TID the
     thread that made the block, the one whose stack or TLS holds it), then "ready". With
     --commands, it then reads lines from FIFO: "grow N" mallocs N blocks linked in a list
     from the global g_registry and appends "grown BYTES" to the report, BYTES their
     malloc_usable_size sum (these blocks are in no "block" line). */
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MASK ((uintptr_t)0x5a5a5a5a5a5a5a5aull)
#define LIST_LEN 200
#define TABLE 100
#define BIG_HOLDS 50
#define DIRECT 100
#define PARENTS 50
#define CYCLE 3
#define MAX_TRUTH 1024

struct node {
	struct node *next;
	char pad[40];
};

void *g_ptr;
void *g_registry; /* the head of the list "grow N" extends */
static struct node *list_head;
void *g_table[TABLE];
void **g_big;
char *g_interior;
__thread void *tls_ptr; /* extern: its store is not optimized away */

static struct truth {
	uintptr_t masked;
	size_t usable;
	const char *state, *kind;
	char name[32];
	pid_t tid; /* the thread of a stack or tls root */
} truth[MAX_TRUTH];
static int ntruth;
static char map_name[32];
static int holder_ready[2], holder_block[2];

static void note(void *p, const char *state, const char *kind, const char *name)
{
	struct truth *t = &truth[ntruth++];

	t->masked = (uintptr_t)p ^ MASK;
	t->usable = malloc_usable_size(p);
	t->state = state;
	t->kind = kind;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->tid = gettid();
}

static void *holder(void *arg)
{
	void *volatile local = malloc(72);
	char c;

	(void)arg;
	pthread_setname_np(pthread_self(), "holder");
	note(local, "reachable", "stack", "holder");
	if (write(holder_ready[1], "r", 1) != 1)
		return NULL;
	while (read(holder_block[0], &c, 1) < 0)
		;
	return (void *)local;
}

static __attribute__((noinline)) void make_held(void)
{
	void **region;

	g_ptr = malloc(100);
	note(g_ptr, "reachable", "global", "g_ptr");
	for (int i = 0; i < LIST_LEN; i++) {
		struct node *n = malloc(sizeof(*n));
		n->next = list_head;
		list_head = n;
		note(n, "reachable", "global", "list_head");
	}
	for (int i = 0; i < TABLE; i++) {
		g_table[i] = malloc(16 + 8 * (i % 10));
		note(g_table[i], "reachable", "global", "g_table");
	}
	g_big = calloc(1, 256 << 10);
	note(g_big, "reachable", "global", "g_big");
	for (int i = 0; i < BIG_HOLDS; i++) {
		g_big[500 * i + 7] = malloc(200);
		note(g_big[500 * i + 7], "reachable", "global", "g_big");
	}
	g_interior = (char *)malloc(64) + 24;
	note(g_interior - 24, "reachable", "global", "g_interior");
	tls_ptr = malloc(56);
	note(tls_ptr, "reachable", "tls", "refstarget");
	/* Guard pages on both sides keep the kernel from merging it with a neighbour. */
	region = mmap(NULL, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		exit(1);
	region = (void **)((char *)region + 4096);
	if (mprotect(region, 4096, PROT_READ | PROT_WRITE) != 0)
		exit(1);
	snprintf(map_name, sizeof(map_name), "0x%lx", (unsigned long)region);
	region[3] = malloc(88);
	note(region[3], "reachable", "mapping", map_name);
}

static __attribute__((noinline)) void make_leaks(void)
{
	void *cycle[CYCLE];

	for (int i = 0; i < DIRECT; i++) {
		void *p = malloc(32 + 16 * i);
		memset(p, 0, 32 + 16 * i);
		note(p, "direct", "-", "-");
	}
	for (int i = 0; i < PARENTS; i++) {
		void **parent = calloc(4, sizeof(void *));
		parent[1] = calloc(1, 48);
		note(parent, "direct", "-", "-");
		note(parent[1], "indirect", "-", "-");
	}
	for (int i = 0; i < CYCLE; i++)
		cycle[i] = calloc(2, sizeof(void *));
	for (int i = 0; i < CYCLE; i++) {
		*(void **)cycle[i] = cycle[(i + 1) % CYCLE];
		note(cycle[i], "cycle", "-", "-");
	}
}

/* Writes the unmasked address in hex a digit at a time: the pointer itself is never in a
   register the report could leave behind. */
static size_t put_address(char *out, uintptr_t masked)
{
	size_t n = 0;
	int shift = 60;

	out[n++] = '0';
	out[n++] = 'x';
	while (shift > 0 && (((masked ^ MASK) >> shift) & 15) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		out[n++] = "0123456789abcdef"[((masked >> shift) ^ (MASK >> shift)) & 15];
	return n;
}

/* Leaves no pointer in the registers a call may clobber (callee-saved ones hold main's). */
static void scrub_registers(void)
{
	__asm__ volatile("xor %%eax, %%eax\n\txor %%ecx, %%ecx\n\txor %%edx, %%edx\n\t"
			 "xor %%esi, %%esi\n\txor %%edi, %%edi\n\txor %%r8d, %%r8d\n\t"
			 "xor %%r9d, %%r9d\n\txor %%r10d, %%r10d\n\txor %%r11d, %%r11d"
			 ::: "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
}

/* Overwrites the stack below the caller, where the leaks' pointers were. */
static __attribute__((noinline)) void clear_stack(void)
{
	volatile char buf[65536];

	memset((char *)buf, 0, sizeof(buf));
}

/* Links n new blocks in front of g_registry; returns their usable bytes. */
static __attribute__((noinline)) size_t grow(long n)
{
	size_t bytes = 0;

	for (long i = 0; i < n; i++) {
		void **node = malloc(64);

		node[0] = g_registry;
		g_registry = node;
		bytes += malloc_usable_size(node);
	}
	return bytes;
}

/* Serves "grow N" lines from fd, answering in the report (fd_report, appending). */
static void serve_commands(int fd, int fd_report)
{
	static char line[64], reply[64];
	size_t len = 0;
	long n;

	for (;;) {
		scrub_registers();
		if (read(fd, line + len, 1) != 1)
			exit(1);
		if (line[len] != '\n' && len + 2 < sizeof(line)) {
			len++;
			continue;
		}
		line[len] = '\0';
		len = 0;
		if (sscanf(line, "grow %ld", &n) != 1 || n < 0)
			exit(2);
		n = snprintf(reply, sizeof(reply), "grown %zu\n", grow(n));
		clear_stack();
		if (write(fd_report, reply, (size_t)n) != n)
			exit(1);
	}
}

int main(int argc, char **argv)
{
	static char report[MAX_TRUTH * 96 + 64];
	size_t len = 0;
	pthread_t th;
	char c;
	int fd, fd_commands = -1;

	if ((argc != 3 && argc != 5) || strcmp(argv[1], "--report") != 0 ||
	    (argc == 5 && strcmp(argv[3], "--commands") != 0)) {
		fprintf(stderr, "usage: refstarget --report FILE [--commands FIFO]\n");
		return 2;
	}
	/* Read and write: the open does not wait for a writer, and reads never see an end. */
	if (argc == 5 && (fd_commands = open(argv[4], O_RDWR)) < 0)
		return 1;
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || pipe(holder_ready) != 0 || pipe(holder_block) != 0)
		return 1;
	if (pthread_create(&th, NULL, holder, NULL) != 0 || read(holder_ready[0], &c, 1) != 1)
		return 1;
	make_held();
	make_leaks();
	clear_stack();
	for (int i = 0; i < ntruth; i++) {
		len += (size_t)snprintf(report + len, sizeof(report) - len, "block ");
		len += put_address(report + len, truth[i].masked);
		len += (size_t)snprintf(report + len, sizeof(report) - len, " %zu %s %s %s %d\n", truth[i].usable,
					truth[i].state, truth[i].kind, truth[i].name, (int)truth[i].tid);
	}
	len += (size_t)snprintf(report + len, sizeof(report) - len, "ready\n");
	if (write(fd, report, len) != (ssize_t)len)
		return 1;
	clear_stack();
	if (fd_commands >= 0)
		serve_commands(fd_commands, fd);
	close(fd);
	for (;;) {
		scrub_registers();
		pause();
	}
}
