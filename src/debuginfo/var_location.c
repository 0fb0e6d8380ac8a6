/* Where a static variable lives, from its DW_AT_location: an address (DW_OP_addr, or
   DW_OP_addrx into .debug_addr), load bias applied; or for a `__thread` variable its offset
   in the module's TLS block (a constant or DW_OP_addrx, then DW_OP_GNU_push_tls_address or
   DW_OP_form_tls_address). Anything else is no static location. */
#include <dwarf.h>

#include "debuginfo/debuginfo_private.h"

bool hs_di_op_address(Dwarf_Attribute *a, const Dwarf_Op *op, uint64_t *out)
{
	Dwarf_Attribute result;
	Dwarf_Addr addr;

	switch (op->atom) {
	case DW_OP_addr:
		*out = op->number;
		return true;
	case DW_OP_addrx:
	case DW_OP_GNU_addr_index:
	case DW_OP_constx:
	case DW_OP_GNU_const_index:
		if (dwarf_getlocation_attr(a, op, &result) != 0 || dwarf_formaddr(&result, &addr) != 0)
			return false;
		*out = addr;
		return true;
	default:
		return false;
	}
}

static bool tls_offset(Dwarf_Attribute *a, const Dwarf_Op *op, uint64_t *out)
{
	switch (op->atom) {
	case DW_OP_const1u:
	case DW_OP_const2u:
	case DW_OP_const4u:
	case DW_OP_const8u:
	case DW_OP_constu:
		*out = op->number;
		return true;
	default:
		return hs_di_op_address(a, op, out);
	}
}

bool hs_di_static_location(struct di_module *m, Dwarf_Die *var, uint64_t *addr, bool *tls)
{
	Dwarf_Attribute a;
	Dwarf_Op *ops;
	size_t n;

	if (dwarf_attr(var, DW_AT_location, &a) == NULL || dwarf_getlocation(&a, &ops, &n) != 0)
		return false;
	if (n == 1 && ops[0].atom != DW_OP_constx && ops[0].atom != DW_OP_GNU_const_index &&
	    hs_di_op_address(&a, &ops[0], addr)) {
		*addr += m->bias;
		*tls = false;
		return true;
	}
	if (n == 2 && (ops[1].atom == DW_OP_GNU_push_tls_address || ops[1].atom == DW_OP_form_tls_address) &&
	    tls_offset(&a, &ops[0], addr)) {
		*tls = true;
		return true;
	}
	return false;
}
