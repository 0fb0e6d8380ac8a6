# heapsnap stat on the machine's glibc: malloc's own figures byte for byte, the RSS split
# adding up, a corrupt bin list as exit 4 (never a hang), usage errors as exit 2.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/stat/lib.sh"
require jq gcore mkfifo cmp

target=$TOP_BUILDDIR/tests/stat/stat_target
work=$(mktemp -d "${TMPDIR:-/tmp}/heapsnap-stat.XXXXXX")
trap 'exec 7>&- 2>/dev/null; [ -n "$STAT_PID" ] && kill -9 "$STAT_PID" 2>/dev/null; rm -rf "$work"' EXIT

if start_stat_target "$work" "" "$target"; then
	ok "stat_target runs"
	check_stat "glibc native" "$work"
	"$HEAPSNAP" stat "$STAT_PID" >"$work/text" 2>&1
	check "the text output has a total row and the RSS line" \
		sh -c "grep -q '^total ' '$work/text' && grep -q '^RSS .* MiB: live chunks' '$work/text'"
	stop_stat_target
else
	not_ok "stat_target runs"
fi

mkdir -p "$work/corrupt"
if start_stat_target "$work/corrupt" "" "$target" --corrupt; then
	check_exit 4 "a bin whose back link is broken: exit 4" timeout 60 "$HEAPSNAP" stat "$STAT_PID" --retries 0
	"$HEAPSNAP" stat "$STAT_PID" --retries 0 2>"$work/corrupt/err" >/dev/null
	check "the error names the broken link in one line" \
		sh -c "test \$(wc -l <'$work/corrupt/err') -eq 1 && grep -q 'back link' '$work/corrupt/err'"
	check "the target runs on after the error" \
		test "$(awk '$1 == "State:" { print $2 }' "/proc/$STAT_PID/status")" = S
	stop_stat_target
else
	not_ok "stat_target --corrupt runs"
fi

check_exit 2 "stat without PID: exit 2" "$HEAPSNAP" stat
check_exit 2 "stat with a bad --format: exit 2" "$HEAPSNAP" stat 1 --format=xml
check_exit 3 "stat of a process that does not exist: exit 3" "$HEAPSNAP" stat 1073741823
check_exit 0 "stat --help: exit 0" "$HEAPSNAP" stat --help
done_testing
