# tests/common: the helpers every stage shares, and the snapshot's group counts.
check_PROGRAMS += tests/common/big_array_test tests/common/group_count_test tests/common/unpreempted_test
tests_common_big_array_test_SOURCES = tests/common/big_array_test.c
tests_common_big_array_test_LDADD = $(HS_LIBS)
tests_common_group_count_test_SOURCES = tests/common/group_count_test.c
tests_common_group_count_test_LDADD = $(HS_LIBS)
tests_common_unpreempted_test_SOURCES = tests/common/unpreempted_test.c
tests_common_unpreempted_test_LDADD = $(HS_LIBS)
TESTS += tests/common/big_array_test tests/common/group_count_test tests/common/unpreempted_test
