/* The stat tests' target: several threads each leave a fragmented heap in an arena of their
   own (free chunks in tcaches, fastbins, small and large bins and the unsorted bin, live
   mmapped chunks), then park; the main thread then takes glibc's own figures, mallinfo2()
   (mallinfo() before 2.33) and malloc_info(0, fp), allocating nothing after them: the FILE
   and its buffer exist before, and the bytes go out with write(). Usage:
     stat_target DIR [--corrupt]
   writes DIR/malloc_info.xml and DIR/mallinfo.txt ("name value" lines), prints "ready PID"
   and waits for stdin to close. --corrupt then breaks one bin's back link (the heap is
   corrupt on purpose: stat must say so, not hang). */
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 4
#define BLOCKS 3000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int parked;
static void *keep[THREADS + 1][BLOCKS];
static void *volatile mmapped[THREADS + 1][2]; /* volatile: kept, though never read */
static char xml[1 << 20], xml_buf[1 << 16];
static char mi_text[1024];

static size_t size_of(unsigned seed, unsigned i)
{
	unsigned x = (i * 2654435761u) ^ (seed * 40503u);

	switch (x % 4) {
	case 0: return 16 + x % 100;    /* fastbin sizes */
	case 1: return 100 + x % 900;   /* small bins */
	case 2: return 1100 + x % 3000; /* large bins */
	default: return 24 + x % 400;
	}
}

/* Leaves one arena fragmented; the blocks it keeps stay live. */
static void fragment(unsigned seed)
{
	void **p = keep[seed];

	for (unsigned i = 0; i < BLOCKS; i++)
		p[i] = malloc(size_of(seed, i));
	for (unsigned i = 1; i < BLOCKS; i += 2) /* tcaches fill, then fastbins, unsorted */
		free(p[i]); /* the pointer stays, for --corrupt */
	for (unsigned i = 0; i < 4; i++)           /* sorts the unsorted chunks into bins */
		free(malloc(8000 + 1000 * i));
	/* Before the last frees: a large request consolidates the fastbins. */
	mmapped[seed][0] = malloc(300000 + 4096 * seed);
	mmapped[seed][1] = malloc(200000);
	for (unsigned i = 2002; i < BLOCKS; i += 4) /* new fastbin and unsorted chunks */
		free(p[i]);
}

static void *thread_main(void *arg)
{
	fragment((unsigned)(size_t)arg);
	pthread_mutex_lock(&lock);
	parked++;
	pthread_cond_broadcast(&cond);
	while (parked >= 0) /* parks until the process ends */
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static int write_file(const char *dir, const char *name, const char *bytes, size_t n)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, bytes, n) != (ssize_t)n)
		return -1;
	return close(fd);
}

int main(int argc, char **argv)
{
	pthread_t th[THREADS];
	FILE *f;
	int n;

	if (argc < 2)
		return fprintf(stderr, "usage: stat_target DIR [--corrupt]\n"), 2;
	for (unsigned i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, thread_main, (void *)(size_t)(i + 1));
	fragment(0);
	pthread_mutex_lock(&lock);
	while (parked < THREADS)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	/* Everything that allocates happens before the figures are taken. */
	f = fmemopen(xml, sizeof(xml) - 1, "w");
	if (f == NULL || setvbuf(f, xml_buf, _IOFBF, sizeof(xml_buf)) != 0)
		return perror("fmemopen"), 1;
#if __GLIBC__ == 2 && __GLIBC_MINOR__ < 33
	struct mallinfo mi = mallinfo();
#define FIELD(x) (long long)mi.x
#else
	struct mallinfo2 mi = mallinfo2();
#define FIELD(x) (long long)mi.x
#endif
	malloc_info(0, f);
	fflush(f);
	n = snprintf(mi_text, sizeof(mi_text),
		     "arena %lld\nordblks %lld\nsmblks %lld\nhblks %lld\nhblkhd %lld\nusmblks %lld\n"
		     "fsmblks %lld\nuordblks %lld\nfordblks %lld\nkeepcost %lld\n",
		     FIELD(arena), FIELD(ordblks), FIELD(smblks), FIELD(hblks), FIELD(hblkhd), FIELD(usmblks),
		     FIELD(fsmblks), FIELD(uordblks), FIELD(fordblks), FIELD(keepcost));
	if (write_file(argv[1], "malloc_info.xml", xml, strlen(xml)) < 0 ||
	    write_file(argv[1], "mallinfo.txt", mi_text, (size_t)n) < 0)
		return perror("write"), 1;
	if (argc > 2 && strcmp(argv[2], "--corrupt") == 0) {
		/* The last chunk fragment(0) freed between two live ones (1997: 100 to 1000 bytes,
		   after its tcache bin was full) sits in a bin: its bk now points elsewhere. */
		((void **)keep[0][1997])[1] = (void *)0x1000;
	}
	n = snprintf(mi_text, sizeof(mi_text), "ready %d\n", (int)getpid());
	if (write(STDOUT_FILENO, mi_text, (size_t)n) != n)
		return 1;
	while (read(STDIN_FILENO, mi_text, sizeof(mi_text)) > 0)
		;
	return 0;
}
