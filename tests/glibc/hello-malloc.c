/* hello-malloc: the glibc fixture's smallest target. Several threads allocate and free
   (so non-main arenas, tcaches and an mmapped chunk exist), then it prints the glibc it runs
   on. With --wait it also prints its pid and "ready" and stays alive until its standard
   input closes, so a test can look at its mappings. */
#include <gnu/libc-version.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { THREADS = 4, BLOCKS = 32, BIG = 512 * 1024 };

/* Written through a volatile pointer so the compiler keeps every malloc/free pair. */
static void *volatile kept[THREADS][BLOCKS];

static void *churn(void *arg)
{
	long t = (long)arg;
	for (int i = 0; i < BLOCKS; i++) {
		kept[t][i] = malloc(16 + 24 * (size_t)i);
		if (kept[t][i] == NULL)
			return (void *)1;
		memset(kept[t][i], 0x5a, 16);
	}
	for (int i = 0; i < BLOCKS; i += 2)
		free(kept[t][i]);
	void *big = malloc(BIG); /* above the mmap threshold */
	if (big == NULL)
		return (void *)1;
	free(big);
	return NULL;
}

int main(int argc, char **argv)
{
	int wait = argc > 1 && strcmp(argv[1], "--wait") == 0;
	pthread_t th[THREADS];
	for (long t = 0; t < THREADS; t++)
		if (pthread_create(&th[t], NULL, churn, (void *)t) != 0) {
			fprintf(stderr, "hello-malloc: pthread_create failed\n");
			return 1;
		}
	int failed = 0;
	for (int t = 0; t < THREADS; t++) {
		void *r;
		pthread_join(th[t], &r);
		failed |= r != NULL;
	}
	if (failed) {
		fprintf(stderr, "hello-malloc: out of memory\n");
		return 1;
	}
	printf("glibc %s\n", gnu_get_libc_version());
	if (!wait)
		return 0;
	printf("pid %d\nready\n", (int)getpid());
	fflush(stdout);
	char buf[64];
	while (fread(buf, 1, sizeof buf, stdin) > 0)
		;
	return 0;
}
