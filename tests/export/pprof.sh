# show/diff --format=pprof, read by the real consumer (go tool pprof): the samples add up to
# the snapshot's live bytes and blocks exactly, -top lists show's top types, diff's samples
# add up to NEW minus OLD; on a hand-made, a generated and a real snapshot of the
# self-reporting target.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
. "$TOP_SRCDIR/tests/export/lib.sh"
require go jq awk timeout script
out=$(mktemp -d)
trap 'target_cleanup; rm -rf "$out" "$GOCACHE"' EXIT

data=$TOP_SRCDIR/tests/diff/data
awk -v n=20000 -v variant=old -f "$TOP_SRCDIR/bench/gen-snapshot.awk" >"$out/gen-old.json"
awk -v n=20000 -v variant=new -f "$TOP_SRCDIR/bench/gen-snapshot.awk" >"$out/gen-new.json"
start_target --seed 7 --threads 2 || not_ok "target started"
check "take of the target exits 0" "$HEAPSNAP" take "$TARGET_PID" -o "$out/real.json"
stop_target

# totals NAME SNAPSHOT: pprof's sample sums against the snapshot's live blocks and bytes.
totals() {
	check "$1: show --format=pprof -o exits 0" "$HEAPSNAP" show "$2" --format=pprof -o "$out/$1.pb.gz"
	check "$1: the file is gzip" sh -c "gzip -t '$out/$1.pb.gz'"
	check "$1: the file is mode 0600" [ "$(stat -c %a "$out/$1.pb.gz")" = 600 ]
	got=$(pprof_raw "$out/$1.pb.gz" | sum_pairs)
	want=$(jq -r '"\(.totals.live_blocks) \(.totals.live_bytes)"' "$2")
	if [ "$got" = "$want" ] && [ "$(pprof_raw "$out/$1.pb.gz" | wc -l)" -gt 0 ]; then
		ok "$1: pprof -raw samples add up to live blocks and bytes ($want)"
	else
		not_ok "$1: pprof -raw samples add up to '$got', the snapshot says '$want'"
	fi
	# -top's flat column is by type (the leaf frame); show -v lists every type, as pprof does.
	pprof_top "$out/$1.pb.gz" 5 >"$out/$1.top"
	"$HEAPSNAP" show -v "$2" --format=json --limit=5 | jq -r '.rows[].key' >"$out/$1.show"
	if [ -s "$out/$1.top" ] && cmp -s "$out/$1.top" "$out/$1.show"; then
		ok "$1: pprof -top lists show's 5 top types in show's order"
	else
		not_ok "$1: pprof -top lists $(tr '\n' '|' <"$out/$1.top"), show $(tr '\n' '|' <"$out/$1.show")"
	fi
}
totals hand-made "$data/s2.json"
# pprof shortens C++-looking symbol names ("(...)", "<...>"); type names must stay whole.
jq '.types[4].name = "std::map<int, std::vector<long> > (pointer array)"' "$data/s2.json" >"$out/template.json"
totals template-names "$out/template.json"
totals generated "$out/gen-old.json"
totals target "$out/real.json"

# diff: NEW minus OLD, in blocks and bytes.
delta() {
	check "$1: diff --format=pprof exits 0" "$HEAPSNAP" diff "$2" "$3" --format=pprof -o "$out/$1-diff.pb.gz"
	got=$(pprof_raw "$out/$1-diff.pb.gz" | sum_pairs)
	want=$(jq -rn --slurpfile o "$2" --slurpfile n "$3" \
		'"\($n[0].totals.live_blocks - $o[0].totals.live_blocks) \($n[0].totals.live_bytes - $o[0].totals.live_bytes)"')
	if [ "$got" = "$want" ]; then
		ok "$1: diff's samples add up to NEW minus OLD ($want)"
	else
		not_ok "$1: diff's samples add up to '$got', NEW minus OLD is '$want'"
	fi
}
delta hand-made "$data/s1.json" "$data/s2.json"
delta generated "$out/gen-old.json" "$out/gen-new.json"

