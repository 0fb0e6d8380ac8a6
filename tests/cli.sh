# The CLI contract: help, version, usage errors and their exit codes; -o into a FIFO.
. "$TOP_SRCDIR/tests/tap.sh"

check "heapsnap --help exits 0" "$HEAPSNAP" --help
check "heapsnap --version prints the version" sh -c '"$HEAPSNAP" --version | grep -q "^heapsnap [0-9]"'
for c in take show diff; do
	check "heapsnap $c --help exits 0" "$HEAPSNAP" $c --help
done
check_exit 2 "no command exits 2" "$HEAPSNAP"
check_exit 2 "an unknown command exits 2" "$HEAPSNAP" frobnicate
msg=$("$HEAPSNAP" frobnicate 2>&1)
check "usage errors are one line naming the problem" sh -c '[ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ] && printf "%s" "$1" | grep -q "^heapsnap: .*frobnicate"' _ "$msg"
check_exit 2 "take without a PID exits 2" "$HEAPSNAP" take
check_exit 2 "take with a non-number exits 2" "$HEAPSNAP" take abc
check_exit 2 "take of heapsnap itself exits 2" sh -c 'exec "$HEAPSNAP" take $$'
check_exit 2 "take with an unknown option exits 2" "$HEAPSNAP" take --frob 1

# -o naming something that is not a regular file (a FIFO, /dev/null) writes into it: the
# file's rename into place must not replace it.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/fifo"
timeout 20 cat "$work/fifo" >"$work/read" &
reader=$!
check "show -o FIFO exits 0" "$HEAPSNAP" show "$TOP_SRCDIR/tests/diff/data/s1.json" -o "$work/fifo"
wait $reader
check "show -o FIFO: the FIFO is still a FIFO" [ -p "$work/fifo" ]
check "show -o FIFO: its reader got the table" grep -q "groups by type" "$work/read"
done_testing
