/* The core's memory: a read takes bytes from the core's PT_LOAD segments (in libelf's
   mapping of the core), and where the core left them out (read-only file mappings are not
   dumped by default) from the mapped file on this host. What is in neither is a gap,
   listed once at open. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/attach_private.h"
#include "common/sorted_search.h"
#include "common/xalloc.h"

static int by_vaddr(const void *x, const void *y)
{
	const struct core_segment *a = x, *b = y;
	return a->vaddr < b->vaddr ? -1 : a->vaddr > b->vaddr;
}

void hs_core_load_segments(struct core_backend *b)
{
	size_t phnum = 0, cap = 0;

	elf_getphdrnum(b->elf, &phnum); /* checked by hs_core_read_notes */
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		struct core_segment *s;

		if (gelf_getphdr(b->elf, (int)i, &ph) == NULL || ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		hs_xgrow((void **)&b->segs, &cap, b->nsegs + 1, sizeof(*b->segs));
		s = &b->segs[b->nsegs++];
		s->vaddr = ph.p_vaddr;
		s->memsz = ph.p_memsz;
		/* A segment's file part never exceeds its memory; a larger one is damage. */
		s->filesz = ph.p_filesz < ph.p_memsz ? ph.p_filesz : ph.p_memsz;
		s->offset = ph.p_offset;
		if (s->offset >= b->core_size)
			s->avail = 0;
		else if (s->filesz > b->core_size - s->offset)
			s->avail = b->core_size - s->offset;
		else
			s->avail = s->filesz;
		s->perms = HS_MAP_PRIVATE | ((ph.p_flags & PF_R) ? HS_MAP_R : 0) |
			   ((ph.p_flags & PF_W) ? HS_MAP_W : 0) | ((ph.p_flags & PF_X) ? HS_MAP_X : 0);
	}
	qsort(b->segs, b->nsegs, sizeof(*b->segs), by_vaddr);
}

/* The index of the first segment starting after addr (nsegs when none). */
static size_t segment_after(const struct core_backend *b, uint64_t addr)
{
	return hs_sorted_first_after(b->segs, b->nsegs, sizeof(*b->segs), offsetof(struct core_segment, vaddr), addr);
}

/* The index of the first NT_FILE entry starting after addr (nnotes_file when none). */
static size_t file_note_after(const struct core_backend *b, uint64_t addr)
{
	return hs_sorted_first_after(b->notes_file, b->nnotes_file, sizeof(*b->notes_file),
				     offsetof(struct core_file_note, start), addr);
}

const struct core_segment *hs_core_find_segment(const struct core_backend *b, uint64_t addr)
{
	size_t i = segment_after(b, addr);

	return i > 0 && addr - b->segs[i - 1].vaddr < b->segs[i - 1].memsz ? &b->segs[i - 1] : NULL;
}

const struct core_file_note *hs_core_find_file_note(const struct core_backend *b, uint64_t addr)
{
	size_t i = file_note_after(b, addr);

	return i > 0 && addr < b->notes_file[i - 1].end ? &b->notes_file[i - 1] : NULL;
}

/* The end of the file's bytes in a mapping: the mapping's last page past the end of the
   file reads as zeros in the process, pages beyond it do not exist (SIGBUS). */
