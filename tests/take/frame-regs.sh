# Per-frame registers (struct hs_frame_regs, issue 19): each thread of
# tests/take/frame_regs_target waits three -O0 calls deep and reports every one of those
# frames' CFA (its frame address + 16), rbp and a local's address, as the code itself sees
# them; frame_regs_dump prints what the unwinder recovered, live (libunwind-ptrace) and from
# a gcore of the same process (libdwfl), and the two must agree with the target.
. "$TOP_SRCDIR/tests/tap.sh"
require gcore awk

TARGET=$TOP_BUILDDIR/tests/take/frame_regs_target
DUMP=$TOP_BUILDDIR/tests/take/frame_regs_dump
ALL_KNOWN=0x1ffff
out=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && { kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
	rm -rf "$out"
}
trap cleanup EXIT

"$TARGET" >"$out/report" 2>/dev/null </dev/null &
pid=$!
waited=0
while ! grep -qx ready "$out/report" 2>/dev/null; do
	if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge 200 ]; then
		not_ok "frame_regs_target got ready"
		done_testing
		exit 1
	fi
	sleep 0.1
	waited=$((waited + 1))
done

# expect_frames DUMP WHAT: the target's frames, as it reported them, in the dump.
expect_frames() {
	local dump=$1 what=$2 tid fn cfa rbp local line
	check "$what: the dump lists frames" [ -s "$dump" ]
	check "$what: frame 0 of every thread has all $ALL_KNOWN registers known" \
		awk -v all="$ALL_KNOWN" '$2 == 0 && $6 != all { bad = 1 } END { exit bad }' "$dump"
	check "$what: outer frames know rbx, rbp, rsp, r12..r15 and rip alone" \
		awk '$2 > 0 && $6 != "0x1f0c8" { bad = 1 } END { exit bad }' "$dump"
	check "$what: every frame but each thread's last has its CFA" \
		awk '{ if (seen[$1]++ && last_cfa == "-") bad = 1; last_cfa = $5 } END { exit bad }' "$dump"
	while read -r _ tid fn cfa rbp local; do
		line=$(awk -v t="$tid" -v f="$fn" '$1 == t && $4 == f' "$dump")
		if [ -z "$line" ]; then
			not_ok "$what: thread $tid has a frame in $fn"
			continue
		fi
		set -- $line
		check "$what: thread $tid, $fn (frame $2): CFA $5 is the target's $cfa" [ "$5" = "$cfa" ]
		check "$what: thread $tid, $fn: rbp $7 is the target's $rbp" [ "$7" = "$rbp" ]
		check "$what: thread $tid, $fn: its local $local lies in [rsp $8, CFA)" \
			[ "$8" != - ] && [ $(($8)) -le $((local)) ] && [ $((local)) -lt $(($5)) ]
	done <<-FRAMES
	$(grep '^frame ' "$out/report")
	FRAMES
}

check "frame_regs_dump live exits 0" sh -c "'$DUMP' live $pid >'$out/live.txt'"
expect_frames "$out/live.txt" live
check "gcore dumps the target" sh -c "gcore -o '$out/core' $pid >/dev/null 2>&1"
check "frame_regs_dump core exits 0" sh -c "'$DUMP' core '$out/core.$pid' >'$out/core.txt'"
expect_frames "$out/core.txt" core
# Every frame: the same pc, CFA, known registers, rbp, rsp and rbx both ways (libdwfl's
# default rules would make rax known and rbx unknown in outer frames: src/attach/core_dwfl.c).
columns() { awk '{ print $1, $2, $3, $5, $6, $7, $8, $9 }' "$1" | sort; }
check "every frame: core and live agree on pc, CFA, known registers, rbp, rsp and rbx" \
	[ "$(columns "$out/live.txt")" = "$(columns "$out/core.txt")" ]
done_testing
