/* CPython 3 objects, found without Python's debug symbols: an object's ob_type points to a
   type object whose own ob_type is `type` (PyType_Type: the type that is its own type, named
   "type") or a subclass of it. Where ob_type sits in the malloc block depends on the type's
   flags: GC objects have the 16-byte PyGC_Head before them, and from 3.11 types with a
   managed dict (3.12: or managed weakrefs) two more words before that. Type objects are
   checked once and cached by address. Free-threaded builds (3.13t) use another header and
   are not recognised. */
#include <elfutils/libdwfl.h>

#include "attach/attach.h"
#include "classify/classify_private.h"

/* PyTypeObject, 64-bit, stable since 3.0: offsets in bytes. */
enum {
	OB_TYPE = 8,
	TP_NAME = 24,
	TP_FLAGS = 168,
	TYPE_HEADER = TP_FLAGS + 8, /* what is read of a type object */
};

/* tp_flags bits. */
#define PY_MANAGED_WEAKREF (1UL << 3) /* 3.12+: pre-header; unused before */
#define PY_MANAGED_DICT (1UL << 4)    /* 3.11+: pre-header; unused before */
#define PY_READY (1UL << 12)
#define PY_HAVE_GC (1UL << 14)
#define PY_TYPE_SUBCLASS (1UL << 31)

#define TP_NAME_MAX 256

/* Where ob_type can be in a block: no header, PyGC_Head, PyGC_Head and the pre-header. */
static const unsigned ob_type_offsets[] = { 8, 24, 40 };
_Static_assert(40 + 8 <= OBJECT_HEAD_BYTES, "OBJECT_HEAD_BYTES covers the last ob_type");

static uint64_t word_at(const uint64_t *header, unsigned offset)
{
	return header[offset / 8];
}

static bool read_type_header(struct hs_classifier *c, uint64_t addr, uint64_t header[TYPE_HEADER / 8])
{
	return addr % 8 == 0 && hs_range_set_has(&c->pointees, addr) &&
	       hs_peek(c, addr, header, TYPE_HEADER);
}

static bool is_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* Is addr `type` itself, or a subclass of it (a metaclass)? depth bounds metaclasses of
   metaclasses, which real programs do not nest deeply. */
static bool is_metatype(struct hs_classifier *c, uint64_t addr, int depth)
{
	uint64_t header[TYPE_HEADER / 8], known;
	bool yes = false;

	if (hs_u64map_get(&c->py_metatypes, addr, &known))
		return known != 0;
	if (read_type_header(c, addr, header) &&
	    (word_at(header, TP_FLAGS) & (PY_TYPE_SUBCLASS | PY_READY)) == (PY_TYPE_SUBCLASS | PY_READY)) {
		uint64_t meta = word_at(header, OB_TYPE);
		char name[8];
		if (meta == addr)
			yes = hs_peek_string(c, word_at(header, TP_NAME), name, sizeof(name)) >= 0 &&
			      strcmp(name, "type") == 0;
		else if (depth < 4)
			yes = is_metatype(c, meta, depth + 1);
	}
	if (yes && word_at(header, OB_TYPE) == addr)
		c->python_seen = true;
	hs_u64map_put(&c->py_metatypes, addr, yes);
	return yes;
}

/* Cached type information: type_ref in the low half, the offset of ob_type in a block of
   this type above it; 0 for "not a type object". */
