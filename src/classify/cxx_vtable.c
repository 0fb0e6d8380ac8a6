/* C++ objects (Itanium ABI, as g++ and clang emit): a most-derived object's word 0 is the
   address point of its class's primary vtable, where the word before is the typeinfo pointer
   and the one before that the offset-to-top, 0 for the primary vtable. Named from the _ZTV
   symbol when the module has symbols (typeinfo cross-checked), else from the mangled name the
   typeinfo carries, which stripped binaries keep. One resolution per distinct vtable. */
#include <ctype.h>
#include <stdlib.h>

#include "classify/classify_private.h"
#include "common/demangle.h"


#define MANGLED_MAX 1024

enum typeinfo_kind { TI_OTHER = 1, TI_CLASS, TI_UNRESOLVED };

static bool is_mangled_type(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static type_ref class_type(struct hs_classifier *c, const char *mangled)
{
	char *name = hs_demangle(mangled);
	type_ref t = 0;

	if (name != NULL)
		t = hs_intern_type(c, name, "vtable");
	free(name);
	return t;
}

/* Is ti_vptr (a typeinfo object's own vptr) the address point of the C++ runtime's
   __class_type_info, __si_class_type_info or __vmi_class_type_info vtable? */
static enum typeinfo_kind typeinfo_kind(struct hs_classifier *c, uint64_t ti_vptr)
{
	static const char *const class_typeinfo_vtables[] = {
		"_ZTVN10__cxxabiv117__class_type_infoE",
		"_ZTVN10__cxxabiv120__si_class_type_infoE",
		"_ZTVN10__cxxabiv121__vmi_class_type_infoE",
	};
	uint64_t kind, off;
	const char *sym;

	if (hs_u64map_get(&c->typeinfo_kinds, ti_vptr, &kind))
		return (enum typeinfo_kind)kind;
	kind = TI_UNRESOLVED;
	if ((sym = hs_symbol_covering(c, ti_vptr, &off)) != NULL) {
		kind = TI_OTHER;
		for (size_t i = 0; i < sizeof(class_typeinfo_vtables) / sizeof(*class_typeinfo_vtables); i++)
			if (off == 16 && strcmp(sym, class_typeinfo_vtables[i]) == 0)
				kind = TI_CLASS;
	}
	hs_u64map_put(&c->typeinfo_kinds, ti_vptr, kind);
	return (enum typeinfo_kind)kind;
}

/* The mangled class name a class typeinfo object carries (the _ZTS string, without its
   leading '*' that marks a type compared by address): length, or -1. */
static long typeinfo_name(struct hs_classifier *c, uint64_t ti, char *buf, size_t cap)
{
	uint64_t words[2]; /* the typeinfo's vptr, its name pointer */
	long len;

	if (!hs_peek(c, ti, words, sizeof(words)) || !hs_range_set_has(&c->modules, words[0]) ||
	    !hs_range_set_has(&c->modules, words[1]) || typeinfo_kind(c, words[0]) == TI_OTHER)
		return -1;
	if ((len = hs_peek_string(c, words[1], buf, cap)) < 0)
		return -1;
	if (buf[0] == '*')
		memmove(buf, buf + 1, (size_t)len--);
	return is_mangled_type(buf) ? len : -1;
}

/* vsym covers the vptr: it must be a _ZTV symbol, the vptr an address point inside it. */
static type_ref name_by_symbols(struct hs_classifier *c, const char *vsym, uint64_t voff,
				uint64_t ti)
{
	char mangled[MANGLED_MAX], tiname[MANGLED_MAX];
	size_t len = strcspn(vsym, "@");
	uint64_t tioff;
	const char *tisym;

	/* Address points follow the offset-to-top and typeinfo words, and any vcall/vbase
	   offsets before them (virtual bases), all 8-byte words. */
	if (strncmp(vsym, "_ZTV", 4) != 0 || voff < 16 || voff % 8 != 0 || len - 4 >= sizeof(mangled))
		return 0;
	memcpy(mangled, vsym + 4, len - 4);
	mangled[len - 4] = '\0';
	if (ti != 0) { /* 0 when compiled with -fno-rtti */
		tisym = hs_symbol_covering(c, ti, &tioff);
		if (tisym != NULL) {
			if (tioff != 0 || strncmp(tisym, "_ZTI", 4) != 0 ||
			    strncmp(tisym + 4, mangled, len - 4) != 0 ||
			    (tisym[len] != '\0' && tisym[len] != '@'))
				return 0;
		} else if (typeinfo_name(c, ti, tiname, sizeof(tiname)) < 0 ||
			   strcmp(tiname, mangled) != 0) {
			return 0;
		}
	}
	return class_type(c, mangled);
}

static type_ref resolve_vtable(struct hs_classifier *c, uint64_t vptr)
{
	uint64_t head[2]; /* offset-to-top, typeinfo */
	uint64_t voff;
	const char *vsym;
	char mangled[MANGLED_MAX];

	/* offset-to-top 0: a most-derived object (or a primary base at offset 0), not a
	   secondary vtable seen through a pointer to a base subobject. */
	if (!hs_peek(c, vptr - 16, head, sizeof(head)) || head[0] != 0)
		return 0;
	if (head[1] != 0 && (head[1] % 8 != 0 || !hs_range_set_has(&c->modules, head[1])))
		return 0;
	if ((vsym = hs_symbol_covering(c, vptr, &voff)) != NULL)
		return name_by_symbols(c, vsym, voff, head[1]);
	/* No symbol covers it (stripped module): the typeinfo still names the class. */
	if (head[1] == 0 || typeinfo_name(c, head[1], mangled, sizeof(mangled)) < 0)
		return 0;
	return class_type(c, mangled);
}

type_ref hs_classify_cxx_object(struct hs_classifier *c, const uint8_t *bytes, size_t avail)
{
	uint64_t vptr, known;
	type_ref t;

	if (avail < 8)
		return 0;
	vptr = load_u64(bytes);
	if (vptr == 0)
		return 0;
	if (hs_u64map_get(&c->vtables, vptr, &known))
		return (type_ref)known;
	/* Vtables live in modules; anything else is not one and costs nothing to reject. */
	if (vptr % 8 != 0 || !hs_range_set_has(&c->modules, vptr))
		return 0;
	t = resolve_vtable(c, vptr);
	hs_u64map_put(&c->vtables, vptr, t);
	return t;
}
