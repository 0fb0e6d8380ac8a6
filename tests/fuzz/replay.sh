# Heap images (docs/fuzzing.md) are faithful: the walk of a take's image gives the take's
# totals and blocks, for the committed seeds (recorded on several glibc releases) and for
# images recorded now from the test target, live and from a core; damaged images are refused; the fuzzers'
# regression inputs run through heapsnap as built (gcc, or gcc's sanitizers) and end.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

replay=$TOP_BUILDDIR/tests/fuzz/replay-image
seeds=$(ls -d "$TOP_SRCDIR"/tests/fuzz/corpus/walk/* 2>/dev/null)
check "there are seed images" test -n "$seeds"
for img in $seeds; do
	what="seed $(basename "$img"): the walk of the image gives the totals its take recorded"
	if "$replay" "$img"; then
		ok "$what"
	else
		not_ok "$what"
		diag "an image holds what the walk read when it was recorded: if the walker now reads" \
			"differently, record the seeds again (tests/fuzz/record-seeds.sh)"
	fi
done
for img in $(ls -d "$TOP_SRCDIR"/tests/fuzz/regressions/walk/* 2>/dev/null); do
	check "regression $(basename "$img"): the walk of the image ends" "$replay" --any "$img"
done

out=$(mktemp -d)
trap 'target_cleanup; rm -rf "$out"' EXIT

# take_and_replay NAME TAKE-OPTION...: takes the running target with --save-image and replays.
take_and_replay() {
	local name=$1
	shift
	check "$name: take --save-image exits 0" "$HEAPSNAP" take "$TARGET_PID" -q "$@" -o "$out/$name.json" \
		--save-image "$out/$name.img"
	check "$name: the image replays to the take's totals and blocks" "$replay" "$out/$name.img" "$out/$name.json"
}

if start_target --seed 11 --threads 3 --blocks 500 --mmaps 3; then
	take_and_replay debuginfo
	take_and_replay scan --no-debuginfo
	check "the image is private (mode 600)" test "$(stat -c %a "$out/debuginfo.img")" = 600
	check_exit 5 "an image that cannot be written fails the take (exit 5)" \
		"$HEAPSNAP" take "$TARGET_PID" -q -o "$out/x.json" --save-image "$out/no/such/dir/x.img"
	check "... and no snapshot is written" test ! -e "$out/x.json"
	check_exit 2 "--save-image - is refused" "$HEAPSNAP" take "$TARGET_PID" -q --save-image -
	# A core's walk is recorded the same way.
	if command -v gcore >/dev/null 2>&1 && gcore -o "$out/core" "$TARGET_PID" >/dev/null 2>&1; then
		check "core: take --core --save-image exits 0" "$HEAPSNAP" take --core "$out/core.$TARGET_PID" -q \
			-o "$out/core.json" --save-image "$out/core.img"
		check "core: the image replays to the take's totals and blocks" "$replay" "$out/core.img" "$out/core.json"
	else
		not_ok "gcore dumps the target (gdb's gcore is needed: apt-get install gdb)"
	fi
	stop_target
else
	not_ok "the target started"
fi
export GLIBC_TUNABLES=glibc.malloc.hugetlb=2
if start_target --seed 12 --threads 2 --blocks 500 --mmaps 3; then
	take_and_replay hugetlb
	stop_target
else
	not_ok "the target started with hugetlb=2"
fi
unset GLIBC_TUNABLES

# Damaged images are refused with a message, never walked.
img=$out/debuginfo.img
size=$(stat -c %s "$img")
head -c $((size - 1)) "$img" >"$out/truncated.img"
{ cat "$img"; printf x; } >"$out/trailing.img"
{ printf XX; tail -c +3 "$img"; } >"$out/magic.img"
for bad in truncated trailing magic; do
	"$replay" "$out/$bad.img" 2>"$out/$bad.err"
	rc=$?
	check "a $bad image is refused (exit $rc)" test "$rc" -eq 1
	check "... saying it is damaged" grep -q "heap image is damaged" "$out/$bad.err"
done
done_testing
