# tests/typing/check_types.py against snapshots whose typing is known: one taken with
# --no-debuginfo and rewritten by the truth file as a perfect engine would name it must
# pass every check; each flaw put in it (a wrong name, a truth name on another block, an
# untyped block typed, no vote warning) must fail the check that covers it.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/typing/lib.sh"
require python3

ideal() { python3 "$TOP_SRCDIR/tests/typing/ideal_snapshot.py" "$snap" "$TRUTH" "$@"; }
checker() { python3 "$TOP_SRCDIR/tests/typing/check_types.py" "$@" "$TRUTH"; }
# fails_only SNAPSHOT PATTERN: the checker's not-ok lines are exactly those matching PATTERN.
fails_only() {
	local out
	out=$(checker "$1" | grep '^not ok')
	[ -n "$out" ] && ! printf '%s\n' "$out" | grep -v -- "$2" | grep -q .
}

passes() { ! checker "$1" | grep -q '^not ok'; }
fails_only_plain() { checker --no-debuginfo "$1" | grep -q '^not ok - --no-debuginfo: no block has kind debuginfo'; }

for name in typedtarget typedtarget_cxx; do
	if ! start_typed "$name"; then
		not_ok "$name started"
		continue
	fi
	snap=$TYPED_OUT/$name.json
	check "$name: take --no-debuginfo exits 0" "$HEAPSNAP" take -q --no-debuginfo "$TYPED_PID" -o "$snap"
	stop_typed
	ideal "$TYPED_OUT/ideal.json"
	check_types "$name, ideal" "$TYPED_OUT/ideal.json"
	check "$name: the untouched snapshot fails the name, count and vote checks alone" \
		fails_only "$snap" "has its name\|bears one\|disagree"
	ideal "$TYPED_OUT/flawed.json" wrong-name
	check "$name: a wrong name fails the name and count checks alone" \
		fails_only "$TYPED_OUT/flawed.json" "has its name\|bears one"
	ideal "$TYPED_OUT/flawed.json" extra-name
	check "$name: a truth name on another block fails the count check alone" \
		fails_only "$TYPED_OUT/flawed.json" "bears one"
	ideal "$TYPED_OUT/flawed.json" typed-untyped
	check "$name: an untyped block with kind debuginfo fails the name check alone" \
		fails_only "$TYPED_OUT/flawed.json" "has its name"
	check "$name: --no-debuginfo's check fails on it" fails_only_plain "$TYPED_OUT/flawed.json"
	ideal "$TYPED_OUT/flawed.json" no-warning
	if [ "$name" = typedtarget ]; then
		check "$name: no vote warning fails the vote check alone" fails_only "$TYPED_OUT/flawed.json" "disagree"
	else
		check "$name (no vote in its truth): no warning is needed" passes "$TYPED_OUT/flawed.json"
	fi
done
done_testing
