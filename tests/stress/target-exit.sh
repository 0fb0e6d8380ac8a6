# The target dies during a take (or just before it): heapsnap ends with a clean error (exit 3)
# naming that, or a good snapshot,
# never a hang, and leaves no file behind on error.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

out=$(mktemp -d)
bad=0
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	start_target --threads 3 --blocks 40000 || { not_ok "target $i started"; continue; }
	timeout 60 "$HEAPSNAP" take "$TARGET_PID" -o "$out/t.json" 2>"$out/err" &
	hs=$!
	sleep "0.$(printf %02d $((i * 8)))"
	kill -9 "$TARGET_PID"
	wait "$hs"
	rc=$?
	case $rc in
	0) [ -s "$out/t.json" ] || { bad=$((bad + 1)); diag "run $i: exit 0 without a file"; } ;;
	3) [ ! -e "$out/t.json" ] && grep -q '^heapsnap: \(process [0-9]* \(has exited\|exited\)\|no process with PID\)' "$out/err" \
		|| { bad=$((bad + 1)); diag "run $i: exit 3 but: $(cat "$out/err"), file: $(ls "$out")"; } ;;
	*) bad=$((bad + 1)); diag "run $i: exit $rc: $(cat "$out/err")" ;;
	esac
	rm -f "$out/t.json"
	stop_target
done
check "a target dying mid-take gives a snapshot or a clean exit 3, never a hang" [ "$bad" -eq 0 ]
rm -rf "$out"
done_testing
