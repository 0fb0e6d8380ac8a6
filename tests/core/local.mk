# tests/core: the core-file backend through the library API; gdb's gcore dumps a test
# target whose memory, threads and mappings the test knows.
check_PROGRAMS += tests/core/core-read-test tests/core/core-target
TESTS += tests/core/core-read-test
tests_core_core_read_test_SOURCES = tests/core/core-read-test.c tests/core/core-target.h
tests_core_core_read_test_LDADD = $(HS_LIBS)
tests_core_core_target_SOURCES = tests/core/core-target.c tests/core/core-target.h
# The target keeps glibc's malloc: no sanitizers (these replace AM_CFLAGS/AM_LDFLAGS).
tests_core_core_target_CFLAGS = -std=gnu11 $(HS_WARN_CFLAGS) -pthread
tests_core_core_target_LDFLAGS = -pthread
TESTS += tests/core/take-core.sh
EXTRA_DIST += tests/core/take-core.sh
