# tests/common: the helpers every stage shares.
check_PROGRAMS += tests/common/big_array_test
tests_common_big_array_test_SOURCES = tests/common/big_array_test.c
tests_common_big_array_test_LDADD = $(HS_LIBS)
TESTS += tests/common/big_array_test
