/* The classifier's state and the interface between its per-family files (C++ vtables,
   CPython objects, glibc stdio, byte shapes). Private to src/classify. */
#ifndef HS_CLASSIFY_PRIVATE_H
#define HS_CLASSIFY_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "classify/classify.h"
#include "common/sorted_search.h"
#include "common/u64map.h"

/* Sets of address ranges with a fast membership test: "does this word point into module
   memory / into memory a pointer may target?". Built once per classifier, queried per word. */

struct range_set {
	uint64_t (*r)[2]; /* [start, end), sorted and disjoint after hs_range_set_finish */
	size_t n, cap;
};

void hs_range_set_add(struct range_set *s, uint64_t start, uint64_t end);
/* Sorts and merges overlapping or touching ranges; call before hs_range_set_has. */
void hs_range_set_finish(struct range_set *s);
/* The index of the range holding addr, or s->n when none does. Words outside the set's
   span (text, numbers) are turned away before the search. Inline: the byte-shape rules ask
   for every word of a pointer array. */
static inline size_t range_set_find(const struct range_set *s, uint64_t addr)
{
	size_t i;

	if (s->n == 0 || addr < s->r[0][0] || addr >= s->r[s->n - 1][1])
		return s->n;
	i = hs_sorted_first_after(s->r, s->n, sizeof(*s->r), 0, addr);
	return i > 0 && addr < s->r[i - 1][1] ? i - 1 : s->n;
}

bool hs_range_set_has(const struct range_set *s, uint64_t addr);
/* The same, trying first the range *hint names (the one the last hit found, kept by the
   caller: words looked at one after the other mostly point into the same mapping). */
bool hs_range_set_has_hinted(const struct range_set *s, uint64_t addr, size_t *hint);
void hs_range_set_free(struct range_set *s);

struct hs_target;
struct hs_snapshot;
struct Dwfl_Module;

/* A type index + 1, so that 0 can mean "not interned yet" or "not this family". */
typedef uint32_t type_ref;

/* The ranges of pointees the words of pointer arrays last fell in, the latest first; an
   empty one (lo == hi) holds no word. A program's pointers mostly go to a few mappings (the
   heaps of one arena, which need not be adjacent; a library's data): words that go back and
   forth between them stay on byte_shape.c's fast path. Kept from block to block, so that an
   array's first word seldom needs a search. Two: the best on the benchmark target
   (bench/results.md). Every range in it is one of the pointees'. */
#define HIT_RANGES 2
struct hit_ranges {
	uint64_t lo[HIT_RANGES], hi[HIT_RANGES];
};

struct hs_classifier {
	struct hs_target *t;
	struct hs_snapshot *snap;

	struct range_set modules;   /* file-backed mappings: code, vtables, static type objects */
	struct range_set anon_data; /* anonymous writable mappings: [heap], thread heaps, pools */
	struct range_set pointees;  /* modules and anon_data: where a pointer may point */
	size_t pointee_hint;        /* the naming rules' last hit in pointees (hs_range_set_has_hinted) */
	struct hit_ranges pointer_hits; /* the pointer array rule's */

	/* Names used by many blocks, interned on first use. */
	type_ref string, zero, pointers, unknown, file, stdio_buffer;

	/* C++: vptr -> type_ref (0: not an object's vtable); a typeinfo's own vptr -> what it
	   is (enum typeinfo_kind in cxx_vtable.c). */
	struct u64map vtables, typeinfo_kinds;

	/* CPython: candidate type address -> type_ref | offset of ob_type in a block << 32 (0:
	   not a type); metatypes: address -> 1 for `type` and its subclasses, else 0. */
	struct u64map py_types, py_metatypes;
	size_t py_types_named; /* entries of py_types that are types: none, no lookup is worth it */
	bool python_seen; /* PyType_Type found: heap-allocated types are worth checking */

