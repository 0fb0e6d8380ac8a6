# End to end: a live C++ target grows one class (grow::Widget), shrinks another
# (shrink::Gadget) and adds C strings between two takes; the diff shows exactly those changes,
# with new and freed block counts, and nothing else moves.
. "$TOP_SRCDIR/tests/tap.sh"
require jq

out=$(mktemp -d)
trap 'kill -9 $target 2>/dev/null; rm -rf "$out"' EXIT
mkfifo "$out/control"
W=300 G=120 S=500
"$TOP_BUILDDIR/tests/diff/e2e_target" "$out/control" "$out/report" $W $G $S &
target=$!
for i in $(seq 100); do grep -q ready "$out/report" 2>/dev/null && break; sleep 0.1; done
check "the target is ready" grep -q ready "$out/report"
check "first take" "$HEAPSNAP" take "$target" -o "$out/s1.json" --label before
echo step > "$out/control"
for i in $(seq 100); do grep -q stepped "$out/report" && break; sleep 0.1; done
check "the target stepped" grep -q stepped "$out/report"
check "second take" "$HEAPSNAP" take "$target" -o "$out/s2.json" --label after
"$HEAPSNAP" diff "$out/s1.json" "$out/s2.json" --format=json --limit=0 > "$out/diff.json"
check "diff --format=json exits 0" [ $? -eq 0 ]

row() { jq -c --arg k "$1" '.rows[] | select(.key == $k) | [.count_diff, .new_blocks, .freed_blocks]' "$out/diff.json"; }
check "grow::Widget: +$W blocks, $W new, 0 freed" [ "$(row grow::Widget)" = "[$W,$W,0]" ]
check "shrink::Gadget: -$G blocks, 0 new, $G freed" [ "$(row shrink::Gadget)" = "[-$G,0,$G]" ]
check "strings: +$S blocks, $S new, 0 freed" [ "$(row 'char[] (string)')" = "[$S,$S,0]" ]
widget_size=$(jq '[.rows[] | select(.key == "grow::Widget")][0].avg' "$out/diff.json")
check "grow::Widget grew by exactly $W x its size" \
	[ "$(jq --arg k grow::Widget '.rows[] | select(.key == $k) | .size_diff' "$out/diff.json")" -eq $((W * widget_size)) ]
others=$(jq -c '[.rows[] | select(.key != "grow::Widget" and .key != "shrink::Gadget" and .key != "char[] (string)") | select(.count_diff != 0 or .size_diff != 0 or .new_blocks != 0 or .freed_blocks != 0) | .key]' "$out/diff.json")
check "nothing else changed ($others)" [ "$others" = "[]" ]
check "the total block change is exactly W - G + S" \
	[ "$(jq '.total.count_diff' "$out/diff.json")" -eq $((W - G + S)) ]
check "the table names both snapshots' labels" sh -c "'$HEAPSNAP' diff '$out/s1.json' '$out/s2.json' | grep -q 'label \"after\"'"
check "--fail-if-growth=1 trips (exit 1)" sh -c "'$HEAPSNAP' diff '$out/s1.json' '$out/s2.json' --fail-if-growth=1 >/dev/null; [ \$? -eq 1 ]"
done_testing
