/* Atomic output files (see output_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/output_file.h"
#include "common/xalloc.h"

/* The named temporary in progress, for hs_output_signal_cleanup. */
static char signal_tmp_path[4096];
static volatile sig_atomic_t signal_tmp_set;

static char *dir_of(const char *path)
{
	char *copy = hs_xstrdup(path);
	char *dir = hs_xstrdup(dirname(copy));
	free(copy);
	return dir;
}

static void remember_tmp(const char *p)
{
	signal_tmp_set = 0;
	if (p != NULL && strlen(p) < sizeof(signal_tmp_path)) {
		strcpy(signal_tmp_path, p);
		signal_tmp_set = 1;
	}
}

void hs_output_signal_cleanup(void)
{
	if (signal_tmp_set)
		unlink(signal_tmp_path);
}

static int open_named_tmp(struct hs_output *o, const char *dir)
{
	size_t n = strlen(dir) + 32;

	o->tmp_path = hs_xmalloc(n);
	for (int attempt = 0; attempt < 100; attempt++) {
		snprintf(o->tmp_path, n, "%s/.heapsnap-%d-%d.tmp", dir, (int)getpid(), attempt);
		/* O_EXCL|O_CREAT never follows a symlink planted at the name. */
		o->fd = open(o->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (o->fd >= 0) {
			remember_tmp(o->tmp_path);
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	free(o->tmp_path);
	o->tmp_path = NULL;
	return -1;
}

/* Whether path names something that is neither a regular file nor a directory (/dev/null, a
   FIFO, a terminal): renaming a file over it would replace it. */
static bool special_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

static int open_in_place(struct hs_output *o, const char *path, struct hs_error *err)
{
	o->fd = open(path, O_WRONLY | O_CLOEXEC);
	if (o->fd < 0)
		return hs_fail(err, HS_ERR_OUTPUT, "cannot open %s: %s: choose another file with -o", path,
			       strerror(errno));
	o->path = hs_xstrdup(path);
	o->in_place = true;
	if ((o->fp = fdopen(o->fd, "w")) == NULL) {
		hs_output_abort(o);
		return hs_fail(err, HS_ERR_OUTPUT, "cannot open output stream for %s: %s", path, strerror(errno));
	}
	return 0;
}

int hs_output_open(struct hs_output *o, const char *path, struct hs_error *err)
{
	char *dir;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if (strcmp(path, "-") == 0) {
		o->fp = stdout;
		return 0;
	}
	if (special_file(path))
		return open_in_place(o, path, err);
	o->path = hs_xstrdup(path);
	dir = dir_of(path);
	o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (o->fd < 0 && open_named_tmp(o, dir) < 0) {
		int e = errno;
		hs_fail(err, HS_ERR_OUTPUT, "cannot create a file in %s: %s: choose a writable directory with -o",
			dir, strerror(e));
		free(dir);
		free(o->path);
		o->path = NULL;
		return -1;
	}
	free(dir);
	fchmod(o->fd, 0600);
	o->fp = fdopen(o->fd, "w");
	if (o->fp == NULL) {
		hs_output_abort(o);
		return hs_fail(err, HS_ERR_OUTPUT, "cannot open output stream for %s: %s", path,
			       strerror(errno));
	}
	return 0;
}

static int link_tmpfile(struct hs_output *o)
{
	char proc[64], *dir, *tmp;
	size_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, o->path, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	/* Replace an existing file: link under a fresh name, then rename over. */
	dir = dir_of(o->path);
	n = strlen(dir) + 32;
	tmp = hs_xmalloc(n);
	for (int attempt = 0; attempt < 100; attempt++) {
		snprintf(tmp, n, "%s/.heapsnap-%d-%d.tmp", dir, (int)getpid(), attempt);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
			remember_tmp(tmp);
			int rc = rename(tmp, o->path);
			if (rc != 0)
				unlink(tmp);
			remember_tmp(NULL);
			free(tmp);
			free(dir);
			return rc;
		}
		if (errno != EEXIST)
			break;
	}
	free(tmp);
	free(dir);
	return -1;
}

int hs_output_commit(struct hs_output *o, struct hs_error *err)
{
	int rc = 0;

	if (o->path == NULL)
		return fflush(o->fp) == 0 && !ferror(o->fp) ? 0
		       : hs_fail(err, HS_ERR_OUTPUT, "cannot write to standard output: %s", strerror(errno));
	if (fflush(o->fp) != 0 || ferror(o->fp) || (!o->in_place && fsync(o->fd) != 0))
		rc = -1;
	else if (o->in_place)
		rc = 0;
	else if (o->tmp_path != NULL)
		rc = rename(o->tmp_path, o->path);
	else
		rc = link_tmpfile(o);
	if (rc != 0) {
		hs_fail(err, HS_ERR_OUTPUT, "cannot write %s: %s: check space and permissions",
			o->path, strerror(errno));
		hs_output_abort(o);
		return -1;
	}
	fclose(o->fp);
	remember_tmp(NULL);
	free(o->tmp_path);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return 0;
}

void hs_output_abort(struct hs_output *o)
{
	if (o->fp != NULL && o->fp != stdout)
		fclose(o->fp);
	else if (o->fd >= 0 && o->fp == NULL)
		close(o->fd);
	if (o->tmp_path != NULL)
		unlink(o->tmp_path);
	remember_tmp(NULL);
	free(o->tmp_path);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
