# take --refs against ground truth: refstarget reports, for every block it made, whether it
# is still reachable and from which root; the snapshot must agree (tests/refs/check_refs.py),
# live and from a core of the same process. Then take --refs of real programs (python3,
# perl, sqlite3) succeeds, and --refs with --no-blocks is a usage error.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
. "$TOP_SRCDIR/tests/refs/lib.sh"
require python3 gcore perl sqlite3 jq

REFSTARGET=$TOP_BUILDDIR/tests/refs/refstarget
out=$(mktemp -d)
trap 'target_cleanup; rm -rf "$out"' EXIT

# refs_check [--core] REPORT SNAPSHOT: check_refs.py's lines as this test's own.
refs_check() { tap_lines "$label" python3 "$TOP_SRCDIR/tests/refs/check_refs.py" "$@"; }

HEAPTARGET=$REFSTARGET start_target || not_ok "refstarget started"
label=live
check "take --refs exits 0" "$HEAPSNAP" take --refs "$TARGET_PID" -o "$out/live.json"
refs_check "$REPORT" "$out/live.json"
check "the target runs on untraced" [ "$(target_state "$TARGET_PID")" = "S 0" ]
check "gcore dumps the target" sh -c "gcore -o '$out/core' $TARGET_PID >/dev/null 2>&1"
label=core
check "take --refs --core exits 0" "$HEAPSNAP" take --refs --core "$out/core.$TARGET_PID" -o "$out/core.json"
refs_check --core "$REPORT" "$out/core.json"
check "the core's block_refs equal the live take's" \
	[ "$(sed -n '/"block_refs"/,$p' "$out/live.json")" = "$(sed -n '/"block_refs"/,$p' "$out/core.json")" ]
# heapsnap leaks over the live snapshot: the split equals the target's own figures.
want=$(awk '$1 == "block" && $4 != "reachable" { n++ } END { print n }' "$REPORT")
check_exit 0 "leaks shows the leaked blocks" "$HEAPSNAP" leaks "$out/live.json"
"$HEAPSNAP" leaks "$out/live.json" --format=json > "$out/leaks.json"
check "leaks --format=json counts the target's $want leaked blocks" \
	[ "$(jq '.total.direct.count + .total.indirect.count' "$out/leaks.json")" = "$want" ]
check "leaks --format=json lists them" [ "$(jq '.blocks | length' "$out/leaks.json")" = "$want" ]
check "leaks --format=json: 50 indirect (the parents' children) and the cycle's two" \
	[ "$(jq '[.blocks[] | select(.[3] == "indirect")] | length' "$out/leaks.json")" = 52 ]
check_exit 1 "leaks --fail-if-leaks=1 trips" "$HEAPSNAP" leaks "$out/live.json" --fail-if-leaks=1
check_exit 0 "leaks --fail-if-leaks=1GiB does not" "$HEAPSNAP" leaks "$out/live.json" --fail-if-leaks=1GiB
check "take without --refs exits 0" "$HEAPSNAP" take "$TARGET_PID" -o "$out/plain.json"
err=$("$HEAPSNAP" leaks "$out/plain.json" 2>&1 >/dev/null); rc=$?
check "leaks of a snapshot without --refs: exit 3, saying to take it with --refs" \
	sh -c '[ "$1" -eq 3 ] && printf "%s" "$2" | grep -q -- "--refs"' _ "$rc" "$err"
# A hostile block_refs: a holder out of range is exit 3, not a crash.
sed '/"block_refs"/,$ s/^\[[0-9-]*,/[99999999,/' "$out/live.json" > "$out/bad.json"
check_exit 3 "leaks of a block_refs row with a holder out of range: exit 3" "$HEAPSNAP" leaks "$out/bad.json"
stop_target
check_exit 2 "--refs with --no-blocks is a usage error" "$HEAPSNAP" take --refs --no-blocks 1

# Real programs, each idle on a fifo that never gets data while it is taken.
leaked() {
	python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["refs"]
print(r["leaked_direct_blocks"] + r["leaked_indirect_blocks"], "of",
      r["reachable_blocks"] + r["leaked_direct_blocks"] + r["leaked_indirect_blocks"])' "$1"
}
take_real() { # take_real NAME COMMAND...
	local name=$1 pid; shift
	mkfifo "$out/$name.fifo"
	"$@" <"$out/$name.fifo" >/dev/null 2>&1 &
	pid=$!
	exec 9>"$out/$name.fifo"
	sleep 1
	if check "take --refs of $name succeeds" "$HEAPSNAP" take --refs -q "$pid" -o "$out/$name.json"; then
		diag "$name: $(leaked "$out/$name.json") blocks leaked"
	fi
	exec 9>&-
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
take_real python3 python3 -c 'import json, sys; d = {i: str(i) for i in range(10000)}; sys.stdin.read()'
take_real perl perl -e 'my %h = map { $_ => "x" x $_ } 1..2000; my $x = <STDIN>;'
take_real sqlite3 sqlite3 :memory:
done_testing
