/* The classifier's front (see classify.h): set-up of the address ranges, then per block the
   families in order, cheapest first. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "attach/attach.h"
#include "classify/classify_private.h"
#include "common/xalloc.h"
#include "snapshot/snapshot.h"

/* Classifiers of one snapshot may work on several threads (one per walker): they share the
   snapshot's type table and the target's libdwfl handle, which this lock guards. Both are
   used only on first sight of a name or an address. */
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

void hs_classify_lock(void)
{
	pthread_mutex_lock(&shared_lock);
}

void hs_classify_unlock(void)
{
	pthread_mutex_unlock(&shared_lock);
}

type_ref hs_intern_type(struct hs_classifier *c, const char *name, const char *kind)
{
	uint32_t index;

	hs_classify_lock();
	index = hs_snapshot_type(c->snap, name, kind);
	hs_classify_unlock();
	return index + 1;
}

type_ref hs_fixed_type(struct hs_classifier *c, type_ref *slot, const char *name, const char *kind)
{
	if (*slot == 0)
		*slot = hs_intern_type(c, name, kind);
	return *slot;
}

/* Anonymous writable memory holds the heap, thread arenas' heaps and allocators' own pools
   (CPython's obmalloc arenas): pointers into it are data pointers. Stacks and the kernel's
   pages are not where heap data points. */
static bool is_anonymous_data(const struct hs_mapping *m)
{
	if (!(m->perms & HS_MAP_W))
		return false;
	return m->path == NULL || strcmp(m->path, "[heap]") == 0 || strncmp(m->path, "[anon:", 6) == 0;
}

/* Where a pointer may point: the modules and the anonymous writable mappings (which hold
   every heap, the main one, thread arenas' and mmapped chunks). */
static void build_pointees(struct hs_classifier *c)
{
	for (size_t i = 0; i < c->modules.n; i++)
		hs_range_set_add(&c->pointees, c->modules.r[i][0], c->modules.r[i][1]);
	for (size_t i = 0; i < c->anon_data.n; i++)
		hs_range_set_add(&c->pointees, c->anon_data.r[i][0], c->anon_data.r[i][1]);
	hs_range_set_finish(&c->pointees);
}

struct hs_classifier *hs_classifier_new(struct hs_target *t, struct hs_snapshot *snap)
{
	struct hs_classifier *c = hs_xcalloc(1, sizeof(*c));

	c->t = t;
	c->snap = snap;
	for (size_t i = 0; i < t->nmaps; i++) {
		const struct hs_mapping *m = &t->maps[i];
		if (m->path != NULL && m->path[0] == '/')
			hs_range_set_add(&c->modules, m->start, m->end);
		else if (is_anonymous_data(m))
			hs_range_set_add(&c->anon_data, m->start, m->end);
	}
	hs_range_set_finish(&c->modules);
	hs_range_set_finish(&c->anon_data);
	build_pointees(c);
	hs_classify_lock();
	hs_stdio_init(c);
	hs_python_init(c);
	hs_classify_unlock();
	return c;
}

enum hs_shape hs_classify_shape(struct hs_classifier *c, uint64_t usable, const uint8_t *bytes,
				size_t avail)
{
	if (bytes == NULL)
		avail = 0;
	return hs_shape_of_bytes(c, usable, bytes, avail < usable ? avail : (size_t)usable);
}

size_t hs_classify_head_bytes(const uint8_t *bytes, size_t avail)
{
	size_t need = avail >= 8 && hs_stdio_file_flags(load_u64(bytes)) ? FILE_HEAD_BYTES : OBJECT_HEAD_BYTES;

	return need < avail ? need : avail;
}

uint32_t hs_classify_named(struct hs_classifier *c, uint64_t addr, uint64_t usable,
			   const uint8_t *bytes, size_t avail, enum hs_shape shape)
{
	type_ref type;

	if (avail > usable)
		avail = usable;
	if (bytes == NULL)
		avail = 0;
	/* Text and zeros are claimed by no other rule: a FILE's word 0 holds 0xFB, not text; a
	   vptr, an ob_type and the words before it (a small refcount, pointers or NULL) each put
	   a NUL into the first 8 bytes or before the length a string needs (byte_shape.c), and
	   none of them is 0 throughout. Only the buffer check, by address, is left to run. */
	if (shape == HS_SHAPE_STRING || shape == HS_SHAPE_ZERO) {
		type = hs_classify_stdio_buffer(c, addr);
		return (type != 0 ? type : hs_shape_type(c, shape)) - 1;
	}
	if ((type = hs_classify_stdio(c, addr, usable, bytes, avail)) != 0 ||
	    (type = hs_classify_cxx_object(c, bytes, avail)) != 0 ||
	    (type = hs_classify_python_object(c, usable, bytes, avail)) != 0 ||
	    (type = hs_shape_type(c, shape)) != 0)
		return type - 1;
	return hs_fixed_type(c, &c->unknown, "unknown", "unknown") - 1;
}

uint32_t hs_classify_libc(struct hs_classifier *c, const char *what)
{
	return hs_intern_type(c, what, "libc") - 1;
}

void hs_classifier_free(struct hs_classifier *c)
{
	if (c == NULL)
		return;
	hs_range_set_free(&c->modules);
	hs_range_set_free(&c->anon_data);
	hs_range_set_free(&c->pointees);
	hs_u64map_free(&c->vtables);
	hs_u64map_free(&c->typeinfo_kinds);
	hs_u64map_free(&c->py_types);
	hs_u64map_free(&c->py_metatypes);
	hs_u64map_free(&c->stdio_buffers);
	free(c);
}
