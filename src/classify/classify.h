/* Block classification: gives every live block a type name and a kind without source changes
   or allocation stacks, from the block's first bytes and the target's read-only metadata
   (vtables, typeinfo, CPython type objects, libc's stdio). The heap walker calls it once per
   live block while the target is stopped; names go into the snapshot's type table, never any
   other byte of the target.

   What a block is called, first rule that holds wins:
   - glibc:stdio buffer (libc): the block is the _IO_buf_base of a FILE (libc's FILE list or a
     FILE block seen earlier).
   - glibc:FILE (libc): _flags has 0xFBAD in its high half and the word at +216 points into
     libc's __libc_IO_vtables section.
   - a demangled C++ class such as "ns::Widget" (vtable): word 0 is the address point of a
     vtable whose offset-to-top is 0, named by its _ZTV symbol (typeinfo cross-checked), or
     without symbols by the typeinfo's name string.
   - "py:<tp_name>" (python): a CPython object whose ob_type sits where the type's flags
     say it must (+8, +24 after the GC header, +40 after the 3.11+ managed-dict pre-header).
   - "char[] (string)" (string): NUL-terminated text (printable ASCII, tab/CR/LF, UTF-8) from
     byte 0, of length L >= 8 with 4 L >= 3 (usable - 8).
   - "zero-filled" (zero): every byte zero, seen whole or at least 4 KiB of it.
   - "void*[] (pointer array)" (pointers): of the words seen (the whole block or its first
     4 KiB), at least 2 and at least 3/4 point into the heap, a module or other anonymous
     writable memory, the rest are NULL; the last two words of a block seen whole may hold
     anything (malloc's rounding slack).
   - "unknown" (unknown). */
#ifndef HS_CLASSIFY_H
#define HS_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

struct hs_target;
struct hs_snapshot;
struct hs_classifier;

/* A classifier for one stop of the target: what it learns about vtables and type objects is
   cached for the whole walk. Reads the target (libc's FILE list) while creating. */
struct hs_classifier *hs_classifier_new(struct hs_target *t, struct hs_snapshot *snap);
/* A live block is named in two parts, which a walker may run on two threads:
   hs_classify_named(c, addr, usable, bytes, avail, hs_classify_shape(c, usable, bytes, avail)).
   bytes: the first `avail` bytes of the block (avail may be less than usable, e.g. 0 for a
   huge mmapped block not in the window); the classifier reads more through the target only
   for metadata it has not seen (vtables, type objects), once per distinct address.
   Pointers count as pointing somewhere when they fall in a module or an anonymous writable
   mapping of the target (every heap is one).
   hs_classify_shape applies the byte-shape rules (string, zero-filled, pointer array) to the
   block's first `avail` bytes. It reads what the classifier fixed when it was made and learns
   only where pointers last went, which nothing else reads: it may run on one thread (one at
   a time) while hs_classify_named runs on another. */
enum hs_shape { HS_SHAPE_NONE, HS_SHAPE_STRING, HS_SHAPE_ZERO, HS_SHAPE_POINTERS };
enum hs_shape hs_classify_shape(struct hs_classifier *c, uint64_t usable, const uint8_t *bytes,
				size_t avail);
/* How many of a block's first `avail` bytes hs_classify_named needs: at most 224 (a FILE),
   usually 48. */
size_t hs_classify_head_bytes(const uint8_t *bytes, size_t avail);
/* The rules that read the target and learn as they go (stdio, C++, CPython), then the shape
   verdict. Blocks must come in the walk's order, on one thread at a time, as what is
   learnt from one block (a FILE's buffer, Python's `type`) names later ones. bytes: the
   block's first `avail` bytes, at least the hs_classify_head_bytes of them. Returns a type
   index of snap. */
uint32_t hs_classify_named(struct hs_classifier *c, uint64_t addr, uint64_t usable,
			   const uint8_t *bytes, size_t avail, enum hs_shape shape);
/* Marks a block as a glibc-internal structure the walker recognised itself, e.g.
   "glibc:tcache_perthread_struct" (kind libc). */
uint32_t hs_classify_libc(struct hs_classifier *c, const char *what);
void hs_classifier_free(struct hs_classifier *c);

#endif