static uint64_t check_type(struct hs_classifier *c, uint64_t addr)
{
	uint64_t header[TYPE_HEADER / 8], flags, known;
	unsigned offset = 8;
	char name[3 + TP_NAME_MAX] = "py:";
	type_ref t;

	if (hs_u64map_get(&c->py_types, addr, &known))
		return known;
	/* Static types live in a module; heap types (classes defined in Python) in the heap,
	   worth reading only in a process where Python was seen. Neither: nothing to cache. */
	if (addr % 8 != 0 || !hs_range_set_has(&c->pointees, addr) ||
	    (!c->python_seen && !hs_range_set_has(&c->modules, addr)))
		return 0;
	known = 0;
	if (read_type_header(c, addr, header) && (word_at(header, TP_FLAGS) & PY_READY) &&
	    is_metatype(c, word_at(header, OB_TYPE), 0) &&
	    hs_peek_string(c, word_at(header, TP_NAME), name + 3, TP_NAME_MAX) > 0 && is_printable(name)) {
		flags = word_at(header, TP_FLAGS);
		if (flags & PY_HAVE_GC)
			offset += 16;
		if (flags & (PY_MANAGED_DICT | PY_MANAGED_WEAKREF))
			offset += 16;
		t = hs_intern_type(c, name, "python");
		known = (uint64_t)t | (uint64_t)offset << 32;
		c->py_types_named++;
	}
	hs_u64map_put(&c->py_types, addr, known);
	return known;
}

/* Could the words before ob_type at `offset` be an object's head: a reference count, and
   before it GC links or pre-header pointers (NULL or pointers, low tag bits aside)? */
static bool plausible_head(struct hs_classifier *c, uint64_t usable, const uint8_t *bytes,
			   size_t avail, unsigned offset)
{
	uint64_t refcnt;

	if (offset + 8 > avail || usable < offset + 8)
		return false;
	refcnt = load_u64(bytes + offset - 8);
	/* The count is in the low 32 bits (3.12+ keep flags in the top 16 bits); never an
	   address: that is what rules out arrays of pointers on non-PIE interpreters. */
	if ((uint32_t)refcnt == 0 || (refcnt >> 32 & 0xffff) != 0 ||
	    hs_range_set_has_hinted(&c->pointees, refcnt, &c->pointee_hint))
		return false;
	for (unsigned i = 0; i + 8 < offset; i += 8) {
		uint64_t link = load_u64(bytes + i) & ~7ULL;
		if (link != 0 && !hs_range_set_has_hinted(&c->pointees, link, &c->pointee_hint))
			return false;
	}
	return true;
}

static type_ref match(uint64_t info, unsigned offset)
{
	return info != 0 && info >> 32 == offset ? (type_ref)info : 0;
}

type_ref hs_classify_python_object(struct hs_classifier *c, uint64_t usable, const uint8_t *bytes,
				size_t avail)
{
	uint64_t info;
	type_ref t;

	/* Types already known first, once there are any: most objects are of a handful of types,
	   and a GC object's +8 (a GC link) would otherwise cost a read before its +24 is looked
	   at. */
	if (c->py_types_named > 0)
		for (size_t i = 0; i < sizeof(ob_type_offsets) / sizeof(*ob_type_offsets); i++) {
			unsigned off = ob_type_offsets[i];
			if (off + 8 <= avail && hs_u64map_get(&c->py_types, load_u64(bytes + off), &info) &&
			    (t = match(info, off)) != 0 && plausible_head(c, usable, bytes, avail, off))
				return t;
		}
	for (size_t i = 0; i < sizeof(ob_type_offsets) / sizeof(*ob_type_offsets); i++) {
		unsigned off = ob_type_offsets[i];
		if (plausible_head(c, usable, bytes, avail, off) &&
		    (t = match(check_type(c, load_u64(bytes + off)), off)) != 0)
			return t;
	}
	return 0;
}

static int find_type_type(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
			  void *arg)
{
	struct hs_classifier *c = arg;
	const char *base = strrchr(name, '/');
	uint64_t addr;

	(void)userdata;
	(void)start;
	base = base ? base + 1 : name;
	if (strstr(base, "python") != NULL && (addr = hs_module_symbol(mod, "PyType_Type")) != 0)
		is_metatype(c, addr, 0);
	return c->python_seen ? DWARF_CB_ABORT : DWARF_CB_OK;
}

void hs_python_init(struct hs_classifier *c)
{
	/* An interpreter (python3.x or libpython3.x.so) exports PyType_Type: knowing it before
	   the walk lets heap types be recognised from the first block on. Without it Python is
	   still found from its first object of a static type. */
	if (c->t->dwfl != NULL)
		dwfl_getmodules(c->t->dwfl, find_type_type, c, 0);
}
