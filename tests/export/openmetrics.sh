# show --format=openmetrics, read by the real consumer (promtool check metrics): accepted,
# ends in "# EOF", and every value equals the snapshot's (totals, arenas, show's top types);
# hostile type names stay inside their label; hs_openmetrics_write_file (for watch) writes
# the same text atomically, mode 0600.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
require promtool jq awk
out=$(mktemp -d)
trap 'target_cleanup; rm -rf "$out"' EXIT
data=$TOP_SRCDIR/tests/diff/data
fields="live_bytes live_blocks live_chunk_bytes mmapped_bytes mmapped_blocks tcache_bytes tcache_blocks
	fastbin_bytes fastbin_blocks free_bytes free_blocks top_bytes system_bytes overhead_bytes"

start_target --seed 5 --threads 3 || not_ok "target started"
check "take of the target exits 0" "$HEAPSNAP" take "$TARGET_PID" -o "$out/real.json"
stop_target

# metric FILE NAME [LABELS]: the value of one sample.
metric() {
	awk -v want="$2$3 " 'index($0, want) == 1 { print $NF; found = 1 } END { exit !found }' "$1"
}

verify() {
	local name=$1 snap=$2 m=$out/$1.prom bad= field a addr
	check "$name: show --format=openmetrics exits 0" "$HEAPSNAP" show "$snap" --format=openmetrics --limit=5 -o "$m"
	check "$name: promtool check metrics accepts it" sh -c "promtool check metrics <'$m'"
	check "$name: the text ends with # EOF" [ "$(tail -n 1 "$m")" = "# EOF" ]
	for field in $fields; do
		[ "$(metric "$m" "heapsnap_$field")" = "$(jq ".totals.$field" "$snap")" ] || bad="$bad $field"
	done
	check "$name: every total equals the snapshot's${bad:+ (wrong:$bad)}" [ -z "$bad" ]
	bad=
	for a in $(seq 0 $(($(jq '.arenas | length' "$snap") - 1))); do
		addr=$(jq -r ".arenas[$a].address" "$snap" | sed 's/^0x0*/0x/')
		for field in $fields; do
			[ "$(metric "$m" "heapsnap_arena_$field" "{arena=\"$addr\"}")" = "$(jq ".arenas[$a].$field" "$snap")" ] ||
				bad="$bad $addr:$field"
		done
	done
	check "$name: every arena figure equals the snapshot's${bad:+ (wrong:$bad)}" [ -z "$bad" ]
	"$HEAPSNAP" show "$snap" --format=json --limit=5 |
		jq -r '.rows[] | "\(.key)\t\(.size)\t\(.count)"' >"$out/$name.rows"
	bad=
	while IFS="$(printf '\t')" read -r key size count; do
		label=$(printf '%s' "$key" | sed 's/[\\"]/\\&/g')
		[ "$(metric "$m" 'heapsnap_type_bytes{type="'"$label"'"}')" = "$size" ] || bad="$bad $key"
		[ "$(metric "$m" 'heapsnap_type_blocks{type="'"$label"'"}')" = "$count" ] || bad="$bad $key"
	done <"$out/$name.rows"
	check "$name: the type metrics are show's 5 top rows${bad:+ (wrong:$bad)}" \
		[ -z "$bad" ] && [ "$(grep -c '^heapsnap_type_bytes{' "$m")" -eq "$(wc -l <"$out/$name.rows")" ]
}
verify hand-made "$data/s2.json"
verify target "$out/real.json"

# Type names with quotes, backslashes, a newline, a tab and markup stay inside their label
# value, escaped as the format says (control characters other than newline as '?').
jq '.types[0].name = "evil\"} 666\n# EOF \\ <b>\t"' "$data/s2.json" >"$out/hostile.json"
"$HEAPSNAP" show "$out/hostile.json" --format=openmetrics --limit=0 -o "$out/hostile.prom"
check "hostile names: promtool check metrics accepts the text" sh -c "promtool check metrics <'$out/hostile.prom'"
check "hostile names: the name is one escaped label value" \
	grep -qF 'heapsnap_type_bytes{type="evil\"} 666\n# EOF \\ <b>?"} 104' "$out/hostile.prom"
check "hostile names: one # EOF only" [ "$(grep -c '^# EOF' "$out/hostile.prom")" -eq 1 ]

check_exit 2 "diff --format=openmetrics is a usage error" "$HEAPSNAP" diff "$data/s1.json" "$data/s2.json" --format=openmetrics

# The function watch --metrics-file calls: same text, written whole, mode 0600.
"$HEAPSNAP" show "$data/s2.json" --format=openmetrics --limit=3 >"$out/show3.prom"
echo stale >"$out/file.prom"
check "hs_openmetrics_write_file exits 0" "$TOP_BUILDDIR/tests/export/openmetrics_file_test" "$data/s2.json" 3 "$out/file.prom"
check "hs_openmetrics_write_file writes show's text over the old file" cmp -s "$out/file.prom" "$out/show3.prom"
check "hs_openmetrics_write_file's file is mode 0600" [ "$(stat -c %a "$out/file.prom")" = 600 ]
check "no temporary file is left beside it" [ "$(ls -A "$out" | grep -c '^\.heapsnap-')" -eq 0 ]
"$TOP_BUILDDIR/tests/export/openmetrics_file_test" "$data/s2.json" 3 "$out/no-such-dir/file.prom" 2>/dev/null
check "an unwritable path is an output error (5)" [ $? -eq 5 ]
done_testing
