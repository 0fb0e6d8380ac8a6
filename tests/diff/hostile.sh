# Malformed and hostile snapshot files: show and diff must answer every one with exit 3 and
# exactly one line on stderr naming the file, print nothing on stdout, and never crash or
# hang (each run is under a timeout; the sanitizer build runs this file too).
. "$TOP_SRCDIR/tests/tap.sh"
require timeout sed awk head tr

data="$TOP_SRCDIR/tests/diff/data"
tmp=$(mktemp -d) || { not_ok "cannot create a temporary directory"; done_testing; exit 1; }
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
cp "$data/s1.json" "$data/s2.json" .

# rejected WHAT FILE [COMMAND...]: COMMAND (default: show FILE) exits 3 with one line on
# stderr that names FILE, and nothing on stdout.
rejected() {
	local what=$1 file=$2 rc lines
	shift 2
	[ $# -gt 0 ] || set -- show "$file"
	timeout 60 "$HEAPSNAP" "$@" >out 2>err
	rc=$?
	lines=$(wc -l <err)
	if [ "$rc" -eq 3 ] && [ "$lines" -eq 1 ] && [ ! -s out ] && grep -q "^heapsnap: $file: " err; then
		ok "$what"
	else
		not_ok "$what (exit $rc, $lines stderr lines, $(wc -c <out) stdout bytes)"
		sed 's/^/# /' err | head -5
	fi
}

# accepted WHAT FILE: show FILE succeeds.
accepted() {
	if timeout 60 "$HEAPSNAP" show "$2" >out 2>err; then ok "$1"; else not_ok "$1 (exit $?)"; sed 's/^/# /' err; fi
}

# edit NAME SED-SCRIPT: NAME.json is s1.json edited by sed (the edit must change something).
edit() {
	sed "$2" s1.json >"$1.json"
	cmp -s s1.json "$1.json" && { not_ok "the edit for $1 changed nothing"; return 1; }
	return 0
}

# Not JSON at all, or not the whole of it.
: >empty.json
rejected "an empty file" empty.json
printf ' \n\t ' >blank.json
rejected "a file of whitespace" blank.json
size=$(wc -c <s2.json)
bad=0
for cut in $(awk -v n="$size" 'BEGIN { for (i = 1; i < n - 2; i += 23) print i }'); do
	head -c "$cut" s2.json >cut.json
	timeout 60 "$HEAPSNAP" show cut.json >out 2>err
	rc=$?
	if [ "$rc" -ne 3 ] || [ "$(wc -l <err)" -ne 1 ] || [ -s out ]; then
		bad=$((bad + 1))
		diag "cut at byte $cut: exit $rc: $(head -1 err)"
	fi
done
check "every truncation of a snapshot is refused with exit 3 and one line" [ "$bad" -eq 0 ]
head -c 2300 s2.json >truncated.json
rejected "a snapshot cut inside its blocks" truncated.json
rejected "a truncated NEW snapshot in diff" truncated.json diff s1.json truncated.json
for seed in 1 2 3; do
	LC_ALL=C awk -v seed=$seed 'BEGIN { srand(seed); for (i = 0; i < 65536; i++) printf "%c", int(rand() * 255) + 1 }' >random$seed.bin
	rejected "64 KiB of random bytes (seed $seed)" random$seed.bin
done
{ printf '{"format":"heapsnap","version":1,"blocks":['; cat random1.bin; } >random-blocks.json
rejected "random bytes inside the blocks" random-blocks.json
{ printf '{"format":"heapsnap","version":1,"label":"'; cat random2.bin; } >random-string.json
rejected "random bytes inside a string" random-string.json
printf '{"format":"heapsnap","version":1} trailing' >trailing.json
rejected "text after the closing brace" trailing.json
printf '{"format":"heapsnap",,"version":1}' >commas.json
rejected "a doubled comma" commas.json
printf '{"format" "heapsnap"}' >colon.json
rejected "a missing colon" colon.json
printf '{"format":"heapsnap","version":1,"x":[1,2}' >brackets.json
rejected "mismatched brackets" brackets.json
printf '{"format":"heap\001snap","version":1}' >control.json
rejected "a control character inside a string" control.json
printf '{"format":"heapsnap","version":1,"label":"\377\376"}' >utf8.json
rejected "invalid UTF-8 in a string" utf8.json
printf '{"format":"heapsnap","version":1,"label":"a\\u0000b"}' >nul.json
rejected "an escaped NUL in a string" nul.json
{ printf '{"'; head -c 100000 /dev/zero | tr '\0' 'k'; printf '":1}'; } >longkey.json
rejected "a 100000-byte member name" longkey.json

# Deep nesting: bounded by the scanner, never by the stack.
head -c 100000 /dev/zero | tr '\0' '[' >deep-top.json
rejected "100000 '[' at the top" deep-top.json
{ printf '{"format":"heapsnap","version":1,"x":'; head -c 100000 /dev/zero | tr '\0' '['; } >deep-member.json
rejected "100000 '[' in an unknown member" deep-member.json
{ printf '{"format":"heapsnap","version":1,"types":'; head -c 100000 /dev/zero | tr '\0' '['; } >deep-types.json
rejected "100000 '[' in types" deep-types.json
{ sed '/"blocks"/,$d' s1.json; printf '"blocks": '; head -c 100000 /dev/zero | tr '\0' '['; } >deep-blocks.json
rejected "100000 '[' in blocks" deep-blocks.json
{ printf '{"format":"heapsnap","version":1,"x":'; awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{\"a\":" }'; } >deep-objects.json
rejected "100000 nested objects" deep-objects.json

# Numbers too big for their field.
edit version-huge 's/"version": 1/"version": 1e400/' && rejected "version 1e400" version-huge.json
edit version-long 's/"version": 1/"version": 100000000000000000000000000000/' && rejected "a 30-digit version" version-long.json
{ printf '{"format":"heapsnap","version":'; head -c 100000 /dev/zero | tr '\0' '7'; printf '}'; } >digits.json
rejected "a 100000-digit number" digits.json
edit pid-huge 's/"pid": 4242/"pid": 1e300/' && rejected "pid 1e300" pid-huge.json
edit addr-huge 's/\[4096,24,0\]/[100000000000000000000000000000,24,0]/' && rejected "a 30-digit block address" addr-huge.json
edit addr-2p53 's/\[5216,1000,2\]/[9007199254740992,1000,2]/' && rejected "a block address of 2^53" addr-2p53.json
edit size-2p64 's/\[5216,1000,2\]/[5216,18446744073709551616,2]/' && rejected "a block size of 2^64" size-2p64.json
edit type-huge 's/\[5216,1000,2\]/[5216,1000,4294967296]/' && rejected "a block type of 2^32" type-huge.json
edit count-huge 's/"count": 2, "bytes": 48}/"count": 9223372036854775807, "bytes": 48}/' && rejected "a group count of 2^63-1" count-huge.json
edit bytes-overflow 's/"size": 1000, "count": 1, "bytes": 1000/"size": 4503599627370496, "count": 4, "bytes": 0/' &&
	rejected "group bytes that overflow size x count" bytes-overflow.json

# Not a heapsnap snapshot, or not a version this heapsnap reads.
edit format-other 's/"format": "heapsnap"/"format": "pprof"/' && rejected "format pprof" format-other.json
edit format-missing '/"format"/d' && rejected "no format member" format-missing.json
edit format-number 's/"format": "heapsnap"/"format": 7/' && rejected "format a number" format-number.json
edit version-2 's/"version": 1/"version": 2/' && rejected "version 2" version-2.json
edit version-string 's/"version": 1/"version": "1"/' && rejected "version a string" version-string.json
edit version-missing '/"version"/d' && rejected "no version member" version-missing.json
printf '[1,2,3]' >array.json
rejected "a JSON array" array.json
printf '{}' >object.json
rejected "an empty object" object.json
rejected "a snapshot diffed against a non-snapshot" array.json diff s1.json array.json
rejected "a non-snapshot as OLD" array.json diff array.json s2.json

# Types and groups that contradict themselves or the totals.
edit type-range 's/\[5216,1000,2\]/[5216,1000,6]/' && rejected "a block type index out of range" type-range.json
edit group-type-range 's/{"type": 5, "size": 24/{"type": 6, "size": 24/' && rejected "a group type index out of range" group-type-range.json
edit types-object 's/"types": \[/"types": 5, "x": [/' && rejected "types not an array" types-object.json
edit type-name 's/{"name": "unknown", "kind": "unknown"}/{"name": 5, "kind": "unknown"}/' && rejected "a type name that is a number" type-name.json
edit group-dup 's/{"type": 0, "size": 24, "count": 2, "bytes": 48}/{"type": 0, "size": 24, "count": 1, "bytes": 24}, {"type": 0, "size": 24, "count": 1, "bytes": 24}/' &&
	rejected "a group repeated" group-dup.json
edit group-bytes 's/"count": 1, "bytes": 120}/"count": 1, "bytes": 121}/' && rejected "group bytes not size x count" group-bytes.json
edit group-zero 's/{"type": 2, "size": 56, "count": 1, "bytes": 56}/{"type": 2, "size": 56, "count": 0, "bytes": 0}/' &&
	rejected "a group of count 0" group-zero.json
edit totals 's/"live_blocks": 10, "live_bytes": 2000, "live_chunk/"live_blocks": 10, "live_bytes": 2001, "live_chunk/' &&
	rejected "groups that do not add up to the totals" totals.json
edit totals-missing 's/"totals"/"totalz"/' && rejected "no totals" totals-missing.json
edit target-missing 's/"target"/"targets"/' && rejected "no target" target-missing.json
edit pid-string 's/"pid": 4242/"pid": "4242"/' && rejected "pid a string" pid-string.json
edit arenas-count 's/"overhead_bytes": 0, "arenas": 1}/"overhead_bytes": 0, "arenas": 2}/' && rejected "totals.arenas disagrees with arenas" arenas-count.json
edit hex 's/"main_arena": "0x7f0000001000"/"main_arena": "0xzz"/' && rejected "a malformed hex address" hex.json
# Thread stacks (document revision 1.2): a well-formed member is accepted, a malformed one not.
threads='"threads": [{"tid": 4242, "name": "app", "frames": [{"address": "0x7f0000012345", "function": "run", "module": "/usr/bin/app"}, {"address": "0x1000", "function": null, "module": null}]}],'
edit threads "s|^  \"walk\"|  $threads\n  \"walk\"|" && accepted "a threads member" threads.json
check "show --threads prints its frames" sh -c "timeout 60 '$HEAPSNAP' show threads.json --threads | grep -qx '#1 0x1000 ??'"
edit threads-object "s|^  \"walk\"|  \"threads\": {},\n  \"walk\"|" && rejected "threads not an array" threads-object.json
edit frame-hex "s|^  \"walk\"|  $(printf '%s' "$threads" | sed 's/0x1000/4096/')\n  \"walk\"|" && rejected "a frame address not \"0x...\"" frame-hex.json
edit no-frames "s|^  \"walk\"|  \"threads\": [{\"tid\": 1}],\n  \"walk\"|" && rejected "a thread without frames" no-frames.json
edit tid-negative "s|^  \"walk\"|  \"threads\": [{\"tid\": -1, \"frames\": []}],\n  \"walk\"|" && rejected "a negative tid" tid-negative.json
edit function-number "s|^  \"walk\"|  $(printf '%s' "$threads" | sed 's/"function": "run"/"function": 7/')\n  \"walk\"|" && rejected "a frame function that is a number" function-number.json
edit member-dup 's/"label": "before",/"label": "before", "label": "again",/' && rejected "a member given twice" member-dup.json
edit nested-dup 's/"pid": 4242,/"pid": 4242, "pid": 4243,/' && rejected "a nested member given twice" nested-dup.json

# Blocks that contradict the format or the groups.
edit neg-size 's/\[5216,1000,2\]/[5216,-1000,2]/' && rejected "a negative block size" neg-size.json
edit neg-addr 's/\[4096,24,0\]/[-4096,24,0]/' && rejected "a negative block address" neg-addr.json
edit neg-group 's/"size": 1000, "count": 1, "bytes": 1000/"size": -1000, "count": 1, "bytes": -1000/' && rejected "a negative group size" neg-group.json
edit neg-total 's/"live_blocks": 10,/"live_blocks": -10,/' && rejected "a negative total" neg-total.json
edit unsorted 's/\[4128,24,0\],\[4160,40,1\]/[4160,40,1],[4128,24,0]/' && rejected "blocks not sorted by address" unsorted.json
edit dup-addr 's/\[4160,40,1\]/[4128,40,1]/' && rejected "two blocks at one address" dup-addr.json
edit overlap 's/\[4128,24,0\]/[4100,24,0]/' && rejected "overlapping blocks" overlap.json
edit addr-zero 's/\[4096,24,0\]/[0,24,0]/' && rejected "a block at address 0" addr-zero.json
edit no-group 's/\[5216,1000,2\]/[5216,1008,2]/' && rejected "a block whose (type, size) has no group" no-group.json
edit extra-block 's/\[5216,1000,2\]/[5216,1000,2],[6300,24,0]/' && rejected "a block more than its group counts" extra-block.json
edit odd-block 's/\[5216,1000,2\]/[5216,1000,2],[6300,1,0]/' && rejected "a block whose size no group has" odd-block.json
edit missing-block 's/\[4208,40,1\],//' && rejected "a block fewer than the groups count" missing-block.json
edit type-moved 's/\[4208,40,1\]/[4208,40,0]/' && rejected "a block counted in the wrong group" type-moved.json
edit row-long 's/\[5216,1000,2\]/[5216,1000,2,7]/' && rejected "a block row of 4 numbers" row-long.json
edit row-short 's/\[5216,1000,2\]/[5216,1000]/' && rejected "a block row of 2 numbers" row-short.json
edit row-real 's/\[5216,1000,2\]/[5216,1000.0,2]/' && rejected "a block size written as a real" row-real.json
edit row-exp 's/\[5216,1000,2\]/[5216,1e3,2]/' && rejected "a block size with an exponent" row-exp.json
edit row-zero 's/\[5216,1000,2\]/[05216,1000,2]/' && rejected "a block address with a leading zero" row-zero.json
edit row-string 's/\[5216,1000,2\]/["5216",1000,2]/' && rejected "a block address as a string" row-string.json
edit row-object 's/\[5216,1000,2\]/{"a":5216}/' && rejected "a block row that is an object" row-object.json
edit blocks-object 's/"blocks": \[/"blocks": {"rows": [/; s/^  \]$/  ]}/' && rejected "blocks not an array" blocks-object.json
edit blocks-dup 's/"groups": \[/"blocks": [], "groups": [/' && rejected "blocks given twice" blocks-dup.json

# A problem found while diff matches blocks stops it before it prints anything.
sed 's/\[12748,32,7\]/[12700,32,7]/' s2.json >late.json
rejected "a defect in NEW's last block, found during block matching" late.json diff s1.json late.json
rejected "a defect in OLD found during block matching" overlap.json diff overlap.json s2.json

# Files that cannot be read.
rejected "a missing file" missing.json show missing.json
rejected "a missing NEW file" missing.json diff s1.json missing.json
mkdir dir.json
rejected "a directory" dir.json

# What the format allows must still be read: members in any order (blocks first), members
# it does not define at any depth, the minimum of fields, an empty heap.
cp "$data/s1-reordered.json" .
accepted "blocks first, unknown members, optional fields absent" s1-reordered.json
"$HEAPSNAP" diff s1.json s1-reordered.json --format=csv --unit=B --verbose >same.csv 2>&1
check "the reordered snapshot diffs against the original with no change in any of 6 rows" \
	awk -F, 'NR > 1 && ($3 != "+0" || $5 != "+0" || $8 != 0 || $9 != 0) { bad = 1 } END { exit bad || NR != 7 }' same.csv
printf '{"format":"heapsnap","version":1,"taken_at":"2026-01-01T00:00:00Z","target":{"pid":1},"totals":{"live_blocks":0,"live_bytes":0},"types":[],"groups":[],"blocks":[]}' >empty-heap.json
accepted "an empty heap" empty-heap.json
check "an empty heap diffs against itself" sh -c '"$HEAPSNAP" diff empty-heap.json empty-heap.json >/dev/null'
check_exit 1 "growth from an empty heap trips a percentage gate" "$HEAPSNAP" diff empty-heap.json s1.json --fail-if-growth=1000%
done_testing
