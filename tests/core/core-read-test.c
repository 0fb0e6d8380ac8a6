/* Unit test of the core-file backend (TAP). Runs tests/core/core-target (a copy whose debug
   info is split into a --debug-dir tree), dumps it with gdb's gcore, and checks what
   hs_core_open reads from the core against what the live process said about itself and
   /proc showed; then --exe, --sysroot and --debug-dir, then damaged and wrong inputs. */
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attach/attach.h"
#include "core-target.h"

static int tests_run, tests_failed;

static int check(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int check(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++tests_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!cond)
		tests_failed++;
	return cond;
}

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Ends the test when a prerequisite is missing: a failure that says what is needed. */
static void bail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void bail(const char *fmt, ...)
{
	va_list ap;

	printf("not ok %d - ", ++tests_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n1..%d\n", tests_run);
	exit(1);
}

/* snprintf for paths: a path that does not fit ends the test. */
static void pathf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void pathf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		bail("path too long: %s", buf);
}

/* ---- the live target ---- */

struct live_map {
	uint64_t start, end, offset, inode;
	char perms[5];
	char path[PATH_MAX];
};

struct live_thread {
	int index;
	pid_t tid;
	uint64_t fs_base, stack;
};

struct live {
	pid_t pid;
	uint64_t heap, mmap, rodata, malloc_addr;
	struct live_thread threads[CORE_TARGET_THREADS + 1];
	int nthreads;
	struct live_map maps[1024];
	size_t nmaps;
	pid_t tasks[64];
	size_t ntasks;
	char exe[PATH_MAX];
};

static void start_target(const char *path, char *const argv[], struct live *l)
{
	int fds[2];
	FILE *out;
	char line[256];
	int ready = 0;

	if (pipe(fds) != 0)
		bail("pipe: %s", strerror(errno));
	l->pid = fork();
	if (l->pid < 0)
		bail("fork: %s", strerror(errno));
	if (l->pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(path, argv);
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	while (!ready && fgets(line, sizeof(line), out) != NULL) {
		struct live_thread *th = &l->threads[l->nthreads];
		unsigned tid;
		if (sscanf(line, "heap %" SCNx64, &l->heap) == 1 ||
		    sscanf(line, "mmap %" SCNx64, &l->mmap) == 1 ||
		    sscanf(line, "rodata %" SCNx64, &l->rodata) == 1 ||
		    sscanf(line, "malloc %" SCNx64, &l->malloc_addr) == 1)
			continue;
		if (l->nthreads <= CORE_TARGET_THREADS &&
		    sscanf(line, "thread %d %x %" SCNx64 " %" SCNx64, &th->index, &tid, &th->fs_base,
			   &th->stack) == 4) {
			th->tid = (pid_t)tid;
			l->nthreads++;
		}
		ready = strcmp(line, "ready\n") == 0;
	}
	fclose(out);
	if (!ready)
		bail("the test target %s did not start: build it (make check builds it)", path);
}

static void read_live_process(struct live *l)
{
	char path[64], line[PATH_MAX + 256];
	FILE *f;
	ssize_t n;
	DIR *dir;
	struct dirent *e;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)l->pid);
	f = fopen(path, "r");
	if (f == NULL)
		bail("cannot read %s: %s", path, strerror(errno));
	while (l->nmaps < sizeof(l->maps) / sizeof(l->maps[0]) && fgets(line, sizeof(line), f)) {
		struct live_map *m = &l->maps[l->nmaps++];
		int pathpos = 0;
		sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %*s %" SCNu64 " %n", &m->start,
		       &m->end, m->perms, &m->offset, &m->inode, &pathpos);
		snprintf(m->path, sizeof(m->path), "%s", line + pathpos);
		m->path[strcspn(m->path, "\n")] = '\0';
	}
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)l->pid);
	dir = opendir(path);
	if (dir == NULL)
		bail("cannot read %s: %s", path, strerror(errno));
	while ((e = readdir(dir)) != NULL && l->ntasks < sizeof(l->tasks) / sizeof(l->tasks[0]))
		if (e->d_name[0] != '.')
			l->tasks[l->ntasks++] = (pid_t)atoi(e->d_name);
	closedir(dir);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)l->pid);
	n = readlink(path, l->exe, sizeof(l->exe) - 1);
	l->exe[n > 0 ? n : 0] = '\0';
}

