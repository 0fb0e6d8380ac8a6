#!/bin/sh
# DWARF typing's cost (issue 19: "typing adds <= 20% to the pause of a 1 M-block take"): runs
# bench/typed_target twice, as built (-g) and a copy stripped of its debug information
# (objcopy --strip-debug: the same code, the same heap), and takes, alternately, BENCH_RUNS
# times (default 3) each: the -g one with --no-debuginfo (no typing: the bound's base), the
# stripped one (typing with libc's DWARF alone, when libc6-dbg is installed: the fixed cost
# of typing, the block index and the roots) and the -g one (every block typed). Prints the
# median pause (walk.pause_ms) of each, their ratios to the base, and how many blocks have
# kind debuginfo in each (every block the target made with debug info, none without). Then
# the floor of any typing that reads the pointers while the target is stopped: bench/rawcopy
# copying the heap once, and copying it while keeping every word that points into it (what
# a design deciding the types after the stop would keep), against what the bound leaves.
# Exits 1 when the -g ratio exceeds 1.20, or when the typing is not what it should be (then
# the ratios mean nothing).
#
# Environment: HEAPSNAP, BENCH_BIN (folder of typed_target and rawcopy), BENCH_RUNS,
# BENCH_BLOCKS.
set -u
: "${HEAPSNAP:?set HEAPSNAP to the heapsnap binary}"
: "${BENCH_BIN:?set BENCH_BIN to the folder of typed_target}"
RUNS=${BENCH_RUNS:-3}
BLOCKS=${BENCH_BLOCKS:-1000000}
BOUND=1.20
work=$(mktemp -d)
pids=
trap 'for p in $pids; do kill -9 $p 2>/dev/null; done; rm -rf "$work"' EXIT

objcopy --strip-debug "$BENCH_BIN/typed_target" "$work/typed_target_stripped" || exit 1
# start NAME PROGRAM: runs it, waits for "ready"; its pid in pid_NAME.
start() {
	"$2" --blocks "$BLOCKS" >"$work/$1.out" 2>&1 &
	eval "pid_$1=$!"
	pids="$pids $!"
	while ! grep -q ready "$work/$1.out" 2>/dev/null; do
		kill -0 $! 2>/dev/null || { echo "bench: $2 failed: $(cat "$work/$1.out")" >&2; exit 1; }
		sleep 0.2
	done
}
start debug "$BENCH_BIN/typed_target"
start stripped "$work/typed_target_stripped"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# debuginfo_blocks SNAPSHOT: how many blocks have kind debuginfo.
debuginfo_blocks() {
	python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
kinds = [t["kind"] for t in s["types"]]
print(sum(kinds[b[2]] == "debuginfo" for b in s["blocks"]))' "$1"
}
# take MODE PID [OPTION]: one take, its pause appended to MODE.pause.
take() {
	"$HEAPSNAP" take -q ${3-} "$2" -o "$work/$1.json" || exit 1
	grep -o '"pause_ms": *[0-9.]*' "$work/$1.json" | grep -o '[0-9.]*$' >>"$work/$1.pause"
}
for run in $(seq "$RUNS"); do
	take base "$pid_debug" --no-debuginfo
	take stripped "$pid_stripped"
	take debug "$pid_debug"
	"$BENCH_BIN/rawcopy" "$pid_debug" | awk '{ print $4 * 1000 }' >>"$work/copy.ms" || exit 1
	"$BENCH_BIN/rawcopy" --pointers "$pid_debug" >"$work/keep.out" || exit 1
	awk '{ print $4 * 1000 }' "$work/keep.out" >>"$work/keep.ms"
done
copy_ms=$(median <"$work/copy.ms")
keep_ms=$(median <"$work/keep.ms")
kept=$(awk '{ print $6 }' "$work/keep.out")
pause_base=$(median <"$work/base.pause")
pause_debug=$(median <"$work/debug.pause")
pause_stripped=$(median <"$work/stripped.pause")
typed_base=$(debuginfo_blocks "$work/base.json")
typed_debug=$(debuginfo_blocks "$work/debug.json")
typed_stripped=$(debuginfo_blocks "$work/stripped.json")
blocks=$(grep -o '"live_blocks": *[0-9]*' "$work/debug.json" | head -1 | grep -o '[0-9]*$')
made=$(awk '/^ready/ { print $2 }' "$work/debug.out")
awk -v b="$blocks" -v made="$made" -v p0="$pause_base" -v pd="$pause_debug" -v ps="$pause_stripped" \
    -v t0="$typed_base" -v td="$typed_debug" -v ts="$typed_stripped" -v bound="$BOUND" -v runs="$RUNS" \
    -v copy="$copy_ms" -v keep="$keep_ms" -v kept="$kept" 'BEGIN {
	printf "live blocks %d (medians of %d alternated takes; shared machine)\n", b, runs
	printf "pause ms  --no-debuginfo %8.1f\n", p0
	printf "          stripped       %8.1f  ratio %.2f (only libc has DWARF)\n", ps, ps / p0
	printf "          -g             %8.1f  ratio %.2f (bound %.2f)\n", pd, pd / p0, bound
	printf "debuginfo blocks  -g %d, stripped %d, --no-debuginfo %d (the target made %d)\n", td, ts, t0, made
	printf "floor ms  copying the heap %.1f, copying it and keeping its %d pointer words %.1f:\n", copy, kept, keep
	printf "          %.1f more, where the bound leaves typing %.1f\n", keep - copy, (bound - 1) * p0
	if (td < made || ts != 0 || t0 != 0)
		print "bench: the -g take must name every block the target made, the others none"
	exit !(pd <= bound * p0 && td >= made && ts == 0 && t0 == 0)
}'
