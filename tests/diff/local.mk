# tests/diff: the snapshot reader, show and diff.
# Golden outputs of every option on hand-made snapshots (cases.txt, data/, golden/).
TESTS += tests/diff/golden.sh tests/diff/hostile.sh
EXTRA_DIST += tests/diff/golden.sh tests/diff/hostile.sh tests/diff/cases.txt \
	tests/diff/data tests/diff/golden
# C unit tests: units, keys, options; the reader against the writer.
check_PROGRAMS += tests/diff/units_test tests/diff/roundtrip_test tests/diff/block_log_test
TESTS += tests/diff/units_test tests/diff/roundtrip_test tests/diff/block_log_test
tests_diff_units_test_SOURCES = tests/diff/units_test.c tests/diff/tap.h
tests_diff_units_test_LDADD = $(HS_LIBS)
tests_diff_roundtrip_test_SOURCES = tests/diff/roundtrip_test.c tests/diff/tap.h
tests_diff_roundtrip_test_LDADD = $(HS_LIBS)
tests_diff_block_log_test_SOURCES = tests/diff/block_log_test.c tests/diff/tap.h
tests_diff_block_log_test_LDADD = $(HS_LIBS)

# End to end on a live C++ target.
check_PROGRAMS += tests/diff/e2e_target
tests_diff_e2e_target_SOURCES = tests/diff/e2e_target.cc
tests_diff_e2e_target_CXXFLAGS = -O1 -g
tests_diff_e2e_target_LDFLAGS =
TESTS += tests/diff/e2e.sh
EXTRA_DIST += tests/diff/e2e.sh
