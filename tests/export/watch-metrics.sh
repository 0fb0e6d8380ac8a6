# watch --metrics-file: after each take the file holds exactly what `show --format=openmetrics`
# prints for the newest snapshot (so node_exporter's textfile collector reads the last take),
# written whole, mode 0600, accepted by promtool; an unwritable path ends the watch with 5.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
require promtool
out=$(mktemp -d)
trap 'target_cleanup; rm -rf "$out"' EXIT

start_target --seed 7 --threads 2 || not_ok "target started"
mkdir "$out/snaps"
"$HEAPSNAP" watch "$TARGET_PID" --every 0.5 --count 3 --dir "$out/snaps" --metrics-file "$out/heap.prom" \
	>"$out/watch.out" 2>"$out/watch.err"
check "watch --metrics-file exits 0" [ $? -eq 0 ]
[ -s "$out/watch.err" ] && diag "watch stderr: $(cat "$out/watch.err")"
last=$(ls "$out"/snaps/heapsnap.*.json | sort | tail -n 1)
"$HEAPSNAP" show "$last" --format=openmetrics >"$out/show.prom"
check "the metrics file is show --format=openmetrics of the last snapshot" cmp -s "$out/heap.prom" "$out/show.prom"
check "promtool check metrics accepts it" sh -c "promtool check metrics <'$out/heap.prom'"
check "the metrics file is mode 0600" [ "$(stat -c %a "$out/heap.prom")" = 600 ]
check "no temporary file is left beside it" [ "$(ls -A "$out" | grep -c '^\.heapsnap-')" -eq 0 ]

"$HEAPSNAP" watch "$TARGET_PID" --every 0.5 --count 2 --dir "$out/snaps" \
	--metrics-file "$out/no-such-dir/heap.prom" >/dev/null 2>"$out/bad.err"
check "an unwritable --metrics-file ends the watch with exit 5" [ $? -eq 5 ]
check "with one line naming the file" grep -q "no-such-dir" "$out/bad.err"
check "the target is left running" [ "$(target_state "$TARGET_PID" | cut -c1)" != T ]
stop_target
done_testing
