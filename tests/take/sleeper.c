/* A process that only waits: linked statically for the "no shared glibc" refusal test. */
#include <unistd.h>

int main(void)
{
	for (;;)
		pause();
}
