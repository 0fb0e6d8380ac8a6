/* The classifier names a C program's blocks by their bytes in a real stopped process:
   strings (ASCII and UTF-8), pointer arrays, zero-filled blocks, a FILE and stdio buffers,
   and leaves random data and near misses "unknown"; no type name carries the target's data.
   Also the API's edges: partial views, repeated calls, hs_classify_libc. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach/attach.h"
#include "classify/classify.h"
#include "common/xalloc.h"
#include "harness.h"

static const char *const shape_names[] = {
	"char[] (string)", "void*[] (pointer array)", "zero-filled",
	"glibc:FILE", "glibc:stdio buffer", "unknown", NULL,
};

static bool is_shape_name(const char *name)
{
	for (size_t i = 0; shape_names[i]; i++)
		if (strcmp(shape_names[i], name) == 0)
			return true;
	return false;
}

/* The first announced block of that name. */
static const struct walked_block *announced_block(const struct heap_view *v, const struct child *ch,
						  const char *name, uint64_t min_usable)
{
	for (size_t i = 0; i < ch->nexpect; i++) {
		const struct walked_block *b = block_holding(v, ch->expect[i].addr);
		if (ch->expect[i].name && strcmp(ch->expect[i].name, name) == 0 && b && b->usable >= min_usable)
			return b;
	}
	tap_bail("the target announced no '%s' block of %" PRIu64 "+ bytes", name, min_usable);
}

static const char *classify_seen(struct heap_view *v, struct hs_classifier *c,
				 const struct walked_block *b, size_t avail)
{
	uint8_t *bytes = hs_xmalloc(b->usable);
	uint32_t type;

	if (v->t->ops->read(v->t, b->addr, bytes, b->usable) != (ssize_t)b->usable)
		tap_bail("cannot read block 0x%" PRIx64, b->addr);
	type = classify_block(c, b->addr, b->usable, bytes, avail);
	free(bytes);
	return type_name(v, type);
}

static void api_edges(struct heap_view *v, const struct child *ch)
{
	struct hs_classifier *c = hs_classifier_new(v->t, &v->snap);
	const struct walked_block *zero = announced_block(v, ch, "zero-filled", 5000);
	const struct walked_block *str = announced_block(v, ch, "char[] (string)", 0);
	const struct walked_block *buf = announced_block(v, ch, "glibc:stdio buffer", 0);
	uint32_t libc = hs_classify_libc(c, "glibc:tcache_perthread_struct");

	tap_ok(strcmp(type_name(v, libc), "glibc:tcache_perthread_struct") == 0 &&
	       strcmp(type_kind(v, libc), "libc") == 0, "hs_classify_libc names a libc structure");
	tap_ok(strcmp(classify_seen(v, c, zero, 100), "unknown") == 0,
	       "a zero block seen only 100 bytes deep is not called zero-filled");
	tap_ok(strcmp(classify_seen(v, c, zero, 4096), "zero-filled") == 0,
	       "a zero block seen 4 KiB deep is zero-filled");
	tap_ok(strcmp(classify_seen(v, c, str, 0), "unknown") == 0, "a string block not seen is unknown");
	tap_ok(strcmp(classify_seen(v, c, buf, 0), "glibc:stdio buffer") == 0,
	       "a stdio buffer is known by its address alone");
	tap_ok(strcmp(classify_seen(v, c, str, str->usable), classify_seen(v, c, str, str->usable)) == 0 &&
	       strcmp(classify_seen(v, c, str, str->usable), "char[] (string)") == 0,
	       "classifying a block again gives the same name");
	hs_classifier_free(c);
}

int main(void)
{
	const char *top = getenv("TOP_BUILDDIR");
	char target[4096];
	char *argv[] = { target, NULL };
	struct child ch;
	struct heap_view v;
	size_t strays = 0;

	if (top == NULL)
		tap_bail("TOP_BUILDDIR is not set: run this test through make check");
	snprintf(target, sizeof(target), "%s/tests/classify/c_target", top);
	child_start(&ch, argv, NULL);
	classify_child_heap(&v, ch.pid);
	check_expectations(&v, &ch, true);
	for (size_t i = 0; shape_names[i]; i++) {
		size_t found = count_named(&v, shape_names[i]), announced = expected_count(&ch, shape_names[i]);
		tap_ok(announced > 0 && found >= announced, "whole heap: %zu '%s' blocks, %zu announced", found,
		       shape_names[i], announced);
	}
	for (size_t i = 0; i < v.snap.ntypes; i++)
		if (!is_shape_name(v.snap.types[i].name) && strays++ == 0)
			tap_diag("unexpected type '%s' (%s)", v.snap.types[i].name, v.snap.types[i].kind);
	tap_ok(strays == 0, "a C program's blocks get only the byte-shape and stdio names");
	check_no_heap_text(&v, "SECRET");
	api_edges(&v, &ch);
	child_end(&ch);
	heap_view_free(&v);
	return tap_done();
}
