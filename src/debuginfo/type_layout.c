/* A type's pointers ("slots"): pointer members to named records (T *) and to pointers to
   them (T **), through nested records, unions (every member: they may overlap), C++ base
   classes and arrays (multi-dimensional ones flattened, arrays of records repeating their
   records' slots). Bit fields and static members hold no slot; a flexible array member marks
   the record flexible. Pointees are type indices, so a cycle through pointers (struct node
   { struct node *next; }) needs no recursion; by-value nesting is bounded in depth, and
   each type's member visits and slots are capped. */
#include <dwarf.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "debuginfo/debuginfo_private.h"

#define MAX_ARRAY_DIMS 16

bool hs_di_strip(Dwarf_Die *type, Dwarf_Die *out, const char **typedef_name)
{
	Dwarf_Die cur = *type, next;

	for (unsigned i = 0; i < HS_DI_MAX_DEPTH; i++) {
		switch (dwarf_tag(&cur)) {
		case DW_TAG_typedef:
			if (typedef_name != NULL)
				*typedef_name = dwarf_diename(&cur);
			/* fallthrough */
		case DW_TAG_const_type:
		case DW_TAG_volatile_type:
		case DW_TAG_restrict_type:
		case DW_TAG_atomic_type:
			if (!hs_di_ref(&cur, DW_AT_type, &next))
				return false; /* void */
			cur = next;
			break;
		default:
			*out = cur;
			return true;
		}
	}
	return false;
}

static bool add_slot(struct di_slots *out, struct hs_cslot s)
{
	if (out->n >= HS_DI_TYPE_SLOTS)
		return false;
	hs_xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
	out->v[out->n++] = s;
	return true;
}

static bool is_record(Dwarf_Die *die)
{
	return hs_di_is_record_tag(dwarf_tag(die));
}

/* T * gives a TO_ONE slot, T ** a TO_POINTERS one, when T is a named, complete record. */
static void pointer_slot(struct hs_debuginfo *di, struct di_module *m, Dwarf_Die *ptr, uint64_t base,
			 struct di_slots *out)
{
	Dwarf_Die pointee, inner;
	const char *name = NULL;
	enum hs_cslot_kind kind = HS_CSLOT_TO_ONE;
	uint32_t target;

	if (!hs_di_ref(ptr, DW_AT_type, &pointee) || !hs_di_strip(&pointee, &pointee, &name))
		return;
	if (dwarf_tag(&pointee) == DW_TAG_pointer_type) {
		name = NULL;
		if (!hs_di_ref(&pointee, DW_AT_type, &inner) || !hs_di_strip(&inner, &pointee, &name))
			return;
		kind = HS_CSLOT_TO_POINTERS;
	}
	if (!is_record(&pointee))
		return;
	target = hs_di_record_index(di, m, &pointee, name);
	if (target != HS_DI_NO_TYPE)
		add_slot(out, (struct hs_cslot){ .offset = base, .stride = 0, .count = 1,
						 .target = target, .kind = kind });
}

bool hs_di_member_offset(Dwarf_Die *member, uint64_t *off)
{
	Dwarf_Attribute a;
	Dwarf_Word w;
	Dwarf_Op *ops;
	size_t n;

	*off = 0;
	if (dwarf_attr(member, DW_AT_data_member_location, &a) == NULL)
		return true;
	switch (dwarf_whatform(&a)) {
	case DW_FORM_exprloc:
	case DW_FORM_block:
	case DW_FORM_block1:
	case DW_FORM_block2:
	case DW_FORM_block4:
		if (dwarf_getlocation(&a, &ops, &n) != 0 || n != 1 || ops[0].atom != DW_OP_plus_uconst)
			return false;
		*off = ops[0].number;
		return true;
	default:
		if (dwarf_formudata(&a, &w) != 0)
			return false;
		*off = w;
		return true;
	}
}

/* What a member's type is in a word: its tag and name, through typedefs and cv-qualifiers,
   and a pointer's pointee's (`struct node *` and `struct item *` differ). */
