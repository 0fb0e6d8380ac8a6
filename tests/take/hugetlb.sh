# A non-contiguous main arena: glibc.malloc.hugetlb=2 makes malloc mmap the main arena's
# memory in segments instead of using brk. take must find every segment and stay exact.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

out=$(mktemp -d)
export GLIBC_TUNABLES=glibc.malloc.hugetlb=2
for seed in 4 5; do
	start_target --seed "$seed" --threads 3 || { not_ok "seed $seed: target started"; continue; }
	for opt in "" --no-debuginfo; do
		snap=$out/s$seed$opt.json
		check "seed $seed $opt: take exits 0" "$HEAPSNAP" take "$TARGET_PID" $opt -o "$snap"
		oracle_check "$REPORT" "$snap"
		check "seed $seed $opt: the main arena has several segments" \
			sh -c "grep -o '\"heaps\":[0-9]*' '$snap' | head -1 | grep -qv '\"heaps\":1\$'"
	done
	stop_target
done
rm -rf "$out"
done_testing
