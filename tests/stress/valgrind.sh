# valgrind memcheck finds no error and no leak in take (with and without symbols), show and
# diff of the test target. Registered only in builds without sanitizers (valgrind cannot run
# an ASan binary; that build checks the same with ASan in every test).
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
require valgrind

out=$(mktemp -d)
vg() { valgrind --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect -q "$@"; }
start_target --threads 3 --blocks 2000 || not_ok "target started"
check "take under memcheck: no error, no leak" vg "$HEAPSNAP" take "$TARGET_PID" -o "$out/a.json"
check "take --no-debuginfo under memcheck" vg "$HEAPSNAP" take "$TARGET_PID" --no-debuginfo -o "$out/b.json"
check "the target runs on untraced" [ "$(target_state "$TARGET_PID")" = "S 0" ]
stop_target
check "show under memcheck" sh -c "valgrind --error-exitcode=9 --leak-check=full -q '$HEAPSNAP' show '$out/a.json' >/dev/null"
check "diff under memcheck" sh -c "valgrind --error-exitcode=9 --leak-check=full -q '$HEAPSNAP' diff '$out/a.json' '$out/b.json' --format=json >/dev/null"
rm -rf "$out"
done_testing