static const char *member_type_word(Dwarf_Die *member)
{
	static const char *const tags[] = { "?", "pointer", "record", "array", "other" };
	Dwarf_Die type, pointee;
	const char *name;

	if (!hs_di_ref(member, DW_AT_type, &type) || !hs_di_strip(&type, &type, NULL))
		return tags[0];
	if (dwarf_tag(&type) == DW_TAG_pointer_type) {
		if (!hs_di_ref(&type, DW_AT_type, &pointee) || !hs_di_strip(&pointee, &pointee, NULL))
			return tags[1];
		name = dwarf_diename(&pointee);
		return name != NULL ? name : tags[1];
	}
	name = dwarf_diename(&type);
	if (name != NULL)
		return name;
	return hs_di_is_record_tag(dwarf_tag(&type)) ? tags[2] : dwarf_tag(&type) == DW_TAG_array_type ? tags[3] : tags[4];
}

uint64_t hs_di_record_shape(Dwarf_Die *def)
{
	Dwarf_Die member;
	uint64_t h = 0x6a09e667f3bcc909ull, off;
	unsigned seen = 0;

	if (dwarf_child(def, &member) != 0)
		return h;
	do {
		int tag = dwarf_tag(&member);
		const char *name = dwarf_diename(&member);

		if (tag != DW_TAG_member && tag != DW_TAG_inheritance)
			continue;
		if (!hs_di_member_offset(&member, &off))
			off = UINT64_MAX;
		h = hs_di_hash(name != NULL ? name : "", h ^ off ^ ((uint64_t)tag << 56));
		h = hs_di_hash(member_type_word(&member), h);
	} while (++seen < HS_DI_TYPE_VISITS && dwarf_siblingof(&member, &member) == 0);
	return h;
}

static bool is_flexible_array(Dwarf_Die *type)
{
	Dwarf_Die t, sub;

	if (!hs_di_strip(type, &t, NULL) || dwarf_tag(&t) != DW_TAG_array_type || dwarf_child(&t, &sub) != 0)
		return false;
	return !dwarf_hasattr(&sub, DW_AT_count) && !dwarf_hasattr(&sub, DW_AT_upper_bound);
}

static void record_slots(struct hs_debuginfo *di, struct di_module *m, Dwarf_Die *rec, uint64_t base,
			 unsigned depth, struct di_slots *out)
{
	Dwarf_Die def, member, type;
	int more;

	if (!hs_di_resolve_record(m, rec, &def))
		return;
	for (more = dwarf_child(&def, &member); more == 0 && out->visits < HS_DI_TYPE_VISITS;
	     more = dwarf_siblingof(&member, &member)) {
		int tag = dwarf_tag(&member);
		uint64_t off;

		out->visits++;
		if (m->visits_left == 0)
			return;
		m->visits_left--;
		if ((tag != DW_TAG_member && tag != DW_TAG_inheritance) ||
		    dwarf_hasattr(&member, DW_AT_bit_size) || dwarf_hasattr(&member, DW_AT_data_bit_offset) ||
		    hs_di_flag(&member, DW_AT_declaration) || hs_di_flag(&member, DW_AT_external) ||
		    !hs_di_member_offset(&member, &off) || off > UINT64_MAX - base ||
		    !hs_di_ref(&member, DW_AT_type, &type))
			continue;
		if (depth == 0 && is_flexible_array(&type))
			out->flexible = true;
		hs_di_layout(di, m, &type, base + off, depth + 1, out);
	}
}

/* One dimension's element count: DW_AT_count, or upper - lower + 1 (lower 0 by default, as
   in C); 0 when unknown (a flexible array member). */
static uint64_t dimension(Dwarf_Die *sub)
{
	Dwarf_Attribute a;
	Dwarf_Word count, upper, lower = 0;

	if (dwarf_attr_integrate(sub, DW_AT_count, &a) != NULL)
		return dwarf_formudata(&a, &count) == 0 ? count : 0;
	if (dwarf_attr_integrate(sub, DW_AT_upper_bound, &a) == NULL || dwarf_formudata(&a, &upper) != 0)
		return 0;
	if (dwarf_attr_integrate(sub, DW_AT_lower_bound, &a) != NULL && dwarf_formudata(&a, &lower) != 0)
		return 0;
	return upper >= lower && upper - lower < UINT64_MAX ? upper - lower + 1 : 0;
}

