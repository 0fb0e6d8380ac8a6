/* Shared by the classifier tests: TAP output, a target child that reports what it allocated
   and stops itself, and a minimal walk of the child's main heap that classifies every block.
   The walk is the test's own (main arena, one thread): src/heapwalk is the real one. */
#ifndef HS_TEST_CLASSIFY_HARNESS_H
#define HS_TEST_CLASSIFY_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "snapshot/snapshot.h"

struct hs_target;
struct hs_classifier;

/* TAP */
void tap_ok(bool pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the plan; the exit status for main. */
int tap_done(void);
/* A failure that stops the test file (a missing prerequisite, a child that would not start). */
void tap_bail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* What the child announced, one "obj ADDRESS EXPECTED-NAME" or "notclass ADDRESS" per object,
   before "end". */
struct expectation {
	uint64_t addr;
	char *name; /* NULL for notclass: any name but a C++ class */
};

struct child {
	pid_t pid;
	struct expectation *expect;
	size_t nexpect;
};

/* Runs argv with extra environment (NAME=VALUE strings, NULL-terminated, may be NULL),
   reads its announcements and waits until it has stopped itself. Bails on failure. */
void child_start(struct child *ch, char *const argv[], char *const env[]);
/* Kills and reaps the child. */
void child_end(struct child *ch);

struct walked_block {
	uint64_t addr, usable;
	uint32_t type;
};

struct heap_view {
	struct hs_target *t;
	struct hs_snapshot snap;
	struct walked_block *blocks;
	size_t nblocks;
	double ns_per_block; /* mean cost of classify_block over the blocks */
};

/* Names one block as the walker does, both parts on one thread: the byte shape, then the
   rules that read the target. Returns a type index of the classifier's snapshot. */
uint32_t classify_block(struct hs_classifier *c, uint64_t addr, uint64_t usable,
			const uint8_t *bytes, size_t avail);

/* Opens the stopped child, walks its main heap ([heap]) and classifies every block that
   looks in use. Free chunks in tcache or fastbins look in use too, but their first word has
   become a free-list link: a freed C++ object loses its class, which lets the C++ test count
   exactly; the others count "at least". Bails on failure. */
void classify_child_heap(struct heap_view *v, pid_t pid);
void heap_view_free(struct heap_view *v);

/* The block holding addr, NULL when none. */
const struct walked_block *block_holding(const struct heap_view *v, uint64_t addr);
const char *type_name(const struct heap_view *v, uint32_t type);
const char *type_kind(const struct heap_view *v, uint32_t type);
size_t count_named(const struct heap_view *v, const char *name);

/* One assertion per expected name: every announced object of that name lies in a block of
   that name (starting at the object when exact_start); of the notclass objects none is
   named as a C++ class. */
void check_expectations(const struct heap_view *v, const struct child *ch, bool exact_start);
/* How many objects of that name the child announced. */
size_t expected_count(const struct child *ch, const char *name);
/* No type name carries the marker the targets put in their data. */
void check_no_heap_text(const struct heap_view *v, const char *marker);

#endif
