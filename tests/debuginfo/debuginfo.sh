# The DWARF type reader (src/debuginfo) against ground truth: the fixture (-O0 and -O2 builds
# of one source) prints its types' sizes and pointer members' offsets, its globals', statics'
# and `__thread` variables' addresses with each thread's pointer, and a blocked thread's
# locals; dump_debuginfo reads the live process, then a core of it (gcore), and must print
# every truth line, and no slot of the fixture's types or globals that the truth lacks. The
# C++ fixture's names, offline, with and without type units; both again after dwz.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
require gcore dwz

DUMP=$TOP_BUILDDIR/tests/debuginfo/dump_debuginfo
out=$(mktemp -d)
trap 'target_cleanup; rm -rf "$out"' EXIT

# every_truth_line LABEL TRUTH DUMP: one assertion per truth line ("global NAME" without an
# address, the offline C++ fixture's: any global of that name).
every_truth_line() {
	local label=$1 truth=$2 dump=$3 line
	while IFS= read -r line; do
		[ "$line" = ready ] && continue
		if [ "${line#global	}" != "$line" ] && [ "${line#global	*	}" = "$line" ]; then
			check "$label: $line" grep -q "^$line	" "$dump"
		else
			check "$label: $line" grep -Fxq -- "$line" "$dump"
		fi
	done < "$truth"
}

# nothing_beyond_truth LABEL TRUTH DUMP: the dump's slots of the truth's types and globals,
# and its type lines for them (as many as the truth's: C's per-unit copies are one type, two
# different records of one name two), are the truth's.
nothing_beyond_truth() {
	local label=$1 truth=$2 dump=$3 extra dup
	extra=$(awk -F'\t' 'NR == FNR { if ($1 == "type" || $1 == "global") own[$1 $2] = 1; truth[$0] = 1; next }
		($1 == "slot" && own["type" $2]) || ($1 ~ /^g(slot|type)$/ && own["global" $2]) || ($1 == "flexible" && own["type" $2]) {
			if (!($0 in truth)) print }' "$truth" "$dump")
	check "$label: no slot beyond the truth${extra:+ (extra: $extra)}" [ -z "$extra" ]
	dup=$(awk -F'\t' 'NR == FNR { if ($1 == "type") want[$2]++; next }
		$1 == "type" && ($2 in want) { got[$2]++ }
		END { for (n in want) if (got[n] != want[n]) print n " " got[n] + 0 "/" want[n] }' "$truth" "$dump")
	check "$label: as many types of each name as the truth${dup:+ (got/want: $dup)}" [ -z "$dup" ]
}

for opt in O0 O2; do
	HEAPTARGET=$TOP_BUILDDIR/tests/debuginfo/fixture-$opt
	if ! start_target; then
		not_ok "fixture-$opt started"
		continue
	fi
	if "$DUMP" "$TARGET_PID" > "$out/$opt.dump" 2> "$out/$opt.err"; then
		ok "fixture-$opt: dump_debuginfo exits 0"
	else
		not_ok "fixture-$opt: dump_debuginfo exits 0: $(cat "$out/$opt.err")"
	fi
	grep '^time' "$out/$opt.err" | grep -e fixture -e libc -e TLS -e frame | while IFS= read -r l; do diag "$opt $l"; done
	every_truth_line "fixture-$opt" "$REPORT" "$out/$opt.dump"
	nothing_beyond_truth "fixture-$opt" "$REPORT" "$out/$opt.dump"
	check "fixture-$opt: no type for a struct defined nowhere" sh -c "! grep -q 'struct ghost' '$out/$opt.dump'"
	for g in g_ghost g_opaque g_plain; do
		check "fixture-$opt: $g (no slot) is no typed global" sh -c "! grep -q '^global	$g	' '$out/$opt.dump'"
	done
	check "fixture-$opt: every module with TLS variables has its block" sh -c "! grep -q '^tlsmissing' '$out/$opt.dump'"
	check "fixture-$opt runs on untraced" runs_untraced "$(target_state "$TARGET_PID")"
	# The same from a core of the process.
	if gcore -o "$out/core-$opt" "$TARGET_PID" >/dev/null 2>&1 &&
		"$DUMP" --core "$out/core-$opt.$TARGET_PID" > "$out/$opt.core.dump" 2> "$out/$opt.core.err"; then
		ok "fixture-$opt core: dump_debuginfo --core exits 0"
		every_truth_line "fixture-$opt core" "$REPORT" "$out/$opt.core.dump"
		nothing_beyond_truth "fixture-$opt core" "$REPORT" "$out/$opt.core.dump"
	else
		not_ok "fixture-$opt core: gcore and dump_debuginfo --core: $(cat "$out/$opt.core.err" 2>/dev/null)"
	fi
	rm -f "$out/core-$opt.$TARGET_PID"
	stop_target
done

# The C++ names, from ordinary DWARF and from DWARF 4 type units.
for cxx in fixture_cxx fixture_cxx_tu; do
	bin=$TOP_BUILDDIR/tests/debuginfo/$cxx
	if "$bin" > "$out/$cxx.truth" && "$DUMP" --file "$bin" > "$out/$cxx.dump" 2> "$out/$cxx.err"; then
		ok "$cxx: truth and offline dump"
		every_truth_line "$cxx" "$out/$cxx.truth" "$out/$cxx.dump"
		nothing_beyond_truth "$cxx" "$out/$cxx.truth" "$out/$cxx.dump"
	else
		not_ok "$cxx: truth and offline dump: $(cat "$out/$cxx.err")"
	fi
done
# dwz: the C and C++ fixtures' shared DIEs moved to partial units of a common file
# (.gnu_debugaltlink), imported where used: the same types and globals as without it.
cp "$TOP_BUILDDIR/tests/debuginfo/fixture-O0" "$out/dwz-c"
cp "$TOP_BUILDDIR/tests/debuginfo/fixture_cxx" "$out/dwz-cxx"
if dwz -m "$out/dwz-common.debug" "$out/dwz-c" "$out/dwz-cxx" >"$out/dwz.err" 2>&1; then
	for pair in fixture-O0:dwz-c fixture_cxx:dwz-cxx; do
		"$DUMP" --file "$TOP_BUILDDIR/tests/debuginfo/${pair%%:*}" 2>/dev/null > "$out/plain.dump"
		"$DUMP" --file "$out/${pair#*:}" 2>/dev/null > "$out/dwz.dump"
		check "${pair%%:*} after dwz: the same types, slots and globals ($(grep -c . "$out/plain.dump") lines)" \
			cmp -s "$out/plain.dump" "$out/dwz.dump"
	done
else
	not_ok "dwz -m on the fixtures: $(cat "$out/dwz.err")"
fi
check_exit 1 "dump_debuginfo of a file that is no ELF fails cleanly" "$DUMP" --file "$TOP_SRCDIR/tests/tap.sh"
done_testing