/* Repeats the element's slots count times, every esize bytes from base. */
static void repeat_slots(const struct di_slots *elem, uint64_t base, uint64_t esize, uint64_t count,
			 struct di_slots *out)
{
	for (size_t i = 0; i < elem->n; i++) {
		struct hs_cslot s = elem->v[i];

		s.offset += base;
		if (s.count == 1 || count == 1) {
			if (s.count == 1) {
				s.stride = esize;
				s.count = (uint32_t)count;
			}
			if (!add_slot(out, s))
				return;
			continue;
		}
		/* An array inside each element: one run per element (capped by add_slot). */
		for (uint64_t k = 0; k < count; k++, s.offset += esize)
			if (!add_slot(out, s))
				return;
	}
}

/* An array's element type and element count (all dimensions); false when a dimension is
   unknown (a flexible array member), zero or too large. */
static bool array_shape(Dwarf_Die *array, Dwarf_Die *elem, uint64_t *count)
{
	Dwarf_Die sub;
	unsigned dims = 0;

	*count = 1;
	if (!hs_di_ref(array, DW_AT_type, elem) || dwarf_child(array, &sub) != 0)
		return false;
	do {
		int tag = dwarf_tag(&sub);
		uint64_t d;

		if (tag != DW_TAG_subrange_type && tag != DW_TAG_enumeration_type)
			continue;
		d = dimension(&sub);
		if (d == 0 || ++dims > MAX_ARRAY_DIMS || __builtin_mul_overflow(*count, d, count))
			return false;
	} while (dwarf_siblingof(&sub, &sub) == 0);
	return dims > 0 && *count <= UINT32_MAX;
}

bool hs_di_type_size(Dwarf_Die *type, uint64_t *size)
{
	Dwarf_Die t = *type, elem;
	Dwarf_Word w;
	uint64_t count = 1, n;

	/* libdw sizes an array only in a unit whose language gives the default lower bound;
	   dwz's partial units have none, so arrays are sized here, lower bound 0 as in C. */
	for (unsigned depth = 0; depth < HS_DI_MAX_DEPTH; depth++) {
		if (!hs_di_strip(&t, &t, NULL))
			return false;
		if (dwarf_tag(&t) != DW_TAG_array_type) {
			if (dwarf_aggregate_size(&t, &w) != 0 || __builtin_mul_overflow(count, w, size))
				return false;
			return *size > 0;
		}
		if (!array_shape(&t, &elem, &n) || __builtin_mul_overflow(count, n, &count))
			return false;
		t = elem;
	}
	return false;
}

static void array_slots(struct hs_debuginfo *di, struct di_module *m, Dwarf_Die *array, uint64_t base,
			unsigned depth, struct di_slots *out)
{
	Dwarf_Die elem;
	uint64_t count, esize;
	struct di_slots inner = { .visits = out->visits };

	if (!array_shape(array, &elem, &count) || !hs_di_type_size(&elem, &esize) ||
	    esize > UINT64_MAX / count || base > UINT64_MAX - esize * count)
		return;
	hs_di_layout(di, m, &elem, 0, depth + 1, &inner);
	out->visits = inner.visits;
	repeat_slots(&inner, base, esize, count, out);
	free(inner.v);
}

void hs_di_layout(struct hs_debuginfo *di, struct di_module *m, Dwarf_Die *type, uint64_t base,
		  unsigned depth, struct di_slots *out)
{
	Dwarf_Die t;

	if (depth > HS_DI_MAX_DEPTH || out->visits >= HS_DI_TYPE_VISITS || m->visits_left == 0 ||
	    !hs_di_strip(type, &t, NULL))
		return;
	out->visits++;
	m->visits_left--;
	switch (dwarf_tag(&t)) {
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		pointer_slot(di, m, &t, base, out);
		break;
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
		record_slots(di, m, &t, base, depth, out);
		break;
	case DW_TAG_array_type:
		array_slots(di, m, &t, base, depth, out);
		break;
	default:
		break;
	}
}
