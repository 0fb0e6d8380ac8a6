# DWARF types in a live take (issue 19): every block of each typed target (C at -O0 and -O2,
# C++) bears the name its truth file says, kind debuginfo, and no other block bears those
# names; the struct a/struct b vote is in walk.warnings; --no-blocks keeps the names in the
# groups; --no-debuginfo names none; why over
# a --refs take follows g_registry's chains through the DWARF names, and leaks finds none of
# the target's blocks. tests/typing/check_types.py says what differs.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/typing/lib.sh"
require python3

for name in $TYPED_TARGETS; do
	if ! start_typed "$name"; then
		not_ok "$name started"
		continue
	fi
	snap=$TYPED_OUT/$name
	check "$name: take exits 0" "$HEAPSNAP" take -q "$TYPED_PID" -o "$snap.json"
	check_types "$name" "$snap.json"
	check "$name: take --no-blocks exits 0" "$HEAPSNAP" take -q --no-blocks "$TYPED_PID" -o "$snap-noblocks.json"
	check "$name --no-blocks: no block list, and the groups of kind debuginfo are the full take's" \
		python3 -c '
import json, sys
def debuginfo_groups(path):
    s = json.load(open(path))
    return s.get("blocks"), sorted((s["types"][g["type"]]["name"], g["size"], g["count"])
                                   for g in s["groups"] if s["types"][g["type"]]["kind"] == "debuginfo")
_, full = debuginfo_groups(sys.argv[1])
blocks, bare = debuginfo_groups(sys.argv[2])
sys.exit(0 if blocks is None and full and bare == full else 1)' "$snap.json" "$snap-noblocks.json"
	check "$name: take --no-debuginfo exits 0" "$HEAPSNAP" take -q --no-debuginfo "$TYPED_PID" -o "$snap-plain.json"
	check_types "$name --no-debuginfo" --no-debuginfo "$snap-plain.json"
	check "$name: take --refs exits 0" "$HEAPSNAP" take -q --refs "$TYPED_PID" -o "$snap-refs.json"
	check_types "$name --refs" "$snap-refs.json"
	[ "$name" = typedtarget_cxx ] || check_types "$name --refs" --why "$HEAPSNAP" "$snap-refs.json"
	check_types "$name --refs" --leaks "$HEAPSNAP" "$snap-refs.json"
	stop_typed
done
done_testing
