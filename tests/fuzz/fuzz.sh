# The fuzzers (docs/fuzzing.md): each replays its regression inputs (tests/fuzz/regressions),
# then fuzzes from its seeds (tests/fuzz/corpus) for a bounded time; any crash, leak, hang
# (an input running over 5 s), memory blow-up or sanitizer report fails the test and is left
# as an artifact to fix and keep as a regression input.
#
# make check: FUZZ_WALK_SECONDS (default 10), FUZZ_SNAPSHOT_READ_SECONDS (default 5) and
# FUZZ_DEBUGINFO_SECONDS (default 10), in
# tests/fuzz/check-work. make fuzz: FUZZ_SECONDS each, in FUZZ_WORKDIR, whose corpus grows from run
# to run.
. "$TOP_SRCDIR/tests/tap.sh"

# make check's folder is made anew each time and removed when nothing was found.
work=${FUZZ_WORKDIR:-}
if [ -z "$work" ]; then
	work=$TOP_BUILDDIR/tests/fuzz/check-work
	rm -rf "$work"
	trap '[ "$tap_failed" -eq 0 ] && rm -rf "$work"' EXIT
fi
limits="-timeout=5 -rss_limit_mb=2048"

# fuzz NAME SECONDS
fuzz() {
	local name=$1 seconds=$2 bin=$TOP_BUILDDIR/tests/fuzz/fuzz_$1 log=$work/$1.log
	local corpus=$work/corpus/$1 artifacts=$work/artifacts/$1/ regressions rc found dict=
	[ -f "$TOP_SRCDIR/tests/fuzz/$name.dict" ] && dict=-dict=$TOP_SRCDIR/tests/fuzz/$name.dict
	if [ ! -x "$bin" ]; then
		not_ok "fuzz_$name is not built: configure found no clang that builds libFuzzer binaries" \
			"with ASan and UBSan; install clang and libclang-rt-14-dev (apt-get install clang" \
			"libclang-rt-14-dev) and run configure again"
		return
	fi
	mkdir -p "$corpus" "$artifacts"
	cp "$TOP_SRCDIR/tests/fuzz/corpus/$name"/* "$corpus"/
	regressions=$(ls -d "$TOP_SRCDIR/tests/fuzz/regressions/$name"/* 2>/dev/null)
	if [ -n "$regressions" ]; then
		# shellcheck disable=SC2086 # one argument per regression input
		if "$bin" $limits $regressions >"$log.regressions" 2>&1; then
			ok "fuzz_$name: $(echo "$regressions" | wc -l) regression inputs run clean"
		else
			not_ok "fuzz_$name: the regression inputs run clean"
			tail -30 "$log.regressions" | sed 's/^/# /'
		fi
	fi
	# shellcheck disable=SC2086
	"$bin" $limits $dict -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts" \
		"$corpus" >"$log" 2>&1
	rc=$?
	found=$(ls "$artifacts")
	if [ "$rc" -eq 0 ] && [ -z "$found" ]; then
		ok "fuzz_$name: $seconds s, $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") runs," \
			"no crash, hang, leak or sanitizer report"
	else
		not_ok "fuzz_$name: $seconds s without a crash, hang, leak or sanitizer report (exit $rc)"
		grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$log" | head -20 | sed 's/^/# /'
		diag "inputs in $artifacts: $found"
		diag "fix the cause, then keep the input in tests/fuzz/regressions/$name/"
	fi
}

fuzz walk "${FUZZ_SECONDS:-${FUZZ_WALK_SECONDS:-10}}"
fuzz snapshot_read "${FUZZ_SECONDS:-${FUZZ_SNAPSHOT_READ_SECONDS:-5}}"
fuzz debuginfo "${FUZZ_SECONDS:-${FUZZ_DEBUGINFO_SECONDS:-10}}"
done_testing
