/* A frame's typed locals: the variables and parameters of the scopes around its pc (the
   function, its lexical blocks and its inlined callees' scopes), whose location at that
   pc (location lists included) the frame's registers resolve: in memory at DW_OP_fbreg (frame
   base DW_OP_call_frame_cfa, DW_OP_bregN or DW_OP_regN), DW_OP_bregN, DW_OP_addr; or held in
   a register (DW_OP_regN, DW_OP_regx): by value. Pointer-holding ones only. */
#include <dwarf.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "debuginfo/debuginfo_private.h"

/* Variables of one scope looked at, at most; DIEs looked at to find a pc's scopes. */
#define MAX_SCOPE_VARS 4096
#define MAX_SCOPE_SEARCH (1u << 20)

struct frame {
	struct di_module *m;
	const struct hs_frame_regs *r;
	Dwarf_Addr pc;        /* module-relative: the DWARF's addresses */
	Dwarf_Die *function;  /* the out-of-line subprogram: its DW_AT_frame_base */
};

static bool reg(const struct frame *f, uint64_t n, uint64_t *value)
{
	if (n >= HS_FRAME_NREGS || !(f->r->known & (1u << n)))
		return false;
	*value = f->r->reg[n];
	return true;
}

/* The one location expression of attribute a at the frame's pc. */
static bool expression_at(const struct frame *f, Dwarf_Attribute *a, Dwarf_Op **ops, size_t *n)
{
	return dwarf_getlocation_addr(a, f->pc, ops, n, 1) == 1 && *n > 0;
}

static bool frame_base(const struct frame *f, uint64_t *base)
{
	Dwarf_Attribute a;
	Dwarf_Op *ops;
	size_t n;
	uint64_t value;

	if (f->function == NULL || dwarf_attr_integrate(f->function, DW_AT_frame_base, &a) == NULL ||
	    !expression_at(f, &a, &ops, &n) || n != 1)
		return false;
	if (ops[0].atom == DW_OP_call_frame_cfa) {
		*base = f->r->cfa;
		return f->r->cfa_known;
	}
	if (ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31 && reg(f, ops[0].atom - DW_OP_breg0, &value)) {
		*base = value + ops[0].number;
		return true;
	}
	if (ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31)
		return reg(f, ops[0].atom - DW_OP_reg0, base);
	return false;
}

/* Evaluates the single-operation locations the brief names; false for anything else. */
static bool locate(const struct frame *f, Dwarf_Attribute *a, struct hs_cvar *v)
{
	Dwarf_Op *ops;
	size_t n;
	uint64_t value;
	uint8_t op;

	if (!expression_at(f, a, &ops, &n) || n != 1)
		return false;
	op = ops[0].atom;
	if (op == DW_OP_fbreg && frame_base(f, &value)) {
		v->address = value + ops[0].number;
		return true;
	}
	if (op >= DW_OP_breg0 && op <= DW_OP_breg31 && reg(f, op - DW_OP_breg0, &value)) {
		v->address = value + ops[0].number;
		return true;
	}
	if (op == DW_OP_bregx && reg(f, ops[0].number, &value)) {
		v->address = value + ops[0].number2;
		return true;
	}
	if ((op >= DW_OP_reg0 && op <= DW_OP_reg31 && reg(f, op - DW_OP_reg0, &v->value)) ||
	    (op == DW_OP_regx && reg(f, ops[0].number, &v->value))) {
		v->by_value = true;
		return true;
	}
	if (hs_di_op_address(a, &ops[0], &value) && op != DW_OP_constx && op != DW_OP_GNU_const_index) {
		v->address = value + f->m->bias;
		return true;
	}
	return false;
}

static void scope_vars(struct hs_debuginfo *di, const struct frame *f, Dwarf_Die *scope,
		       struct hs_cvar **out, size_t *cap, size_t *n)
{
	Dwarf_Die var, type;
	Dwarf_Attribute a, name;
	unsigned seen = 0;

