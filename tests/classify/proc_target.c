/* /proc-based test target (see proc_target.h). */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/attach_private.h"
#include "common/xalloc.h"
#include "proc_target.h"

struct proc_backend {
	int mem_fd;
};

static ssize_t proc_read(struct hs_target *t, uint64_t addr, void *buf, size_t len)
{
	struct proc_backend *b = t->backend;
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(b->mem_fd, (char *)buf + done, len - done, (off_t)(addr + done));
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done == 0 && len > 0 ? -1 : (ssize_t)done;
}

static int proc_readv(struct hs_target *t, const uint64_t *addrs, void *const *bufs,
		      const size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (proc_read(t, addrs[i], bufs[i], lens[i]) != (ssize_t)lens[i])
			return -1;
	return 0;
}

static void proc_release(struct hs_target *t)
{
	(void)t; /* the test resumes or kills its child itself */
}

static void proc_destroy(struct hs_target *t)
{
	struct proc_backend *b = t->backend;

	close(b->mem_fd);
	free(b);
	hs_target_free_common(t);
	free(t);
}

static const struct hs_target_ops proc_ops = {
	.read = proc_read,
	.readv = proc_readv,
	.release = proc_release,
	.destroy = proc_destroy,
};

static int read_maps(struct hs_target *t, char *why, size_t whylen)
{
	char path[64], line[4096];
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)t->pid);
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		struct hs_mapping m = { 0 };
		char perms[8];
		int name_at = 0;
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %" SCNu64 " %n",
			   &m.start, &m.end, perms, &m.offset, &m.inode, &name_at) < 5)
			continue;
		m.perms = (perms[0] == 'r' ? HS_MAP_R : 0) | (perms[1] == 'w' ? HS_MAP_W : 0) |
			  (perms[2] == 'x' ? HS_MAP_X : 0) | (perms[3] == 'p' ? HS_MAP_PRIVATE : 0);
		line[strcspn(line, "\n")] = '\0';
		if (name_at > 0 && line[name_at] != '\0')
			m.path = hs_xstrdup(line + name_at);
		hs_xgrow((void **)&t->maps, &cap, t->nmaps + 1, sizeof(*t->maps));
		t->maps[t->nmaps++] = m;
	}
	fclose(f);
	return 0;
}

struct hs_target *proc_target_open(pid_t pid, char *why, size_t whylen)
{
	struct hs_target *t = hs_xcalloc(1, sizeof(*t));
	struct proc_backend *b = hs_xcalloc(1, sizeof(*b));
	char path[64];

	t->ops = &proc_ops;
	t->source = "live";
	t->pid = pid;
	t->backend = b;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	if ((b->mem_fd = open(path, O_RDONLY)) < 0) {
		snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
		free(b);
		free(t);
		return NULL;
	}
	if (read_maps(t, why, whylen) != 0)
		goto fail;
	t->dwfl = hs_dwfl_new(NULL, 0);
	if (t->dwfl == NULL || dwfl_linux_proc_report(t->dwfl, pid) != 0 ||
	    dwfl_report_end(t->dwfl, NULL, NULL) != 0) {
		snprintf(why, whylen, "libdwfl cannot report the modules of %d: %s", (int)pid,
			 dwfl_errmsg(-1));
		goto fail;
	}
	return t;
fail:
	proc_destroy(t);
	return NULL;
}
