/* Small DIE helpers every part of the reader shares: keys that name a DIE in a map, reference
   attributes (DW_FORM_ref*, DW_FORM_ref_sig8 into type units), the CU's language. */
#include <dwarf.h>

#include "debuginfo/debuginfo_private.h"

#define TYPES_SECTION (1ull << 63)
#define ALT_FILE (1ull << 62)

static bool in_debug_types(Dwarf_Die *die)
{
	Dwarf_Half version;
	uint8_t unit_type;

	/* DWARF 4's type units live in .debug_types, whose offsets overlap .debug_info's. */
	return die->cu != NULL &&
	       dwarf_cu_info(die->cu, &version, &unit_type, NULL, NULL, NULL, NULL, NULL) == 0 &&
	       version < 5 && unit_type == DW_UT_type;
}

uint64_t hs_di_die_key(struct di_module *m, Dwarf_Die *die)
{
	uint64_t key = (dwarf_dieoffset(die) + 1) & ~(TYPES_SECTION | ALT_FILE);

	if (die->cu != NULL && dwarf_cu_getdwarf(die->cu) != m->dw)
		key |= ALT_FILE;
	return in_debug_types(die) ? key | TYPES_SECTION : key;
}

bool hs_di_die_from_key(struct di_module *m, uint64_t key, Dwarf_Die *out)
{
	Dwarf *dw = key & ALT_FILE ? dwarf_getalt(m->dw) : m->dw;
	Dwarf_Off off = (key & ~(TYPES_SECTION | ALT_FILE)) - 1;

	if (dw == NULL)
		return false;
	if (key & TYPES_SECTION)
		return dwarf_offdie_types(dw, off, out) != NULL;
	return dwarf_offdie(dw, off, out) != NULL;
}

bool hs_di_ref(Dwarf_Die *die, unsigned attr, Dwarf_Die *out)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, attr, &a) != NULL && dwarf_formref_die(&a, out) != NULL;
}

bool hs_di_flag(Dwarf_Die *die, unsigned attr)
{
	Dwarf_Attribute a;
	bool set = false;

	return dwarf_attr(die, attr, &a) != NULL && dwarf_formflag(&a, &set) == 0 && set;
}

uint64_t hs_di_hash(const char *s, uint64_t seed)
{
	uint64_t h = 0xcbf29ce484222325ull ^ (seed * 0x9e3779b97f4a7c15ull);

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h != 0 ? h : 1;
}

bool hs_di_is_cxx(Dwarf_Die *die)
{
	Dwarf_Die cu;

	if (die->cu == NULL || dwarf_diecu(die, &cu, NULL, NULL) == NULL)
		return false;
	switch (dwarf_srclang(&cu)) {
	case DW_LANG_C_plus_plus:
	case DW_LANG_C_plus_plus_03:
	case DW_LANG_C_plus_plus_11:
	case DW_LANG_C_plus_plus_14:
	case 0x2a: /* DW_LANG_C_plus_plus_17 (DWARF 6 draft), not in every dwarf.h */
	case 0x2b: /* DW_LANG_C_plus_plus_20 */
		return true;
	default:
		return false;
	}
}

bool hs_di_is_record_tag(int tag)
{
	return tag == DW_TAG_structure_type || tag == DW_TAG_class_type || tag == DW_TAG_union_type;
}