	if (dwarf_child(scope, &var) != 0)
		return;
	do {
		int tag = dwarf_tag(&var);
		struct hs_cvar v = { 0 };

		if ((tag != DW_TAG_variable && tag != DW_TAG_formal_parameter) ||
		    dwarf_attr(&var, DW_AT_location, &a) == NULL || !hs_di_ref(&var, DW_AT_type, &type))
			continue;
		v.type = hs_di_variable_type(di, f->m, &type);
		if (v.type == HS_DI_NO_TYPE || !locate(f, &a, &v) || (v.by_value && di->types[v.type].size > 8))
			continue;
		v.name = dwarf_attr_integrate(&var, DW_AT_name, &name) != NULL ? dwarf_formstring(&name) : NULL;
		if (v.name == NULL)
			v.name = "(unnamed)";
		hs_xgrow((void **)out, cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = v;
	} while (++seen < MAX_SCOPE_VARS && dwarf_siblingof(&var, &var) == 0);
}

/* The scopes holding pc below parent, outermost first, into scopes[*n...]: a function,
   its blocks and inlined calls (namespaces and classes are looked into for functions). Not
   libdw's dwarf_getscopes, which leaks its array when broken DWARF makes it fail. */
static void find_scopes(Dwarf_Die *parent, Dwarf_Addr pc, Dwarf_Die *scopes, int *n, unsigned *budget)
{
	Dwarf_Die child;

	if (*n >= HS_DI_MAX_DEPTH || dwarf_child(parent, &child) != 0)
		return;
	do {
		if (*budget == 0)
			return;
		(*budget)--;
		switch (dwarf_tag(&child)) {
		case DW_TAG_subprogram:
		case DW_TAG_inlined_subroutine:
		case DW_TAG_lexical_block:
			if (dwarf_haspc(&child, pc) <= 0)
				break;
			scopes[(*n)++] = child;
			find_scopes(&child, pc, scopes, n, budget);
			return;
		case DW_TAG_namespace:
		case DW_TAG_structure_type:
		case DW_TAG_class_type:
			if (*n == 0) {
				find_scopes(&child, pc, scopes, n, budget);
				if (*n > 0)
					return;
			}
			break;
		default:
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

size_t hs_debuginfo_frame_vars(struct hs_debuginfo *di, Dwfl_Module *mod, const struct hs_frame_regs *r,
			       bool innermost, struct hs_cvar **out, size_t *cap)
{
	struct frame f = { .r = r };
	Dwarf_Addr bias;
	Dwarf_Die *cu, scopes[HS_DI_MAX_DEPTH];
	size_t n = 0, kept = 0;
	int nscopes = 0;
	unsigned budget = MAX_SCOPE_SEARCH;

	hs_debuginfo_add_module(di, mod);
	f.m = hs_di_find_module(di, mod);
	if (f.m == NULL || f.m->dw == NULL || r == NULL || (!innermost && r->pc == 0))
		return 0;
	f.pc = innermost ? r->pc : r->pc - 1;
	cu = dwfl_module_addrdie(mod, f.pc, &bias);
	if (cu == NULL)
		return 0;
	f.pc -= bias;
	find_scopes(cu, f.pc, scopes, &nscopes, &budget);
	/* The out-of-line function (its frame base) is the outermost subprogram. */
	if (nscopes > 0 && dwarf_tag(&scopes[0]) == DW_TAG_subprogram)
		f.function = &scopes[0];
	/* Innermost scope first, out to the function (its callers' scopes are other frames). */
	for (int i = nscopes - 1; i >= 0; i--)
		scope_vars(di, &f, &scopes[i], out, cap, &n);
	hs_di_finish_pending(di);
	for (size_t i = 0; i < n; i++)
		if (di->types[(*out)[i].type].nslots > 0)
			(*out)[kept++] = (*out)[i];
	return kept;
}
