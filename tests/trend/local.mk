# tests/trend: trend's statistics, watch + trend end to end, watch under SIGINT, errors.
check_PROGRAMS += tests/trend/stats_test tests/trend/trend_target
TESTS += tests/trend/stats_test
tests_trend_stats_test_SOURCES = tests/trend/stats_test.c tests/diff/tap.h
tests_trend_stats_test_LDADD = $(HS_LIBS)
# The target must run on glibc's malloc: its own flags replace AM_CFLAGS and AM_LDFLAGS,
# which carry the sanitizer flags.
tests_trend_trend_target_SOURCES = tests/trend/trend_target.c
tests_trend_trend_target_CFLAGS = -std=gnu11 -O1 $(HS_WARN_CFLAGS)
tests_trend_trend_target_LDFLAGS =
TESTS += tests/trend/watch-trend.sh tests/trend/sigint.sh tests/trend/errors.sh
EXTRA_DIST += tests/trend/watch-trend.sh tests/trend/sigint.sh tests/trend/errors.sh tests/trend/lib.sh
