# heapsnap leaks against refstarget's truth table: the JSON rows' direct/indirect split sums to
# the truth's totals (CSV and table too); leaks PID and leaks --core give what take --refs +
# leaks FILE gives; show's options work the same through leaks; the target runs on untraced
# after leaks PID, also when leaks PID is interrupted by SIGINT (and SIGTERM) at random
# moments (never left stopped, no file left behind, no partial output).
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
require jq gcore awk

REFSTARGET=$TOP_BUILDDIR/tests/refs/refstarget
out=$(mktemp -d)
trap 'target_cleanup; rm -rf "$out"' EXIT

# The truth: "DIRECT_COUNT DIRECT_SIZE INDIRECT_COUNT INDIRECT_SIZE". One block of the cycle
# is a direct leak, the others indirect; its blocks all have the same size.
truth() {
	awk '$1 != "block" { next }
	     $4 == "direct" { dn++; ds += $3 } $4 == "indirect" { in_++; is += $3 }
	     $4 == "cycle" { cn++; cs = $3 }
	     END { if (cn > 0) { dn++; ds += cs; in_ += cn - 1; is += (cn - 1) * cs }
		   print dn + 0, ds + 0, in_ + 0, is + 0 }' "$1"
}
# The same four figures from a leaks --format=json document: from its rows, then its total.
rows_split() { jq -r '[([.rows[].direct_count] | add), ([.rows[].direct_size] | add),
	([.rows[].indirect_count] | add), ([.rows[].indirect_size] | add)] | map(. // 0) | join(" ")' "$1"; }
total_split() { jq -r '[.total.direct.count, .total.direct.size, .total.indirect.count,
	.total.indirect.size] | join(" ")' "$1"; }
# untraced PID: running or sleeping, and no tracer (waits up to 5 s for a detach to land).
untraced() {
	local i state
	for i in $(seq 50); do
		state=$(target_state "$1")
		runs_untraced "$state" && return 0
		sleep 0.1
	done
	diag "process $1 is '$state' (State, TracerPid)"
	return 1
}

HEAPTARGET=$REFSTARGET start_target || not_ok "refstarget started"
want=$(truth "$REPORT")
diag "truth (direct count, size; indirect count, size): $want"

# leaks PID: the take in memory, the rows' split summing to the truth.
check "leaks PID --format=json exits 0" sh -c '"$1" leaks "$2" --format=json --limit=0 > "$3"' _ \
	"$HEAPSNAP" "$TARGET_PID" "$out/pid.json"
check "the target runs on untraced after leaks PID" untraced "$TARGET_PID"
check "leaks PID: the rows' direct/indirect counts and sizes sum to the truth ($want)" \
	[ "$(rows_split "$out/pid.json")" = "$want" ]
check "leaks PID: the total's split equals the truth" [ "$(total_split "$out/pid.json")" = "$want" ]
check "leaks PID: every row's count is its direct_count + indirect_count" \
	[ "$(jq '[.rows[] | select(.count != .direct_count + .indirect_count)] | length' "$out/pid.json")" = 0 ]
check "leaks PID: every row's size is its direct_size + indirect_size" \
	[ "$(jq '[.rows[] | select(.size != .direct_size + .indirect_size)] | length' "$out/pid.json")" = 0 ]

# take --refs + leaks FILE: the same rows, total and blocks (the target is idle).
check "take --refs exits 0" "$HEAPSNAP" take --refs -q "$TARGET_PID" -o "$out/snap.json"
check "leaks FILE --format=json exits 0" sh -c '"$1" leaks "$2" --format=json --limit=0 > "$3"' _ \
	"$HEAPSNAP" "$out/snap.json" "$out/file.json"
check "leaks FILE: the rows' split sums to the truth" [ "$(rows_split "$out/file.json")" = "$want" ]
check "leaks PID gives the rows, total and blocks of take --refs + leaks FILE" \
	[ "$(jq -c '[.rows, .total, .blocks]' "$out/pid.json")" = "$(jq -c '[.rows, .total, .blocks]' "$out/file.json")" ]

# leaks --core: the same from a core of the same process.
if check "gcore dumps the target" sh -c "gcore -o '$out/core' $TARGET_PID >/dev/null 2>&1"; then
	check "leaks --core --format=json exits 0" sh -c '"$1" leaks --core "$2" --format=json --limit=0 > "$3"' _ \
		"$HEAPSNAP" "$out/core.$TARGET_PID" "$out/core.json"
	check "leaks --core: the rows' split sums to the truth" [ "$(rows_split "$out/core.json")" = "$want" ]
	rm -f "$out/core.$TARGET_PID"
fi

# The CSV's and the table's split columns.
"$HEAPSNAP" leaks "$out/snap.json" --format=csv --limit=0 --unit=B > "$out/leaks.csv"
check "leaks --format=csv: the split columns, summing to the truth" [ "$(awk -F, '
	NR == 1 { ok = ($6 == "direct_count" && $7 == "indirect_count" && $8 == "direct_size" && $9 == "indirect_size") }
	NR > 1 { dn += $6; ds += $8; in_ += $7; is += $9 }
	END { if (ok) print dn + 0, ds + 0, in_ + 0, is + 0 }' "$out/leaks.csv")" = "$want" ]
"$HEAPSNAP" leaks "$out/snap.json" --limit=0 > "$out/leaks.txt"
check "leaks' table: direct and indirect columns, summing to the truth's counts" [ "$(awk '
	/^ *size +size% +sum% +count +avg +direct +indirect +type$/ { on = 1; next }
	/^Total:/ { on = 0 } on { dn += $(NF - 2); in_ += $(NF - 1) }
	END { print dn + 0, in_ + 0 }' "$out/leaks.txt")" = "$(echo "$want" | awk '{ print $1, $3 }')" ]
check "leaks' table starts with the split line" \
	[ "$(head -1 "$out/leaks.txt")" = "$(echo "$want" | awk '{ printf "leaked: %s blocks (%s bytes) direct, %s blocks (%s bytes) indirect\n", $1, $2, $3, $4 }')" ]

# show's options, the same through leaks.
"$HEAPSNAP" leaks "$out/snap.json" --format=json --group-by=size --limit=0 > "$out/by-size.json"
check "leaks --group-by=size: other rows, the same split" \
	[ "$(rows_split "$out/by-size.json")" = "$want" ] && [ "$(jq -r .group_by "$out/by-size.json")" = size ]
check "leaks -o FILE writes the report there, nothing to stdout" \
	sh -c '[ -z "$("$1" leaks "$2" --format=json -o "$3")" ] && [ "$(jq -c .total "$3")" = "$(jq -c .total "$4")" ]' _ \
	"$HEAPSNAP" "$out/snap.json" "$out/o.json" "$out/file.json"
check "leaks --limit=1: one row, the rest in other" \
	[ "$("$HEAPSNAP" leaks "$out/snap.json" --format=json --limit=1 | jq '(.rows | length), .other.groups' | tr '\n' ' ')" = \
	  "1 $(($(jq '.rows | length' "$out/file.json") - 1)) " ]
check "leaks --threads lists the target's threads" \
	[ "$("$HEAPSNAP" leaks "$out/snap.json" --format=json --threads | jq '.threads | length')" -ge 2 ]
check_exit 2 "leaks --threads --format=csv: usage error, as for show" "$HEAPSNAP" leaks "$out/snap.json" --threads --format=csv
check_exit 2 "leaks --diff=positive: diff's option, usage error" "$HEAPSNAP" leaks "$out/snap.json" --diff=positive
check_exit 2 "leaks FILE --label: take options go with PID or --core" "$HEAPSNAP" leaks "$out/snap.json" --label x
check_exit 2 "leaks PID --no-blocks: usage error" "$HEAPSNAP" leaks "$TARGET_PID" --no-blocks
check_exit 2 "leaks PID --core CORE: usage error" "$HEAPSNAP" leaks "$TARGET_PID" --core "$out/snap.json"
check_exit 2 "leaks without a snapshot: usage error" "$HEAPSNAP" leaks --limit=3
check_exit 3 "leaks of a process that does not exist: exit 3" "$HEAPSNAP" leaks 1073741823

# SIGINT at random moments during leaks PID: the target is never left stopped or traced,
# and nothing is left behind (no snapshot file anywhere, no partial -o file).
mkdir "$out/tmp" "$out/int"
start=$(date +%s%N)
TMPDIR=$out/tmp "$HEAPSNAP" leaks "$TARGET_PID" --format=json -o "$out/int/one.json" 2>/dev/null
run_ms=$((($(date +%s%N) - start) / 1000000))
diag "one leaks PID run: $run_ms ms"
interrupted=0 runs=0
# interrupt SIG COUNT: COUNT runs of leaks PID, each sent SIG after a random delay within one
# run's duration.
interrupt() {
	local sig=$1 code=$2 i pid rc delay_ms delay left
	for i in $(seq "$3"); do
		runs=$((runs + 1))
		rm -f "$out/int/report.json"
		delay_ms=$((RANDOM % (run_ms + 1)))
		delay=$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')
		TMPDIR=$out/tmp "$HEAPSNAP" leaks "$TARGET_PID" --format=json -o "$out/int/report.json" 2>/dev/null &
		pid=$!
		sleep "$delay"
		kill -"$sig" "$pid" 2>/dev/null
		wait "$pid"
		rc=$?
		[ "$rc" -eq "$code" ] && interrupted=$((interrupted + 1))
		untraced "$TARGET_PID" ||
			not_ok "SIG$sig after $delay_ms ms (exit $rc): the target is left stopped or traced"
		left=$(ls -A "$out/tmp" "$out/int" | grep -v -e '^one.json$' -e '^report.json$' -e '^$' -e ':$')
		[ -z "$left" ] || not_ok "SIG$sig after $delay_ms ms (exit $rc): left behind: $left"
		# The output appears whole or not at all (a signal after it was named may still end heapsnap).
		if [ -e "$out/int/report.json" ] &&
		   [ "$(jq -c .total "$out/int/report.json" 2>/dev/null)" != "$(jq -c .total "$out/pid.json")" ]; then
			not_ok "SIG$sig after $delay_ms ms (exit $rc): a partial output was left"
		fi
	done
}
interrupt INT 130 8
interrupt TERM 143 4
diag "$interrupted of $runs runs ended by the signal"
check "the signal landed during leaks PID in some runs (else this test proves nothing)" [ "$interrupted" -ge 1 ]
check "after $runs interrupted leaks PID runs the target runs on untraced" untraced "$TARGET_PID"
check "leaks PID still works afterwards, with the same split" \
	sh -c '[ "$("$1" leaks "$2" --format=json | jq -c .total)" = "$(jq -c .total "$3")" ]' _ \
	"$HEAPSNAP" "$TARGET_PID" "$out/pid.json"
stop_target
done_testing
