#!/usr/bin/env bash
# record-seeds.sh BUILDDIR OUTDIR: records the walk fuzzer's seed corpus (the images under
# tests/fuzz/corpus/walk) from the self-reporting test target, on this machine's glibc and
# on the other releases of the version matrix (tests/glibc, cached sysroots). Each image is
# checked before it is kept: its take passes the target's own report (tests/check_snapshot)
# and the image replays to the take's totals and blocks (replay-image). A developer's tool,
# not a test: make check replays the committed images (tests/fuzz/replay.sh), and they need
# recording again when the walker comes to read differently. glibc2.36-dropped-pages.img is
# not recorded but derived from glibc2.36-seed1.img (docs/fuzzing.md).
#
# The images stay small (tens of KiB) because the heaps are small, thread stacks are made
# 256 KiB (the walk reads a header from every page of anonymous memory) and an image keeps
# no bytes of stretches of zeros.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: record-seeds.sh BUILDDIR OUTDIR" >&2; exit 1; }
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
glibc=$here/../glibc
scratch=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$scratch"' EXIT
ulimit -s 256

# record NAME VERSION TAKE-OPTIONS -- HEAPTARGET-OPTIONS
record() {
	local name=$1 version=$2 take_opts=() target=$build/tests/target/heaptarget runner=()
	shift 2
	while [ "$1" != -- ]; do take_opts+=("$1"); shift; done
	shift
	if [ "$version" != 2.36 ]; then
		local sysroot
		sysroot=$("$glibc/sysroot.sh" "$version" 2>/dev/null)
		target=$scratch/heaptarget-$version
		[ -x "$target" ] || "$glibc/build-target.sh" "$version" "$here/../target/heaptarget.c" "$target"
		runner=("$glibc/run-target.sh" "$version")
		take_opts+=("--debug-dir=$sysroot/usr/lib/debug")
	fi
	rm -f "$scratch/report"
	"${runner[@]}" "$target" --report "$scratch/report" "$@" </dev/null >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 200); do grep -qx ready "$scratch/report" 2>/dev/null && break; sleep 0.1; done
	"$build/heapsnap" take "$pid" -q "${take_opts[@]}" -o "$scratch/snap.json" --save-image "$out/$name"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	pid=
	"$build/tests/check_snapshot" "$scratch/report" "$scratch/snap.json" >"$scratch/check.log" ||
		{ cat "$scratch/check.log"; echo "record-seeds.sh: $name: the take is not exact" >&2; exit 1; }
	"$build/tests/fuzz/replay-image" "$out/$name" "$scratch/snap.json"
	echo "$name: $(stat -c %s "$out/$name") bytes"
}

small=(--threads 2 --blocks 30 --mmaps 2)
# Fastbins fill only once a size's tcache bin holds 7 chunks: more blocks, most freed.
freed=(--threads 1 --blocks 150 --mmaps 1 --free-percent 80)
record glibc2.36-seed1.img 2.36 -- --seed 1 "${small[@]}"
record glibc2.36-fastbins.img 2.36 -- --seed 2 "${freed[@]}"
record glibc2.36-scan.img 2.36 --no-debuginfo -- --seed 3 "${small[@]}"
GLIBC_TUNABLES=glibc.malloc.hugetlb=2 record glibc2.36-hugetlb.img 2.36 -- --seed 4 "${small[@]}"
GLIBC_TUNABLES=glibc.malloc.hugetlb=2 record glibc2.36-hugetlb-scan.img 2.36 --no-debuginfo -- --seed 5 "${small[@]}"
record glibc2.31-fastbins.img 2.31 -- --seed 6 "${freed[@]}"
record glibc2.41-fastbins.img 2.41 -- --seed 7 "${freed[@]}"
# 2.43 has no fastbins.
record glibc2.43.img 2.43 -- --seed 8 "${small[@]}"
