# A target that was stopped (SIGSTOP, job control) before take is walked and left stopped; a
# running one is left running; neither is left traced.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

out=$(mktemp -d)
start_target --seed 7 --threads 2 || not_ok "target started"
kill -STOP "$TARGET_PID"
for i in 1 2 3 4 5 6 7 8 9 10; do [ "$(target_state "$TARGET_PID")" = "T 0" ] && break; sleep 0.1; done
check "target is stopped before take" [ "$(target_state "$TARGET_PID")" = "T 0" ]
check "take of a stopped target exits 0" "$HEAPSNAP" take "$TARGET_PID" -o "$out/stopped.json"
oracle_check "$REPORT" "$out/stopped.json"
sleep 0.2
check "the target is still stopped, untraced" [ "$(target_state "$TARGET_PID")" = "T 0" ]
kill -CONT "$TARGET_PID"
sleep 0.2
check "after SIGCONT it runs" [ "$(target_state "$TARGET_PID")" = "S 0" ]
check "take of the running target exits 0" "$HEAPSNAP" take "$TARGET_PID" -o "$out/running.json"
check "the snapshot file is mode 0600" [ "$(stat -c %a "$out/running.json")" = 600 ]
check "the target is left running, untraced" [ "$(target_state "$TARGET_PID")" = "S 0" ]
stop_target
rm -rf "$out"
done_testing
