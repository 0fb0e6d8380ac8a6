/* TAP for the C tests of tests/diff: ok N - what / not ok N - what, then the plan. */
#ifndef HS_TESTS_DIFF_TAP_H
#define HS_TESTS_DIFF_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed; /* one set per test program */

static inline void tap_ok(int pass, const char *what)
{
	tap_n++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - %s\n", pass ? "" : "not ", tap_n, what);
}

/* Passes when got equals want; shows both otherwise. */
static inline void tap_str(const char *got, const char *want, const char *what)
{
	tap_ok(got != NULL && strcmp(got, want) == 0, what);
	if (got == NULL || strcmp(got, want) != 0)
		printf("# got '%s', wanted '%s'\n", got ? got : "(null)", want);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
