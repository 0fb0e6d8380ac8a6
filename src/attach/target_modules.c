/* Listing the modules libdwfl cannot find a file for (see attach.h). */
#include <elfutils/libdwfl.h>
#include <stdlib.h>

#include "attach/attach.h"
#include "common/xalloc.h"

struct unfound_list {
	struct hs_unfound_module *v;
	size_t n, cap;
};

static char *hex(const unsigned char *bits, int len)
{
	static const char digits[] = "0123456789abcdef";
	char *s = hs_xmalloc((size_t)len * 2 + 1);

	for (int i = 0; i < len; i++) {
		s[2 * i] = digits[bits[i] >> 4];
		s[2 * i + 1] = digits[bits[i] & 15];
	}
	s[2 * len] = '\0';
	return s;
}

static int check_module(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
			void *arg)
{
	struct unfound_list *list = arg;
	const unsigned char *bits;
	GElf_Addr bias, vaddr;
	int len;

	(void)userdata;
	(void)start;
	if (dwfl_module_getelf(mod, &bias) != NULL)
		return DWARF_CB_OK;
	len = dwfl_module_build_id(mod, &bits, &vaddr);
	hs_xgrow((void **)&list->v, &list->cap, list->n + 1, sizeof(*list->v));
	list->v[list->n++] = (struct hs_unfound_module){
		.name = hs_xstrdup(name != NULL ? name : "(unnamed)"),
		.build_id = len > 0 ? hex(bits, len) : NULL,
	};
	return DWARF_CB_OK;
}

size_t hs_target_unfound_modules(struct hs_target *t, struct hs_unfound_module **out)
{
	struct unfound_list list = { 0 };

	if (t->dwfl != NULL)
		dwfl_getmodules(t->dwfl, check_module, &list, 0);
	*out = list.v;
	return list.n;
}

void hs_unfound_modules_free(struct hs_unfound_module *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].name);
		free(m[i].build_id);
	}
	free(m);
}
