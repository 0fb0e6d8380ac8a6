# Bad input to take: each case exits with the contract's code, says so in one line on stderr
# and leaves no output file behind.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

out=$(mktemp -d)
# expect CODE DESCRIPTION PATTERN ARGS...: exit code, one line matching PATTERN, no file.
expect() {
	local code=$1 what=$2 pattern=$3 got err; shift 3
	err=$("$@" -o "$out/x.json" 2>&1 >/dev/null); got=$?
	if [ "$got" -eq "$code" ]; then ok "$what: exit $code"; else not_ok "$what: exit $got, wanted $code ($err)"; fi
	if [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && printf '%s' "$err" | grep -q "^heapsnap: .*$pattern"; then
		ok "$what: one line naming the problem"
	else
		not_ok "$what: message '$err' does not match '$pattern'"
	fi
	check "$what: no output file" [ ! -e "$out/x.json" ]
}

expect 3 "no such process" "no process with PID" "$HEAPSNAP" take 2147483
expect 2 "not a number" "not a process ID" "$HEAPSNAP" take 12abc
expect 2 "heapsnap itself" "heapsnap itself" sh -c 'exec "$0" take $$ "$@"' "$HEAPSNAP"

"$TOP_BUILDDIR/tests/take/sleeper" & static_pid=$!
target_pids="$target_pids $static_pid"
sleep 0.2
expect 3 "statically linked target" "no shared glibc" "$HEAPSNAP" take "$static_pid"

start_target --threads 1 --blocks 100 || not_ok "target started"
if command -v setpriv >/dev/null; then
	expect 3 "no permission" "not permitted" setpriv --reuid=65534 --regid=65534 --clear-groups "$HEAPSNAP" take "$TARGET_PID"
else
	not_ok "setpriv (util-linux) is missing: install util-linux"
fi
err=$("$HEAPSNAP" take "$TARGET_PID" -o /nonexistent/dir/s.json 2>&1); rc=$?
check "unwritable output: exit 5" [ "$rc" -eq 5 ]
check "unwritable output: one line naming the directory" sh -c 'printf "%s" "$1" | grep -q "^heapsnap: cannot create a file in /nonexistent/dir"' _ "$err"
check "the target survived the refused takes, untraced" [ "$(target_state "$TARGET_PID")" = "S 0" ]
stop_target

LD_PRELOAD=$TOP_BUILDDIR/tests/take/libfakemalloc.so start_target --threads 1 --blocks 100 \
	|| not_ok "target with a preloaded allocator started"
expect 3 "another allocator preloaded" "not from glibc" "$HEAPSNAP" take "$TARGET_PID"
stop_target

rm -rf "$out"
done_testing
