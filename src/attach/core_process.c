/* The process a core comes from: pid, executable, argv, and the names of the special
   anonymous mappings the auxiliary vector and registers identify. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach/attach_private.h"
#include "common/xalloc.h"

/* x86-64's legacy vsyscall page sits at a fixed address. */
#define VSYSCALL_ADDR 0xffffffffff600000ULL
/* Bounds for reading the initial stack, against damaged cores. */
#define STACK_READ_MAX (64u << 20)
#define ARGC_MAX (1u << 20)

static struct hs_thread *main_thread(struct hs_target *t)
{
	for (size_t i = 0; i < t->nthreads; i++)
		if (t->threads[i].tid == t->pid)
			return &t->threads[i];
	return &t->threads[0];
}

static void name_anonymous(struct hs_target *t, uint64_t addr, const char *name)
{
	struct hs_mapping *m = (struct hs_mapping *)hs_target_find_map(t, addr);

	if (m != NULL && m->path == NULL)
		m->path = hs_xstrdup(name);
}

/* A NUL-terminated string at addr in the core (AT_EXECFN), or NULL. */
static char *read_string(const struct core_backend *b, uint64_t addr)
{
	char buf[4096];
	ssize_t n = hs_core_read_memory(b, addr, buf, sizeof(buf) - 1);

	if (n <= 0 || memchr(buf, '\0', (size_t)n) == NULL)
		return NULL;
	return hs_xstrdup(buf);
}

static char *find_exe(const struct core_backend *b)
{
	const struct core_file_note *f = b->auxv.entry ? hs_core_find_file_note(b, b->auxv.entry) : NULL;
	char *s;

	if (f != NULL)
		return hs_xstrdup(f->path);
	if (b->auxv.execfn != 0 && (s = read_string(b, b->auxv.execfn)) != NULL)
		return s;
	if (b->exe_arg != NULL)
		return hs_xstrdup(b->exe_arg);
	return b->have_psinfo ? hs_xstrdup(b->fname) : NULL;
}

static void add_arg(struct hs_target *t, size_t *cap, const char *s, size_t len)
{
	char *arg = hs_xmalloc(len + 1);

	memcpy(arg, s, len);
	arg[len] = '\0';
	hs_xgrow((void **)&t->cmdline, cap, t->ncmdline + 1, sizeof(*t->cmdline));
	t->cmdline[t->ncmdline++] = arg;
}

/* argv as the kernel laid it out on the initial stack: argc, argv[], NULL, envp[], NULL,
   then the auxiliary vector, whose bytes NT_AUXV gives; found by searching the main
   thread's stack for them and walking back. Returns 0 when found. */
static int argv_from_stack(const struct core_backend *b, struct hs_target *t, uint64_t sp)
{
	const struct core_segment *s = hs_core_find_segment(b, sp);
	const unsigned char *auxv = b->auxv.raw;
	uint64_t *words, base = sp & ~7ULL, size;
	size_t nwords, at = 0, cap = 0, argc;
	int ret = -1;

	if (s == NULL || b->auxv.rawsize == 0 || s->vaddr + s->avail <= base)
		return -1;
	size = s->vaddr + s->avail - base;
	if (size > STACK_READ_MAX)
		size = STACK_READ_MAX;
	nwords = (size_t)size / 8;
	words = hs_xmalloc(nwords * 8 + 1);
	if (hs_core_read_memory(b, base, words, nwords * 8) != (ssize_t)(nwords * 8))
		goto out;
	for (at = 1; at + b->auxv.rawsize / 8 <= nwords; at++)
		if (memcmp(&words[at], auxv, b->auxv.rawsize) == 0 && words[at - 1] == 0)
			break;
	if (at + b->auxv.rawsize / 8 > nwords)
		goto out;
	at--;                                /* envp's NULL */
	while (at > 0 && words[at - 1] != 0) /* envp[] */
		at--;
	if (at == 0)
		goto out;
	at--;                                /* argv's NULL, argc words after argc */
	for (argc = 0; argc < ARGC_MAX && argc < at && words[at - argc - 1] != argc; argc++)
		;
	if (argc >= ARGC_MAX || argc >= at)
		goto out;
	at -= argc + 1;                      /* argc */
	((char *)words)[nwords * 8] = '\0'; /* bounds every string below */
	for (size_t i = 0; i < argc; i++) {
		uint64_t p = words[at + 1 + i];
		const char *str;
		if (p < base || p >= base + nwords * 8)
			goto out;
		str = (const char *)words + (p - base);
		add_arg(t, &cap, str, strlen(str));
	}
	ret = 0;
out:
	if (ret != 0) {
		for (size_t i = 0; i < t->ncmdline; i++)
			free(t->cmdline[i]);
		free(t->cmdline);
		t->cmdline = NULL;
		t->ncmdline = 0;
	}
	free(words);
	return ret;
}

/* pr_psargs: the first 80 bytes of the command line, arguments joined by spaces. */
static void argv_from_psargs(const struct core_backend *b, struct hs_target *t)
{
	size_t cap = 0;
	const char *p = b->psargs;

	while (*p != '\0') {
		size_t len = strcspn(p, " ");
		if (len > 0)
			add_arg(t, &cap, p, len);
		p += len + (p[len] == ' ');
	}
}

void hs_core_describe_process(struct core_backend *b, struct hs_target *t)
{
	struct hs_thread *main;

	t->pid = b->have_psinfo ? b->psinfo_pid : t->threads[0].tid;
	main = main_thread(t);
	/* The core names the process (NT_PRPSINFO's pr_fname), not each of its threads. */
	if (b->have_psinfo && main->tid == t->pid)
		snprintf(main->name, sizeof(main->name), "%.15s", b->fname);
	t->exe = find_exe(b);
	if (argv_from_stack(b, t, main->sp) != 0)
		argv_from_psargs(b, t);
	name_anonymous(t, main->sp, "[stack]");
	if (b->auxv.sysinfo_ehdr != 0)
		name_anonymous(t, b->auxv.sysinfo_ehdr, "[vdso]");
	name_anonymous(t, VSYSCALL_ADDR, "[vsyscall]");
}