/* Runs a command with its output in log; a failure ends the test, hint says what to do. */
static void run(char *const argv[], const char *log, const char *hint)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		char cmd[PATH_MAX + 16];
		snprintf(cmd, sizeof(cmd), "sed 's/^/# /' %s", log);
		if (system(cmd) != 0)
			diag("(no log)");
		bail("%s failed (log above): %s", argv[0], hint);
	}
}

/* ---- helpers ---- */

static const struct hs_mapping *find_map(const struct hs_target *t, uint64_t start)
{
	for (size_t i = 0; i < t->nmaps; i++)
		if (t->maps[i].start == start)
			return &t->maps[i];
	return NULL;
}

static unsigned live_perms(const struct live_map *m)
{
	return (m->perms[0] == 'r' ? HS_MAP_R : 0) | (m->perms[1] == 'w' ? HS_MAP_W : 0) |
	       (m->perms[2] == 'x' ? HS_MAP_X : 0);
}

static int read_is(struct hs_target *t, uint64_t addr, const char *want)
{
	size_t len = strlen(want) + 1;
	char *buf = malloc(len);
	int same = t->ops->read(t, addr, buf, len) == (ssize_t)len && memcmp(buf, want, len) == 0;

	free(buf);
	return same;
}

static char *build_id_hex(const char *path)
{
	int fd = open(path, O_RDONLY);
	Elf *elf = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	const unsigned char *id = NULL;
	ssize_t len = elf != NULL ? dwelf_elf_gnu_build_id(elf, (const void **)&id) : -1;
	char *hex = NULL;

	if (len > 0) {
		hex = calloc(1, (size_t)len * 2 + 1);
		for (ssize_t i = 0; i < len; i++)
			sprintf(hex + 2 * i, "%02x", id[i]);
	}
	if (elf != NULL)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	return hex;
}

static void copy_file(const char *from, const char *to)
{
	char *argv[] = { "cp", (char *)from, (char *)to, NULL };
	run(argv, "/dev/null", "check the space in /tmp");
}

/* ---- checks against the live process ---- */

static void check_maps(const struct hs_target *t, const struct live *l)
{
	size_t compared = 0, wrong = 0;
	int sorted = 1;

	for (size_t i = 0; i < l->nmaps; i++) {
		const struct live_map *m = &l->maps[i];
		const struct hs_mapping *c;
		int file_backed = m->inode != 0;
		if (!file_backed && m->perms[1] != 'w')
			continue;
		compared++;
		c = find_map(t, m->start);
		if (c == NULL || c->end != m->end || (file_backed && (c->path == NULL ||
		    strcmp(c->path, m->path) != 0 || c->offset != m->offset || c->inode != 1 ||
		    (c->perms & 7) != live_perms(m))) || (!file_backed && (c->inode != 0 ||
		    (c->perms & 7) != live_perms(m)))) {
			diag("live %" PRIx64 "-%" PRIx64 " %s %s: core has %s", m->start, m->end,
			     m->perms, m->path, c == NULL ? "nothing there" : "another mapping");
			wrong++;
		}
	}
	for (size_t i = 1; i < t->nmaps; i++)
		sorted &= t->maps[i - 1].end <= t->maps[i].start;
	check(compared >= 10 && wrong == 0, "every writable and file-backed mapping of the live "
	      "process is in the core's maps, same bounds, path, offset, perms (%zu compared, "
	      "%zu wrong)", compared, wrong);
	check(sorted, "the core's maps are sorted and do not overlap");
	for (size_t i = 0; i < l->nmaps; i++) {
		const struct hs_mapping *c = find_map(t, l->maps[i].start);
		if (strcmp(l->maps[i].path, "[stack]") == 0)
			check(c != NULL && c->path != NULL && strcmp(c->path, "[stack]") == 0 &&
			      c->end == l->maps[i].end, "the main thread's stack is named [stack]");
		if (strcmp(l->maps[i].path, "[vdso]") == 0)
			check(c != NULL && c->path != NULL && strcmp(c->path, "[vdso]") == 0,
			      "the vDSO is named [vdso]");
	}
}

