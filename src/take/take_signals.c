/* What a signal means during a take: SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE detach
   every stopped thread, remove an unfinished output file and end heapsnap by the same signal;
   SIGALRM (the --timeout) does the same and exits 4 with a message. The live backend only
   offers the async-signal-safe detach (hs_live_detach_published). */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "attach/attach.h"
#include "common/catch_signals.h"
#include "common/output_file.h"
#include "take/take_private.h"

static void guard_handler(int sig)
{
	static const char timeout_msg[] =
		"heapsnap: the take did not finish within --timeout: the target was resumed; "
		"raise --timeout or check the target\n";
	int saved = errno;

	hs_live_detach_published();
	hs_output_signal_cleanup();
	if (sig == SIGALRM) {
		if (write(STDERR_FILENO, timeout_msg, sizeof(timeout_msg) - 1) < 0)
			errno = saved;
		_exit(4);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void hs_take_install_signal_guard(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGPIPE };

	hs_catch_signals(sigs, sizeof(sigs) / sizeof(sigs[0]), guard_handler, true);
}
