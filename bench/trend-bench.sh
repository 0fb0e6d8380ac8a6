#!/bin/sh
# Benchmark of heapsnap trend (not part of make check): 100 synthetic snapshots of N blocks
# (default 1 million, ~23 MB each; gen-snapshot.awk's, a minute apart) trended at once; prints
# the wall time, its ratio to the bound of the issue (10 s for 100 x 1M blocks) and its ratio
# to reading the same files with cat. trend
# reads only the groups: the block lists are skimmed, never parsed.
# usage: bench/trend-bench.sh [N] [FILES]   (HEAPSNAP=path/to/heapsnap, default ./heapsnap)
set -eu
n=${1:-1000000}
files=${2:-100}
bound=10
heapsnap=${HEAPSNAP:-./heapsnap}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$heapsnap" ] || { echo "trend-bench: no heapsnap at $heapsnap: build it, or set HEAPSNAP" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "generating $files snapshots of $n blocks..."
awk -v n="$n" -v variant=old -f "$here/gen-snapshot.awk" >"$tmp/base"
i=0
while [ $i -lt "$files" ]; do
	# Each a minute after the last: only taken_at differs.
	sed "s/^  \"taken_at\": .*/  \"taken_at\": \"2026-11-22T$(printf '%02d:%02d' $((i / 60)) $((i % 60))):00Z\",/" \
		"$tmp/base" >"$tmp/s$i.json"
	i=$((i + 1))
done
rm "$tmp/base"
echo "  $(du -sm "$tmp" | cut -f1) MB in all"
# A first run brings the files into the page cache, as after watch wrote them.
"$heapsnap" trend "$tmp"/s*.json --format=json >/dev/null
# The same files read raw (cat), in the same run: on a shared machine the ratio of the two
# says more than either time.
start=$(date +%s.%N)
cat "$tmp"/s*.json >/dev/null
mid=$(date +%s.%N)
"$heapsnap" trend "$tmp"/s*.json --format=json >"$tmp/out"
end=$(date +%s.%N)
awk -v s="$start" -v m="$mid" -v e="$end" -v f="$files" -v n="$n" -v b="$bound" 'BEGIN {
	printf "heapsnap trend on %d snapshots of %d blocks: %.2f s (%.1f%% of the %d s bound; %.0f ms per snapshot)\n",
		f, n, e - m, 100 * (e - m) / b, b, 1000 * (e - m) / f
	printf "reading the same files with cat: %.2f s; trend / cat = %.1f\n", m - s, (e - m) / (m - s) }'
