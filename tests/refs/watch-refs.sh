# watch --refs: every snapshot of the watch carries reference data, so trend --group-by=root
# names the holder of what grew: refstarget grows its registry between the watch's takes,
# and the trend's `global g_registry (refstarget)` row rises by exactly the bytes the target
# says it added; no other root's row changes. --refs with --no-blocks is a usage error.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
require jq mkfifo

out=$(mktemp -d)
trap 'target_cleanup; rm -rf "$out"' EXIT
mkfifo "$out/commands"
HEAPTARGET=$TOP_BUILDDIR/tests/refs/refstarget start_target --commands "$out/commands" ||
	not_ok "refstarget started"
mkdir "$out/watch"
"$HEAPSNAP" watch "$TARGET_PID" --every 2 --count 2 --refs --dir "$out/watch" >"$out/lines" 2>"$out/err" &
watch_pid=$!
waited=0
while [ "$(ls "$out/watch" | wc -l)" -lt 1 ] && [ "$waited" -lt 200 ]; do sleep 0.05; waited=$((waited + 1)); done
echo "grow 500" >"$out/commands"
wait "$watch_pid"
check "watch --refs --count 2 exits 0" [ $? -eq 0 ]
check "it wrote two snapshots" [ "$(ls "$out/watch" | wc -l)" -eq 2 ]
grown=$(awk '$1 == "grown" { print $2 }' "$REPORT")
check "refstarget grew its registry between the takes (grown $grown)" [ -n "$grown" ]
check "every snapshot has reference data" \
	sh -c "for f in '$out'/watch/*.json; do jq -e '.refs and .block_refs' \"\$f\" >/dev/null || exit 1; done"
"$HEAPSNAP" trend "$out"/watch/*.json --group-by=root --limit=0 --format=json >"$out/trend.json"
rise=$(jq -r '.rows[] | select(.key == "global g_registry (refstarget)") | .sizes[-1] - .sizes[0]' "$out/trend.json")
check "trend --group-by=root: g_registry's row rises by the target's figure ($rise, the target says $grown)" \
	[ -n "$rise" -a "$rise" = "$grown" ]
check "no other root's row changes" \
	[ "$(jq '[.rows[] | select(.key != "global g_registry (refstarget)") | select(.sizes[-1] != .sizes[0])] | length' "$out/trend.json")" = 0 ]
check_exit 2 "watch --refs --no-blocks is a usage error" \
	"$HEAPSNAP" watch "$TARGET_PID" --every 1 --refs --no-blocks --dir "$out/watch"
check "the target runs on untraced" runs_untraced "$(target_state "$TARGET_PID")"
done_testing
