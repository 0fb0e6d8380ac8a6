# The oracle checker can fail: a small hand-made snapshot that agrees with its report passes
# every assertion, and each mutation of either file fails the assertion it breaks.
. "$TOP_SRCDIR/tests/tap.sh"

CHECK=$TOP_BUILDDIR/tests/check_snapshot
FIXTURE=$TOP_SRCDIR/tests/take/checker-fixture
if [ ! -x "$CHECK" ]; then
	not_ok "tests/check_snapshot is not built: run make check"
	done_testing
	exit 1
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# fresh: the fixture's report and snapshot, copied where they can be mutated (git keeps no 0600).
fresh() {
	cp "$FIXTURE/report.txt" "$work/report.txt"
	cp "$FIXTURE/snapshot.json" "$work/snapshot.json"
	chmod 600 "$work/snapshot.json"
}

# run_checker [--no-blocks]: sets out and rc.
run_checker() {
	out=$("$CHECK" "$@" "$work/report.txt" "$work/snapshot.json" 2>&1)
	rc=$?
}

# passes WHAT [--no-blocks]: the checker exits 0 with no failed assertion.
passes() {
	local what=$1
	shift
	run_checker "$@"
	if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^ok ' && ! printf '%s\n' "$out" | grep -q '^not ok'; then
		ok "$what passes every assertion"
	else
		not_ok "$what passes every assertion (exit $rc)"
		printf '%s\n' "$out" | grep -v '^ok ' | sed 's/^/# /'
	fi
}

