/* The classifier names CPython objects in a real stopped interpreter (the machine's python3,
   no Python debug symbols): large bytes and str objects, list item arrays, and with
   PYTHONMALLOC=malloc also list objects (GC header before the object) and instances of a
   Python class (GC header and the 3.11+ managed-dict pre-header). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* /usr/bin/python3 when present, else the first python3 on PATH. */
static bool find_python(char *path, size_t len)
{
	const char *dirs = getenv("PATH");

	if (access("/usr/bin/python3", X_OK) == 0) {
		snprintf(path, len, "/usr/bin/python3");
		return true;
	}
	while (dirs != NULL && *dirs) {
		size_t n = strcspn(dirs, ":");
		snprintf(path, len, "%.*s/python3", (int)n, dirs);
		if (n > 0 && access(path, X_OK) == 0)
			return true;
		dirs += n + (dirs[n] == ':');
	}
	return false;
}

static void run(const char *python, const char *script, const char *allocator)
{
	static const char *const names[] = { "py:bytes", "py:str", "py:list", "py:HeapsnapProbe",
					     "void*[] (pointer array)", NULL };
	char *argv[] = { (char *)python, (char *)script, NULL };
	char setting[64];
	char *env[] = { setting, NULL };
	struct child ch;
	struct heap_view v;

	/* "-NAME" unsets: the default allocator is pymalloc. */
	snprintf(setting, sizeof(setting), allocator ? "PYTHONMALLOC=%s" : "-PYTHONMALLOC", allocator);
	tap_diag("PYTHONMALLOC=%s", allocator ? allocator : "(unset: pymalloc)");
	child_start(&ch, argv, env);
	classify_child_heap(&v, ch.pid);
	/* GC objects start 16 or 32 bytes into their block: the block holds the id. */
	check_expectations(&v, &ch, false);
	for (size_t i = 0; names[i]; i++) {
		size_t announced = expected_count(&ch, names[i]), found = count_named(&v, names[i]);
		if (announced > 0)
			tap_ok(found >= announced, "whole heap: %zu '%s' blocks, %zu announced", found,
			       names[i], announced);
	}
	tap_ok(expected_count(&ch, "py:bytes") == 17 && expected_count(&ch, "py:str") == 24 &&
	       expected_count(&ch, "py:list") == (allocator ? 9 : 0),
	       "the target announced what the test expects of it");
	check_no_heap_text(&v, "SECRET");
	child_end(&ch);
	heap_view_free(&v);
}

int main(void)
{
	const char *src = getenv("TOP_SRCDIR");
	char python[4096], script[4096];

	if (src == NULL)
		tap_bail("TOP_SRCDIR is not set: run this test through make check");
	if (!find_python(python, sizeof(python)))
		tap_bail("no python3 (neither /usr/bin/python3 nor on PATH): install python3");
	tap_diag("interpreter: %s", python);
	snprintf(script, sizeof(script), "%s/tests/classify/py_target.py", src);
	run(python, script, NULL);
	run(python, script, "malloc");
	return tap_done();
}
