/* src/debuginfo's private header: the type table's bookkeeping, one module's reading state,
   and the bounds that keep hostile DWARF from costing more than a little time and memory. */
#ifndef HS_DEBUGINFO_PRIVATE_H
#define HS_DEBUGINFO_PRIVATE_H

#include <elfutils/libdw.h>

#include "common/u64map.h"
#include "debuginfo/debuginfo.h"

/* Bounds: DIEs visited per module by its pass, and by the layouts of its types (a hostile
   module can nest records by value so that each costs many visits), nesting followed (scopes,
   typedef chains, members by value), types and slots in the whole table, slots of one type,
   member visits while laying out one type (nested arrays of records multiply). */
#define HS_DI_MAX_DIES      (64u << 20)
#define HS_DI_MAX_VISITS    (16u << 20)
#define HS_DI_MAX_DEPTH     24
#define HS_DI_MAX_TYPES     (1u << 20)
#define HS_DI_MAX_SLOTS     (1u << 22)
#define HS_DI_TYPE_SLOTS    4096
#define HS_DI_TYPE_VISITS   (1u << 16)
#define HS_DI_NAME_MAX      1024

/* A record definition seen in the module pass, by its name (declarations resolve to it). */
struct di_name {
	char *name;
	uint64_t die_key;
	uint64_t size;
	uint64_t *others;  /* further definitions of this size, until their shapes are compared */
	size_t nothers, others_cap;
	bool ambiguous;   /* two definitions of this name with different sizes or members */
	uint32_t next;    /* next entry with the same hash bucket, + 1 */
};

/* One module being (or having been) read. */
struct di_module {
	Dwfl_Module *mod;
	Dwarf *dw;              /* NULL: no DWARF found */
	Dwarf_Addr bias;
	uint32_t index;         /* in hs_debuginfo.modules */
	size_t dies_left;       /* DIE budget of the module pass */
	size_t visits_left;     /* DIE budget of its types' layouts */
	struct u64map record_of; /* record DIE key -> type index + 1 */
	struct u64map layout_of; /* a variable's type DIE key -> type index + 1 (HS_DI_NO_TYPE: no slot) */
	struct di_name *names;
	size_t nnames, names_cap;
	struct u64map name_of;   /* name hash -> first di_name + 1 */
	struct u64map name_of_die; /* record DIE key -> its di_name + 1 */
	struct hs_cvar *tls;
	size_t ntls, tls_cap;
};

#define HS_DI_NO_TYPE UINT32_MAX

/* Where a type of the table came from, and whether its slots are known yet. */
struct di_origin {
	uint64_t die_key;
	uint32_t module;
	bool done;
};

struct hs_debuginfo {
	struct hs_ctype *types;
	struct di_origin *origins;  /* parallel to types */
	size_t ntypes, types_cap, origins_cap;
	size_t next_pending;        /* types before this one have their slots */
	struct hs_cslot *slots;
	size_t nslots, slots_cap;
	struct hs_cvar *globals;
	size_t nglobals, globals_cap;
	struct u64map global_seen;  /* address -> type + 1 */
	struct di_module **modules;
	size_t nmodules, modules_cap;
	struct u64map dedup;        /* hash of (module, name, size, shape) or of a layout -> index + 1 */
	uint64_t *shapes;           /* parallel to types: a record's shape (0 for layouts) */
	size_t shapes_cap;
	uint64_t l_tls_offset;      /* its place in ld.so's struct link_map, when known */
	bool l_tls_offset_known;
};

/* A growing list of slots for one type, capped at HS_DI_TYPE_SLOTS. */
struct di_slots {
	struct hs_cslot *v;
	size_t n, cap;
	unsigned visits;
	bool flexible;
};

/* tls_block.c: when m is ld.so, the place of l_tls_offset in its struct link_map. */
void hs_di_note_dynamic_linker(struct hs_debuginfo *di, struct di_module *m);

/* DIE keys: the DIE's section offset + 1, with bit 63 for .debug_types (DWARF 4 type units)
   and bit 62 for the module's alternate file (dwz's .gnu_debugaltlink, DWARF 5 supplementary
   file), whose offsets overlap the module's own. */
