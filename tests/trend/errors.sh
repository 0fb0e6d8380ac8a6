# trend's and watch's error cases: each a one-line error and the contract's exit code.
. "$TOP_SRCDIR/tests/tap.sh"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
data=$TOP_SRCDIR/tests/diff/data

# expect CODE DESCRIPTION ARGS...: heapsnap exits CODE with exactly one line on stderr.
expect() {
	local want=$1 d=$2
	shift 2
	"$HEAPSNAP" "$@" >"$out/stdout" 2>"$out/stderr"
	local got=$?
	if [ "$got" -eq "$want" ] && [ "$(wc -l <"$out/stderr")" -eq 1 ] && grep -q '^heapsnap: ' "$out/stderr"; then
		ok "$d"
	else
		not_ok "$d (exit $got, wanted $want; stderr: $(head -c 300 "$out/stderr"))"
	fi
}

expect 3 "trend with no file" trend
expect 3 "trend with one file" trend "$data/s1.json"
expect 3 "trend with a missing file" trend "$data/s1.json" "$out/missing.json"
printf '{"format":"heapsnap"' >"$out/truncated.json"
expect 3 "trend with a truncated file" trend "$data/s1.json" "$out/truncated.json"
# Unreadable: no read permission, or (as root, who reads anything) a directory.
if [ "$(id -u)" -ne 0 ]; then
	echo '{}' >"$out/unreadable.json"
	chmod 000 "$out/unreadable.json"
else
	mkdir "$out/unreadable.json"
fi
expect 3 "trend with an unreadable file" trend "$data/s1.json" "$out/unreadable.json"
sed 's/"taken_at": *"[^"]*"/"taken_at": "yesterday"/' "$data/s1.json" >"$out/badtime.json"
expect 3 "trend with a taken_at that is no time" trend "$data/s1.json" "$out/badtime.json"
# The block lists trend skims must still be well-formed JSON.
head='{"format":"heapsnap","version":1,"taken_at":"2026-01-01T00:00:00Z","target":{"pid":1},"totals":{"live_blocks":0,"live_bytes":0},"types":[],"groups":[],"blocks":'
printf '%s[]}' "$head" >"$out/empty.json"
printf '%s[[1,2,0],[3,4,0}]}' "$head" >"$out/mismatched.json"
printf '%s[[1,2,0],[3,4,0]' "$head" >"$out/cut.json"
printf '%s[[1,2,0],[[[3]]],{"a":[1]}]}' "$head" >"$out/odd.json"
"$HEAPSNAP" trend "$out/empty.json" "$out/empty.json" >/dev/null 2>&1
check "trend of two empty heaps exits 0" [ $? -eq 0 ]
expect 3 "a block list with mismatched brackets" trend "$out/empty.json" "$out/mismatched.json"
expect 3 "a block list cut short" trend "$out/empty.json" "$out/cut.json"
"$HEAPSNAP" trend "$out/empty.json" "$out/odd.json" >/dev/null 2>&1
check "trend skims a block list of any well-formed shape (the groups are what it reads)" [ $? -eq 0 ]
expect 2 "trend --sort=count" trend --sort=count "$data/s1.json" "$data/s2.json"
expect 2 "trend --group-by=nothing" trend --group-by=nothing "$data/s1.json" "$data/s2.json"
expect 2 "trend --bogus" trend --bogus "$data/s1.json" "$data/s2.json"
"$HEAPSNAP" trend "$data/s1.json" "$data/s2-no-blocks.json" --format=json >"$out/t.json"
check "trend reads --no-blocks snapshots" [ $? -eq 0 ]
"$HEAPSNAP" trend --help >"$out/help"
check "trend --help exits 0 and names --fail-if-growing" grep -q -- --fail-if-growing "$out/help"

expect 2 "watch without --every" watch 1
expect 2 "watch --every 0" watch 1 --every 0
expect 2 "watch --count x" watch 1 --every 1 --count x
expect 2 "watch without PID" watch --every 1
expect 2 "watch --retries x" watch --every 1 --retries x 1
expect 5 "watch --dir that does not exist" watch 1 --every 1 --dir "$out/nowhere"
"$HEAPSNAP" watch --help >"$out/help"
check "watch --help exits 0 and names --keep" grep -q -- --keep "$out/help"
done_testing
