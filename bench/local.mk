# bench: performance measurements (make bench), not part of make check. The programs are
# built with the tests (so they keep compiling); `make bench` runs bench/run.sh.
# bench/diff-bench.sh: diff of two generated 1-million-block snapshots (time and peak RSS).
EXTRA_DIST += bench/diff-bench.sh bench/gen-snapshot.awk bench/results.md
# bench/trend-bench.sh: trend over 100 generated 1-million-block snapshots (time, ratio to 10 s).
EXTRA_DIST += bench/trend-bench.sh
# bench/export-bench.sh: pprof, OpenMetrics and the HTML report on 1-million-block snapshots.
EXTRA_DIST += bench/export-bench.sh

# The target must run on glibc's malloc and be fast: its own flags replace AM_CFLAGS and
# AM_LDFLAGS, which carry the sanitizer flags.
check_PROGRAMS += bench/bench_target bench/rawcopy bench/peak_rss
bench_bench_target_SOURCES = bench/bench_target.c bench/block_mix.h
bench_bench_target_CFLAGS = -std=gnu11 -O2 -pthread $(HS_WARN_CFLAGS)
bench_bench_target_LDFLAGS = -pthread
bench_rawcopy_SOURCES = bench/rawcopy.c
bench_rawcopy_CFLAGS = -std=gnu11 -O2 $(HS_WARN_CFLAGS)
bench_rawcopy_LDFLAGS =
bench_peak_rss_SOURCES = bench/peak_rss.c
bench_peak_rss_CFLAGS = -std=gnu11 -O2 $(HS_WARN_CFLAGS)
bench_peak_rss_LDFLAGS =

# hs_shape_of_bytes alone, on bench_target's block mix, in memory: run by hand
# (bench/shape_bench [blocks]); it prints ns/block.
check_PROGRAMS += bench/shape_bench
bench_shape_bench_SOURCES = bench/shape_bench.c bench/block_mix.h
bench_shape_bench_LDADD = $(HS_LIBS)

EXTRA_DIST += bench/run.sh bench/stat-bench.sh bench/refs-bench.sh

# bench/stat-bench.sh: stat's pause against take's on 2 million blocks (issue 22).
stat-bench: heapsnap$(EXEEXT) bench/bench_target$(EXEEXT) bench/peak_rss$(EXEEXT)
	HEAPSNAP='$(abs_top_builddir)/heapsnap' BENCH_BIN='$(abs_top_builddir)/bench' \
		$(SHELL) $(top_srcdir)/bench/stat-bench.sh
.PHONY: stat-bench

bench: heapsnap$(EXEEXT) bench/bench_target$(EXEEXT) bench/rawcopy$(EXEEXT) bench/peak_rss$(EXEEXT)
	HEAPSNAP='$(abs_top_builddir)/heapsnap' BENCH_BIN='$(abs_top_builddir)/bench' \
		$(SHELL) $(top_srcdir)/bench/run.sh
.PHONY: bench

# bench/types-bench.sh: DWARF typing's cost on the pause (issue 19), on typed_target built -g
# against the same take without typing and a copy stripped of its debug information; run by
# hand (make types-bench).
check_PROGRAMS += bench/typed_target
bench_typed_target_SOURCES = bench/typed_target.c
bench_typed_target_CFLAGS = -std=gnu11 -O2 -g -pthread $(HS_WARN_CFLAGS)
bench_typed_target_LDFLAGS = -pthread
EXTRA_DIST += bench/types-bench.sh
types-bench: heapsnap$(EXEEXT) bench/typed_target$(EXEEXT) bench/rawcopy$(EXEEXT)
	HEAPSNAP='$(abs_top_builddir)/heapsnap' BENCH_BIN='$(abs_top_builddir)/bench' \
		$(SHELL) $(top_srcdir)/bench/types-bench.sh
.PHONY: types-bench

# bench/sqlite-debuginfo.sh: the share of a real program's heap DWARF names (sqlite3's shell
# from Debian's source, -g against stripped); needs the network once (make sqlite-debuginfo).
EXTRA_DIST += bench/sqlite-debuginfo.sh
sqlite-debuginfo: heapsnap$(EXEEXT)
	HEAPSNAP='$(abs_top_builddir)/heapsnap' bash $(top_srcdir)/bench/sqlite-debuginfo.sh
.PHONY: sqlite-debuginfo
