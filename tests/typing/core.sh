# DWARF types from a core (issue 19): a gcore of each typed target (C at -O0 and -O2, C++),
# read with take --core once the process is gone, names every block as the truth file says,
# as a live take does (tests/typing/types.sh), with and without --refs; --no-debuginfo names
# none.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/typing/lib.sh"
require python3 gcore

for name in $TYPED_TARGETS; do
	if ! start_typed "$name"; then
		not_ok "$name started"
		continue
	fi
	core=$TYPED_OUT/$name.core.$TYPED_PID
	check "$name: gcore dumps it" sh -c "gcore -o '$TYPED_OUT/$name.core' $TYPED_PID >/dev/null 2>&1"
	stop_typed
	check "$name: take --core exits 0" "$HEAPSNAP" take -q --core "$core" -o "$core.json"
	check_types "$name core" "$core.json"
	check "$name: take --core --no-debuginfo exits 0" "$HEAPSNAP" take -q --core "$core" --no-debuginfo \
		-o "$core-plain.json"
	check_types "$name core --no-debuginfo" --no-debuginfo "$core-plain.json"
	check "$name: take --core --refs exits 0" "$HEAPSNAP" take -q --core "$core" --refs -o "$core-refs.json"
	check_types "$name core --refs" "$core-refs.json"
	[ "$name" = typedtarget_cxx ] || check_types "$name core --refs" --why "$HEAPSNAP" "$core-refs.json"
	rm -f "$core"
done
done_testing
