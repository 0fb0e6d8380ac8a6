/* rawcopy: the physical bound of a heap snapshot on this machine. Stops every thread of a
   process (PTRACE_SEIZE + PTRACE_INTERRUPT, as heapsnap does), copies every readable and
   writable anonymous mapping and [heap] once with process_vm_readv, in batches of up to
   BATCH_BYTES into one reused buffer, and lets the process go. The batch size is the
   fastest measured on the benchmark machine (1 GiB of heap: 64 MiB batches 0.27 s, 16 MiB
   0.13 s, 4 MiB 0.089 s, 1 MiB 0.079 s, 256 KiB 0.087 s): a buffer that stays in the
   cache makes the copy a read of the target's memory and little more. Prints the bytes copied and
   the seconds the copy took (the stop and the resume not included):

       bytes 1234567890 seconds 0.234567

   With --pointers, each batch is also scanned as it is copied, and every 16-byte aligned
   word that points into one of the mappings copied is kept with its address, in an array
   faulted in before the clock starts: the least that deciding types after the target is let
   go would cost while it is stopped (bench/types-bench.sh). It prints how many it kept:

       bytes 1234567890 seconds 0.345678 pointers 12345678

   Usage: rawcopy [--pointers] PID */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH_BYTES (1u << 20)
#define MAX_IOV 1024
#define MAX_THREADS 4096

struct range {
	uint64_t lo, hi;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seizes and stops every thread; returns how many (0 on failure). */
static size_t stop_threads(pid_t pid, pid_t *tids)
{
	char path[64];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && n < MAX_THREADS) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) != 0) {
			fprintf(stderr, "rawcopy: cannot seize thread %d: %s\n", (int)tid, strerror(errno));
			continue;
		}
		ptrace(PTRACE_INTERRUPT, tid, NULL, NULL);
		tids[n++] = tid;
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		int status;
		while (waitpid(tids[i], &status, __WALL) < 0 && errno == EINTR)
			;
	}
	return n;
}

/* The mappings heapsnap's walk may read: readable, writable, anonymous or [heap]. */
static size_t heap_mappings(pid_t pid, struct range **out)
{
	char path[64], line[4096], perms[8];
	size_t n = 0, cap = 0;
	struct range *r = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long long lo, hi, inode;
		const char *name = line;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%llx-%llx %7s %*s %*s %llu", &lo, &hi, perms, &inode) != 4)
			continue;
		/* The name, if any, follows the five fields. */
		for (int field = 0; field < 5; field++) {
			name += strspn(name, " ");
			name += strcspn(name, " ");
		}
		name += strspn(name, " ");
		if (perms[0] != 'r' || perms[1] != 'w' || inode != 0 ||
		    (name[0] != '\0' && strcmp(name, "[heap]") != 0))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((r = realloc(r, cap * sizeof(*r))) == NULL)
				return 0;
		}
		r[n++] = (struct range){ lo, hi };
	}
	fclose(f);
	*out = r;
	return n;
}

/* The words kept by --pointers: (address, value) pairs. */
struct kept {
	uint64_t *pair;
	size_t n, cap;
};

/* Whether v lies in one of the n sorted ranges; *hint is the one found last. */
static int in_ranges(const struct range *r, size_t n, uint64_t v, size_t *hint)
{
	size_t lo = 0, hi = n;

	if (v - r[*hint].lo < r[*hint].hi - r[*hint].lo)
		return 1;
	if (v < r[0].lo || v >= r[n - 1].hi)
		return 0;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (r[mid].lo <= v)
			lo = mid;
		else
			hi = mid;
	}
	if (v >= r[lo].hi)
		return 0;
	*hint = lo;
	return 1;
}

/* Keeps the words of buf[0, len) (copied from the batch's remote pieces) that point into
   the ranges. */
