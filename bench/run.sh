#!/bin/sh
# heapsnap's benchmark (issue 9), run by `make bench`. For targets of 100k, 1M and 4M live
# small blocks (4 threads, so 5 arenas) and one of a few large blocks, it measures, BENCH_RUNS
# times each, the median of:
#   raw      the physical bound: bench/rawcopy copying the target's heap mappings once
#   pause    how long `heapsnap take` kept the target stopped (walk.pause_ms)
#   take-nb  `heapsnap take --no-blocks` wall time
#   take     `heapsnap take` wall time (every block listed)
#   rss      heapsnap's peak resident memory (full take), and per live block above 64 MiB
#   file     the snapshot's size
# and `heapsnap diff` time and memory on two snapshots of the largest small target taken
# before and after it replaced a tenth of its blocks. Then the issue's floors, checked on
# the largest small target: pause <= 2x raw, take-nb <= 3x raw, take <= 8x raw, heapsnap's
# RSS <= 48 bytes per live block + 64 MiB. Exits 1 when a floor is not met.
#
# Environment: HEAPSNAP and BENCH_BIN (set by make bench); BENCH_RUNS (default 5: on a
# virtual machine whose host has slow stretches, the median of 5 rides out 2 slow runs),
# BENCH_SIZES (default "100000 1000000 4000000"), BENCH_LARGE_GIB (default 2; 0 skips it),
# BENCH_KEEP=1 keeps the scratch folder (snapshots) and says where it is.
set -u

: "${HEAPSNAP:?set HEAPSNAP to the heapsnap binary (make bench does)}"
: "${BENCH_BIN:?set BENCH_BIN to the folder of bench_target, rawcopy and peak_rss (make bench does)}"
RUNS=${BENCH_RUNS:-5}
SIZES=${BENCH_SIZES:-"100000 1000000 4000000"}
LARGE_GIB=${BENCH_LARGE_GIB:-2}
MIB=1048576
RSS_ALLOWANCE=$((64 * MIB))
FLOOR_PAUSE=2
FLOOR_TAKE_NB=3
FLOOR_TAKE=8
FLOOR_BYTES_PER_BLOCK=48

for prog in bench_target rawcopy peak_rss; do
	if [ ! -x "$BENCH_BIN/$prog" ]; then
		echo "bench: $BENCH_BIN/$prog is not built: run make bench" >&2
		exit 2
	fi
done
if [ ! -x "$HEAPSNAP" ]; then
	echo "bench: $HEAPSNAP is not built: run make bench" >&2
	exit 2
fi