static void check_threads(const struct hs_target *t, const struct live *l)
{
	int tids_match = l->ntasks == CORE_TARGET_THREADS + 1 && t->nthreads == l->ntasks;

	for (size_t i = 0; tids_match && i < l->ntasks; i++) {
		int found = 0;
		for (size_t j = 0; j < t->nthreads; j++)
			found |= t->threads[j].tid == l->tasks[i];
		tids_match &= found;
	}
	check(tids_match, "the core's threads are /proc/PID/task's (%zu in the core, %zu live)",
	      t->nthreads, l->ntasks);
	for (int i = 0; i < l->nthreads; i++) {
		const struct live_thread *lt = &l->threads[i];
		const struct hs_thread *ct = NULL;
		const struct hs_mapping *stack;
		for (size_t j = 0; j < t->nthreads; j++)
			if (t->threads[j].tid == lt->tid)
				ct = &t->threads[j];
		check(ct != NULL && ct->fs_base == lt->fs_base, "thread %d (tid %d): fs_base "
		      "0x%" PRIx64 " as the thread saw it", lt->index, (int)lt->tid, lt->fs_base);
		stack = ct != NULL ? hs_target_find_map(t, ct->sp) : NULL;
		check(stack != NULL && stack == hs_target_find_map(t, lt->stack) &&
		      hs_target_find_map(t, ct->pc) != NULL && (hs_target_find_map(t, ct->pc)->perms & HS_MAP_X),
		      "thread %d: sp in the mapping of its stack bytes, pc in executable code", lt->index);
	}
	check(t->pid == l->pid, "pid %d from the core", (int)t->pid);
}

static void check_memory(struct hs_target *t, const struct live *l)
{
	char want[128];
	char buf[8];

	check(read_is(t, l->heap, CORE_TARGET_HEAP_BYTES), "heap block's bytes read back");
	check(read_is(t, l->mmap, CORE_TARGET_MMAP_BYTES), "anonymous mapping's bytes read back");
	for (int i = 0; i < l->nthreads; i++) {
		snprintf(want, sizeof(want), "%s%d", CORE_TARGET_STACK_BYTES, l->threads[i].index);
		check(read_is(t, l->threads[i].stack, want), "thread %d's stack bytes read back",
		      l->threads[i].index);
	}
	check(read_is(t, l->rodata, CORE_TARGET_RODATA_BYTES) &&
	      hs_core_file_source(t, l->rodata) != NULL,
	      "the executable's read-only data, left out of the core, read from %s",
	      hs_core_file_source(t, l->rodata) ? hs_core_file_source(t, l->rodata) : "nowhere");
	check(t->ops->read(t, 0x1000, buf, sizeof(buf)) == -1, "a read at an unmapped address fails");
}

