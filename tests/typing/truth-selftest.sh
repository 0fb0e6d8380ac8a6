# The typed targets' ground truth against gdb: tests/typing/gdb_truth.py walks each target's
# roots (globals, statics, __thread variables, a waiting thread's locals) with gdb's own
# reading of the DWARF and must reach every block of the truth file, under the same name,
# and nothing else; at -O0 and -O2, and in C++. No heapsnap code is involved.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/typing/lib.sh"
require gdb python3

for name in $TYPED_TARGETS; do
	if ! start_typed "$name"; then
		not_ok "$name started"
		continue
	fi
	line=$(TRUTH=$TRUTH gdb -batch -nx -p "$TYPED_PID" -x "$TOP_SRCDIR/tests/typing/gdb_truth.py" 2>&1 |
		grep '^truth: ')
	diag "$name: ${line:-gdb printed no comparison}"
	set -- $line
	check "$name: gdb reaches as many blocks as the truth holds" [ -n "$line" ] && [ "$2" = "$5" ]
	check "$name: gdb names each of them as the truth does" \
		sh -c 'case $1 in *"mismatches [], unreached []") exit 0 ;; esac; exit 1' _ "$line"
	stop_typed
done
done_testing