work=$(mktemp -d) || exit 2
target_pid=
cleanup() {
	[ -n "$target_pid" ] && kill -9 "$target_pid" 2>/dev/null && wait "$target_pid" 2>/dev/null
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "bench: scratch files kept in $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_target ARGS...: starts bench_target, waits for its "ready" line; sets target_pid.
start_target() {
	"$BENCH_BIN/bench_target" "$@" >"$work/target.out" 2>"$work/target.err" &
	target_pid=$!
	until grep -qx ready "$work/target.out" 2>/dev/null; do
		if ! kill -0 "$target_pid" 2>/dev/null; then
			echo "bench: bench_target $* failed: $(cat "$work/target.err")" >&2
			exit 2
		fi
		sleep 0.2
	done
}

stop_target() {
	kill -9 "$target_pid" 2>/dev/null
	wait "$target_pid" 2>/dev/null
	target_pid=
}

# median FILE: the median of the numbers in FILE, one a line (the lower one of the middle
# two when the count is even).
median() {
	sort -g "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# json_number FILE KEY: the first numeric member KEY of the snapshot's header lines.
json_number() {
	head -c 65536 "$1" | tr ',{' '\n\n' | sed -n "s/^ *\"$2\": *\([0-9.eE+-]*\).*/\1/p" | head -n 1
}

# timed FIGURES_FILE COMMAND...: runs the command under peak_rss, appends its seconds to
# FIGURES_FILE.time and its peak RSS to FIGURES_FILE.rss; stops the benchmark on failure.
timed() {
	figures=$1
	shift
	if ! "$BENCH_BIN/peak_rss" "$work/one" "$@" >"$work/cmd.out" 2>"$work/cmd.err"; then
		echo "bench: '$*' failed: $(cat "$work/cmd.err")" >&2
		exit 2
	fi
	read -r seconds rss <"$work/one"
	echo "$seconds" >>"$figures.time"
	echo "$rss" >>"$figures.rss"
}

# ratio A B: A/B with two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

# measure NAME TARGET_ARGS...: one row of the table; leaves the medians in m_* variables.
measure() {
	name=$1
	shift
	start_target "$@"
	rm -f "$work"/fig.*
	run=1
	while [ "$run" -le "$RUNS" ]; do
		"$BENCH_BIN/rawcopy" "$target_pid" >"$work/raw.out" || { echo "bench: rawcopy failed" >&2; exit 2; }
		read -r _ bytes _ seconds <"$work/raw.out"
		echo "$bytes" >>"$work/fig.raw_bytes"
		echo "$seconds" >>"$work/fig.raw"
		timed "$work/fig.nb" "$HEAPSNAP" take --quiet --no-blocks -o "$work/nb.json" "$target_pid"
		timed "$work/fig.take" "$HEAPSNAP" take --quiet -o "$work/take.json" "$target_pid"
		echo "$(json_number "$work/take.json" pause_ms)" | awk '{ print $1 / 1000 }' >>"$work/fig.pause"
		wc -c <"$work/take.json" >>"$work/fig.file"
		run=$((run + 1))
	done
	m_blocks=$(json_number "$work/take.json" live_blocks)
	m_raw_bytes=$(median "$work/fig.raw_bytes")
	m_raw=$(median "$work/fig.raw")
	m_pause=$(median "$work/fig.pause")
	m_nb=$(median "$work/fig.nb.time")
	m_take=$(median "$work/fig.take.time")
	m_rss=$(median "$work/fig.take.rss")
	m_nb_rss=$(median "$work/fig.nb.rss")
	m_file=$(median "$work/fig.file")
	m_per_block=$(awk -v r="$m_rss" -v n="$m_blocks" -v a="$RSS_ALLOWANCE" \
		'BEGIN { if (r <= a) print "0"; else printf "%.1f", (r - a) / n }')
	printf '%-14s %9s %9.0f %8.3f %8.3f %6s %8.3f %6s %8.3f %6s %8.1f %8.1f %7s %8.1f\n' \
		"$name" "$m_blocks" "$(awk -v b="$m_raw_bytes" -v m=$MIB 'BEGIN { print b / m }')" \
		"$m_raw" "$m_pause" "$(ratio "$m_pause" "$m_raw")" \
		"$m_nb" "$(ratio "$m_nb" "$m_raw")" "$m_take" "$(ratio "$m_take" "$m_raw")" \
		"$(awk -v r="$m_nb_rss" -v m=$MIB 'BEGIN { print r / m }')" \
		"$(awk -v r="$m_rss" -v m=$MIB 'BEGIN { print r / m }')" "$m_per_block" \
		"$(awk -v f="$m_file" -v m=$MIB 'BEGIN { print f / m }')"
}

# measure_diff: diff time and memory on two snapshots of the running target, before and
# after it replaced a tenth of its blocks. Leaves the medians in d_*.
measure_diff() {
	cp "$work/take.json" "$work/old.json"
	kill -USR1 "$target_pid"
	until grep -qx changed "$work/target.out" 2>/dev/null; do sleep 0.2; done
	"$HEAPSNAP" take --quiet -o "$work/new.json" "$target_pid" || exit 2
	rm -f "$work"/fig.diff.*
	run=1
	while [ "$run" -le "$RUNS" ]; do
		timed "$work/fig.diff" "$HEAPSNAP" diff "$work/old.json" "$work/new.json"
		run=$((run + 1))
	done
	cp "$work/cmd.out" "$work/diff.out"
	d_time=$(median "$work/fig.diff.time")
	d_rss=$(median "$work/fig.diff.rss")
}

echo "heapsnap benchmark: $(nproc) cores, $(uname -r), glibc $(getconf GNU_LIBC_VERSION | cut -d' ' -f2)," \
	"$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); median of $RUNS runs;" \
	"load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows every figure)"
echo "times in seconds, (x) = ratio to raw; raw MiB = heap mappings copied; RSS in MiB;"
echo "B/blk = heapsnap's peak RSS above 64 MiB per live block"
printf '%-14s %9s %9s %8s %8s %6s %8s %6s %8s %6s %8s %8s %7s %8s\n' \
	target blocks "raw MiB" raw pause "(x)" take-nb "(x)" take "(x)" "RSS-nb" RSS "B/blk" "file MiB"

largest=
for n in $SIZES; do
	measure "small $n" --blocks "$n" --threads 4
	largest=$n
	f_blocks=$m_blocks f_raw=$m_raw f_pause=$m_pause f_nb=$m_nb f_take=$m_take f_rss=$m_rss
	if [ "$n" != "$(echo "$SIZES" | awk '{ print $NF }')" ]; then
		stop_target
	fi
done
diff_available=0
if [ -n "$largest" ] && "$HEAPSNAP" diff --help >/dev/null 2>&1; then
	diff_available=1
	measure_diff
fi
stop_target
if [ "$LARGE_GIB" != 0 ]; then
	measure "large ${LARGE_GIB}GiB" --large-gib "$LARGE_GIB"
	stop_target
fi

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$diff_available" = 1 ]; then
	printf 'diff of two snapshots of small %s (a tenth of the blocks replaced): %.3f s, RSS %.1f MiB\n' \
		"$largest" "$d_time" "$(awk -v r="$d_rss" -v m=$MIB 'BEGIN { print r / m }')"
	sed -n '/^Total:/p; /^blocks/p' "$work/diff.out"
else
	echo "diff: not measured: this heapsnap has no working 'diff' yet"
fi

[ -n "$largest" ] || exit 0
echo
echo "floors (issue 9), on small $largest:"
failed=0
floor() {
	if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v <= l) }'; then
		verdict=met
	else
		verdict="NOT met"
		failed=1
	fi
	printf '  %-34s %10s <= %-10s %s\n' "$1" "$2" "$3" "$verdict"
}
floor "pause / raw copy" "$(ratio "$f_pause" "$f_raw")" "$FLOOR_PAUSE"
floor "take --no-blocks / raw copy" "$(ratio "$f_nb" "$f_raw")" "$FLOOR_TAKE_NB"
floor "take / raw copy" "$(ratio "$f_take" "$f_raw")" "$FLOOR_TAKE"
floor "RSS (MiB), 48 B/block + 64 MiB" "$(awk -v r="$f_rss" -v m=$MIB 'BEGIN { printf "%.1f", r / m }')" \
	"$(awk -v n="$f_blocks" -v b=$FLOOR_BYTES_PER_BLOCK -v a=$RSS_ALLOWANCE -v m=$MIB 'BEGIN { printf "%.1f", (n * b + a) / m }')"
exit $failed