# The stack: type name on top, its kind below; the usable size as the "bytes" label.
raw=$(timeout 120 go tool pprof -raw -symbolize=none "$out/hand-made.pb.gz" 2>/dev/null)
check "the type's frame is above its kind's" sh -c 'printf "%s\n" "$1" | grep -q "py:dict" && printf "%s\n" "$1" | grep -q "kind:python"' _ "$raw"
check "samples carry the usable size as a bytes label" sh -c 'printf "%s\n" "$1" | grep -q "bytes:\[4000 bytes\]"' _ "$raw"

# With reference data (take --refs of refstarget, which says what holds each block it made):
# each block's holder chain follows its kind, its root last; the bytes under each root frame
# are what the target says that root holds (tls roots hold libc's blocks too: not compared),
# and under "leaked (direct)" what it leaked. A growth of its registry in between: diff's
# samples add up to NEW minus OLD.
mkfifo "$out/commands"
HEAPTARGET=$TOP_BUILDDIR/tests/refs/refstarget start_target --commands "$out/commands" ||
	not_ok "refstarget started"
check "take --refs of refstarget exits 0" "$HEAPSNAP" take --refs "$TARGET_PID" -o "$out/refs.json"
echo "grow 300" >"$out/commands"
waited=0
while ! grep -q '^grown ' "$REPORT" && [ "$waited" -lt 200 ]; do sleep 0.1; waited=$((waited + 1)); done
check "a second take --refs after its registry grew exits 0" "$HEAPSNAP" take --refs "$TARGET_PID" -o "$out/refs2.json"
awk '$1 == "block" && $5 != "tls" {
	key = $4 != "reachable" ? "leaked (direct)" : $5 == "global" ? "global " $6 " (refstarget)" : \
	      $5 == "mapping" ? "mapping " $6 : $5 " " $7 " (" $6 ")"
	bytes[key] += $3 }
     END { for (k in bytes) print bytes[k] "\t" k }' "$REPORT" | sort -t "$(printf '\t')" -k2 >"$out/truth.roots"
stop_target
totals refs "$out/refs.json"
timeout 120 go tool pprof -top -nodefraction=0 -unit=B "$out/refs.pb.gz" 2>/dev/null |
	awk '/^ *flat/ { on = 1; next } on { cum = $4; sub(/B$/, "", cum); $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, "")
		print cum "\t" $0 }' >"$out/pprof.frames"
while IFS="$(printf '\t')" read -r bytes key; do
	got=$(awk -F '\t' -v k="$key" '$2 == k { print $1 }' "$out/pprof.frames")
	if [ "$got" = "$bytes" ]; then
		ok "refs: pprof's frame '$key' holds $bytes bytes, as the target says"
	else
		not_ok "refs: pprof's frame '$key' holds '$got' bytes, the target says $bytes"
	fi
done <"$out/truth.roots"
check "refs: the truth named the roots compared" [ "$(wc -l <"$out/truth.roots")" -ge 6 ]
raw=$(timeout 120 go tool pprof -traces "$out/refs.pb.gz" 2>/dev/null)
check "refs: a list node's chain is its type, its kind, then its root (a run of nodes one frame)" \
	sh -c 'printf "%s\n" "$1" | grep -A3 "^ *[0-9.]*kB *struct node$" | grep -q "global list_head (refstarget)"' _ "$raw"
delta refs "$out/refs.json" "$out/refs2.json"

# Binary output never goes to a terminal unasked; -o - writes it to standard output.
script -qec "'$HEAPSNAP' show '$data/s2.json' --format=pprof" /dev/null >"$out/tty" 2>&1
tty_rc=$?
check "pprof to a terminal without -o is a usage error (exit 2)" [ "$tty_rc" -eq 2 ]
check "the usage error says to use -o" grep -q -- "give -o FILE" "$out/tty"
"$HEAPSNAP" show "$data/s2.json" --format=pprof -o - >"$out/stdout.pb.gz"
check "-o - writes the profile to standard output" cmp -s "$out/stdout.pb.gz" "$out/hand-made.pb.gz"
check_exit 3 "an unreadable snapshot exits 3" "$HEAPSNAP" show "$out/missing.json" --format=pprof -o "$out/no.pb.gz"
check "and leaves no file behind" [ ! -e "$out/no.pb.gz" ]
done_testing
