#!/bin/sh
# Benchmark of the outputs for existing tools (not part of make check): on a generated
# snapshot of N blocks (default 1 million), the wall time of show --format=pprof and
# --format=openmetrics beside plain show (all three read and check the whole snapshot), the
# size of `heapsnap report` of two such snapshots, and the time headless Chromium takes to
# load and draw it (tests/export/browser.py).
# usage: bench/export-bench.sh [N]   (HEAPSNAP=path/to/heapsnap, default ./heapsnap)
set -eu
n=${1:-1000000}
heapsnap=${HEAPSNAP:-./heapsnap}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$heapsnap" ] || { echo "export-bench: no heapsnap at $heapsnap: build it, or set HEAPSNAP" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "generating two snapshots of $n blocks..."
awk -v n="$n" -v variant=old -f "$here/gen-snapshot.awk" >"$tmp/old.json"
awk -v n="$n" -v variant=new -f "$here/gen-snapshot.awk" >"$tmp/new.json"

# measure NAME ARGS...: wall time of one run of heapsnap.
measure() {
	name=$1
	shift
	start=$(date +%s.%N)
	"$heapsnap" "$@" >"$tmp/out"
	end=$(date +%s.%N)
	echo "$name $start $end" | awk '{ printf "  %-34s %6.3f s\n", $1, $3 - $2 }'
}

echo "heapsnap on $n blocks:"
measure "show(table)" show "$tmp/old.json"
measure "show--format=pprof" show "$tmp/old.json" --format=pprof -o "$tmp/p.pb.gz"
measure "show--format=openmetrics" show "$tmp/old.json" --format=openmetrics
measure "diff--format=pprof" diff "$tmp/old.json" "$tmp/new.json" --format=pprof -o "$tmp/d.pb.gz"
measure "report(2_snapshots)" report "$tmp/old.json" "$tmp/new.json" -o "$tmp/r.html"
ls -l "$tmp/p.pb.gz" "$tmp/r.html" | awk '{ k = split($NF, p, "/"); printf "  %-34s %6.1f KB\n", p[k], $5 / 1e3 }'
if command -v chromium >/dev/null; then
	timeout 90 python3 "$here/../tests/export/browser.py" "$tmp/r.html" 1280 800 |
		python3 -c 'import json, sys; d = json.load(sys.stdin); print("  report loaded and drawn in Chromium   %.3f s (%d errors)" % (d["load_seconds"], len(d["errors"])))'
fi
