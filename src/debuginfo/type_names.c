/* Record names as the issue spells them: C's `struct TAG` / `union TAG`, an anonymous record
   named by its typedef, C++'s qualified name as the demangler writes it (`ns::Outer::Inner`,
   `ns::Box<int>`: GCC and clang already name a template instance so), no `struct` word. */
#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "debuginfo/debuginfo_private.h"

static bool append(char *buf, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > HS_DI_NAME_MAX)
		return false;
	memcpy(buf + *len, s, n + 1);
	*len += n;
	return true;
}

/* The enclosing namespaces and records of die, outermost first, joined by "::". */
static bool cxx_prefix(Dwarf_Die *die, char *buf, size_t *len)
{
	Dwarf_Die *scopes = NULL;
	int n = dwarf_getscopes_die(die, &scopes);
	bool ok = true;

	/* scopes[0] is die itself, scopes[n - 1] the CU. */
	for (int i = n - 2; i >= 1 && ok; i--) {
		int tag = dwarf_tag(&scopes[i]);
		const char *name = dwarf_diename(&scopes[i]);

		if (tag != DW_TAG_namespace && !hs_di_is_record_tag(tag))
			continue;
		if (name == NULL)
			name = tag == DW_TAG_namespace ? "(anonymous namespace)" : "{unnamed type}";
		ok = append(buf, len, name) && append(buf, len, "::");
	}
	free(scopes);
	return ok;
}

char *hs_di_record_name(struct di_module *m, Dwarf_Die *rec, const char *typedef_name)
{
	const char *tag_name = dwarf_diename(rec);
	char buf[HS_DI_NAME_MAX];
	size_t len = 0;
	uint64_t known;

	if (hs_di_is_cxx(rec)) {
		if (tag_name != NULL &&
		    hs_u64map_get(&m->name_of_die, hs_di_die_key(m, rec), &known))
			return hs_xstrdup(m->names[known - 1].name);
		Dwarf_Die spec;
		/* A type unit's definition sits at its top, its scope given by DW_AT_specification. */
		Dwarf_Die *scoped = hs_di_ref(rec, DW_AT_specification, &spec) ? &spec : rec;

		if (tag_name == NULL)
			tag_name = typedef_name;
		buf[0] = '\0';
		if (tag_name == NULL || !cxx_prefix(scoped, buf, &len) || !append(buf, &len, tag_name))
			return NULL;
		return hs_xstrdup(buf);
	}
	if (tag_name == NULL)
		return typedef_name != NULL ? hs_xstrdup(typedef_name) : NULL;
	if (strlen(tag_name) > HS_DI_NAME_MAX)
		return NULL;
	snprintf(buf, sizeof(buf), "%s %s", dwarf_tag(rec) == DW_TAG_union_type ? "union" : "struct",
		 tag_name);
	return hs_xstrdup(buf);
}
