/* Installing one handler for several signals (see catch_signals.h). */
#include <signal.h>
#include <string.h>

#include "common/catch_signals.h"

void hs_catch_signals(const int *sigs, size_t n, void (*handler)(int), bool block_all)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	if (block_all)
		sigfillset(&sa.sa_mask);
	else
		sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < n; i++)
		sigaction(sigs[i], &sa, NULL);
}
