# take --core: a gcore of the self-reporting target gives the snapshot a live take of the same
# idle process gives (same blocks, same totals) and passes the same exactness checks, with
# debug files and without; broken or incomplete cores are refused in one line (exit 3).
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
require gcore

out=$(mktemp -d)
same_walk() { # same_walk A.json B.json: blocks and totals equal
	[ "$(sed -n '/"totals"/p' "$1")" = "$(sed -n '/"totals"/p' "$2")" ] &&
		[ "$(sed -n '/"blocks"/,$p' "$1")" = "$(sed -n '/"blocks"/,$p' "$2")" ]
}

start_target --seed 11 --threads 4 || not_ok "target started"
check "live take exits 0" "$HEAPSNAP" take "$TARGET_PID" -o "$out/live.json"
check "gcore dumps the target" sh -c "gcore -o '$out/core' $TARGET_PID >/dev/null 2>&1"
core=$out/core.$TARGET_PID
for opt in "" --no-debuginfo; do
	check "take --core $opt exits 0" "$HEAPSNAP" take --core "$core" $opt -o "$out/core$opt.json"
	oracle_check "$REPORT" "$out/core$opt.json"
	check "take --core $opt: source is core" grep -q '"source":"core"' "$out/core$opt.json"
	check "take --core $opt lists the live take's blocks and totals" same_walk "$out/live.json" "$out/core$opt.json"
done
check "the target runs on untraced" [ "$(target_state "$TARGET_PID")" = "S 0" ]
stop_target

# expect_refusal DESCRIPTION PATTERN ARGS...: exit 3, one line matching PATTERN, no file.
expect_refusal() {
	local what=$1 pattern=$2 err rc; shift 2
	err=$("$HEAPSNAP" take "$@" -o "$out/bad.json" 2>&1); rc=$?
	check "$what: exit 3" [ "$rc" -eq 3 ]
	check "$what: one line naming the problem" sh -c '[ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ] && printf "%s" "$1" | grep -q "$2"' _ "$err" "$pattern"
	[ "$rc" -eq 3 ] || diag "$what: $err"
	check "$what: no output file" [ ! -e "$out/bad.json" ]
}
head -c $(( $(stat -c %s "$core") / 2 )) "$core" > "$out/truncated"
expect_refusal "a core cut in half" "^heapsnap: .*" --core "$out/truncated"
printf 'not a core at all\n' > "$out/text"
expect_refusal "a text file" "^heapsnap: .*not an ELF" --core "$out/text"
expect_refusal "an executable, not a core" "^heapsnap: .*not a core" --core "$HEAPTARGET"

# A core whose libc is gone from this machine: the target ran on a private copy of libc.
mkdir -p "$out/lib"
libc=$(ldd "$HEAPTARGET" | awk '/libc.so/ { print $3 }')
cp "$libc" "$out/lib/"
loader=$(ldd "$HEAPTARGET" | awk '/ld-linux/ { print $1 }')
HEAPTARGET_RUNNER="$loader --library-path $out/lib" start_target --seed 12 --threads 1 --blocks 200 \
	|| not_ok "target on a private libc started"
check "the target maps the private libc" grep -q "$out/lib/libc" "/proc/$TARGET_PID/maps"
check "gcore dumps it" sh -c "gcore -o '$out/private' $TARGET_PID >/dev/null 2>&1"
private_core=$out/private.$TARGET_PID
stop_target
rm -f "$out/lib/libc.so.6"
expect_refusal "a core whose libc is missing" "libc.*build-id [0-9a-f]\{40\}.*--sysroot" --core "$private_core"
rm -rf "$out"
done_testing
