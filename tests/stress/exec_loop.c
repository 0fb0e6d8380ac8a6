/* A target that keeps changing: it allocates, forks a child that exits at once, and every
   few milliseconds replaces itself with a fresh copy (execv), for the "target forks or
   execs during a take" test. */
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 2 * 1000 * 1000 };
	void *keep[64];

	(void)argc;
	for (int round = 0;; round++) {
		for (int i = 0; i < 64; i++)
			keep[i] = malloc(32 + 16 * (size_t)i);
		pid_t child = fork();
		if (child == 0)
			_exit(0);
		if (child > 0)
			waitpid(child, NULL, 0);
		for (int i = 0; i < 64; i++)
			free(keep[i]);
		nanosleep(&tick, NULL);
		if (round == 3)
			execv("/proc/self/exe", argv);
	}
}