/* glibc's version banner sits in libc's .rodata, which gcore leaves out of the core. */
static void check_libc_banner(struct hs_target *t, const struct live *l)
{
	const struct live_map *libc = NULL;
	FILE *f;
	char *data;
	const char *hit;
	long size;
	uint64_t off, addr = 0;
	size_t ngaps;
	const struct hs_core_gap *gaps = hs_core_gaps(t, &ngaps);
	int in_gap = 0;

	for (size_t i = 0; i < l->nmaps && libc == NULL; i++)
		if (strstr(l->maps[i].path, "/libc.so.6") != NULL)
			libc = &l->maps[i];
	if (libc == NULL)
		bail("the target has no libc.so.6 mapping: glibc is required");
	f = fopen(libc->path, "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0)
		bail("cannot read %s", libc->path);
	rewind(f);
	data = malloc((size_t)size + 1);
	if (fread(data, 1, (size_t)size, f) != (size_t)size)
		bail("cannot read %s", libc->path);
	fclose(f);
	data[size] = '\0';
	hit = memmem(data, (size_t)size, "release version", strlen("release version"));
	if (hit == NULL)
		bail("no version banner in %s", libc->path);
	while (hit > data && hit[-1] != '\0')
		hit--;
	off = (uint64_t)(hit - data);
	for (size_t i = 0; i < l->nmaps; i++)
		if (strcmp(l->maps[i].path, libc->path) == 0 && l->maps[i].offset <= off &&
		    off < l->maps[i].offset + (l->maps[i].end - l->maps[i].start))
			addr = l->maps[i].start + (off - l->maps[i].offset);
	for (size_t i = 0; i < ngaps; i++)
		in_gap |= gaps[i].start <= addr && addr < gaps[i].end;
	diag("banner: %.*s", (int)strcspn(hit, "\n"), hit);
	check(addr != 0 && hs_core_file_source(t, addr) != NULL &&
	      strcmp(hs_core_file_source(t, addr), libc->path) == 0,
	      "libc's banner is not in the core: it comes from %s", libc->path);
	check(addr != 0 && read_is(t, addr, hit) && !in_gap, "libc's banner reads back (%s)",
	      "from the file");
	free(data);
}

static void check_symbols(struct hs_target *t, const struct live *l)
{
	Dwfl_Module *mod = dwfl_addrmodule(t->dwfl, l->malloc_addr);
	const char *name = mod != NULL ? dwfl_module_addrname(mod, l->malloc_addr) : NULL;
	GElf_Sym sym;
	GElf_Off off = 1;
	Dwarf_Addr bias;

	if (mod != NULL)
		dwfl_module_addrinfo(mod, l->malloc_addr, &off, &sym, NULL, NULL, NULL);
	check(name != NULL && off == 0 && (strcmp(name, "malloc") == 0 ||
					   strcmp(name, "__libc_malloc") == 0),
	      "dwfl names malloc's address (%s)", name ? name : "no name");
	check(mod != NULL && dwfl_module_getdwarf(mod, &bias) != NULL,
	      "libc's debug info is found by build-id (libc6-dbg)");
}

static void check_process(const struct hs_target *t, const struct live *l, char *const argv[])
{
	int same = 1;
	size_t argc = 0;

	while (argv[argc] != NULL)
		argc++;
	same = t->ncmdline == argc;
	for (size_t i = 0; same && i < argc; i++)
		same = strcmp(t->cmdline[i], argv[i]) == 0;
	check(same, "argv from the core is the target's (%zu arguments, one with spaces)",
	      t->ncmdline);
	check(t->exe != NULL && strcmp(t->exe, l->exe) == 0, "exe %s is /proc/PID/exe's",
	      t->exe ? t->exe : "(none)");
	check(strcmp(t->source, "core") == 0, "source is \"core\"");
}

static void check_no_gaps_in_writable(const struct hs_target *t)
{
	size_t n, bad = 0;
	const struct hs_core_gap *g = hs_core_gaps(t, &n);

	for (size_t i = 0; i < n; i++) {
		const struct hs_mapping *m = hs_target_find_map(t, g[i].start);
		diag("gap %" PRIx64 "-%" PRIx64 " %s: %s", g[i].start, g[i].end,
		     g[i].path ? g[i].path : "(anonymous)", g[i].reason);
		bad += m == NULL || (m->perms & HS_MAP_W) || g[i].path == NULL ||
		       g[i].path[0] != '[';
	}
	check(bad == 0, "no gap in writable memory or files: only special mappings (%zu gaps)", n);
}

/* ---- --debug-dir, --exe, --sysroot ---- */

static Dwfl_Module *exe_module(const struct hs_target *t, const struct live *l)
{
	return dwfl_addrmodule(t->dwfl, l->rodata);
}

static void check_debug_dir(const char *core, const struct live *l, const char *dbgdir)
{
	const char *dirs[] = { dbgdir, NULL };
	struct hs_target *t;
	struct hs_error err = { 0 };
	Dwarf_Addr bias;

	if (!check(hs_core_open(core, NULL, NULL, NULL, &t, &err) == 0, "core opens again"))
		return;
	check(exe_module(t, l) != NULL && dwfl_module_getdwarf(exe_module(t, l), &bias) == NULL,
	      "without --debug-dir the stripped executable has no DWARF");
	hs_target_close(t);
	if (!check(hs_core_open(core, NULL, NULL, dirs, &t, &err) == 0, "core opens with --debug-dir"))
		return;
	check(exe_module(t, l) != NULL && dwfl_module_getdwarf(exe_module(t, l), &bias) != NULL,
	      "with --debug-dir its DWARF is found by build-id under %s", dbgdir);
	hs_target_close(t);
}

/* The executable was replaced on disk after the dump: its left-out data must not be read
   from the wrong file, and --exe or --sysroot must bring it back. */
static void check_replaced_exe(const char *core, const struct live *l, const char *good_exe,
			       const char *sysroot, const char *want_build_id)
{
	struct hs_target *t;
	struct hs_error err = { 0 };
	size_t ngaps, nunfound;
	const struct hs_core_gap *gaps;
	struct hs_unfound_module *unfound;
	int gap_found = 0, listed = 0;
	char buf[8];
	char sysroot_exe[PATH_MAX * 2];

	if (!check(hs_core_open(core, NULL, NULL, NULL, &t, &err) == 0,
		   "core opens with its executable replaced by another ELF file"))
		return;
	check(t->ops->read(t, l->rodata, buf, sizeof(buf)) == -1 && hs_core_file_source(t, l->rodata) == NULL,
	      "the replaced executable's data is not read (build-id differs)");
	gaps = hs_core_gaps(t, &ngaps);
	for (size_t i = 0; i < ngaps; i++)
		gap_found |= gaps[i].start <= l->rodata && l->rodata < gaps[i].end &&
			     strstr(gaps[i].reason, "build-id differs") != NULL &&
			     gaps[i].path != NULL && strcmp(gaps[i].path, l->exe) == 0;
	check(gap_found, "a gap over the executable's read-only data says its build-id differs");
	nunfound = hs_target_unfound_modules(t, &unfound);
	for (size_t i = 0; i < nunfound; i++) {
		diag("unfound module %s %s", unfound[i].name, unfound[i].build_id ? unfound[i].build_id : "-");
		listed |= unfound[i].build_id != NULL && strcmp(unfound[i].build_id, want_build_id) == 0;
	}
	check(listed && nunfound == 1, "the executable is the one unfound module, with its build-id %s",
	      want_build_id);
	hs_unfound_modules_free(unfound, nunfound);
	hs_target_close(t);

	if (check(hs_core_open(core, good_exe, NULL, NULL, &t, &err) == 0, "core opens with --exe")) {
		check(read_is(t, l->rodata, CORE_TARGET_RODATA_BYTES) &&
		      strcmp(hs_core_file_source(t, l->rodata), good_exe) == 0,
		      "with --exe the executable's data is read from %s", good_exe);
		nunfound = hs_target_unfound_modules(t, &unfound);
		check(nunfound == 0, "with --exe every module's file is found");
		hs_unfound_modules_free(unfound, nunfound);
		hs_target_close(t);
	}
	pathf(sysroot_exe, sizeof(sysroot_exe), "%s%s", sysroot, l->exe);
	if (check(hs_core_open(core, NULL, sysroot, NULL, &t, &err) == 0, "core opens with --sysroot")) {
		check(read_is(t, l->rodata, CORE_TARGET_RODATA_BYTES) &&
		      strcmp(hs_core_file_source(t, l->rodata), sysroot_exe) == 0,
		      "with --sysroot the executable's data is read from %s", sysroot_exe);
		nunfound = hs_target_unfound_modules(t, &unfound);
		check(nunfound == 0, "with --sysroot every module's file is found");
		hs_unfound_modules_free(unfound, nunfound);
		hs_target_close(t);
	}
}

/* ---- wrong and damaged inputs ---- */

static void expect_error(const char *path, const char *what, const char *needle)
{
	struct hs_target *t = NULL;
	struct hs_error err = { 0 };
	int rc = hs_core_open(path, NULL, NULL, NULL, &t, &err);

	check(rc == -1 && t == NULL && err.kind == HS_ERR_TARGET && strstr(err.msg, needle) != NULL,
	      "%s: exit-3 error \"%s\"", what, err.msg);
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		bail("cannot write %s: %s", path, strerror(errno));
	close(fd);
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	char *data;

	if (fd < 0 || fstat(fd, &st) != 0)
		bail("cannot read %s", path);
	data = malloc((size_t)st.st_size);
	if (read(fd, data, (size_t)st.st_size) != st.st_size)
		bail("cannot read %s", path);
	close(fd);
	*len = (size_t)st.st_size;
	return data;
}

/* The core's header, PT_NOTE, lowest PT_LOAD offset and the PT_LOAD holding addr. */
static void core_phdrs(const char *core, uint64_t addr, GElf_Ehdr *eh, GElf_Phdr *note,
		       uint64_t *first_load, GElf_Phdr *load)
{
	int fd = open(core, O_RDONLY);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	size_t phnum = 0;

	gelf_getehdr(elf, eh);
	elf_getphdrnum(elf, &phnum);
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		gelf_getphdr(elf, (int)i, &ph);
		if (ph.p_type == PT_NOTE)
			*note = ph;
		if (ph.p_type == PT_LOAD && ph.p_offset < *first_load)
			*first_load = ph.p_offset;
		if (ph.p_type == PT_LOAD && ph.p_vaddr <= addr && addr < ph.p_vaddr + ph.p_memsz)
			*load = ph;
	}
	elf_end(elf);
	close(fd);
}

