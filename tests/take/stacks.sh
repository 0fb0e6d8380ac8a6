# Thread stacks (issue 18): each thread of tests/take/stack_target waits in a function of its
# own, and the snapshot's "threads" must show that function in that thread's frames, live and
# from a gcore of the same process; a stack deeper than the frame limit, and a core whose
# stack bytes were overwritten so that the stack unwinds into itself, stop at 256 frames.
# The busy check on a core: a thread blocked inside malloc_stats (a caller's frame in malloc's
# code, not its pc) makes a live take refuse (exit 4) and a take of its core warn, naming it.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
require gcore jq python3

STACK_TARGET=$TOP_BUILDDIR/tests/take/stack_target
MAX_FRAMES=256
out=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$out"
}
trap cleanup EXIT

# start MODE: runs the target, waits for its "ready"; sets PID and REP.
start() {
	local waited=0
	REP=$out/report.$1
	"$STACK_TARGET" $1 >"$REP" 2>/dev/null </dev/null &
	PID=$!
	pids="$pids $PID"
	while ! grep -qx ready "$REP" 2>/dev/null; do
		[ "$waited" -lt 200 ] && kill -0 "$PID" 2>/dev/null || { diag "stack_target $1 did not get ready"; return 1; }
		sleep 0.1
		waited=$((waited + 1))
	done
}

# has_function SNAP TID FUNCTION: a frame of thread TID is FUNCTION.
has_function() {
	jq -e --argjson t "$2" --arg f "$3" \
		'[.threads[] | select(.tid == $t) | .frames[] | select(.function == $f)] | length > 0' \
		"$1" >/dev/null
}
jq_true() { jq -e "$@" >/dev/null; }
nframes() { jq --argjson t "$2" '.threads[] | select(.tid == $t) | .frames | length' "$1"; }
name_of() { jq -r --argjson t "$2" '.threads[] | select(.tid == $t) | .name' "$1"; }

# expect_stacks SNAP WHAT: every waiting thread's function, the thread count, the bound.
expect_stacks() {
	local snap=$1 what=$2 tid name fn depth_tid
	check "$what: one stack per thread of the target" \
		[ "$(jq '.threads | length' "$snap")" -eq "$(jq '.target.threads' "$snap")" ]
	check "$what: frames are {address \"0x...\", function, module}" jq_true \
		'all(.threads[].frames[]; (.address | test("^0x[0-9a-f]+$")) and has("function") and has("module"))' "$snap"
	while read -r _ tid name fn; do
		check "$what: thread $tid ($name) waits in $fn" has_function "$snap" "$tid" "$fn"
	done <<-EOF2
	$(grep '^thread ' "$REP")
	EOF2
	depth_tid=$(awk '/^deep / { print $2 }' "$REP")
	check "$what: the thread under 400 calls of stack_deep has $MAX_FRAMES frames" \
		[ "$(nframes "$snap" "$depth_tid")" -eq "$MAX_FRAMES" ]
	check "$what: all but its first are stack_deep" [ "$(jq --argjson t "$depth_tid" \
		'[.threads[] | select(.tid == $t) | .frames[1:][] | select(.function == "stack_deep")] | length' \
		"$snap")" -eq $((MAX_FRAMES - 1)) ]
	check "$what: a frame's module is the executable's path" jq_true --arg exe "$(readlink -f "$STACK_TARGET")" \
		'[.threads[].frames[] | select(.function == "stack_main") | .module] == [$exe]' "$snap"
}

# Live.
start "" || not_ok "stack_target started"
check "live take exits 0" "$HEAPSNAP" take "$PID" -o "$out/live.json"
expect_stacks "$out/live.json" "live"
while read -r _ tid name fn; do
	check "live: thread $tid is named $name" [ "$(name_of "$out/live.json" "$tid")" = "$name" ]
done <<THREADS
$(grep '^thread ' "$REP")
THREADS
check "the target runs on untraced" [ "$(target_state "$PID")" = "S 0" ]

# show --threads: a block per thread, then the frames; nothing new without it.
"$HEAPSNAP" show "$out/live.json" --threads >"$out/show.txt"
alpha=$(awk '/^thread .* alpha / { print $2 }' "$REP")
check "show --threads: a block 'TID alpha'" grep -qx "$alpha alpha" "$out/show.txt"
check "show --threads: '#1 0xADDR stack_alpha (stack_target)' under it" \
	sh -c "sed -n '/^$alpha alpha\$/,/^\$/p' '$out/show.txt' | grep -qx '#1 0x[0-9a-f]* stack_alpha (stack_target)'"
check "show without --threads prints no stacks" sh -c "! '$HEAPSNAP' show '$out/live.json' | grep -q 'stack_alpha'"
check "diff prints no stacks" sh -c "! '$HEAPSNAP' diff '$out/live.json' '$out/live.json' | grep -q 'stack_alpha'"
check "show --threads --format=json: the snapshot's threads" sh -c \
	"[ \"\$('$HEAPSNAP' show '$out/live.json' --threads --format=json | jq -c .threads)\" = \"\$(jq -c .threads '$out/live.json')\" ]"
