/* The core's notes: threads (NT_PRSTATUS), the process (NT_PRPSINFO), the auxiliary
   vector (NT_AUXV) and the file-backed mappings (NT_FILE). Layouts are those of an
   x86-64 Linux core, written out as offsets so that any host can read such a core. */
#include <elf.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <sys/procfs.h>
#include <sys/user.h>
#endif

#include "attach/attach_private.h"
#include "common/xalloc.h"

/* struct elf_prstatus: pr_pid at 32, pr_reg (a user_regs_struct) at 112; 336 bytes.
   In user_regs_struct: rip at 128, rsp at 152, fs_base at 168. */
enum { PRSTATUS_PID = 32, PRSTATUS_REGS = 112, PRSTATUS_SIZE = 336,
       REGS_RIP = 128, REGS_RSP = 152, REGS_FS_BASE = 168 };
/* struct elf_prpsinfo: pr_pid at 24, pr_fname[16] at 40, pr_psargs[80] at 56; 136 bytes. */
enum { PRPSINFO_PID = 24, PRPSINFO_FNAME = 40, PRPSINFO_PSARGS = 56, PRPSINFO_SIZE = 136,
       FNAME_LEN = 16, PSARGS_LEN = 80 };

/* On an x86-64 host the offsets above are checked against the C library's own structs. */
#if defined(__x86_64__)
_Static_assert(offsetof(struct elf_prstatus, pr_pid) == PRSTATUS_PID, "pr_pid");
_Static_assert(offsetof(struct elf_prstatus, pr_reg) == PRSTATUS_REGS, "pr_reg");
_Static_assert(sizeof(struct elf_prstatus) == PRSTATUS_SIZE, "elf_prstatus");
_Static_assert(offsetof(struct user_regs_struct, rip) == REGS_RIP, "rip");
_Static_assert(offsetof(struct user_regs_struct, rsp) == REGS_RSP, "rsp");
_Static_assert(offsetof(struct user_regs_struct, fs_base) == REGS_FS_BASE, "fs_base");
_Static_assert(offsetof(struct elf_prpsinfo, pr_pid) == PRPSINFO_PID, "prpsinfo pr_pid");
_Static_assert(offsetof(struct elf_prpsinfo, pr_fname) == PRPSINFO_FNAME, "pr_fname");
_Static_assert(offsetof(struct elf_prpsinfo, pr_psargs) == PRPSINFO_PSARGS, "pr_psargs");
_Static_assert(sizeof(struct elf_prpsinfo) == PRPSINFO_SIZE, "elf_prpsinfo");
_Static_assert(sizeof(((struct elf_prpsinfo *)0)->pr_psargs) == PSARGS_LEN, "psargs size");
#endif

struct notes_state {
	struct core_backend *b;
	struct hs_target *t;
	size_t threads_cap;
	const char *core_path;
	struct hs_error *err;
};

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v)); /* the core is little-endian, as is every host we build for */
	return v;
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static int malformed(struct notes_state *s, const char *what)
{
	return hs_fail(s->err, HS_ERR_TARGET,
		       "%s: malformed %s note: the core is damaged, take it again", s->core_path, what);
}

static int read_prstatus(struct notes_state *s, const unsigned char *d, size_t size)
{
	struct hs_target *t = s->t;
	struct hs_thread *th;

	if (size < PRSTATUS_SIZE)
		return malformed(s, "NT_PRSTATUS");
	hs_xgrow((void **)&t->threads, &s->threads_cap, t->nthreads + 1, sizeof(*t->threads));
	th = &t->threads[t->nthreads++];
	*th = (struct hs_thread){ 0 };
	th->tid = (pid_t)get_u32(d + PRSTATUS_PID);
	th->pc = get_u64(d + PRSTATUS_REGS + REGS_RIP);
	th->sp = get_u64(d + PRSTATUS_REGS + REGS_RSP);
	th->fs_base = get_u64(d + PRSTATUS_REGS + REGS_FS_BASE);
	for (size_t i = 0; i < HS_THREAD_NREGS; i++)
		th->regs[i] = get_u64(d + PRSTATUS_REGS + 8 * i);
	return 0;
}

static int read_prpsinfo(struct notes_state *s, const unsigned char *d, size_t size)
{
	struct core_backend *b = s->b;

	if (size < PRPSINFO_SIZE)
		return malformed(s, "NT_PRPSINFO");
	b->have_psinfo = true;
	b->psinfo_pid = (pid_t)get_u32(d + PRPSINFO_PID);
	memcpy(b->fname, d + PRPSINFO_FNAME, FNAME_LEN);
	b->fname[FNAME_LEN] = '\0';
	memcpy(b->psargs, d + PRPSINFO_PSARGS, PSARGS_LEN);
	b->psargs[PSARGS_LEN] = '\0';
	return 0;
}

static void read_auxv(struct notes_state *s, const unsigned char *d, size_t size)
{
	struct core_auxv *a = &s->b->auxv;

	/* raw ends with the AT_NULL entry: the copy on the initial stack ends there too. */
	a->raw = d;
	for (size_t i = 0; i + 16 <= size; i += 16) {
		uint64_t type = get_u64(d + i), val = get_u64(d + i + 8);
		a->rawsize = i + 16;
		if (type == AT_NULL)
			break;
		if (type == AT_ENTRY)
			a->entry = val;
		else if (type == AT_PHDR)
			a->phdr = val;
		else if (type == AT_SYSINFO_EHDR)
			a->sysinfo_ehdr = val;
		else if (type == AT_EXECFN)
			a->execfn = val;
	}
}

