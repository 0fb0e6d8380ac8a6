# bench: performance measurements (make bench), not part of make check
# bench/diff-bench.sh: diff of two generated 1-million-block snapshots (time and peak RSS).
EXTRA_DIST += bench/diff-bench.sh bench/gen-snapshot.awk