uint64_t hs_di_die_key(struct di_module *m, Dwarf_Die *die);
bool hs_di_die_from_key(struct di_module *m, uint64_t key, Dwarf_Die *out);
/* An attribute's DIE reference, integrating DW_AT_specification/abstract_origin. */
bool hs_di_ref(Dwarf_Die *die, unsigned attr, Dwarf_Die *out);
/* A flag attribute of die itself (DW_AT_declaration, DW_AT_external). */
bool hs_di_flag(Dwarf_Die *die, unsigned attr);
/* 64-bit FNV-1a of a string, mixed with seed; never 0. */
uint64_t hs_di_hash(const char *s, uint64_t seed);
bool hs_di_is_cxx(Dwarf_Die *die);
bool hs_di_is_record_tag(int tag);

/* type_names.c: a record's name in C or C++ spelling (malloc'd), or NULL when it has none;
   typedef_name names an anonymous record. */
char *hs_di_record_name(struct di_module *m, Dwarf_Die *rec, const char *typedef_name);

/* name_index.c: record definitions by name, filled by the module pass. */
void hs_di_name_add(struct di_module *m, const char *name, Dwarf_Die *def);
/* A declaration's one complete definition in the module (follows DW_AT_signature first);
   false when there is none, or several of different sizes. */
bool hs_di_resolve_record(struct di_module *m, Dwarf_Die *rec, Dwarf_Die *def);
void hs_di_names_free(struct di_module *m);

/* type_table.c: the table's growth and deduplication. */
/* The named record rec (resolved to its definition)'s index, reserved on first sight and
   laid out later by hs_di_finish_pending; one per name, size and shape in a module;
   HS_DI_NO_TYPE for an unnamed or incomplete record. */
uint32_t hs_di_record_index(struct hs_debuginfo *di, struct di_module *m, Dwarf_Die *rec,
			    const char *typedef_name);
/* The layout type of a variable of type `type` (memoized): HS_DI_NO_TYPE when it holds no slot
   or is a named record (then its record index comes back). */
uint32_t hs_di_variable_type(struct hs_debuginfo *di, struct di_module *m, Dwarf_Die *type);
/* Lays out every reserved record (which may reserve more), within the bounds. */
void hs_di_finish_pending(struct hs_debuginfo *di);

/* type_layout.c: the slots of a type placed at base, appended to out. */
void hs_di_layout(struct hs_debuginfo *di, struct di_module *m, Dwarf_Die *type, uint64_t base,
		  unsigned depth, struct di_slots *out);
/* A member's DW_AT_data_member_location: a constant, or an expression DW_OP_plus_uconst N
   (DWARF 2); 0 when absent (a union's members). */
bool hs_di_member_offset(Dwarf_Die *member, uint64_t *off);
/* A type's size (dwarf_aggregate_size, arrays sized here); false when unknown or 0. */
bool hs_di_type_size(Dwarf_Die *type, uint64_t *size);
/* A record definition's shape: a hash of its members' names, offsets and types' names, so
   that C's per-unit copies of one record agree and two records of one name and size seldom
   do. */
uint64_t hs_di_record_shape(Dwarf_Die *def);
/* type's die with typedefs and cv-qualifiers stripped; the innermost typedef's name. */
bool hs_di_strip(Dwarf_Die *type, Dwarf_Die *out, const char **typedef_name);

/* var_location.c: a static variable's location: its absolute address (*tls false) or its
   offset in the module's TLS block (*tls true). */
bool hs_di_static_location(struct di_module *m, Dwarf_Die *var, uint64_t *addr, bool *tls);
/* An address operand (DW_OP_addr, DW_OP_addrx/constx and their GNU forms), no bias applied. */
bool hs_di_op_address(Dwarf_Attribute *a, const Dwarf_Op *op, uint64_t *out);

/* module_pass.c: one pass over the module's units: names, globals, TLS. */
void hs_di_module_pass(struct hs_debuginfo *di, struct di_module *m);
/* Adds a global (deduplicated by address and type). */
void hs_di_add_global(struct hs_debuginfo *di, const char *name, uint64_t address, uint32_t type);

struct di_module *hs_di_find_module(const struct hs_debuginfo *di, Dwfl_Module *mod);

#endif
