# take --refs's second scan thread (src/refs/scan_worker.c) changes nothing but the time: on
# bench_target's heap (pointer arrays, so the breadth-first levels hold megabytes of blocks
# and the thread gets pieces of them), the reference data of a take on two processors equals,
# byte for byte, that of a take pinned to one (taskset), where no second thread starts.
. "$TOP_SRCDIR/tests/tap.sh"
require jq taskset nproc

out=$(mktemp -d)
target_pid=
trap '[ -n "$target_pid" ] && kill -9 "$target_pid" 2>/dev/null; rm -rf "$out"' EXIT
check "the machine has two processors or more (the second thread needs one to spare)" [ "$(nproc)" -ge 2 ]
"$TOP_BUILDDIR/bench/bench_target" --blocks 300000 >"$out/said" 2>&1 &
target_pid=$!
for i in $(seq 300); do grep -qx ready "$out/said" && break; sleep 0.1; done
check "bench_target is ready" grep -qx ready "$out/said"
check "take --refs on every processor exits 0" "$HEAPSNAP" take --refs -q "$target_pid" -o "$out/two.json"
check "take --refs pinned to one processor exits 0" taskset -c 0 "$HEAPSNAP" take --refs -q "$target_pid" -o "$out/one.json"
for f in two one; do
	jq -c '{blocks, block_refs, roots, refs: (.refs | del(.scan_ms))}' "$out/$f.json" >"$out/$f.refs"
done
check "the two takes hold the same blocks, block_refs, roots and reference figures" \
	sh -c "[ -s '$out/two.refs' ] && cmp -s '$out/two.refs' '$out/one.refs'"
check "every block is reachable (bench_target leaks nothing)" \
	[ "$(jq '.refs.reachable_blocks == .totals.live_blocks' "$out/two.json")" = true ]
done_testing
