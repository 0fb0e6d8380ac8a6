/* The target's mapping list from a core: every NT_FILE entry (file-backed), then the parts
   of PT_LOAD segments no NT_FILE entry covers (anonymous), sorted by start. A core records
   neither inodes nor shared mappings: inode is 1 for file-backed, 0 for anonymous memory,
   and every mapping is marked private. */
#include <stdlib.h>

#include "attach/attach_private.h"
#include "common/xalloc.h"

static unsigned perms_of_flags(GElf_Word flags)
{
	return ((flags & PF_R) ? HS_MAP_R : 0) | ((flags & PF_W) ? HS_MAP_W : 0) |
	       ((flags & PF_X) ? HS_MAP_X : 0);
}

/* A file mapping's perms: the core's segment for it, else (left out of the core) the
   file's own loadable segment at that offset, else 0 (unknown). */
static unsigned file_mapping_perms(const struct core_backend *b, const struct core_file_note *f)
{
	const struct core_segment *s = hs_core_find_segment(b, f->start);
	size_t phnum;

	if (s != NULL && f->end - s->vaddr <= s->memsz)
		return s->perms;
	if (f->file->elf == NULL || elf_getphdrnum(f->file->elf, &phnum) != 0)
		return 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		uint64_t first_page;

		if (gelf_getphdr(f->file->elf, (int)i, &ph) == NULL || ph.p_type != PT_LOAD)
			continue;
		first_page = ph.p_offset & ~(b->page_size - 1);
		if (first_page <= f->offset && f->offset < ph.p_offset + ph.p_filesz)
			return HS_MAP_PRIVATE | perms_of_flags(ph.p_flags);
	}
	return 0;
}

struct maps_builder {
	struct hs_target *t;
	size_t cap;
};

static void add_map(struct maps_builder *mb, struct hs_mapping m)
{
	struct hs_target *t = mb->t;

	hs_xgrow((void **)&t->maps, &mb->cap, t->nmaps + 1, sizeof(*t->maps));
	t->maps[t->nmaps++] = m;
}

/* Adds the parts of [start, end) that no NT_FILE entry covers (entries sorted by start). */
static void add_anonymous(struct maps_builder *mb, const struct core_backend *b,
			  const struct core_segment *s)
{
	uint64_t start = s->vaddr, end = s->vaddr + s->memsz;

	for (size_t i = 0; i < b->nnotes_file && start < end; i++) {
		const struct core_file_note *f = &b->notes_file[i];
		if (f->end <= start || f->start >= end)
			continue;
		if (f->start > start)
			add_map(mb, (struct hs_mapping){ .start = start, .end = f->start,
							 .perms = s->perms });
		start = f->end;
	}
	if (start < end)
		add_map(mb, (struct hs_mapping){ .start = start, .end = end, .perms = s->perms });
}

static int by_start(const void *x, const void *y)
{
	const struct hs_mapping *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

void hs_core_build_maps(struct core_backend *b, struct hs_target *t)
{
	struct maps_builder mb = { .t = t };

	for (size_t i = 0; i < b->nnotes_file; i++) {
		const struct core_file_note *f = &b->notes_file[i];
		add_map(&mb, (struct hs_mapping){ .start = f->start, .end = f->end,
						  .offset = f->offset,
						  .perms = file_mapping_perms(b, f),
						  .inode = 1, .path = hs_xstrdup(f->path) });
	}
	for (size_t i = 0; i < b->nsegs; i++)
		add_anonymous(&mb, b, &b->segs[i]);
	qsort(t->maps, t->nmaps, sizeof(*t->maps), by_start);
}
