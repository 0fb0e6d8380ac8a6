#!/bin/sh
# take --refs benchmark (issue 18): on a bench_target of N live small blocks (default 1M,
# 4 threads), takes alternately without and with --refs, BENCH_RUNS times each (default 3),
# and prints the medians and their ratios from the same run: the pause (walk.pause_ms), the
# whole take (wall time), heapsnap's peak RSS (and its bound, 64 B per block + 64 MiB), and
# the snapshot bytes per block that block_refs adds. Exits 1 when a bound of the issue is
# not met (pause <= 2x, take <= 3x, RSS <= 64 B/block + 64 MiB).
#
# Environment: HEAPSNAP, BENCH_BIN (folder of bench_target and peak_rss), BENCH_RUNS,
# BENCH_BLOCKS.
set -u
: "${HEAPSNAP:?set HEAPSNAP to the heapsnap binary}"
: "${BENCH_BIN:?set BENCH_BIN to the folder of bench_target and peak_rss}"
RUNS=${BENCH_RUNS:-3}
BLOCKS=${BENCH_BLOCKS:-1000000}
work=$(mktemp -d)
trap 'kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT

"$BENCH_BIN/bench_target" --blocks "$BLOCKS" --threads 4 >"$work/target.out" 2>&1 &
pid=$!
while ! grep -q ready "$work/target.out" 2>/dev/null; do
	kill -0 $pid 2>/dev/null || { echo "bench: bench_target failed" >&2; exit 1; }
	sleep 0.2
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for run in $(seq "$RUNS"); do
	for mode in plain refs; do
		opt=; [ $mode = refs ] && opt=--refs
		"$BENCH_BIN/peak_rss" "$work/one" "$HEAPSNAP" take -q $opt "$pid" -o "$work/$mode.json" || exit 1
		read -r secs rss <"$work/one"
		echo "$secs" >>"$work/$mode.take"
		echo "$rss" >>"$work/$mode.rss"
		grep -o '"pause_ms": *[0-9.]*' "$work/$mode.json" | grep -o '[0-9.]*$' >>"$work/$mode.pause"
	done
done
blocks=$(grep -o '"live_blocks": *[0-9]*' "$work/plain.json" | head -1 | grep -o '[0-9]*$')
for f in pause take rss; do
	eval "${f}_plain=$(median <"$work/plain.$f")"
	eval "${f}_refs=$(median <"$work/refs.$f")"
done
refs_bytes=$(sed -n '/"block_refs"/,$p' "$work/refs.json" | wc -c)
bound=$((64 * blocks + 64 * 1048576))
awk -v b="$blocks" -v pp="$pause_plain" -v pr="$pause_refs" -v tp="$take_plain" -v tr="$take_refs" \
    -v rp="$rss_plain" -v rr="$rss_refs" -v rb="$refs_bytes" -v bound="$bound" 'BEGIN {
	printf "blocks %d (medians of the same run; shared machine)\n", b
	printf "pause ms      plain %8.1f  --refs %8.1f  ratio %.2f (bound 2, aim 1.2)\n", pp, pr, pr / pp
	printf "take s        plain %8.3f  --refs %8.3f  ratio %.2f (bound 3)\n", tp, tr, tr / tp
	printf "peak RSS MiB  plain %8.1f  --refs %8.1f  bound %.1f\n", rp / 1048576, rr / 1048576, bound / 1048576
	printf "block_refs    %.1f bytes per block in the snapshot\n", rb / b
	exit !(pr <= 2 * pp && tr <= 3 * tp && rr <= bound)
}'