static void keep_pointers(const struct iovec *remote, size_t k, const uint8_t *buf, const struct range *r,
			  size_t n, struct kept *kept)
{
	static size_t hint;

	for (size_t j = 0; j < k; j++) {
		uint64_t at = (uint64_t)(uintptr_t)remote[j].iov_base;

		for (size_t off = 0; off + 8 <= remote[j].iov_len; off += 8) {
			uint64_t v;

			memcpy(&v, buf + off, sizeof(v));
			if (v % 16 != 0 || !in_ranges(r, n, v, &hint) || kept->n == kept->cap)
				continue;
			kept->pair[2 * kept->n] = at + off;
			kept->pair[2 * kept->n + 1] = v;
			kept->n++;
		}
		buf += remote[j].iov_len;
	}
}

/* Copies the ranges, BATCH_BYTES at a time (several ranges per call when they are small),
   keeping their pointers when kept is not NULL. */
static uint64_t copy_all(pid_t pid, const struct range *r, size_t n, uint8_t *buf, struct kept *kept)
{
	struct iovec local = { buf, 0 }, remote[MAX_IOV];
	uint64_t copied = 0, at = n ? r[0].lo : 0;
	size_t i = 0;

	while (i < n) {
		size_t k = 0, batch = 0;
		ssize_t got;

		while (i < n && k < MAX_IOV && batch < BATCH_BYTES) {
			uint64_t take = r[i].hi - at;
			if (take > BATCH_BYTES - batch)
				take = BATCH_BYTES - batch;
			remote[k++] = (struct iovec){ (void *)(uintptr_t)at, take };
			batch += take;
			at += take;
			if (at == r[i].hi && ++i < n)
				at = r[i].lo;
		}
		local.iov_len = batch;
		got = process_vm_readv(pid, &local, 1, remote, k, 0);
		if (got < 0) {
			fprintf(stderr, "rawcopy: process_vm_readv: %s\n", strerror(errno));
			return copied;
		}
		copied += (uint64_t)got;
		if (kept != NULL && (size_t)got == batch)
			keep_pointers(remote, k, buf, r, n, kept);
	}
	return copied;
}

int main(int argc, char **argv)
{
	static pid_t tids[MAX_THREADS];
	struct range *ranges = NULL;
	uint8_t *buf;
	uint64_t copied;
	size_t nthreads, nranges;
	pid_t pid;
	double start, seconds;

	struct kept kept = { 0 };
	int pointers = argc == 3 && strcmp(argv[1], "--pointers") == 0;

	if (argc != 2 + pointers || (pid = (pid_t)atoi(argv[argc - 1])) <= 0) {
		fprintf(stderr, "usage: rawcopy [--pointers] PID\n");
		return 2;
	}
	/* Faulted in before the clock starts: the bound is the copy, not this process's pages. */
	if ((buf = malloc(BATCH_BYTES)) == NULL)
		return 1;
	memset(buf, 0, BATCH_BYTES);
	if ((nthreads = stop_threads(pid, tids)) == 0) {
		fprintf(stderr, "rawcopy: cannot stop process %d\n", (int)pid);
		return 1;
	}
	nranges = heap_mappings(pid, &ranges);
	if (pointers) {
		/* Room for a pointer every 16 bytes copied, faulted in now. */
		for (size_t i = 0; i < nranges; i++)
			kept.cap += (ranges[i].hi - ranges[i].lo) / 16;
		kept.pair = mmap(NULL, kept.cap * 16, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (kept.cap == 0 || kept.pair == MAP_FAILED) {
			fprintf(stderr, "rawcopy: no room for %zu pointers\n", kept.cap);
			return 1;
		}
	}
	start = now_s();
	copied = copy_all(pid, ranges, nranges, buf, pointers ? &kept : NULL);
	seconds = now_s() - start;
	for (size_t i = 0; i < nthreads; i++)
		ptrace(PTRACE_DETACH, tids[i], NULL, NULL);
	if (pointers)
		printf("bytes %llu seconds %.6f pointers %zu\n", (unsigned long long)copied, seconds, kept.n);
	else
		printf("bytes %llu seconds %.6f\n", (unsigned long long)copied, seconds);
	if (pointers)
		munmap(kept.pair, kept.cap * 16);
	free(ranges);
	free(buf);
	return copied > 0 ? 0 : 1;
}
