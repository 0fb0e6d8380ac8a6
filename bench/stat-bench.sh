#!/bin/sh
# stat's pause against take's (issue 22): on bench_target with 2 million live small blocks
# (4 threads, 5 arenas), BENCH_RUNS times (default 5) in turn, how long `heapsnap take` kept
# the target stopped (the snapshot's walk.pause_ms) and how long `heapsnap stat` did (its
# JSON's pause_ms); prints the medians and their ratio against the bound: stat <= 10% of take,
# and stat's peak RSS (bench/peak_rss), which must not grow with the heap's bytes.
# Exits 1 when the bound is not met. Run by hand or by `make stat-bench`.
#
# stat's work grows with the free chunks in malloc's lists (each is read, as malloc_info and
# mallinfo2 visit each), not with the live blocks: the figures say how many there were and
# what each cost. BENCH_FREE_PERCENT (default 30: many freed blocks, a third of them left in
# the unsorted bins) sets how many blocks bench_target frees between its allocations.
#
# Environment: HEAPSNAP and BENCH_BIN (the folder of bench_target and peak_rss); BENCH_RUNS;
# BENCH_BLOCKS (default 2000000); BENCH_FREE_PERCENT.
set -u

: "${HEAPSNAP:?set HEAPSNAP to the heapsnap binary}"
: "${BENCH_BIN:?set BENCH_BIN to the folder of bench_target}"
RUNS=${BENCH_RUNS:-5}
BLOCKS=${BENCH_BLOCKS:-2000000}
FREE_PERCENT=${BENCH_FREE_PERCENT:-30}
BOUND=0.10

for prog in bench_target peak_rss; do
	[ -x "$BENCH_BIN/$prog" ] || { echo "stat-bench: $BENCH_BIN/$prog is not built: run make check" >&2; exit 2; }
done
work=$(mktemp -d) || exit 2
target_pid=
trap '[ -n "$target_pid" ] && kill -9 "$target_pid" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

"$BENCH_BIN/bench_target" --blocks "$BLOCKS" --free-percent "$FREE_PERCENT" >"$work/target.out" 2>"$work/target.err" &
target_pid=$!
until grep -qx ready "$work/target.out" 2>/dev/null; do
	kill -0 "$target_pid" 2>/dev/null || { echo "stat-bench: bench_target failed: $(cat "$work/target.err")" >&2; exit 2; }
	sleep 0.2
done

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

run=1
while [ "$run" -le "$RUNS" ]; do
	"$HEAPSNAP" take --quiet -o "$work/take.json" "$target_pid" || { echo "stat-bench: take failed" >&2; exit 2; }
	head -c 65536 "$work/take.json" | tr ',{' '\n\n' | sed -n 's/^ *"pause_ms": *\([0-9.eE+-]*\).*/\1/p' | head -n 1 >>"$work/take.pause"
	"$BENCH_BIN/peak_rss" "$work/stat.rss.one" "$HEAPSNAP" stat --format=json -o "$work/stat.json" "$target_pid" ||
		{ echo "stat-bench: stat failed" >&2; exit 2; }
	jq '.pause_ms' "$work/stat.json" >>"$work/stat.pause"
	awk '{ print $2 }' "$work/stat.rss.one" >>"$work/stat.rss"
	run=$((run + 1))
done
take=$(median "$work/take.pause")
stat=$(median "$work/stat.pause")
rss=$(median "$work/stat.rss")
free_chunks=$(jq '.mallinfo2.ordblks + .mallinfo2.smblks' "$work/stat.json")
awk -v t="$take" -v s="$stat" -v m="$rss" -v b="$BOUND" -v n="$BLOCKS" -v r="$RUNS" -v f="$free_chunks" -v p="$FREE_PERCENT" 'BEGIN {
	ratio = s / t
	printf "blocks %d (free-percent %d: %d free chunks in bins and fastbins), median of %d runs: take pause %.1f ms, stat pause %.1f ms (%.2f us a free chunk), ratio %.3f (bound %.2f): %s; stat peak RSS %.1f MiB\n",
		n, p, f, r, t, s, (f > 0 ? s * 1000 / f : 0), ratio, b, (ratio <= b) ? "met" : "NOT MET", m / 1048576
	exit ratio <= b ? 0 : 1
}'
