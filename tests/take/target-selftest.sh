# The self-reporting target itself: for several seeds and thread counts its report is
# well-formed and its heap holds what the exactness tests rely on (mmapped chunks, fastbins,
# free chunks in bins, several arenas); its modes and --stop-self do what they say.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

# report_field NAME: the value of a one-value record of $REPORT.
report_field() { awk -v k="$1" '$1 == k { print $2 }' "$REPORT"; }
# mallinfo_field N: field N (1 = arena ... 10 = keepcost) of the mallinfo record.
mallinfo_field() { awk -v n="$1" '$1 == "mallinfo" { print $(n + 1) }' "$REPORT"; }

# A well-formed report: known records in order (pid, threads, live..., freed..., mallinfo_bits,
# mallinfo, ready), one pid/threads/mallinfo, "ready" last.
well_formed() {
	awk '
	BEGIN { stage = 0; bad = 0 }
	$1 == "pid" && NF == 2 && $2 ~ /^[0-9]+$/ && stage == 0 { stage = 1; next }
	$1 == "threads" && NF == 2 && $2 ~ /^[0-9]+$/ && stage == 1 { stage = 2; next }
	$1 == "live" && NF == 3 && $2 ~ /^0x[0-9a-f]+$/ && $3 ~ /^[0-9]+$/ && stage == 2 { next }
	$1 == "freed" && NF == 2 && $2 ~ /^0x[0-9a-f]+$/ && (stage == 2 || stage == 3) { stage = 3; next }
	$1 == "mallinfo_bits" && NF == 2 && ($2 == 64 || $2 == 32) && (stage == 2 || stage == 3) { stage = 4; next }
	$1 == "mallinfo" && NF == 11 && stage == 4 { for (i = 2; i <= 11; i++) if ($i !~ /^[0-9]+$/) bad = 1; stage = 5; next }
	$0 == "ready" && stage == 5 { stage = 6; next }
	{ bad = 1 }
	END { exit !(stage == 6 && !bad) }' "$REPORT"
}

for run in "1 4 5000" "7 1 2000" "42 8 1500"; do
	set -- $run
	seed=$1 workers=$2 blocks=$3
	what="seed $seed, $workers workers, $blocks blocks"
	if ! start_target --seed "$seed" --threads "$workers" --blocks "$blocks"; then
		not_ok "$what: the target gets ready"
		continue
	fi
	ok "$what: the target gets ready"
	nthreads=$((workers + 1))
	check "$what: the report is well-formed" well_formed
	check "$what: the report names the target's pid" [ "$(report_field pid)" = "$TARGET_PID" ]
	check "$what: threads is main + workers ($nthreads)" [ "$(report_field threads)" = "$nthreads" ]
	check "$what: every thread is alive" [ "$(ls "/proc/$TARGET_PID/task" | wc -l)" -eq "$nthreads" ]
	live=$(grep -c '^live ' "$REPORT")
	freed=$(grep -c '^freed ' "$REPORT")
	diag "$what: $live live, $freed freed; mallinfo $(mallinfo_field 1) $(mallinfo_field 2) $(mallinfo_field 3) $(mallinfo_field 4) ..."
	check "$what: at least half the blocks are live" [ "$live" -ge $((blocks * nthreads / 2)) ]
	check "$what: at least a fifth of the blocks are freed" [ "$freed" -ge $((blocks * nthreads / 5)) ]
	check "$what: no address is both live and freed" \
		[ -z "$(awk '$1 == "live" || $1 == "freed" { print $2 }' "$REPORT" | sort | uniq -d)" ]
	big=$(awk '$1 == "live" && $3 >= 262144' "$REPORT" | wc -l)
	check "$what: live blocks of 256 KiB and more exist" [ "$big" -gt 0 ]
	check "$what: mmapped chunks exist (hblks >= those blocks)" [ "$(mallinfo_field 4)" -ge "$big" ]
	check "$what: fastbins are in use (smblks > 0)" [ "$(mallinfo_field 3)" -gt 0 ]
	check "$what: bins hold free chunks (ordblks > one top per thread's arena)" \
		[ "$(mallinfo_field 2)" -gt "$nthreads" ]
	check "$what: mallinfo arena = uordblks + fordblks" \
		[ "$(mallinfo_field 1)" -eq $(($(mallinfo_field 8) + $(mallinfo_field 9))) ]
	check "$what: the idle target sleeps, untraced" [ "$(target_state "$TARGET_PID")" = "S 0" ]
	stop_target
done

if start_target --threads 2 --blocks 500 --stop-self; then
	# The stop follows the report by a moment.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(target_state "$TARGET_PID")" = "T 0" ] && break
		sleep 0.1
	done
	check "--stop-self: the target stops itself after its report" [ "$(target_state "$TARGET_PID")" = "T 0" ]
	stop_target
else
	not_ok "--stop-self: the target gets ready"
fi

vmdata() { awk '$1 == "VmData:" { print $2 }' "/proc/$1/status"; }
if start_target --threads 1 --blocks 10 --free-percent 0 --mode grow; then
	before=$(vmdata "$TARGET_PID")
	# 16 KiB every 100 ms first fills the few hundred KiB free in the main arena, then the
	# arena grows: allow 10 s.
	for i in $(seq 100); do
		after=$(vmdata "$TARGET_PID")
		[ "$after" -gt "$before" ] && break
		sleep 0.1
	done
	diag "grow: VmData $before kB -> $after kB after $i polls"
	check "--mode grow: the target's data keeps growing" [ "$after" -gt "$before" ]
	stop_target
else
	not_ok "--mode grow: the target gets ready"
fi

cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
if start_target --threads 2 --blocks 500 --mode churn; then
	before=$(cputicks "$TARGET_PID")
	sleep 1
	after=$(cputicks "$TARGET_PID")
	check "--mode churn: the target keeps working" [ "$after" -gt "$before" ]
	stop_target
else
	not_ok "--mode churn: the target gets ready"
fi

check_exit 2 "an unknown option is a usage error" "$HEAPTARGET" --frob
check_exit 2 "too many threads is a usage error" "$HEAPTARGET" --threads 64
done_testing
