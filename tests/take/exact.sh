# take is exact: every live pointer of the self-reporting target with its usable size, none of
# its freed pointers, and every mallinfo identity, on several seeds, with libc's debug file and
# without symbols (--no-debuginfo), with and without the block list, and on one processor;
# two takes of the unchanged heap write the same types, groups and blocks. Afterwards the
# target runs on, untraced.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

out=$(mktemp -d)
for seed in 1 2 3; do
	start_target --seed "$seed" --threads 4 || { not_ok "seed $seed: target started"; continue; }
	for how in debuginfo scan; do
		opt=; [ $how = scan ] && opt=--no-debuginfo
		snap=$out/s$seed-$how.json
		check "seed $seed, $how: take exits 0" "$HEAPSNAP" take "$TARGET_PID" $opt -o "$snap"
		oracle_check "$REPORT" "$snap"
		check "seed $seed, $how: glibc.located_by is $how" \
			grep -q "\"located_by\":\"$how\"" "$snap"
		check "seed $seed, $how: target runs on, untraced" [ "$(target_state "$TARGET_PID")" = "S 0" ]
	done
	# Types are numbered by name, not in the order two naming threads happened to meet them:
	# takes of a heap that did not change list the same types, groups and blocks.
	sed -n '/^  "types"/,$p' "$out/s$seed-debuginfo.json" >"$out/tail-debuginfo"
	sed -n '/^  "types"/,$p' "$out/s$seed-scan.json" >"$out/tail-scan"
	check "seed $seed: both takes list the same types, groups and blocks" \
		cmp -s "$out/tail-debuginfo" "$out/tail-scan"
	check "seed $seed: --no-blocks exits 0" "$HEAPSNAP" take "$TARGET_PID" --no-blocks -o "$out/nb.json"
	oracle_check --no-blocks "$REPORT" "$out/nb.json"
	stop_target
done
# On one processor the walk runs without its read-ahead and classification threads.
require taskset
start_target --seed 4 --threads 4 || not_ok "seed 4: target started"
check "one processor: take exits 0" taskset -c 0 "$HEAPSNAP" take "$TARGET_PID" -o "$out/one-cpu.json"
oracle_check "$REPORT" "$out/one-cpu.json"
stop_target
rm -rf "$out"
done_testing
