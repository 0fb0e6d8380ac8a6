# Under load: a target whose threads malloc, realloc and free without pause and check every
# block's contents. Each take must either write a consistent snapshot (after its retries) or
# exit 4 saying it could not; the target never crashes, never sees its memory change, and runs
# on untraced after each take. HEAPSNAP_STRESS_TAKES sets the count (make stress: 1000).
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

takes=${HEAPSNAP_STRESS_TAKES:-20}
out=$(mktemp -d)
start_target --mode churn --threads 4 --blocks 2000 || not_ok "churning target started"
good=0 refused=0 bad=0
for i in $(seq "$takes"); do
	"$HEAPSNAP" take "$TARGET_PID" -o "$out/s.json" 2>"$out/err"
	rc=$?
	if [ $rc -eq 0 ] && "$CHECK_SNAPSHOT" --structure "$out/s.json" >"$out/check" 2>&1; then
		good=$((good + 1))
	elif [ $rc -eq 4 ] && [ ! -e "$out/s.json" ] && grep -q "^heapsnap: .*" "$out/err"; then
		refused=$((refused + 1))
	else
		bad=$((bad + 1))
		diag "take $i: exit $rc: $(cat "$out/err") $(grep '^not ok' "$out/check" | head -3)"
	fi
	rm -f "$out/s.json"
	state=$(target_state "$TARGET_PID")
	runs_untraced "$state" || { bad=$((bad + 1)); diag "after take $i the target is in state '$state' (want running, untraced)"; }
done
diag "$takes takes: $good consistent, $refused refused (exit 4), $bad wrong"
check "every take was consistent or refused, the target running untraced after each" [ "$bad" -eq 0 ]
check "most takes succeed under load ($good of $takes)" [ "$good" -ge $((takes / 2)) ]
check "the target is alive" kill -0 "$TARGET_PID"
check "the target's blocks kept their contents" sh -c "! grep -q 'contents changed' '$REPORT.stderr'"
stop_target
rm -rf "$out"
done_testing