	/* glibc stdio: [start, end) of libc's vtable section; FILE buffers by address, all of
	   them in [lo, hi] (lo > hi while there are none), so most blocks need no lookup. */
	uint64_t io_vtables_start, io_vtables_end;
	struct u64map stdio_buffers;
	uint64_t stdio_buffers_lo, stdio_buffers_hi;
};

static inline uint64_t load_u64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Held around every use of what classifiers of one snapshot share (classify.c). */
void hs_classify_lock(void);
void hs_classify_unlock(void);
/* Interns (name, kind) in the snapshot. */
type_ref hs_intern_type(struct hs_classifier *c, const char *name, const char *kind);
/* *slot, interning (name, kind) on first use. */
type_ref hs_fixed_type(struct hs_classifier *c, type_ref *slot, const char *name, const char *kind);

/* Target reads: whole or false. */
bool hs_peek(struct hs_classifier *c, uint64_t addr, void *buf, size_t len);
/* Reads the NUL-terminated string at addr into buf (cap bytes with the NUL); its length, or
   -1 when it is unreadable or longer than cap - 1. */
long hs_peek_string(struct hs_classifier *c, uint64_t addr, char *buf, size_t cap);

/* Symbols (libdwfl): the name of the symbol whose extent holds addr, with *offset into it;
   NULL when no sized symbol covers addr (stripped module, or not in a module). */
const char *hs_symbol_covering(struct hs_classifier *c, uint64_t addr, uint64_t *offset);
/* Address of the symbol `name` in mod, 0 when absent. Scans the module's table: for set-up
   only, never per block. */
uint64_t hs_module_symbol(struct Dwfl_Module *mod, const char *name);
/* [start, end) of section `name` in mod's main ELF file, false when it has none. */
bool hs_module_section(struct Dwfl_Module *mod, const char *name, uint64_t *start, uint64_t *end);

/* Per family: each returns the block's type_ref, or 0 when the family does not claim it. */
type_ref hs_classify_cxx_object(struct hs_classifier *c, const uint8_t *bytes, size_t avail);
void hs_python_init(struct hs_classifier *c);
type_ref hs_classify_python_object(struct hs_classifier *c, uint64_t usable, const uint8_t *bytes,
				size_t avail);
void hs_stdio_init(struct hs_classifier *c);
/* The stdio rule's first half: a block that is the buffer of a FILE seen so far. */
type_ref hs_classify_stdio_buffer(struct hs_classifier *c, uint64_t addr);
type_ref hs_classify_stdio(struct hs_classifier *c, uint64_t addr, uint64_t usable, const uint8_t *bytes,
			size_t avail);
/* Byte shapes: the verdict on the first avail (<= usable) bytes, and its type (0 for none). */
enum hs_shape hs_shape_of_bytes(struct hs_classifier *c, uint64_t usable, const uint8_t *bytes,
			     size_t avail);
type_ref hs_shape_type(struct hs_classifier *c, enum hs_shape shape);
/* Whether a block's word 0 is a FILE's _flags (0xFBAD magic). */
bool hs_stdio_file_flags(uint64_t word0);

/* How much of a block's start the rules that learn read: a C++ vptr (word 0), CPython's
   ob_type at +40 at most and the words before it, a FILE's _IO_buf_base and vtable
   (+56, +216). */
#define OBJECT_HEAD_BYTES 48
#define FILE_HEAD_BYTES 224
/* Whether byte_shape.c uses AVX2 where it can: set at start-up from the processor; its
   test clears it to check the SSE2 paths too. */
extern bool hs_shape_avx2;
/* hs_shape_of_bytes's rules one by one (byte_shape.c says what each means), for its tests. */
bool hs_shape_is_string(uint64_t usable, const uint8_t *bytes, size_t avail);
bool hs_shape_is_zero(uint64_t usable, const uint8_t *bytes, size_t avail);
bool hs_shape_is_pointer_array(const struct range_set *pointees, struct hit_ranges *hits, uint64_t usable,
			    const uint8_t *bytes, size_t avail);

#endif
