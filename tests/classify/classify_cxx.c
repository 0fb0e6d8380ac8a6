/* The classifier names C++ objects by their vtables in a real stopped process: exact counts
   per class (namespaced, template, multiple and virtual inheritance), no class name for
   non-polymorphic structs or freed objects, with the target's symbols and with a stripped
   copy (typeinfo names only); and its cost per block on a heap of a million blocks. */
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static const char *const classes[] = { "ns::Widget", "Box<int>", "Box<double>", "Both", "Diamond", NULL };

static bool is_class(const char *name)
{
	for (size_t i = 0; classes[i]; i++)
		if (strcmp(classes[i], name) == 0)
			return true;
	return false;
}

static void known_objects(const char *target, const char *what)
{
	char *argv[] = { (char *)target, NULL };
	struct child ch;
	struct heap_view v;
	size_t strays = 0;

	tap_diag("%s (%s)", target, what);
	child_start(&ch, argv, NULL);
	classify_child_heap(&v, ch.pid);
	check_expectations(&v, &ch, true);
	for (size_t i = 0; classes[i]; i++) {
		size_t found = count_named(&v, classes[i]), announced = expected_count(&ch, classes[i]);
		tap_ok(announced > 0 && found == announced, "%s: whole heap has %zu '%s' blocks, %zu allocated",
		       what, found, classes[i], announced);
	}
	for (size_t i = 0; i < v.snap.ntypes; i++)
		if (strcmp(v.snap.types[i].kind, "vtable") == 0 && !is_class(v.snap.types[i].name) &&
		    strays++ == 0)
			tap_diag("unexpected class '%s'", v.snap.types[i].name);
	tap_ok(strays == 0, "%s: no class names beyond the allocated classes", what);
	check_no_heap_text(&v, "SECRET");
	child_end(&ch);
	heap_view_free(&v);
}

/* The stripped copy must really lack .symtab, or the typeinfo path goes untested. */
static bool has_symtab(const char *path)
{
	int fd = open(path, O_RDONLY);
	Elf *elf;
	bool found = false;

	if (fd < 0)
		tap_bail("cannot open %s", path);
	elf_version(EV_CURRENT);
	if ((elf = elf_begin(fd, ELF_C_READ, NULL)) == NULL)
		tap_bail("%s is not an ELF file", path);
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn != NULL; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr shdr;
		if (gelf_getshdr(scn, &shdr) != NULL && shdr.sh_type == SHT_SYMTAB)
			found = true;
	}
	elf_end(elf);
	close(fd);
	return found;
}

static void million_blocks(const char *target)
{
	enum { N = 1000000 };
	/* What the target allocates, N / 8 blocks of each shape; the C++ runtime adds a few
	   blocks of its own (an emergency exception pool), never an object of these classes. */
	static const struct { const char *name; size_t allocated, runtime_extra; } shapes[] = {
		{ "ns::Widget", N / 8, 0 },
		{ "Box<int>", N / 8, 0 },
		{ "Both", N / 8, 0 },
		{ "char[] (string)", N / 8, 16 },
		{ "void*[] (pointer array)", N / 8, 16 },
		{ "zero-filled", N / 8, 16 },
		{ "unknown", 2 * (N / 8), 16 }, /* random bytes, plain structs */
	};
	char count[16];
	char *argv[] = { (char *)target, "bench", count, NULL };
	struct child ch;
	struct heap_view v;

	snprintf(count, sizeof(count), "%d", N);
	child_start(&ch, argv, NULL);
	classify_child_heap(&v, ch.pid);
	tap_diag("%zu blocks classified, %.0f ns per block", v.nblocks, v.ns_per_block);
	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++) {
		size_t found = count_named(&v, shapes[i].name);
		tap_ok(found >= shapes[i].allocated && found <= shapes[i].allocated + shapes[i].runtime_extra,
		       "bench: %zu '%s' blocks, %zu allocated", found, shapes[i].name, shapes[i].allocated);
	}
	/* A few hash lookups per block; the bound leaves room for sanitizer builds. */
	tap_ok(v.ns_per_block < 3000, "bench: classifying costs %.0f ns per block (bound 3000)",
	       v.ns_per_block);
	child_end(&ch);
	heap_view_free(&v);
}

int main(void)
{
	const char *top = getenv("TOP_BUILDDIR");
	char with_symbols[4096], stripped[4096];

	if (top == NULL)
		tap_bail("TOP_BUILDDIR is not set: run this test through make check");
	snprintf(with_symbols, sizeof(with_symbols), "%s/tests/classify/cxx_target", top);
	snprintf(stripped, sizeof(stripped), "%s/tests/classify/cxx_target_stripped", top);

	tap_ok(has_symtab(with_symbols), "cxx_target has a symbol table");
	known_objects(with_symbols, "with symbols");
	tap_ok(!has_symtab(stripped), "cxx_target_stripped has no symbol table");
	known_objects(stripped, "stripped");
	million_blocks(with_symbols);
	return tap_done();
}
