# The target changes under the take: it forks and execs itself every few milliseconds. Each
# take ends with a consistent snapshot, or a clean refusal (exit 3 or 4), never a hang, and the
# target runs on untraced.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

out=$(mktemp -d)
"$TOP_BUILDDIR/tests/stress/exec_loop" &
target=$!
target_pids="$target_pids $target"
sleep 0.3
bad=0 good=0
for i in $(seq 15); do
	timeout 30 "$HEAPSNAP" take "$target" -o "$out/s.json" 2>"$out/err"
	rc=$?
	case $rc in
	0) "$CHECK_SNAPSHOT" --structure "$out/s.json" >/dev/null && good=$((good + 1)) \
		|| { bad=$((bad + 1)); diag "take $i: an inconsistent snapshot was written"; } ;;
	3 | 4) [ ! -e "$out/s.json" ] || { bad=$((bad + 1)); diag "take $i: exit $rc left a file"; } ;;
	*) bad=$((bad + 1)); diag "take $i: exit $rc: $(cat "$out/err")" ;;
	esac
	rm -f "$out/s.json"
	state=$(target_state "$target")
	runs_untraced "$state" || { bad=$((bad + 1)); diag "take $i: target left '$state'"; }
done
diag "15 takes of a forking, exec'ing target: $good snapshots"
check "every take gave a good snapshot or a clean refusal, never a hang" [ "$bad" -eq 0 ]
check "the target is alive" kill -0 "$target"
rm -rf "$out"
done_testing
