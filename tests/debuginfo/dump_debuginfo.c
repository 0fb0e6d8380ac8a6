/* Prints what src/debuginfo reads, in the fixtures' ground-truth format (tests/debuginfo):
     dump_debuginfo PID      a live process, stopped meanwhile: the executable's types first
                             (before any other module is added), then every module's globals,
                             the TLS variables of each thread, and each thread's innermost
                             frame's locals (its registers from the stopped thread, the CFA
                             from the module's CFI); the time each module took on stderr;
     dump_debuginfo --core C the same from a core file;
     dump_debuginfo --file F an ELF file offline: its types and globals. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attach/attach.h"
#include "debuginfo/debuginfo.h"

/* struct user_regs_struct's index of each DWARF register 0..16 (rax rdx rcx rbx rsi rdi rbp
   rsp r8..r15 rip). */
static const int user_reg[HS_FRAME_NREGS] = { 10, 12, 11, 5, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0, 16 };

static const char *type_name(const struct hs_debuginfo *di, uint32_t index)
{
	const struct hs_ctype *t = hs_debuginfo_type(di, index);
	return t != NULL && t->name != NULL ? t->name : "-";
}

static void print_slots(const struct hs_debuginfo *di, const char *what, const char *owner,
			const struct hs_ctype *t)
{
	const struct hs_cslot *s = hs_debuginfo_slots(di) + t->first_slot;

	for (uint32_t i = 0; i < t->nslots; i++)
		printf("%s\t%s\t%" PRIu64 "\t%s\t%s\t%u\t%" PRIu64 "\n", what, owner, s[i].offset,
		       s[i].kind == HS_CSLOT_TO_ONE ? "one" : "pointers", type_name(di, s[i].target),
		       s[i].count, s[i].stride);
}

static void print_types(const struct hs_debuginfo *di)
{
	for (size_t i = 0; i < hs_debuginfo_ntypes(di); i++) {
		const struct hs_ctype *t = hs_debuginfo_type(di, (uint32_t)i);

		if (t->name == NULL)
			continue;
		printf("type\t%s\t%" PRIu64 "\n", t->name, t->size);
		print_slots(di, "slot", t->name, t);
		if (t->flexible)
			printf("flexible\t%s\n", t->name);
	}
}

static void print_globals(const struct hs_debuginfo *di)
{
	const struct hs_cvar *v;
	size_t n = hs_debuginfo_globals(di, &v);

	for (size_t i = 0; i < n; i++) {
		const struct hs_ctype *t = hs_debuginfo_type(di, v[i].type);

		printf("global\t%s\t%#" PRIx64 "\n", v[i].name, v[i].address);
		if (t->name == NULL)
			print_slots(di, "gslot", v[i].name, t);
		else
			printf("gtype\t%s\t%s\n", v[i].name, t->name);
	}
}

struct modules {
	Dwfl_Module **v;
	size_t n;
};

