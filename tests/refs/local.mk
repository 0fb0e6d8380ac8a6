# tests/refs: take --refs against the ground truth of a self-reporting target, live and from
# a core, and on real programs.
# The block index's lookups against a plain search, on heap-like and hostile layouts.
check_PROGRAMS += tests/refs/block_index_test
tests_refs_block_index_test_SOURCES = tests/refs/block_index_test.c
tests_refs_block_index_test_LDADD = $(HS_LIBS)
TESTS += tests/refs/block_index_test
# why and --group-by=root against the same target (why.sh), the TAP relay both share (lib.sh).
TESTS += tests/refs/why.sh
EXTRA_DIST += tests/refs/why.sh tests/refs/check_why.py tests/refs/mangle_refs.py tests/refs/lib.sh
check_PROGRAMS += tests/refs/refstarget
tests_refs_refstarget_SOURCES = tests/refs/refstarget.c
# The target keeps glibc's malloc: no sanitizers (these replace AM_CFLAGS/AM_LDFLAGS).
tests_refs_refstarget_CFLAGS = -std=gnu11 -O1 -g -pthread $(HS_WARN_CFLAGS)
tests_refs_refstarget_LDFLAGS = -pthread
TESTS += tests/refs/refs.sh tests/refs/leaks.sh tests/refs/demo.sh tests/refs/watch-refs.sh \
	tests/refs/scan-worker.sh
EXTRA_DIST += tests/refs/refs.sh tests/refs/check_refs.py tests/refs/leaks.sh tests/refs/demo.sh \
	tests/refs/watch-refs.sh tests/refs/scan-worker.sh
