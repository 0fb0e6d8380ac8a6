/* Test-only target backend: a stopped child process read through /proc/PID/mem, its
   mappings from /proc/PID/maps, its modules reported to libdwfl. The real live backend
   (ptrace) is src/attach's; this one lets the classifier be tested before it exists. */
#ifndef HS_TEST_PROC_TARGET_H
#define HS_TEST_PROC_TARGET_H

#include <stddef.h>
#include <sys/types.h>

struct hs_target;

/* NULL with a reason in why on failure. Close with hs_target_close. */
struct hs_target *proc_target_open(pid_t pid, char *why, size_t whylen);

#endif
