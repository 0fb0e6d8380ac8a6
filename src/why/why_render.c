/* why's output (see why.h): a paragraph per path for people, or {"paths": [...]} (and
   "cut" when --limit left paths out) for programs (docs/cli.md, "why"). */
#include <inttypes.h>
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/user.h>

#include "diff/diff.h"
#include "snapshot/snapshot.h"
#include "why/why.h"

/* Chains longer than this print their first and last HOPS_KEPT / 2 hops only. */
#define HOPS_KEPT 16

/* x86-64's struct user_regs_struct, a register root's layout (docs/snapshot-format.md):
   an offset in it names the register that held the pointer. */
static const char *const register_names[] = {
	"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi",
	"rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
};
_Static_assert(offsetof(struct user_regs_struct, rdi) == 8 * 14, "rdi");
_Static_assert(sizeof(struct user_regs_struct) == sizeof(register_names) / sizeof(*register_names) * 8, "gs last");

static const char *leak_name(int32_t leak)
{
	return leak == HS_OWNER_DIRECT ? "direct" : "indirect";
}

static void print_hop(const struct hs_why_snapshot *w, const struct hs_why_path *p, size_t k, FILE *out)
{
	const struct hs_why_hop *h = &p->hops[k];
	char type[256];

	if (h->address_known)
		fprintf(out, "  -> 0x%" PRIx64 " %s", h->address, hs_printable(w->snap.types[h->type].name, type, sizeof(type)));
	else
		fprintf(out, "  -> * %s", hs_printable(w->snap.types[h->type].name, type, sizeof(type)));
	/* Where the pointer to the next hop sits in this one. */
	if (k + 1 < p->nhops && p->hops[k + 1].offset_known)
		fprintf(out, " +%" PRIu64, p->hops[k + 1].offset);
	else if (k + 1 < p->nhops)
		fputs(" +?", out);
	fputc('\n', out);
}

/* Where the first pointer sits in the root: "+OFFSET", and the register's name in a
   register root. */
static void print_root_offset(const struct hs_root *root, uint64_t offset, FILE *out)
{
	fprintf(out, " +%" PRIu64, offset);
	if (root->kind == HS_ROOT_REGISTER && offset % 8 == 0 &&
	    offset / 8 < sizeof(register_names) / sizeof(*register_names))
		fprintf(out, " (%s)", register_names[offset / 8]);
}

static void print_path(const struct hs_why_snapshot *w, const struct hs_why_path *p, FILE *out)
{
	char query[256], type[256];

	hs_printable(p->query, query, sizeof(query));
	if (p->is_address) {
		fprintf(out, "%s: the block at 0x%" PRIx64, query, p->block);
		if (p->inside > 0)
			fprintf(out, " (the address is %" PRIu64 " bytes inside it)", p->inside);
		fprintf(out, ", %s, %" PRIu64 " bytes: ",
			hs_printable(w->snap.types[p->hops[p->nhops - 1].type].name, type, sizeof(type)), p->size);
	} else {
		fprintf(out, "%s: %" PRIu64 " block%s, %" PRIu64 " bytes: ", query, p->count, p->count == 1 ? "" : "s",
			p->size);
	}
	if (p->leak != 0) {
		fprintf(out, "leaked, %s%s\n", leak_name(p->leak),
			p->is_address && p->leak == HS_OWNER_INDIRECT ? ", held by the leaked chain" : "");
	} else {
		char *key = hs_root_key(&w->snap.refs->roots[p->root]);
		char root[512];

		fprintf(out, "held\n  %s", hs_printable(key, root, sizeof(root)));
		if (p->nhops > 0 && !p->hops[0].offset_known)
			fputs(" +?", out);
		else if (p->nhops > 0)
			print_root_offset(&w->snap.refs->roots[p->root], p->hops[0].offset, out);
		fputc('\n', out);
		free(key);
	}
	for (size_t k = 0; k < p->nhops; k++) {
		if (p->nhops > HOPS_KEPT && k == HOPS_KEPT / 2) {
			fprintf(out, "  ... %zu more hops ...\n", p->nhops - HOPS_KEPT);
			k = p->nhops - HOPS_KEPT / 2;
		}
		print_hop(w, p, k, out);
	}
}

