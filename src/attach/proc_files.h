/* Reading a live process's description from /proc: mappings, executable, command line,
   thread IDs and state. */
#ifndef HS_PROC_FILES_H
#define HS_PROC_FILES_H

#include "attach/target.h"

int hs_proc_read_maps(pid_t pid, struct hs_mapping **maps, size_t *nmaps, struct hs_error *err);
void hs_proc_read_identity(pid_t pid, struct hs_target *t);
/* A thread's name (/proc/PID/task/TID/comm, 15 characters at most); "" when unreadable. */
void hs_proc_thread_name(pid_t pid, pid_t tid, char name[16]);
/* Thread IDs in /proc/PID/task; returns the count, -1 when the process is gone. */
ssize_t hs_proc_list_tasks(pid_t pid, pid_t **tids, size_t *cap);
/* The State letter of /proc/PID/status and its TracerPid; -1 when unreadable. */
int hs_proc_state(pid_t pid, char *state, pid_t *tracer);

#endif
