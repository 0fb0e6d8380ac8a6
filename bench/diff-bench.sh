#!/bin/sh
# Benchmark of heapsnap diff (not part of make check): generates two synthetic snapshots of
# N blocks (default 1 million) of one process, then reports the wall time and peak RSS of
# `heapsnap diff` with block identity, of `diff --format=json`, and of `show`.
# usage: bench/diff-bench.sh [N]   (HEAPSNAP=path/to/heapsnap, default ./heapsnap)
set -eu
n=${1:-1000000}
heapsnap=${HEAPSNAP:-./heapsnap}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$heapsnap" ] || { echo "diff-bench: no heapsnap at $heapsnap: build it, or set HEAPSNAP" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "diff-bench: /usr/bin/time is missing: apt-get install time" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "generating two snapshots of $n blocks..."
awk -v n="$n" -v variant=old -f "$here/gen-snapshot.awk" >"$tmp/old.json"
awk -v n="$n" -v variant=new -f "$here/gen-snapshot.awk" >"$tmp/new.json"
ls -l "$tmp/old.json" "$tmp/new.json" | awk '{ k = split($NF, p, "/"); printf "  %s: %.1f MB\n", p[k], $5 / 1e6 }'

# measure NAME ARGS...: one run of heapsnap under /usr/bin/time -v.
measure() {
	name=$1
	shift
	/usr/bin/time -v "$heapsnap" "$@" >"$tmp/out" 2>"$tmp/time" || {
		echo "diff-bench: $name failed:" >&2
		cat "$tmp/time" >&2
		exit 1
	}
	awk -v name="$name" -F': ' '
		/Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = t[n] + (n > 1 ? 60 * t[n - 1] : 0) + (n > 2 ? 3600 * t[n - 2] : 0) }
		/Maximum resident set size/ { rss = $2 }
		END { printf "  %-28s %8.2f s  %8.1f MiB peak RSS\n", name, wall, rss / 1024 }' "$tmp/time"
}

echo "heapsnap on $n blocks per snapshot:"
measure "diff (table, identity)" diff "$tmp/old.json" "$tmp/new.json"
head -3 "$tmp/out" | tail -1 | sed 's/^/    /'
measure "diff --format=json" diff "$tmp/old.json" "$tmp/new.json" --format=json --limit=0
measure "show" show "$tmp/old.json"
