# tests/stat: heapsnap stat against glibc's own mallinfo2/malloc_info, on every glibc at hand.

# The target must run on glibc's malloc: its own flags replace AM_CFLAGS and AM_LDFLAGS,
# which carry the sanitizer flags.
check_PROGRAMS += tests/stat/stat_target
tests_stat_stat_target_SOURCES = tests/stat/stat_target.c
tests_stat_stat_target_CFLAGS = -std=gnu11 -O1 -g -pthread $(HS_WARN_CFLAGS)
tests_stat_stat_target_LDFLAGS = -pthread

TESTS += tests/stat/exact.sh tests/stat/versions.sh
EXTRA_DIST += tests/stat/exact.sh tests/stat/versions.sh tests/stat/lib.sh

check_PROGRAMS += tests/stat/advice_test
TESTS += tests/stat/advice_test
tests_stat_advice_test_SOURCES = tests/stat/advice_test.c
tests_stat_advice_test_LDADD = $(HS_LIBS)
