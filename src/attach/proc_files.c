/* /proc readers for the live backend (see attach.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/attach.h"
#include "common/xalloc.h"

static unsigned parse_perms(const char *p)
{
	return (p[0] == 'r' ? HS_MAP_R : 0) | (p[1] == 'w' ? HS_MAP_W : 0) |
	       (p[2] == 'x' ? HS_MAP_X : 0) | (p[3] == 'p' ? HS_MAP_PRIVATE : 0);
}

int hs_proc_read_maps(pid_t pid, struct hs_mapping **maps, size_t *nmaps, struct hs_error *err)
{
	char path[64], *line = NULL;
	size_t linecap = 0, cap = 0, n = 0;
	struct hs_mapping *m = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return hs_fail(err, HS_ERR_TARGET, "cannot read %s: %s: check the PID and your permissions",
			       path, strerror(errno));
	while (getline(&line, &linecap, f) > 0) {
		uint64_t start, end, off, inode;
		char perms[8];
		int name_at = 0;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*x:%*x %" SCNu64 " %n",
			   &start, &end, perms, &off, &inode, &name_at) < 5)
			continue;
		hs_xgrow((void **)&m, &cap, n + 1, sizeof(*m));
		char *name = line + name_at;
		name[strcspn(name, "\n")] = '\0';
		m[n] = (struct hs_mapping){ .start = start, .end = end, .offset = off,
					    .perms = parse_perms(perms), .inode = inode,
					    .path = name_at && *name ? hs_xstrdup(name) : NULL };
		n++;
	}
	free(line);
	fclose(f);
	if (n == 0)
		return hs_fail(err, HS_ERR_TARGET, "process %d has no mappings (a zombie or a kernel thread?): "
			       "give the PID of a running user process", (int)pid);
	*maps = m;
	*nmaps = n;
	return 0;
}

static char *read_whole(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = hs_xmalloc(cap + 1);
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		free(buf);
		return NULL;
	}
	for (size_t r; (r = fread(buf + n, 1, cap - n, f)) > 0;) {
		n += r;
		if (n == cap && cap < (1u << 20)) {
			cap *= 2;
			buf = hs_xrealloc(buf, cap + 1);
		}
		if (n == cap)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

void hs_proc_read_identity(pid_t pid, struct hs_target *t)
{
	char path[64], exe[4096];
	ssize_t n;
	size_t len;
	char *cmd;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		t->exe = hs_xstrdup(exe);
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	cmd = read_whole(path, &len);
	if (cmd == NULL)
		return;
	for (size_t i = 0; i < len; i += strlen(cmd + i) + 1) {
		t->cmdline = hs_xrealloc(t->cmdline, (t->ncmdline + 1) * sizeof(*t->cmdline));
		t->cmdline[t->ncmdline++] = hs_xstrdup(cmd + i);
	}
	free(cmd);
}

void hs_proc_thread_name(pid_t pid, pid_t tid, char name[16])
{
	char path[64];
	size_t len;
	char *comm;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid, (int)tid);
	comm = read_whole(path, &len);
	name[0] = '\0';
	if (comm != NULL)
		snprintf(name, 16, "%.*s", (int)strcspn(comm, "\n"), comm);
	free(comm);
}

ssize_t hs_proc_list_tasks(pid_t pid, pid_t **tids, size_t *cap)
{
	char path[64];
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (dir == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		hs_xgrow((void **)tids, cap, n + 1, sizeof(**tids));
		(*tids)[n++] = (pid_t)atoi(d->d_name);
	}
	closedir(dir);
	return (ssize_t)n;
}

int hs_proc_state(pid_t pid, char *state, pid_t *tracer)
{
	char path[64], line[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int tp;
		if (sscanf(line, "State: %c", state) == 1)
			found |= 1;
		else if (sscanf(line, "TracerPid: %d", &tp) == 1) {
			*tracer = tp;
			found |= 2;
		}
	}
	fclose(f);
	return found == 3 ? 0 : -1;
}

int hs_proc_open_pagemap(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

size_t hs_proc_read_pagemap(int fd, uint64_t first, uint64_t *entries, size_t n)
{
	ssize_t got = pread(fd, entries, n * sizeof(*entries), (off_t)(first * sizeof(*entries)));

	return got > 0 ? (size_t)got / sizeof(*entries) : 0;
}