check "show --format=json without --threads has no threads" sh -c \
	"'$HEAPSNAP' show '$out/live.json' --format=json | jq -e 'has(\"threads\") | not' >/dev/null"
check_exit 2 "diff --threads is a usage error" "$HEAPSNAP" diff "$out/live.json" "$out/live.json" --threads
check_exit 2 "show --threads --format=csv is a usage error" "$HEAPSNAP" show "$out/live.json" --threads --format=csv
jq 'del(.threads)' "$out/live.json" >"$out/old.json"
check_exit 3 "show --threads on a snapshot without stacks: exit 3" "$HEAPSNAP" show "$out/old.json" --threads

# Core of the same process: the same functions; then its stack bytes overwritten.
check "gcore dumps the target" sh -c "gcore -o '$out/core' $PID >/dev/null 2>&1"
check "take --core exits 0" "$HEAPSNAP" take --core "$out/core.$PID" -o "$out/core.json"
expect_stacks "$out/core.json" "core"
check "core: the same frame addresses as the live take" [ \
	"$(jq -c '[.threads[] | [.tid, [.frames[].address]]] | sort' "$out/live.json")" = \
	"$(jq -c '[.threads[] | [.tid, [.frames[].address]]] | sort' "$out/core.json")" ]
read -r _ ctid from to word <<CORRUPT
$(grep '^corrupt ' "$REP")
CORRUPT
python3 - "$out/core.$PID" "$from" "$to" "$word" <<'PY'
import struct, sys
# Overwrites [from, to) in the core's PT_LOAD segment holding it with the word, repeated.
path, lo, hi, word = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16), int(sys.argv[4], 16)
with open(path, 'r+b') as f:
    eh = f.read(64)
    phoff, = struct.unpack_from('<Q', eh, 32)
    phentsize, phnum = struct.unpack_from('<HH', eh, 54)
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        ptype, _, off, vaddr, _, filesz, _, _ = struct.unpack('<IIQQQQQQ', f.read(56))
        if ptype == 1 and vaddr <= lo and hi <= vaddr + filesz:
            f.seek(off + lo - vaddr)
            f.write(struct.pack('<Q', word) * ((hi - lo) // 8))
            sys.exit(0)
sys.exit('no PT_LOAD segment holds 0x%x-0x%x' % (lo, hi))
PY
check "the core's stack bytes of thread $ctid are overwritten" [ $? -eq 0 ]
check "take of the overwritten core exits 0" "$HEAPSNAP" take --core "$out/core.$PID" -o "$out/bad.json"
check "overwritten stack: $MAX_FRAMES frames, no more (the stack unwinds into itself)" \
	[ "$(nframes "$out/bad.json" "$ctid")" -eq "$MAX_FRAMES" ]
check "overwritten stack: the other threads keep their frames" has_function "$out/bad.json" "$alpha" stack_alpha
kill -9 "$PID"
wait "$PID" 2>/dev/null

# A thread blocked inside malloc's code.
start busy || not_ok "stack_target busy started"
busy=$(awk '/^busy / { print $2 }' "$REP")
err=$("$HEAPSNAP" take "$PID" --retries 0 -o "$out/busy.json" 2>&1)
check "live take of a target blocked in malloc_stats: exit 4" [ $? -eq 4 ]
check "live: the message names thread $busy inside malloc" sh -c 'printf "%s" "$1" | grep -q "thread $2 is inside malloc"' _ "$err" "$busy"
check "live: no snapshot written" [ ! -e "$out/busy.json" ]
check "the busy target is let go untraced" [ "$(target_state "$PID" | cut -d' ' -f2)" = "0" ]
check "gcore dumps the busy target" sh -c "gcore -o '$out/busycore' $PID >/dev/null 2>&1"
check "take --core of it exits 0" "$HEAPSNAP" take --core "$out/busycore.$PID" -o "$out/busy.json"
check "core: thread $busy's frames reach malloc_stats" has_function "$out/busy.json" "$busy" malloc_stats
check "core: its pc is not in malloc_stats, a caller's frame is" sh -c \
	"! jq -e --argjson t $busy '.threads[] | select(.tid == \$t) | .frames[0].function == \"malloc_stats\"' '$out/busy.json' >/dev/null"
check "core: a warning names thread $busy inside malloc" jq_true --arg w "thread $busy was inside malloc when the core was dumped: figures may be caught mid-change" \
	'.walk.warnings | index($w) != null' "$out/busy.json"
check "core: no other thread is said to be inside malloc" [ \
	"$(jq '[.walk.warnings[] | select(test("inside malloc"))] | length' "$out/busy.json")" -eq 1 ]
done_testing
