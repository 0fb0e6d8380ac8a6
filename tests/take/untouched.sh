# A take of a live process reads no page the process never touched: the page scan for
# mmapped chunks (attach/page_probe.c) and the walk's reads of the heaps (attach/live_sparse.c)
# go by /proc/PID/pagemap, since reading such a page would map the zero page into the target.
# tests/take/untouched_target keeps 64 MiB of untouched anonymous memory where the scan must
# cross it to reach its mmapped chunk, and a live 16 MiB block in the main arena of which it
# wrote only the first page.
. "$TOP_SRCDIR/tests/tap.sh"

TARGET=$TOP_BUILDDIR/tests/take/untouched_target
out=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$out"
}
trap cleanup EXIT

# present_pages START END: how many pages of [START, END) (hex) the target's pagemap calls
# present (bit 63) or swapped (bit 62).
present_pages() {
	local first=$((0x$1 / 4096)) n=$(((0x$2 - 0x$1) / 4096))
	dd if="/proc/$pid/pagemap" bs=8 skip="$first" count="$n" 2>/dev/null |
		od -An -v -tx8 -w8 | awk '{ if (substr($1, 1, 1) ~ /[4-9a-f]/) c++ } END { print c + 0 }'
}

[ -x "$TARGET" ] || not_ok "$TARGET is built (run make check)"
"$TARGET" >"$out/said" 2>&1 </dev/null &
pid=$!
for i in $(seq 200); do grep -qx ready "$out/said" && break; sleep 0.1; done
check "the target said where its untouched memory is" grep -qx ready "$out/said"
set -- $(sed -n 's/^untouched //p' "$out/said")
lo=$1 hi=$2
chunk=$(sed -n 's/^chunk //p' "$out/said")
check "the untouched memory lies below the chunk, so the scan crosses it first" \
	[ $((0x$hi)) -le $((0x$chunk)) ]
page=$(printf %x $((0x$chunk / 4096 * 4096)))
check "the pagemap calls the chunk's first page present (so it can be read here)" \
	[ "$(present_pages "$page" "$(printf %x $((0x$page + 4096)))")" = 1 ]
set -- $(sed -n 's/^block //p' "$out/said")
block=$1 usable=$2
inside=$(printf %x $((0x$block / 4096 * 4096 + 8192)))
block_end=$(printf %x $(((0x$block + usable) / 4096 * 4096)))
block_before=$(present_pages "$inside" "$block_end")
check "before the take the block's pages past its first are not present ($block_before are)" \
	[ "$block_before" = 0 ]
before=$(present_pages "$lo" "$hi")
check "before the take none of its pages is present (pagemap readable: $before)" [ "$before" = 0 ]
check "take exits 0" "$HEAPSNAP" take "$pid" -q -o "$out/s.json"
check "the take found the mmapped chunk" grep -q '"mmapped_blocks": *[1-9]' "$out/s.json"
after=$(present_pages "$lo" "$hi")
check "after the take none of its 16384 pages is present ($after are)" [ "$after" = 0 ]
check "the snapshot lists the block with its usable size" \
	[ "$(jq --argjson a $((0x$block)) '[.blocks[] | select(.[0] == $a) | .[1]] | first' "$out/s.json")" = "$usable" ]
block_after=$(present_pages "$inside" "$block_end")
check "after the take the block's untouched pages are still not present ($block_after are)" \
	[ "$block_after" = 0 ]
done_testing