# fails ASSERTION WHAT [--no-blocks]: the checker exits 1 and ASSERTION is one of its failures.
fails() {
	local assertion=$1 what=$2
	shift 2
	run_checker "$@"
	if [ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -qF -- "- $assertion" \
		&& printf '%s\n' "$out" | grep -F -- "- $assertion" | grep -q '^not ok'; then
		ok "$what: fails '$assertion'"
	else
		not_ok "$what: fails '$assertion' (exit $rc)"
		printf '%s\n' "$out" | grep -v '^ok ' | sed 's/^/# /'
	fi
}

# mutate FILE SED-SCRIPT: a fresh fixture with one edit, which must change the file.
mutate() {
	fresh
	sed -i -e "$2" "$work/$1"
	if cmp -s "$work/$1" "$FIXTURE/$1"; then
		not_ok "the mutation '$2' of $1 changed nothing: fix this test"
	fi
}

fresh
passes "the fixture"
check "the fixture runs at least 30 assertions" sh -c 'printf "%s\n" "$1" | grep -q "^1\.\.[3-9][0-9]$"' _ "$out"

# The pointers against the blocks.
mutate snapshot.json '/^    \[8192, 40, 0\],$/d'
fails "every live pointer is a block" "a live block dropped"
mutate snapshot.json 's/\[8192, 40, 0\]/[8192, 56, 0]/'
fails "every live pointer's block has its usable size" "a block's size changed"
mutate snapshot.json 's/^    \[4096, 24, 0\],$/&\n    [6144, 24, 0],/'
fails "no freed pointer is a block" "a freed pointer listed as a block"
mutate snapshot.json '/^    \[8192, 40, 0\],$/d; /^    \[12288, 648, 1\],$/d'
fails "at least as many blocks as live pointers" "fewer blocks than live pointers"
mutate snapshot.json 's/^    \[65536, 262128, 0\]$/    [65536, 262128, 0],\n    [1048576, 70000, 0]/'
fails "blocks besides the live pointers stay under 64 KiB + 2 KiB per thread" "70000 bytes of extra blocks"

# The blocks on their own.
mutate snapshot.json 's/\[4096, 24, 0\]/[TMP]/; s/\[8192, 40, 0\]/[4096, 24, 0]/; s/\[TMP\]/[8192, 40, 0]/'
fails "blocks are sorted by address, without duplicates" "two blocks swapped"
mutate snapshot.json 's/\[8192, 40, 0\]/[4096, 24, 0]/'
fails "blocks are sorted by address, without duplicates" "a block listed twice"
mutate snapshot.json 's/\[4096, 24, 0\]/[4096, 4100, 0]/'
fails "blocks do not overlap" "a block reaching into the next"
mutate snapshot.json 's/\[12288, 648, 1\]/[12288, 648, 2]/'
fails "totals, arenas, types and blocks are complete, type indices in range" "a block's type out of range"
mutate snapshot.json '/"totals"/s/"live_blocks": 4,/"live_blocks": 5,/'
fails "totals.live_blocks and live_bytes are the blocks' count and sum" "live_blocks one too many"
mutate snapshot.json '/"totals"/s/"overhead_bytes": 2256,/"overhead_bytes": "2256",/'
fails "totals, arenas, types and blocks are complete, type indices in range" "a counter as a string"

# Groups.
mutate snapshot.json 's/"size": 40, "count": 1, "bytes": 40/"size": 40, "count": 1, "bytes": 41/'
fails "groups are well-formed: types in range, bytes = count x size, one per (type, size)" "a group's bytes not count x size"
mutate snapshot.json 's/"size": 40, "count": 1, "bytes": 40/"size": 40, "count": 2, "bytes": 80/'
fails "groups count exactly the blocks of each (type, size)" "a group counting a block too many"
mutate snapshot.json 's/"size": 40, "count": 1, "bytes": 40/"size": 40, "count": 2, "bytes": 80/'
fails "groups add up to totals.live_blocks and live_bytes" "groups summing past the totals"

# Totals, arenas and mallinfo identities.
mutate snapshot.json '/"0x7f0000000030"/s/"live_blocks": 1,/"live_blocks": 2,/'
fails "totals are the sums over arenas, plus the mmapped chunks that belong to none" "an arena's counter off"
mutate snapshot.json '/"totals"/s/"arenas": 2/"arenas": 3/'
fails "totals are the sums over arenas, plus the mmapped chunks that belong to none" "totals.arenas off"
mutate snapshot.json '/"0x7000"/s/"mmapped_blocks": 0,/"mmapped_blocks": 1,/'
fails "totals are the sums over arenas, plus the mmapped chunks that belong to none" "an arena claiming an mmapped chunk"
mutate snapshot.json '/"0x7f0000000030"/s/"top_bytes": 132864,/"top_bytes": 132880,/'
fails "system_bytes = live_chunk + tcache + fastbin + free + top + overhead bytes (totals and every arena)" "an arena's top off"
mutate snapshot.json '/"0x7f0000000030"/{s/"top_bytes": 132864,/"top_bytes": 132704,/;s/"overhead_bytes": 2256/"overhead_bytes": 2416/}'
fails "every arena's overhead_bytes <= 2304 + 96 x heaps" "an arena's overhead past the bound"
mutate report.txt 's/^mallinfo 270336 /mallinfo 270352 /'
fails "system_bytes = mallinfo arena" "mallinfo arena off"
mutate report.txt 's/^mallinfo 270336 3 1 1 /mallinfo 270336 3 1 2 /'
fails "mmapped_blocks = mallinfo hblks" "mallinfo hblks off"
mutate snapshot.json '/"totals"/s/"mmapped_bytes": 262144/"mmapped_bytes": 266240/'
fails "mmapped_bytes (+ the drift a glibc 2.43 warning states) = mallinfo hblkhd" "mmapped_bytes off"
mutate snapshot.json 's/"warnings": \[\]/"warnings": ["malloc'"'"'s mmapped_mem (mallinfo hblkhd) is 16 bytes above the 262144 bytes"]/'
fails "an hblkhd drift is stated only on glibc 2.43+, in multiples of 16 bytes" "a drift stated on glibc 2.36"
mutate report.txt 's/^mallinfo 270336 3 1 /mallinfo 270336 3 2 /'
fails "fastbin_blocks = mallinfo smblks" "mallinfo smblks off"
mutate report.txt 's/^\(mallinfo [0-9 ]*\) 0 48 /\1 0 64 /'
fails "fastbin_bytes = mallinfo fsmblks" "mallinfo fsmblks off"
mutate snapshot.json '/"totals"/s/"top_bytes": 266240/"top_bytes": 266256/'
fails "free_bytes + fastbin_bytes + top_bytes = mallinfo fordblks" "total top off"
mutate report.txt 's/^mallinfo 270336 3 /mallinfo 270336 4 /'
fails "free_blocks + arenas = mallinfo ordblks" "mallinfo ordblks off"
mutate snapshot.json '/"totals"/s/"overhead_bytes": 2256/"overhead_bytes": 2272/'
fails "live_chunk_bytes + tcache_bytes + overhead_bytes = mallinfo uordblks" "total overhead off"
mutate report.txt 's/ 133376$/ 133392/'
fails "the main arena's top_bytes = mallinfo keepcost" "mallinfo keepcost off"
mutate snapshot.json 's/"main_arena": "0x7000"/"main_arena": "0x7010"/'
fails "the main arena's top_bytes = mallinfo keepcost" "main_arena naming no arena"

# glibc < 2.33's mallinfo: the same figures 4 GiB higher agree modulo 2^32 only.
wrap='/"totals"/{s/"top_bytes": 266240/"top_bytes": 4295233536/;s/"system_bytes": 270336/"system_bytes": 4295237632/}
/"0x7000"/{s/"top_bytes": 133376/"top_bytes": 4295100672/;s/"system_bytes": 135168/"system_bytes": 4295102464/}'
mutate snapshot.json "$wrap"
fails "system_bytes = mallinfo arena" "figures 4 GiB higher against 64-bit mallinfo"
sed -i 's/^mallinfo_bits 64$/mallinfo_bits 32/' "$work/report.txt"
passes "figures 4 GiB higher against 32-bit mallinfo"

# The header, the file and the report.
mutate snapshot.json 's/"format": "heapsnap"/"format": "heapsnip"/'
fails 'format is "heapsnap", version 1' "another format"
mutate snapshot.json 's/"version": 1,/"version": 2,/'
fails 'format is "heapsnap", version 1' "version 2"
mutate report.txt 's/^pid 4242$/pid 4243/'
fails "target.pid is the report's pid" "another pid"
mutate snapshot.json 's/"threads": 2}/"threads": 3}/'
fails "target.threads is the report's thread count" "another thread count"
fresh
chmod 644 "$work/snapshot.json"
fails "snapshot file mode is 0600" "mode 0644"
mutate snapshot.json '$d'
fails "the snapshot parses as a JSON object" "a truncated snapshot"
mutate report.txt '/^ready$/d'
fails "the report is well-formed" "a report without ready"
mutate report.txt 's/^live 0x2000 40$/live 0x2000 forty/'
fails "the report is well-formed" "a malformed live record"
mutate report.txt 's/^live 0x2000 40$/&\nlive 0x2000 40/'
fails "the report is well-formed" "a live pointer listed twice"

# --no-blocks: blocks must be absent, the rest still holds.
mutate snapshot.json '/"blocks": \[/,/^  \],$/d'
passes "the fixture without blocks, with --no-blocks," --no-blocks
fails "totals, arenas, types and blocks are complete, type indices in range" "the fixture without blocks, without --no-blocks,"
fresh
fails "totals, arenas, types and blocks are complete, type indices in range" "the fixture with blocks, with --no-blocks," --no-blocks

check_exit 2 "a missing argument is a usage error" "$CHECK" "$work/report.txt"
done_testing
