/* fuzz_debuginfo: libFuzzer target for the DWARF type reader (src/debuginfo/debuginfo.h) on
   ELF files that may be anything. Seeds (tests/fuzz/corpus/debuginfo): the debuginfo test
   fixtures' binaries and a small debug file of libc6-dbg. Each input is reported offline to
   libdwfl from an in-memory file (no separate debug file is looked for), its module added
   twice (the second must change nothing), and everything the reader offers is read back:
   every type and slot, the globals, the TLS variables, and frame variables at a few pcs with
   made-up registers. A slot must point to a named type, every variable to a type. */
#include <stdint.h>
#include <stdlib.h>

#include "debuginfo/debuginfo.h"
#include "input_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The DWARF must be in the input itself: nothing else on this machine is read. */
static int no_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
			char **debuginfo_file_name)
{
	(void)mod, (void)userdata, (void)modname, (void)base, (void)file_name;
	(void)debuglink_file, (void)debuglink_crc, (void)debuginfo_file_name;
	return -1;
}

static void check_types(const struct hs_debuginfo *di)
{
	size_t n = hs_debuginfo_ntypes(di);
	const struct hs_cslot *slots = hs_debuginfo_slots(di);

	for (size_t i = 0; i < n; i++) {
		const struct hs_ctype *t = hs_debuginfo_type(di, (uint32_t)i);

		if (t == NULL || t->size == 0)
			abort();
		for (uint32_t k = 0; k < t->nslots; k++) {
			const struct hs_ctype *target = hs_debuginfo_type(di, slots[t->first_slot + k].target);
			if (target == NULL || target->name == NULL || slots[t->first_slot + k].count == 0)
				abort();
		}
	}
	if (hs_debuginfo_type(di, (uint32_t)n) != NULL)
		abort();
}

static void check_vars(const struct hs_debuginfo *di, const struct hs_cvar *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct hs_ctype *t = hs_debuginfo_type(di, v[i].type);
		if (t == NULL || t->nslots == 0 || v[i].name == NULL)
			abort();
	}
}

static void frames(struct hs_debuginfo *di, Dwfl_Module *mod)
{
	Dwarf_Addr start, end;
	struct hs_cvar *vars = NULL;
	size_t cap = 0;

	if (dwfl_module_info(mod, NULL, &start, &end, NULL, NULL, NULL, NULL) == NULL || end <= start)
		return;
	for (int k = 0; k < 8; k++) {
		struct hs_frame_regs r = { .pc = start + (end - start) / 8 * (uint64_t)k + 1,
					   .cfa = 0x7ffc0000 + 64u * k, .cfa_known = k % 2 == 0,
					   .known = k % 3 == 0 ? 0 : (1u << HS_FRAME_NREGS) - 1 };

		for (int i = 0; i < HS_FRAME_NREGS; i++)
			r.reg[i] = 0x7ffc0000 + 8u * i;
		size_t n = hs_debuginfo_frame_vars(di, mod, &r, k % 2 == 1, &vars, &cap);

		check_vars(di, vars, n);
	}
	free(vars);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *debuginfo_path;
	static const Dwfl_Callbacks callbacks = {
		.find_elf = dwfl_build_id_find_elf,
		.find_debuginfo = no_debuginfo,
		.section_address = dwfl_offline_section_address,
		.debuginfo_path = &debuginfo_path,
	};
	const char *path = hs_fuzz_input_path("debuginfo", data, size);
	Dwfl *dwfl = dwfl_begin(&callbacks);
	Dwfl_Module *mod = dwfl != NULL ? dwfl_report_offline(dwfl, "fuzz", path, -1) : NULL;
	struct hs_debuginfo *di;
	const struct hs_cvar *v;
	size_t ntypes, n;

	if (mod == NULL) {
		dwfl_end(dwfl);
		return 0;
	}
	dwfl_report_end(dwfl, NULL, NULL);
	di = hs_debuginfo_new();
	hs_debuginfo_add_module(di, mod);
	ntypes = hs_debuginfo_ntypes(di);
	hs_debuginfo_add_module(di, mod);
	if (hs_debuginfo_ntypes(di) != ntypes)
		abort(); /* a module is read once */
	check_types(di);
	n = hs_debuginfo_globals(di, &v);
	check_vars(di, v, n);
	n = hs_debuginfo_tls(di, mod, &v);
	check_vars(di, v, n);
	frames(di, mod);
	check_types(di);
	hs_debuginfo_free(di);
	dwfl_end(dwfl);
	return 0;
}
