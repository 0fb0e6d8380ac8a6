# tests/debuginfo: the DWARF type reader (src/debuginfo) against the ground truth of fixtures
# that print their own layouts, addresses and thread pointers: live (-O0 and -O2) and, for C++
# names, offline.
check_PROGRAMS += tests/debuginfo/dump_debuginfo tests/debuginfo/fixture-O0 tests/debuginfo/fixture-O2 \
	tests/debuginfo/fixture_cxx tests/debuginfo/fixture_cxx_tu
tests_debuginfo_dump_debuginfo_SOURCES = tests/debuginfo/dump_debuginfo.c
tests_debuginfo_dump_debuginfo_LDADD = $(HS_LIBS)
# The fixtures keep glibc's malloc and their DWARF: no sanitizers (these replace AM_CFLAGS).
tests_debuginfo_fixture_O0_SOURCES = tests/debuginfo/fixture.c tests/debuginfo/fixture2.c \
	tests/debuginfo/fixture.h
tests_debuginfo_fixture_O0_CFLAGS = -std=gnu11 -O0 -g -pthread $(HS_WARN_CFLAGS)
tests_debuginfo_fixture_O0_CPPFLAGS = $(AM_CPPFLAGS) -DFIXTURE_O0
tests_debuginfo_fixture_O0_LDFLAGS = -pthread
tests_debuginfo_fixture_O2_SOURCES = $(tests_debuginfo_fixture_O0_SOURCES)
tests_debuginfo_fixture_O2_CFLAGS = -std=gnu11 -O2 -g -pthread $(HS_WARN_CFLAGS)
tests_debuginfo_fixture_O2_LDFLAGS = -pthread
tests_debuginfo_fixture_cxx_SOURCES = tests/debuginfo/fixture_cxx.cc
tests_debuginfo_fixture_cxx_CXXFLAGS = -O0 -g
tests_debuginfo_fixture_cxx_LDFLAGS =
# The same with its types in DWARF 4 type units (.debug_types, DW_FORM_ref_sig8).
tests_debuginfo_fixture_cxx_tu_SOURCES = tests/debuginfo/fixture_cxx.cc
tests_debuginfo_fixture_cxx_tu_CXXFLAGS = -O0 -gdwarf-4 -fdebug-types-section
tests_debuginfo_fixture_cxx_tu_LDFLAGS =
TESTS += tests/debuginfo/debuginfo.sh
EXTRA_DIST += tests/debuginfo/debuginfo.sh
