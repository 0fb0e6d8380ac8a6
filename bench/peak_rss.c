/* peak_rss: runs a command and reports its wall time and peak resident set size (from
   wait4's rusage of that child alone), so the benchmark needs no /usr/bin/time.

   Usage: peak_rss FILE COMMAND [ARG...]
   Writes "SECONDS PEAK_RSS_BYTES" to FILE and exits with the command's exit status (128 +
   the signal when a signal ended it). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	double start;
	int status;
	pid_t child;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: peak_rss FILE COMMAND [ARG...]\n");
		return 2;
	}
	start = now_s();
	child = fork();
	if (child < 0) {
		perror("peak_rss: fork");
		return 126;
	}
	if (child == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "peak_rss: cannot run %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(child, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("peak_rss: wait4");
			return 126;
		}
	if ((out = fopen(argv[1], "w")) == NULL) {
		perror("peak_rss: cannot write the figures");
		return 126;
	}
	/* ru_maxrss is in KiB on Linux. */
	fprintf(out, "%.6f %lld\n", now_s() - start, (long long)ru.ru_maxrss * 1024);
	if (fclose(out) != 0)
		return 126;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
