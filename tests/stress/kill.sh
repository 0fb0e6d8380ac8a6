# heapsnap dies mid-take: SIGKILL, SIGINT or SIGTERM at a random moment. The target is never
# left stopped or traced, and no partial output file remains: either a whole snapshot or
# nothing. HEAPSNAP_STRESS_KILLS sets the count (make stress: 100).
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

kills=${HEAPSNAP_STRESS_KILLS:-12}
out=$(mktemp -d)
start_target --threads 4 --blocks 40000 || not_ok "target started"
bad=0 whole=0 none=0
for i in $(seq "$kills"); do
	sig=$(printf 'KILL\nINT\nTERM\n' | shuf -n 1)
	"$HEAPSNAP" take "$TARGET_PID" -o "$out/k.json" 2>/dev/null &
	hs=$!
	sleep "0.0$(shuf -i 0-99 -n 1 | xargs printf '%02d')"
	kill -"$sig" "$hs" 2>/dev/null
	wait "$hs" 2>/dev/null
	# The kernel detaches a killed tracer's threads; give the target a moment to run.
	for w in 1 2 3 4 5 6 7 8 9 10; do
		runs_untraced "$(target_state "$TARGET_PID")" && break
		sleep 0.05
	done
	state=$(target_state "$TARGET_PID")
	runs_untraced "$state" || { bad=$((bad + 1)); diag "kill $i (SIG$sig): target left in state '$state'"; }
	if [ -e "$out/k.json" ]; then
		if "$CHECK_SNAPSHOT" "$REPORT" "$out/k.json" >/dev/null 2>&1; then
			whole=$((whole + 1))
		else
			bad=$((bad + 1)); diag "kill $i (SIG$sig): a partial or wrong snapshot was left"
		fi
	else
		none=$((none + 1))
	fi
	rm -f "$out/k.json"
	leftovers=$(ls -A "$out" | grep -c '^\.heapsnap-')
	if [ "$leftovers" -ne 0 ]; then bad=$((bad + 1)); diag "kill $i: temporary files left: $(ls -A "$out")"; rm -f "$out"/.heapsnap-*; fi
done
diag "$kills kills: $whole finished before the signal, $none left no file, $bad wrong"
check "after every kill the target runs untraced and no partial file remains" [ "$bad" -eq 0 ]
check "some kills landed mid-take ($none of $kills)" [ "$none" -gt 0 ]
stop_target
rm -rf "$out"
done_testing
