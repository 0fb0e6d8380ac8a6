# tests/fuzz: heap images replayed through the walker, and the fuzzers (docs/fuzzing.md).

# Heap images (seeds, regressions, a fresh take's) replayed by the walker as the tool is built.
check_PROGRAMS += tests/fuzz/replay-image
tests_fuzz_replay_image_SOURCES = tests/fuzz/replay-image.c
tests_fuzz_replay_image_LDADD = $(HS_LIBS)
TESTS += tests/fuzz/replay.sh

# The fuzzers: heapsnap's sources built again with clang, libFuzzer, ASan and UBSan by a make
# file of their own (fuzz.mk). make check runs each for seconds, make fuzz for FUZZ_SECONDS
# (default 3600) each, keeping what it finds in fuzz-work/.
FUZZ_MAKE_ARGS = -f $(top_srcdir)/tests/fuzz/fuzz.mk CLANG='$(CLANG)' \
	top_srcdir='$(top_srcdir)' top_builddir='$(top_builddir)' WARN_CFLAGS='$(HS_WARN_CFLAGS)' \
	LIB_SOURCES='$(libheapsnap_a_SOURCES)' \
	DEP_CFLAGS='$(UNWIND_CFLAGS) $(LIBELF_CFLAGS) $(LIBDW_CFLAGS) $(JANSSON_CFLAGS)' \
	DEP_LIBS='$(UNWIND_LIBS) $(LIBDW_LIBS) $(LIBELF_LIBS) $(JANSSON_LIBS) -lm -lstdc++'
if HAVE_LIBFUZZER
check_DATA += fuzzers
endif
fuzzers:
	@$(MAKE) $(FUZZ_MAKE_ARGS)
TESTS += tests/fuzz/fuzz.sh
fuzz: fuzzers
	$(AM_TESTS_ENVIRONMENT) FUZZ_SECONDS=$${FUZZ_SECONDS:-3600} \
	FUZZ_WORKDIR='$(abs_top_builddir)/fuzz-work' $(SHELL) $(top_srcdir)/tests/fuzz/fuzz.sh
.PHONY: fuzzers fuzz
clean-local:
	rm -rf tests/fuzz/obj tests/fuzz/check-work tests/fuzz/fuzz_walk tests/fuzz/fuzz_snapshot_read \
		tests/fuzz/fuzz_debuginfo

EXTRA_DIST += tests/fuzz/replay.sh tests/fuzz/fuzz.sh tests/fuzz/fuzz.mk tests/fuzz/record-seeds.sh \
	tests/fuzz/fuzz_walk.c tests/fuzz/fuzz_snapshot_read.c tests/fuzz/fuzz_debuginfo.c \
	tests/fuzz/input_file.c tests/fuzz/input_file.h \
	tests/fuzz/snapshot_read.dict \
	tests/fuzz/corpus tests/fuzz/regressions
