# tests/take: the self-reporting target, the oracle checker and the helpers the take tests use.

# The target must run on glibc's malloc: its own flags replace AM_CFLAGS and AM_LDFLAGS,
# which carry the sanitizer flags.
check_PROGRAMS += tests/target/heaptarget
tests_target_heaptarget_SOURCES = tests/target/heaptarget.c
tests_target_heaptarget_CFLAGS = -std=gnu11 -O1 -g -pthread $(HS_WARN_CFLAGS)
tests_target_heaptarget_LDFLAGS = -pthread

check_PROGRAMS += tests/check_snapshot
tests_check_snapshot_SOURCES = tests/check_snapshot.c
tests_check_snapshot_LDADD = $(JANSSON_LIBS)

TESTS += tests/take/checker-selftest.sh tests/take/target-selftest.sh
EXTRA_DIST += \
	tests/take/lib.sh \
	tests/take/checker-selftest.sh \
	tests/take/target-selftest.sh \
	tests/take/checker-fixture/report.txt \
	tests/take/checker-fixture/snapshot.json

# The take tests proper.
TESTS += tests/take/exact.sh tests/take/hugetlb.sh tests/take/state.sh tests/take/errors.sh
EXTRA_DIST += tests/take/exact.sh tests/take/hugetlb.sh tests/take/state.sh tests/take/errors.sh \
	tests/take/fakemalloc.c

check_PROGRAMS += tests/take/sleeper
tests_take_sleeper_SOURCES = tests/take/sleeper.c
tests_take_sleeper_CFLAGS = -O1
tests_take_sleeper_LDFLAGS = -static

# An LD_PRELOAD allocator; built by hand because the project does not use libtool.
check_DATA = tests/take/libfakemalloc.so
tests/take/libfakemalloc.so: $(top_srcdir)/tests/take/fakemalloc.c
	$(AM_V_CC)$(CC) -shared -fPIC -O1 -o $@ $(top_srcdir)/tests/take/fakemalloc.c
CLEANFILES += tests/take/libfakemalloc.so

check_PROGRAMS += tests/take/layout_test
tests_take_layout_test_SOURCES = tests/take/layout_test.c
tests_take_layout_test_LDADD = $(HS_LIBS)
TESTS += tests/take/layout_test

check_PROGRAMS += tests/take/unwind_reads_test
tests_take_unwind_reads_test_SOURCES = tests/take/unwind_reads_test.c
tests_take_unwind_reads_test_LDADD = $(HS_LIBS)
TESTS += tests/take/unwind_reads_test

# Thread stacks, live and from cores; the busy check on a core.
check_PROGRAMS += tests/take/stack_target
tests_take_stack_target_SOURCES = tests/take/stack_target.c
tests_take_stack_target_CFLAGS = -std=gnu11 -O1 -g -pthread $(HS_WARN_CFLAGS)
tests_take_stack_target_LDFLAGS = -pthread
TESTS += tests/take/stacks.sh
EXTRA_DIST += tests/take/stacks.sh

# The page scan crosses 64 MiB a live target never touched and must map none of it.
check_PROGRAMS += tests/take/untouched_target
tests_take_untouched_target_SOURCES = tests/take/untouched_target.c
tests_take_untouched_target_CFLAGS = -std=gnu11 -O1 $(HS_WARN_CFLAGS)
tests_take_untouched_target_LDFLAGS =
TESTS += tests/take/untouched.sh
EXTRA_DIST += tests/take/untouched.sh

# Per-frame registers from both unwinders against what the target computes.
check_PROGRAMS += tests/take/frame_regs_target tests/take/frame_regs_dump
tests_take_frame_regs_target_SOURCES = tests/take/frame_regs_target.c
tests_take_frame_regs_target_CFLAGS = -std=gnu11 -O0 -g -pthread $(HS_WARN_CFLAGS)
tests_take_frame_regs_target_LDFLAGS = -pthread
tests_take_frame_regs_dump_SOURCES = tests/take/frame_regs_dump.c
tests_take_frame_regs_dump_LDADD = $(HS_LIBS)
TESTS += tests/take/frame-regs.sh
EXTRA_DIST += tests/take/frame-regs.sh