static int collect(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start, void *arg)
{
	struct modules *m = arg;

	(void)userdata;
	(void)name;
	(void)start;
	m->v = realloc(m->v, (m->n + 1) * sizeof(*m->v));
	m->v[m->n++] = mod;
	return DWARF_CB_OK;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void add_timed(struct hs_debuginfo *di, Dwfl_Module *mod)
{
	const char *name = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	double start = now();

	hs_debuginfo_add_module(di, mod);
	fprintf(stderr, "time\t%s\t%.1f ms\n", name != NULL ? name : "?", (now() - start) * 1e3);
}

static const char *module_base_name(Dwfl_Module *mod)
{
	const char *name = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	const char *slash = name != NULL ? strrchr(name, '/') : NULL;

	return slash != NULL ? slash + 1 : name != NULL ? name : "?";
}

/* Each thread's TLS block of every module that has one, and its TLS variables there. */
static void print_tls(struct hs_target *t, const struct hs_debuginfo *di, const struct modules *mods)
{
	for (size_t i = 0; i < mods->n; i++) {
		const struct hs_cvar *v;
		size_t n = hs_debuginfo_tls(di, mods->v[i], &v);

		for (size_t k = 0; k < t->nthreads; k++) {
			uint64_t block, fs = t->threads[k].fs_base;

			if (hs_debuginfo_tls_block(di, t, mods->v[i], fs, &block) != 0) {
				if (n > 0)
					printf("tlsmissing\t%#" PRIx64 "\t%s\n", fs, module_base_name(mods->v[i]));
				continue;
			}
			printf("tlsblock\t%#" PRIx64 "\t%s\t%#" PRIx64 "\n", fs, module_base_name(mods->v[i]), block);
			for (size_t j = 0; j < n; j++)
				printf("tls\t%#" PRIx64 "\t%s\t%#" PRIx64 "\n", fs, v[j].name, block + v[j].address);
		}
	}
}

/* The CFA at frame 0 from the module's CFI (a register plus an offset). */
static void frame0_cfa(Dwfl_Module *mod, struct hs_frame_regs *r)
{
	Dwarf_Addr bias;
	Dwarf_CFI *cfi = dwfl_module_eh_cfi(mod, &bias);
	Dwarf_Frame *frame;
	Dwarf_Op *ops;
	size_t n;

	if (cfi == NULL || dwarf_cfi_addrframe(cfi, r->pc - bias, &frame) != 0)
		return;
	if (dwarf_frame_cfa(frame, &ops, &n) == 0 && n == 1) {
		unsigned reg = ops[0].atom == DW_OP_bregx ? (unsigned)ops[0].number : (unsigned)(ops[0].atom - DW_OP_breg0);
		int64_t off = ops[0].atom == DW_OP_bregx ? (int64_t)ops[0].number2 : (int64_t)ops[0].number;

		if (reg < HS_FRAME_NREGS && (ops[0].atom == DW_OP_bregx ||
					     (ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31))) {
			r->cfa = r->reg[reg] + off;
			r->cfa_known = true;
		}
	}
	free(frame);
}

static void print_frames(struct hs_target *t, struct hs_debuginfo *di)
{
	struct hs_cvar *vars = NULL;
	size_t cap = 0;

	for (size_t k = 0; k < t->nthreads; k++) {
		struct hs_frame_regs r = { .pc = t->threads[k].pc, .known = (1u << HS_FRAME_NREGS) - 1 };
		Dwfl_Module *mod = dwfl_addrmodule(t->dwfl, r.pc);
		size_t n;

		if (mod == NULL)
			continue;
		for (int i = 0; i < HS_FRAME_NREGS; i++)
			r.reg[i] = t->threads[k].regs[user_reg[i]];
		frame0_cfa(mod, &r);
		n = hs_debuginfo_frame_vars(di, mod, &r, true, &vars, &cap);
		for (size_t i = 0; i < n; i++)
			if (vars[i].by_value)
				printf("framevalue\t%d\t%s\t%#" PRIx64 "\n", (int)t->threads[k].tid, vars[i].name,
				       vars[i].value);
			else
				printf("frame\t%d\t%s\t%#" PRIx64 "\n", (int)t->threads[k].tid, vars[i].name,
				       vars[i].address);
	}
	free(vars);
}

static int dump_target(struct hs_target *t)
{
	struct hs_debuginfo *di = hs_debuginfo_new();
	struct modules mods = { 0 };
	double start;

	for (size_t i = 0; i < t->nmaps; i++)
		if (t->exe != NULL && t->maps[i].path != NULL && strcmp(t->maps[i].path, t->exe) == 0) {
			add_timed(di, dwfl_addrmodule(t->dwfl, t->maps[i].start));
			break;
		}
	print_types(di);
	dwfl_getmodules(t->dwfl, collect, &mods, 0);
	for (size_t i = 0; i < mods.n; i++)
		add_timed(di, mods.v[i]);
	print_globals(di);
	start = now();
	print_tls(t, di, &mods);
	fprintf(stderr, "time\tTLS blocks of %zu threads\t%.1f ms\n", t->nthreads, (now() - start) * 1e3);
	start = now();
	print_frames(t, di);
	fprintf(stderr, "time\tframe 0 of %zu threads\t%.1f ms\n", t->nthreads, (now() - start) * 1e3);
	hs_target_close(t);
	hs_debuginfo_free(di);
	free(mods.v);
	return 0;
}

static int dump_file(const char *path)
{
	static char *debuginfo_path;
	static const Dwfl_Callbacks callbacks = {
		.find_elf = dwfl_build_id_find_elf,
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
		.debuginfo_path = &debuginfo_path,
	};
	Dwfl *dwfl = dwfl_begin(&callbacks);
	Dwfl_Module *mod = dwfl != NULL ? dwfl_report_offline(dwfl, "file", path, -1) : NULL;
	struct hs_debuginfo *di;

	if (mod == NULL) {
		fprintf(stderr, "heapsnap: cannot open %s: %s\n", path, dwfl_errmsg(-1));
		dwfl_end(dwfl);
		return 1;
	}
	dwfl_report_end(dwfl, NULL, NULL);
	di = hs_debuginfo_new();
	add_timed(di, mod);
	print_types(di);
	print_globals(di);
	hs_debuginfo_free(di);
	dwfl_end(dwfl);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--file") == 0)
		return dump_file(argv[2]);
	struct hs_target *t;
	struct hs_error err = { 0 };

	if (argc == 3 && strcmp(argv[1], "--core") == 0)
		return hs_core_open(argv[2], NULL, NULL, NULL, &t, &err) == 0 ? dump_target(t) : hs_report(&err);
	if (argc == 2)
		return hs_live_open((pid_t)atoi(argv[1]), NULL, &t, &err) == 0 ? dump_target(t) : hs_report(&err);
	fprintf(stderr, "usage: dump_debuginfo PID | --core CORE | --file ELF\n");
	return 2;
}