static void check_damaged(const char *core, const char *dir, const struct live *l)
{
	char path[PATH_MAX];
	size_t len;
	char *data = slurp(core, &len);
	GElf_Ehdr eh;
	GElf_Phdr note = { 0 }, heap_seg = { 0 }, mmap_seg = { 0 };
	uint64_t first_load = UINT64_MAX;

	expect_error("/nonexistent/core", "a missing file", "cannot open");
	pathf(path, sizeof(path), "%s/empty", dir);
	write_file(path, "", 0);
	expect_error(path, "an empty file", "is empty");
	pathf(path, sizeof(path), "%s/text", dir);
	write_file(path, "not a core\n", 11);
	expect_error(path, "a text file", "not an ELF file");
	expect_error("/bin/true", "an executable", "not a core dump");

	/* another architecture: the same core claiming to be AArch64 */
	pathf(path, sizeof(path), "%s/aarch64.core", dir);
	data[18] = (char)EM_AARCH64;
	data[19] = (char)(EM_AARCH64 >> 8);
	write_file(path, data, len);
	data[18] = (char)EM_X86_64;
	data[19] = (char)(EM_X86_64 >> 8);
	expect_error(path, "an AArch64 core", "x86-64 cores only");

	core_phdrs(core, l->heap, &eh, &note, &first_load, &heap_seg);
	core_phdrs(core, l->mmap, &eh, &note, &first_load, &mmap_seg);
	if (heap_seg.p_filesz == 0 || first_load > note.p_offset)
		bail("gcore's core is laid out unexpectedly (heap not dumped, or notes first)");

	pathf(path, sizeof(path), "%s/cut-header.core", dir);
	write_file(path, data, 40);
	expect_error(path, "a core cut inside its ELF header", "not an ELF file");
	pathf(path, sizeof(path), "%s/cut-phdrs.core", dir);
	write_file(path, data, eh.e_phoff + eh.e_phentsize + 20);
	expect_error(path, "a core cut inside its program headers", "program header");

	pathf(path, sizeof(path), "%s/cut-notes.core", dir);
	write_file(path, data, note.p_offset + note.p_filesz / 2);
	expect_error(path, "a core cut in its notes", "notes are cut off");

	/* cut to half: whatever half holds, no crash and no other error kind */
	{
		struct hs_target *t = NULL;
		struct hs_error err = { 0 };
		size_t ngaps = 0;
		int rc;
		pathf(path, sizeof(path), "%s/half.core", dir);
		write_file(path, data, len / 2);
		rc = hs_core_open(path, NULL, NULL, NULL, &t, &err);
		if (rc == 0)
			hs_core_gaps(t, &ngaps);
		check((rc == 0 && ngaps > 0) || (rc == -1 && err.kind == HS_ERR_TARGET),
		      "a core cut to half its size: %s", rc == 0 ? "opens with gaps" : err.msg);
		hs_target_close(t);
	}

	/* cut 8 bytes into the heap block, laid out as a kernel core is (notes first), so the
	   file really ends inside the heap's segment */
	{
		uint64_t cut = heap_seg.p_offset + (l->heap - heap_seg.p_vaddr) + 8;
		uint64_t shift = (note.p_filesz + 7) & ~7ULL;
		char *cut_core = calloc(1, cut + shift);
		Elf64_Ehdr *ceh = (Elf64_Ehdr *)cut_core;
		struct hs_target *t = NULL;
		struct hs_error err = { 0 };
		size_t ngaps = 0;
		const struct hs_core_gap *gaps;
		int gap_found = 0;
		char buf[64];

		memcpy(cut_core, data, first_load);
		memcpy(cut_core + first_load, data + note.p_offset, note.p_filesz);
		memcpy(cut_core + first_load + shift, data + first_load, cut - first_load);
		for (size_t i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr *ph = (Elf64_Phdr *)(cut_core + eh.e_phoff + i * eh.e_phentsize);
			if (ph->p_type == PT_LOAD)
				ph->p_offset += shift;
			else if (ph->p_type == PT_NOTE)
				ph->p_offset = first_load;
		}
		ceh->e_shoff = 0; /* gdb's section headers were at the end */
		ceh->e_shnum = 0;
		ceh->e_shstrndx = 0;
		pathf(path, sizeof(path), "%s/cut-heap.core", dir);
		write_file(path, cut_core, cut + shift);
		free(cut_core);
		if (check(hs_core_open(path, NULL, NULL, NULL, &t, &err) == 0,
			  "a core cut inside the heap, notes intact, opens: %s", err.msg)) {
			check(t->ops->read(t, l->heap, buf, sizeof(CORE_TARGET_HEAP_BYTES)) == 8 &&
			      memcmp(buf, CORE_TARGET_HEAP_BYTES, 8) == 0,
			      "a read across the cut returns the 8 bytes before it");
			gaps = hs_core_gaps(t, &ngaps);
			for (size_t i = 0; i < ngaps; i++)
				gap_found |= gaps[i].start == l->heap + 8 &&
					     strstr(gaps[i].reason, "truncated") != NULL;
			check(gap_found, "a gap from the cut says the core is truncated");
			check(mmap_seg.p_offset >= cut && t->ops->read(t, l->mmap, buf, 8) == -1,
			      "a segment past the cut is not read");
			hs_target_close(t);
		}
	}
	free(data);
}

