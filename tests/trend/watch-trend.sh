# End to end: `heapsnap watch --every 1 --count 9` on a target with a growing class, a
# sawtooth class and a constant class (told apart by size class), then `heapsnap trend`:
# only the growing class is growing, its slope within 15% of the rate the target reports.
. "$TOP_SRCDIR/tests/tap.sh"
require jq

. "$TOP_SRCDIR/tests/trend/lib.sh"
start_trend_target
check "the target reports its growth rate" [ -s "$out/rate" ]
rate=$(cat "$out/rate")
mkdir "$out/snaps"
"$HEAPSNAP" watch "$target" --every 1 --count 9 --dir "$out/snaps" --no-blocks >"$out/watch.out" 2>"$out/watch.err"
check "watch --every 1 --count 9 exits 0" [ $? -eq 0 ]
check "watch printed one line per take" [ "$(wc -l <"$out/watch.out")" -eq 9 ]
check "watch wrote 9 snapshots" [ "$(ls "$out/snaps" | grep -c "^heapsnap\.$target\.[0-9]*\.[0-9][0-9][0-9]\.json$")" -eq 9 ]
check "no temporary file left" [ -z "$(ls -A "$out/snaps" | grep -v '^heapsnap\.')" ]
[ -s "$out/watch.err" ] && diag "watch stderr: $(cat "$out/watch.err")"

"$HEAPSNAP" trend "$out"/snaps/*.json --group-by=sizeclass --format=json --limit=0 >"$out/trend.json"
check "trend --format=json exits 0" [ $? -eq 0 ]
check "trend lists the 9 times" [ "$(jq '.times | length' "$out/trend.json")" -eq 9 ]
row() { jq -c --arg k "$1" ".rows[] | select(.key == \$k) | $2" "$out/trend.json"; }
check "the growing class (513-1024) is growing" [ "$(row 513-1024 .growing)" = true ]
check "the sawtooth class (1025-2048) is not growing" [ "$(row 1025-2048 .growing)" = false ]
check "the constant class (2049-4096) is not growing" [ "$(row 2049-4096 .growing)" = false ]
check "exactly one group is growing" [ "$(jq '[.rows[] | select(.growing)] | length' "$out/trend.json")" -eq 1 ]
slope=$(row 513-1024 .slope_bytes_per_hour)
diag "growing slope $slope B/h, target's rate $rate B/h, p $(row 513-1024 .p_value)"
check "the growing slope is within 15% of the target's rate" \
	awk -v s="$slope" -v r="$rate" 'BEGIN { d = (s - r) / r; exit !(d < 0.15 && d > -0.15) }'
check "the constant class has a zero slope" [ "$(row 2049-4096 '.slope_bytes_per_hour == 0')" = true ]
check "the times are in order" [ "$(jq '.times == (.times | sort)' "$out/trend.json")" = true ]

"$HEAPSNAP" trend "$out"/snaps/*.json --group-by=sizeclass --fail-if-growing >"$out/table" 2>&1
check "--fail-if-growing exits 1" [ $? -eq 1 ]
check "the table marks the growing class" grep -q "growing .* 513-1024$" "$out/table"
check "the table ends with the total slope" grep -q "^total slope " "$out/table"
"$HEAPSNAP" trend "$out"/snaps/*.json --group-by=sizeclass --filter=nothing --fail-if-growing >/dev/null 2>&1
check "--fail-if-growing exits 0 when no shown group is growing" [ $? -eq 0 ]
"$HEAPSNAP" trend "$out"/snaps/*.json --group-by=sizeclass --format=csv >"$out/csv"
check "csv: a header, 3 rows or more and the total" \
	[ "$(head -1 "$out/csv")" = "key,first_bytes,last_bytes,slope_bytes_per_hour,p_value,growing" ]
check "csv: the growing class says yes" grep -q '^513-1024,.*,yes$' "$out/csv"

# --keep: only the newest N of this watch's files remain.
mkdir "$out/keep"
"$HEAPSNAP" watch "$target" --every 0.2 --count 4 --keep 2 --dir "$out/keep" --no-blocks >/dev/null 2>&1
check "watch --count 4 --keep 2 exits 0" [ $? -eq 0 ]
check "--keep 2 leaves 2 files" [ "$(ls "$out/keep" | wc -l)" -eq 2 ]

# The target exiting during the watch ends it with exit 3 and a one-line error.
mkdir "$out/gone"
"$HEAPSNAP" watch "$target" --every 0.3 --dir "$out/gone" --no-blocks 2>"$out/gone.err" >/dev/null &
watcher=$!
sleep 1
kill -9 "$target"; wait "$target" 2>/dev/null
wait "$watcher"
check "the target exiting ends the watch with exit 3" [ $? -eq 3 ]
check "with a one-line error" [ "$(wc -l <"$out/gone.err")" -eq 1 ]
check "the files written before are complete" sh -c 'for f in "$1"/*.json; do "$2" show "$f" >/dev/null || exit 1; done' sh "$out/gone" "$HEAPSNAP"
"$HEAPSNAP" watch "$target" --every 0.2 --count 2 --dir "$out/keep" 2>/dev/null >/dev/null
check "watch of a process that is gone exits 3" [ $? -eq 3 ]
done_testing
