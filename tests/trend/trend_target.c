/* The target of the trend tests: three classes of blocks told apart by their usable size
   (each request is 8 short of a multiple of 16, so glibc's usable size is the request):
   GROWING blocks added at a steady rate in real time (the count follows the clock, not the
   sleeps), SAWTOOTH blocks that rise for SAW_PERIOD_MS and are all freed, CONSTANT blocks
   allocated once. Writes its growth rate in bytes per hour to the file named by argv[1],
   then runs until killed. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define GROWING_SIZE 1000
#define SAWTOOTH_SIZE 2024
#define CONSTANT_SIZE 3048
#define GROWING_PER_SECOND 100
#define SAW_PER_SECOND 200
#define SAW_PERIOD_MS 2500
#define CONSTANT_BLOCKS 150
#define MAX_BLOCKS 200000

/* volatile: the compiler may not drop allocations it sees never read. */
static void *volatile growing[MAX_BLOCKS], *volatile saw[MAX_BLOCKS], *volatile constant[CONSTANT_BLOCKS];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	size_t ngrowing = 0, nsaw = 0;
	double start = now_s();
	long period = -1;
	FILE *f;

	if (argc != 2 || (f = fopen(argv[1], "w")) == NULL) {
		fprintf(stderr, "usage: trend_target RATE_FILE\n");
		return 2;
	}
	for (int i = 0; i < CONSTANT_BLOCKS; i++)
		constant[i] = calloc(1, CONSTANT_SIZE);
	fprintf(f, "%d\n", GROWING_SIZE * GROWING_PER_SECOND * 3600);
	fclose(f);
	for (;;) {
		double elapsed = now_s() - start;
		size_t want = (size_t)(elapsed * GROWING_PER_SECOND);
		long this_period = (long)(elapsed * 1000) / SAW_PERIOD_MS;
		size_t saw_want = (size_t)((elapsed * 1000 - (double)this_period * SAW_PERIOD_MS) / 1000 * SAW_PER_SECOND);

		while (ngrowing < want && ngrowing < MAX_BLOCKS)
			growing[ngrowing++] = calloc(1, GROWING_SIZE);
		if (this_period != period) {
			while (nsaw > 0)
				free(saw[--nsaw]);
			period = this_period;
		}
		while (nsaw < saw_want && nsaw < MAX_BLOCKS)
			saw[nsaw++] = calloc(1, SAWTOOTH_SIZE);
		usleep(2000);
	}
}
