# tests/classify: the block classifier against real stopped processes (C++, C, CPython),
# read through a test-only /proc backend and a minimal main-heap walk.
classify_harness = \
	tests/classify/harness.c tests/classify/harness.h \
	tests/classify/proc_target.c tests/classify/proc_target.h

# Targets keep glibc's malloc: no sanitizer flags (AM_CFLAGS/AM_LDFLAGS carry them).
check_PROGRAMS += tests/classify/cxx_target tests/classify/cxx_target_stripped tests/classify/c_target
tests_classify_cxx_target_SOURCES = tests/classify/cxx_target.cc
tests_classify_cxx_target_CXXFLAGS = $(HS_WARN_CFLAGS)
tests_classify_cxx_target_LDFLAGS =
tests_classify_cxx_target_stripped_SOURCES = tests/classify/cxx_target.cc
tests_classify_cxx_target_stripped_CXXFLAGS = $(HS_WARN_CFLAGS)
tests_classify_cxx_target_stripped_LDFLAGS = -s
tests_classify_c_target_SOURCES = tests/classify/c_target.c
tests_classify_c_target_CFLAGS = -std=gnu11 $(HS_WARN_CFLAGS)
tests_classify_c_target_LDFLAGS =

check_PROGRAMS += tests/classify/classify_cxx tests/classify/classify_c tests/classify/classify_python
tests_classify_classify_cxx_SOURCES = tests/classify/classify_cxx.c $(classify_harness)
tests_classify_classify_cxx_LDADD = $(HS_LIBS)
tests_classify_classify_c_SOURCES = tests/classify/classify_c.c $(classify_harness)
tests_classify_classify_c_LDADD = $(HS_LIBS)
tests_classify_classify_python_SOURCES = tests/classify/classify_python.c $(classify_harness)
tests_classify_classify_python_LDADD = $(HS_LIBS)
TESTS += tests/classify/classify_cxx tests/classify/classify_c tests/classify/classify_python
EXTRA_DIST += tests/classify/py_target.py

# shape_of_bytes against a plain reference implementation of its rules.
check_PROGRAMS += tests/classify/byte_shape_test
tests_classify_byte_shape_test_SOURCES = tests/classify/byte_shape_test.c
tests_classify_byte_shape_test_LDADD = $(HS_LIBS)
TESTS += tests/classify/byte_shape_test
