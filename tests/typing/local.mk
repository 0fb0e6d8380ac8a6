# tests/typing: C and C++ struct types from DWARF (issue 19), against targets that write the
# type of every block they made (their truth file), live (types.sh) and from a gcore (core.sh).
# The targets keep glibc's malloc: no sanitizers (their own flags replace AM_CFLAGS/AM_LDFLAGS).
check_PROGRAMS += tests/typing/typedtarget tests/typing/typedtarget_O2 tests/typing/typedtarget_cxx
tests_typing_typedtarget_SOURCES = tests/typing/typedtarget.c
tests_typing_typedtarget_CFLAGS = -std=gnu11 -O0 -g -pthread $(HS_WARN_CFLAGS)
tests_typing_typedtarget_LDFLAGS = -pthread
tests_typing_typedtarget_O2_SOURCES = tests/typing/typedtarget.c
tests_typing_typedtarget_O2_CFLAGS = -std=gnu11 -O2 -g -pthread $(HS_WARN_CFLAGS)
tests_typing_typedtarget_O2_LDFLAGS = -pthread
tests_typing_typedtarget_cxx_SOURCES = tests/typing/typedtarget_cxx.cc
tests_typing_typedtarget_cxx_CXXFLAGS = -O0 -g $(HS_WARN_CFLAGS)
tests_typing_typedtarget_cxx_LDFLAGS =
TESTS += tests/typing/types.sh tests/typing/core.sh
EXTRA_DIST += tests/typing/types.sh tests/typing/core.sh tests/typing/lib.sh tests/typing/check_types.py
# The truth itself, against gdb's walk of the targets' roots.
TESTS += tests/typing/truth-selftest.sh
EXTRA_DIST += tests/typing/truth-selftest.sh tests/typing/gdb_truth.py
# The checker itself, on snapshots rewritten as a perfect engine would name them (and flawed).
TESTS += tests/typing/checker-selftest.sh
EXTRA_DIST += tests/typing/checker-selftest.sh tests/typing/ideal_snapshot.py
