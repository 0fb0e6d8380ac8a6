# heapsnap why and show/diff --group-by=root against refstarget's truth table, live and from
# cores of the same process (tests/refs/check_why.py): every block's chain names its root
# and ends at it, a glob's chains add up per root, --group-by=root's rows equal the truth per
# root, and a growth of the target's registry (diff and trend) is exactly what it says it added. Then exit
# codes, snapshots without reference data, and hostile block_refs (loops, roots out of
# range) that must end in a clean error.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
. "$TOP_SRCDIR/tests/refs/lib.sh"
require python3 gcore timeout

REFSTARGET=$TOP_BUILDDIR/tests/refs/refstarget
out=$(mktemp -d)
trap 'target_cleanup; rm -rf "$out"' EXIT

why_check() { tap_lines "$label" python3 "$TOP_SRCDIR/tests/refs/check_why.py" "$@"; }
mangle() { python3 "$TOP_SRCDIR/tests/refs/mangle_refs.py" "$@"; }
# snapshot NAME: take --refs, live and from a gcore, as NAME.json and NAME-core.json.
snapshot() {
	check "take --refs ($1) exits 0" "$HEAPSNAP" take --refs -q "$TARGET_PID" -o "$out/$1.json"
	check "gcore dumps the target ($1)" sh -c "gcore -o '$out/$1.core' $TARGET_PID >/dev/null 2>&1"
	check "take --refs --core ($1) exits 0" "$HEAPSNAP" take --refs -q --core "$out/$1.core.$TARGET_PID" \
		-o "$out/$1-core.json"
}

mkfifo "$out/commands"
HEAPTARGET=$REFSTARGET start_target --commands "$out/commands" || not_ok "refstarget started"
snapshot before
label=live why_check chains "$REPORT" "$out/before.json" "$HEAPSNAP"
label=live why_check roots "$REPORT" "$out/before.json" "$HEAPSNAP"
label=core why_check --core chains "$REPORT" "$out/before-core.json" "$HEAPSNAP"
label=core why_check --core roots "$REPORT" "$out/before-core.json" "$HEAPSNAP"

# The growth: 1000 blocks linked from g_registry; the target says how many bytes they hold.
echo "grow 1000" > "$out/commands"
waited=0
while ! grep -q '^grown ' "$REPORT" && [ "$waited" -lt 200 ]; do
	sleep 0.1
	waited=$((waited + 1))
done
grown=$(awk '$1 == "grown" { print $2 }' "$REPORT")
check "refstarget grew its registry (grown $grown)" [ -n "$grown" ]
snapshot after
label=live why_check growth "$out/before.json" "$out/after.json" "$grown" 1000 "$HEAPSNAP"
label=core why_check growth "$out/before-core.json" "$out/after-core.json" "$grown" 1000 "$HEAPSNAP"
stop_target

# Exit codes and messages.
snap=$out/before.json
check_exit 0 "why GLOB in a table exits 0" "$HEAPSNAP" why "$snap" '*' --limit=3
check "why: a glob no type matches says so" sh -c '"$1" why "$2" "no such type*" | grep -q "no block'"'"'s type matches"' _ "$HEAPSNAP" "$snap"
check_exit 2 "why: an address in no live block is a usage error" "$HEAPSNAP" why "$snap" 0x10
check_exit 2 "why: no query is a usage error" "$HEAPSNAP" why "$snap"
check_exit 2 "why: --format=csv is a usage error" "$HEAPSNAP" why "$snap" '*' --format=csv
check_exit 2 "leaks --group-by=root is a usage error" "$HEAPSNAP" leaks "$snap" --group-by=root
mangle plain "$snap" "$out/plain.json" >/dev/null
# refs_needed DESCRIPTION COMMAND...: exit 3 with one line saying to take it with --refs.
refs_needed() {
	local d=$1 err rc
	shift
	err=$("$@" 2>&1 >/dev/null); rc=$?
	check "$d: exit 3, one line saying to take it with --refs" \
		sh -c '[ "$1" -eq 3 ] && [ "$(printf "%s\n" "$2" | wc -l)" -eq 1 ] && printf "%s" "$2" | grep -q -- "take --refs"' _ "$rc" "$err"
}
refs_needed "why of a snapshot without reference data" "$HEAPSNAP" why "$out/plain.json" '*'
refs_needed "show --group-by=root without reference data" "$HEAPSNAP" show "$out/plain.json" --group-by=root
refs_needed "diff --group-by=root, OLD without reference data" "$HEAPSNAP" diff "$out/plain.json" "$snap" --group-by=root
refs_needed "diff --group-by=root, NEW without reference data" "$HEAPSNAP" diff "$snap" "$out/plain.json" --group-by=root
refs_needed "trend --group-by=root with a snapshot without reference data" "$HEAPSNAP" trend "$snap" "$out/plain.json" --group-by=root

# Hostile block_refs: a clean exit 3 within the timeout, one line on stderr naming the file,
# nothing on stdout; never a hang or a crash.
# damaged DESCRIPTION FILE COMMAND...
damaged() {
	local d=$1 file=$2 rc
	shift 2
	timeout 60 "$@" >"$out/stdout" 2>"$out/stderr"
	rc=$?
	if [ "$rc" -eq 3 ] && [ "$(wc -l <"$out/stderr")" -eq 1 ] && [ ! -s "$out/stdout" ] &&
		grep -q "^heapsnap: $file: " "$out/stderr"; then
		ok "$d: exit 3, one line naming the file"
	else
		not_ok "$d: exit 3, one line naming the file (exit $rc)"
		sed 's/^/# /' "$out/stderr" | head -3
	fi
}
addr=$(mangle loop "$snap" "$out/loop.json")
damaged "why ADDR over holders that loop" "$out/loop.json" "$HEAPSNAP" why "$out/loop.json" "$addr"
damaged "why GLOB over holders that loop" "$out/loop.json" "$HEAPSNAP" why "$out/loop.json" '*'
addr=$(mangle nowhere "$snap" "$out/nowhere.json")
damaged "why ADDR of a held block whose chain reaches no root" "$out/nowhere.json" "$HEAPSNAP" why "$out/nowhere.json" "$addr"
damaged "why GLOB over a held block whose chain reaches no root" "$out/nowhere.json" "$HEAPSNAP" why "$out/nowhere.json" '*'
addr=$(mangle root "$snap" "$out/root.json")
damaged "why of a holder root index out of range" "$out/root.json" "$HEAPSNAP" why "$out/root.json" "$addr"
damaged "show --group-by=root of a holder root index out of range" "$out/root.json" "$HEAPSNAP" show "$out/root.json" --group-by=root
mangle owner "$snap" "$out/owner.json" >/dev/null
damaged "show --group-by=root of an owner out of range" "$out/owner.json" "$HEAPSNAP" show "$out/owner.json" --group-by=root
damaged "diff --group-by=root of an owner out of range" "$out/owner.json" "$HEAPSNAP" diff "$snap" "$out/owner.json" --group-by=root
damaged "trend --group-by=root of an owner out of range" "$out/owner.json" "$HEAPSNAP" trend "$snap" "$out/owner.json" --group-by=root
done_testing