static uint64_t file_data_end(const struct core_backend *b, const struct core_file_note *f)
{
	uint64_t size = f->file->size, page_end = (size + b->page_size - 1) / b->page_size * b->page_size;

	if (f->offset >= page_end)
		return f->start;
	return page_end - f->offset >= f->end - f->start ? f->end : f->start + (page_end - f->offset);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Where the bytes at addr are, the same up to `until`: in the core image, in a mapped
   file, or missing (and why). */
struct source {
	const unsigned char *core;         /* the bytes in the core, or NULL */
	const struct core_file_note *file; /* else the mapping whose file holds them */
	const char *missing;               /* else why they are missing */
	uint64_t until;
};

static struct source locate(const struct core_backend *b, uint64_t addr)
{
	const struct core_segment *s = hs_core_find_segment(b, addr);
	const struct core_file_note *f = hs_core_find_file_note(b, addr);
	size_t next_seg = segment_after(b, addr), next_note = file_note_after(b, addr);
	struct source src = { .until = UINT64_MAX };

	if (s != NULL) {
		uint64_t off = addr - s->vaddr;
		if (off < s->avail) {
			src.core = b->image + s->offset + off;
			src.until = s->vaddr + s->avail;
			return src;
		}
		if (off < s->filesz) {
			src.missing = "cut off: the core is truncated";
			src.until = s->vaddr + s->filesz;
			return src;
		}
		src.until = s->vaddr + s->memsz;
	} else if (next_seg < b->nsegs) {
		src.until = b->segs[next_seg].vaddr;
	}
	if (f == NULL) {
		src.missing = "not in the core";
		if (next_note < b->nnotes_file)
			src.until = min_u64(src.until, b->notes_file[next_note].start);
		return src;
	}
	src.until = min_u64(src.until, f->end);
	if (f->file->state == CORE_FILE_MISSING)
		src.missing = "not in the core, and the mapped file was not found";
	else if (f->file->state == CORE_FILE_WRONG_ID)
		src.missing = "not in the core, and the mapped file's build-id differs";
	else if (addr >= file_data_end(b, f))
		src.missing = "not in the core, and past the end of the mapped file";
	else
		src.file = f;
	if (src.file != NULL)
		src.until = min_u64(src.until, file_data_end(b, f));
	return src;
}

static size_t pread_full(int fd, unsigned char *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done;
}

/* Reads from the one source holding addr, up to its end; 0 when none holds it. */
static size_t read_piece(const struct core_backend *b, uint64_t addr, unsigned char *buf, size_t len)
{
	struct source src = locate(b, addr);
	size_t n = src.until - addr < len ? (size_t)(src.until - addr) : len;
	uint64_t foff, in_file;
	size_t got;

	if (src.core != NULL) {
		memcpy(buf, src.core, n);
		return n;
	}
	if (src.file == NULL)
		return 0;
	foff = src.file->offset + (addr - src.file->start);
	in_file = foff < src.file->file->size ? src.file->file->size - foff : 0;
	got = pread_full(src.file->file->fd, buf, in_file < n ? (size_t)in_file : n, foff);
	if (got < n && got < in_file)
		return got; /* a read error before the end of the file */
	memset(buf + got, 0, n - got);
	return n;
}

ssize_t hs_core_read_memory(const struct core_backend *b, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = read_piece(b, addr + done, (unsigned char *)buf + done, len - done);
		if (n == 0)
			break;
		done += n;
	}
	return done == 0 && len > 0 ? -1 : (ssize_t)done;
}

const struct core_file *hs_core_file_for(const struct core_backend *b, uint64_t addr)
{
	struct source src = locate(b, addr);

	return src.file != NULL ? src.file->file : NULL;
}

void hs_core_compute_gaps(struct core_backend *b, const struct hs_target *t)
{
	size_t cap = 0;

	for (size_t i = 0; i < t->nmaps; i++) {
		const struct hs_mapping *m = &t->maps[i];
		/* Memory the process itself could not read is no loss. */
		if (m->perms != 0 && !(m->perms & HS_MAP_R))
			continue;
		for (uint64_t addr = m->start; addr < m->end;) {
			struct source src = locate(b, addr);
			uint64_t until = min_u64(src.until, m->end);
			struct hs_core_gap *last = b->ngaps ? &b->gaps[b->ngaps - 1] : NULL;

			if (src.missing != NULL && last != NULL && last->end == addr &&
			    last->reason == src.missing && last->path == m->path) {
				last->end = until;
			} else if (src.missing != NULL) {
				hs_xgrow((void **)&b->gaps, &cap, b->ngaps + 1, sizeof(*b->gaps));
				b->gaps[b->ngaps++] = (struct hs_core_gap){ addr, until, m->path, src.missing };
			}
			addr = until;
		}
	}
}