static int by_start(const void *x, const void *y)
{
	const struct core_file_note *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

/* NT_FILE: count, page size, count x {start, end, offset in pages}, then count paths. */
static int read_nt_file(struct notes_state *s, const unsigned char *d, size_t size)
{
	struct core_backend *b = s->b;
	uint64_t count, page_size;
	const char *name, *end = (const char *)d + size;

	if (b->notes_file != NULL || size < 16)
		return malformed(s, "NT_FILE");
	count = get_u64(d);
	page_size = get_u64(d + 8);
	if (count > (size - 16) / 24 || page_size == 0 || (page_size & (page_size - 1)) != 0)
		return malformed(s, "NT_FILE");
	b->page_size = page_size;
	b->notes_file = hs_xcalloc(count, sizeof(*b->notes_file));
	name = (const char *)d + 16 + count * 24;
	for (uint64_t i = 0; i < count; i++) {
		const unsigned char *e = d + 16 + i * 24;
		struct core_file_note *f = &b->notes_file[i];
		const char *nul = memchr(name, '\0', (size_t)(end - name));

		if (nul == NULL)
			return malformed(s, "NT_FILE");
		f->start = get_u64(e);
		f->end = get_u64(e + 8);
		f->offset = get_u64(e + 16) * page_size;
		f->path = hs_xstrdup(name);
		b->nnotes_file++;
		if (f->end < f->start)
			return malformed(s, "NT_FILE");
		name = nul + 1;
	}
	qsort(b->notes_file, b->nnotes_file, sizeof(*b->notes_file), by_start);
	return 0;
}

static int read_note(struct notes_state *s, const GElf_Nhdr *nh, const char *name,
		     const unsigned char *desc)
{
	/* Linux writes these as owner "CORE"; its other notes ("LINUX": xstate...) are unused. */
	if (nh->n_namesz != sizeof("CORE") || memcmp(name, "CORE", sizeof("CORE")) != 0)
		return 0;
	switch (nh->n_type) {
	case NT_PRSTATUS:
		return read_prstatus(s, desc, nh->n_descsz);
	case NT_PRPSINFO:
		return read_prpsinfo(s, desc, nh->n_descsz);
	case NT_AUXV:
		read_auxv(s, desc, nh->n_descsz);
		return 0;
	case NT_FILE:
		return read_nt_file(s, desc, nh->n_descsz);
	default:
		return 0;
	}
}

static int read_note_segment(struct notes_state *s, const GElf_Phdr *ph)
{
	struct core_backend *b = s->b;
	Elf_Data *data;
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;

	if (ph->p_offset > b->core_size || ph->p_filesz > b->core_size - ph->p_offset)
		return hs_fail(s->err, HS_ERR_TARGET,
			       "%s: the core's notes are cut off (it is truncated at %" PRIu64
			       " bytes): copy or take the core again", s->core_path, b->core_size);
	data = elf_getdata_rawchunk(b->elf, (int64_t)ph->p_offset, ph->p_filesz, ELF_T_NHDR);
	if (data == NULL)
		return hs_fail(s->err, HS_ERR_TARGET, "%s: cannot read the core's notes (%s): "
			       "the core is damaged, take it again", s->core_path, elf_errmsg(-1));
	while (off < data->d_size) {
		size_t next = gelf_getnote(data, off, &nh, &name_off, &desc_off);
		if (next == 0)
			return malformed(s, "ELF");
		if (read_note(s, &nh, (const char *)data->d_buf + name_off,
			      (const unsigned char *)data->d_buf + desc_off) < 0)
			return -1;
		off = next;
	}
	return 0;
}

int hs_core_read_notes(struct core_backend *b, struct hs_target *t, const char *core_path,
		    struct hs_error *err)
{
	struct notes_state s = { .b = b, .t = t, .core_path = core_path, .err = err };
	size_t phnum;

	if (elf_getphdrnum(b->elf, &phnum) != 0)
		return hs_fail(err, HS_ERR_TARGET, "%s: cannot read the core's program headers "
			       "(%s): the core is damaged, take it again", core_path, elf_errmsg(-1));
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(b->elf, (int)i, &ph) == NULL)
			return hs_fail(err, HS_ERR_TARGET, "%s: cannot read program header %zu (%s): "
				       "the core is damaged, take it again", core_path, i,
				       elf_errmsg(-1));
		if (ph.p_type == PT_NOTE && read_note_segment(&s, &ph) < 0)
			return -1;
	}
	if (t->nthreads == 0)
		return hs_fail(err, HS_ERR_TARGET, "%s: the core has no thread (no NT_PRSTATUS "
			       "note): it is damaged or not a process core, take it again", core_path);
	return 0;
}

void hs_core_free_notes(struct core_backend *b)
{
	for (size_t i = 0; i < b->nnotes_file; i++)
		free(b->notes_file[i].path);
	free(b->notes_file);
	b->notes_file = NULL;
	b->nnotes_file = 0;
}
