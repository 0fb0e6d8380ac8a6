/* src/debuginfo's public header: C and C++ types read from a module's DWARF (libdw) as a
   table of record layouts and their pointer members ("slots"), and the typed variables that
   point into the heap: globals and statics, `__thread` variables, a frame's locals. The
   typing engine (src/typing) propagates these types to heap blocks. */
#ifndef HS_DEBUGINFO_H
#define HS_DEBUGINFO_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attach/attach.h"   /* struct hs_frame_regs */

/* A pointer inside a type: at `offset`, repeated `count` times every `stride` bytes (arrays
   of pointers, arrays of records holding pointers: count 1 for a lone member). */
enum hs_cslot_kind {
	HS_CSLOT_TO_ONE,       /* T *: the block it points to (its start) is a T (or a T[]) */
	HS_CSLOT_TO_POINTERS,  /* T **: the block it points to holds T *s ("T *[]"), each a TO_ONE */
};
struct hs_cslot {
	uint64_t offset, stride;
	uint32_t count;
	uint32_t target;          /* the pointee's type index (a named record) */
	enum hs_cslot_kind kind;
};

struct hs_ctype {
	const char *name;   /* "struct session", "union u", "conn_t", "ns::Node"; NULL: a layout
	                       only (a variable's type such as `struct item *[8]`), no block name */
	uint64_t size;      /* sizeof; > 0 */
	uint32_t first_slot, nslots; /* its pointers: hs_debuginfo_slots(di)[first_slot ...] */
	bool flexible;      /* ends in a flexible array member: one T may fill a bigger block */
};

/* A typed root: memory at `address` laid out as type `type`; or, when `by_value`, a
   variable held in a register: its one word is `value`, laid out as `type` (one slot at 0). */
struct hs_cvar {
	const char *name;   /* for messages */
	uint64_t address;   /* absolute (load bias applied); for TLS, the offset in the module's TLS block */
	uint32_t type;
	bool by_value;
	uint64_t value;
};

struct hs_debuginfo;
struct hs_debuginfo *hs_debuginfo_new(void);
void hs_debuginfo_free(struct hs_debuginfo *di);
/* Reads mod's DWARF (dwfl_module_getdwarf: the file, .gnu_debuglink, build-id under the
   dwfl's debuginfo path) once: a second call for the same module returns at once. Bounded
   (CU, DIE, depth, type and slot counts); broken DWARF gives fewer types, never a crash. */
void hs_debuginfo_add_module(struct hs_debuginfo *di, Dwfl_Module *mod);
const struct hs_ctype *hs_debuginfo_type(const struct hs_debuginfo *di, uint32_t index);
size_t hs_debuginfo_ntypes(const struct hs_debuginfo *di);
const struct hs_cslot *hs_debuginfo_slots(const struct hs_debuginfo *di);
/* Every global and static variable (also function-local statics, C++ static members) of the
   modules added, whose layout has at least one slot. */
size_t hs_debuginfo_globals(const struct hs_debuginfo *di, const struct hs_cvar **out);
/* The `__thread` variables of module mod (address = offset in its TLS block), and that
   block's address for the thread whose thread pointer is fs_base (x86-64 static TLS,
   variant II); returns -1 when it cannot be found (then the module's TLS is skipped). */
size_t hs_debuginfo_tls(const struct hs_debuginfo *di, Dwfl_Module *mod, const struct hs_cvar **out);
int hs_debuginfo_tls_block(const struct hs_debuginfo *di, struct hs_target *t, Dwfl_Module *mod, uint64_t fs_base,
			   uint64_t *block);
/* The locals and parameters of the function (inlined scopes too) running at frame r, whose
   location at that pc is computable from r (memory: DW_OP_fbreg with a CFA or register frame
   base, DW_OP_bregN of a known register, DW_OP_addr; a register: by_value), pointer-holding
   ones only. innermost: r->pc is the pc itself, else a return address (scopes and location
   lists are looked up at pc - 1). *out is the caller's, grown by the call (*cap). */
size_t hs_debuginfo_frame_vars(struct hs_debuginfo *di, Dwfl_Module *mod, const struct hs_frame_regs *r,
			       bool innermost, struct hs_cvar **out, size_t *cap);

#endif