/* The line of the paths --limit left out of a glob's answer, if it had any. */
static void print_cut(const struct hs_why_answer *a, const char *glob, FILE *out)
{
	char query[256];

	for (size_t c = 0; c < a->ncuts; c++)
		if (a->cuts[c].query == glob)
			fprintf(out, "\n%s: %zu more path%s (%" PRIu64 " block%s, %" PRIu64 " bytes): --limit=0 shows all\n",
				hs_printable(glob, query, sizeof(query)), a->cuts[c].paths, a->cuts[c].paths == 1 ? "" : "s",
				a->cuts[c].count, a->cuts[c].count == 1 ? "" : "s", a->cuts[c].size);
}

void hs_why_render_text(const struct hs_why_snapshot *w, const struct hs_why_answer *a, FILE *out)
{
	char query[256];

	for (size_t p = 0; p < a->npaths; p++) {
		if (p > 0)
			fputc('\n', out);
		print_path(w, &a->paths[p], out);
		/* A query's paths are consecutive: its cut follows the last of them. */
		if (p + 1 == a->npaths || a->paths[p + 1].query != a->paths[p].query)
			print_cut(a, a->paths[p].query, out);
	}
	for (size_t u = 0; u < a->nunmatched; u++)
		fprintf(out, "%s%s: no block's type matches\n", a->npaths || u ? "\n" : "",
			hs_printable(a->unmatched[u], query, sizeof(query)));
}

static json_t *hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

static json_t *root_json(const struct hs_root *r)
{
	return json_pack("{s:s s:s s:o s:o}", "kind", hs_root_kind_names[r->kind], "name", r->name, "module",
			 r->module ? json_string(r->module) : json_null(), "tid",
			 r->tid >= 0 ? json_integer(r->tid) : json_null());
}

static json_t *path_json(const struct hs_why_snapshot *w, const struct hs_why_path *p)
{
	json_t *hops = json_array(), *o;

	for (size_t k = 0; k < p->nhops; k++) {
		const struct hs_why_hop *h = &p->hops[k];

		json_array_append_new(hops, json_pack("{s:o s:s s:o}", "address",
						      h->address_known ? hex(h->address) : json_null(), "type",
						      w->snap.types[h->type].name, "offset",
						      h->offset_known ? json_integer((json_int_t)h->offset) : json_null()));
	}
	o = json_pack("{s:s s:b s:o s:I s:I}", "query", p->query, "leaked", p->leak != 0, "hops", hops, "count",
		      (json_int_t)p->count, "size", (json_int_t)p->size);
	if (p->leak != 0)
		json_object_set_new(o, "leak", json_string(leak_name(p->leak)));
	else
		json_object_set_new(o, "root", root_json(&w->snap.refs->roots[p->root]));
	if (p->is_address) {
		json_object_set_new(o, "block", hex(p->block));
		json_object_set_new(o, "inside", json_integer((json_int_t)p->inside));
	}
	return o;
}

void hs_why_render_json(const struct hs_why_snapshot *w, const struct hs_why_answer *a, FILE *out)
{
	json_t *paths = json_array(), *doc;

	for (size_t p = 0; p < a->npaths; p++)
		json_array_append_new(paths, path_json(w, &a->paths[p]));
	doc = json_pack("{s:o}", "paths", paths);
	if (a->ncuts > 0) {
		json_t *cuts = json_array();

		for (size_t c = 0; c < a->ncuts; c++)
			json_array_append_new(cuts, json_pack("{s:s s:I s:I s:I}", "query", a->cuts[c].query, "paths",
							      (json_int_t)a->cuts[c].paths, "count",
							      (json_int_t)a->cuts[c].count, "size",
							      (json_int_t)a->cuts[c].size));
		json_object_set_new(doc, "cut", cuts);
	}
	if (a->nunmatched > 0) {
		json_t *unmatched = json_array();

		for (size_t u = 0; u < a->nunmatched; u++)
			json_array_append_new(unmatched, json_string(a->unmatched[u]));
		json_object_set_new(doc, "unmatched", unmatched);
	}
	json_dumpf(doc, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(doc);
}