int main(void)
{
	char self[PATH_MAX], target[PATH_MAX], dir[] = "/tmp/hs-core-test.XXXXXX";
	char copy[PATH_MAX], saved[PATH_MAX], dbg[PATH_MAX], debugfile[PATH_MAX], sysroot[PATH_MAX];
	char prefix[PATH_MAX], core[PATH_MAX], log[PATH_MAX], pidstr[16], cmd[PATH_MAX * 4];
	char *target_argv[] = { "core-target", "alpha", "beta gamma", "", "delta", NULL };
	char *build_id;
	struct live *l = calloc(1, sizeof(*l));
	struct hs_target *t = NULL;
	struct hs_error err = { 0 };
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		bail("cannot read /proc/self/exe");
	self[n] = '\0';
	pathf(target, sizeof(target), "%.*s/core-target", (int)(strrchr(self, '/') - self), self);
	if (mkdtemp(dir) == NULL)
		bail("mkdtemp: %s", strerror(errno));
	pathf(log, sizeof(log), "%s/log", dir);
	elf_version(EV_CURRENT);

	/* A copy of the target with its DWARF split off into a build-id tree. */
	build_id = build_id_hex(target);
	if (build_id == NULL)
		bail("%s has no build-id: link with --build-id (gcc's default on Debian)", target);
	pathf(copy, sizeof(copy), "%s/bin/core-target", dir);
	pathf(saved, sizeof(saved), "%s/saved-core-target", dir);
	pathf(dbg, sizeof(dbg), "%s/debug", dir);
	pathf(debugfile, sizeof(debugfile), "%s/.build-id/%.2s/%s.debug", dbg, build_id, build_id + 2);
	pathf(sysroot, sizeof(sysroot), "%s/sysroot", dir);
	pathf(cmd, sizeof(cmd), "mkdir -p %s/bin %s/.build-id/%.2s %s%s/bin", dir, dbg, build_id,
		 sysroot, dir);
	if (system(cmd) != 0)
		bail("cannot create %s", dir);
	{
		char *keep[] = { "objcopy", "--only-keep-debug", target, debugfile, NULL };
		char *strip[] = { "objcopy", "--strip-debug", target, copy, NULL };
		run(keep, log, "objcopy comes with binutils (apt-get install binutils)");
		run(strip, log, "objcopy comes with binutils (apt-get install binutils)");
	}
	copy_file(copy, saved);

	start_target(copy, target_argv, l);
	read_live_process(l);
	pathf(prefix, sizeof(prefix), "%s/core", dir);
	pathf(pidstr, sizeof(pidstr), "%d", (int)l->pid);
	{
		char *gcore[] = { "gcore", "-o", prefix, pidstr, NULL };
		run(gcore, log, "gcore comes with gdb (apt-get install gdb)");
	}
	kill(l->pid, SIGKILL);
	waitpid(l->pid, NULL, 0);
	pathf(core, sizeof(core), "%s.%d", prefix, (int)l->pid);

	if (!check(hs_core_open(core, NULL, NULL, NULL, &t, &err) == 0, "gcore's core opens: %s",
		   err.msg))
		bail("cannot go on without the core");
	check_maps(t, l);
	check_threads(t, l);
	check_memory(t, l);
	check_libc_banner(t, l);
	check_symbols(t, l);
	check_process(t, l, target_argv);
	check_no_gaps_in_writable(t);
	t->ops->release(t);
	t->ops->release(t);
	check(read_is(t, l->heap, CORE_TARGET_HEAP_BYTES), "release is a no-op: reads still work");
	hs_target_close(t);

	check_debug_dir(core, l, dbg);
	/* Replace the executable by another ELF file; keep a good copy in the sysroot. */
	pathf(cmd, sizeof(cmd), "%s%s", sysroot, copy);
	copy_file(saved, cmd);
	copy_file("/bin/true", copy);
	check_replaced_exe(core, l, saved, sysroot, build_id);
	check_damaged(core, dir, l);

	pathf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (tests_failed == 0 && system(cmd) != 0)
		diag("cannot remove %s", dir);
	if (tests_failed != 0)
		diag("files kept in %s", dir);
	free(build_id);
	free(l);
	printf("1..%d\n", tests_run);
	return tests_failed != 0;
}
