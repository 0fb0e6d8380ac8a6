# Helpers for the stat tests: start tests/stat/stat_target (optionally through another glibc's
# loader) and check heapsnap stat's figures against what the target's glibc wrote itself.
# Source after tests/tap.sh.
#
#   start_stat_target DIR RUNNER TARGET [--corrupt]   starts the target writing its figures
#       into DIR; waits up to 20 s for its "ready" line; sets STAT_PID. Returns 1 on failure.
#   stop_stat_target                                  closes its stdin and reaps it.
#   check_stat LABEL DIR [heapsnap stat options...]   the assertions on the running target:
#       malloc-info byte for byte, mallinfo2 in the JSON, the RSS parts adding up to VmRSS
#       within a page per mapping, the target running as before; then the same figures from
#       a gcore of it (stat --core).

STAT_PID= stat_runner_pid=

start_stat_target() {
	local dir=$1 runner=$2 target=$3 waited=0
	shift 3
	rm -f "$dir/in" && mkfifo "$dir/in" || return 1
	$runner "$target" "$dir" "$@" <"$dir/in" >"$dir/out" 2>"$dir/err" &
	stat_runner_pid=$!
	exec 7>"$dir/in"
	while ! grep -q '^ready ' "$dir/out" 2>/dev/null; do
		if ! kill -0 "$stat_runner_pid" 2>/dev/null || [ "$waited" -ge 200 ]; then
			diag "stat_target did not get ready: $(head -3 "$dir/err" 2>/dev/null)"
			return 1
		fi
		sleep 0.1
		waited=$((waited + 1))
	done
	STAT_PID=$(awk '$1 == "ready" { print $2 }' "$dir/out")
}

stop_stat_target() {
	exec 7>&-
	wait "$stat_runner_pid" 2>/dev/null
	STAT_PID=
}

# The "name value" lines of mallinfo2 in a stat JSON file.
json_mallinfo() { jq -r '.mallinfo2 | to_entries[] | "\(.key) \(.value)"' "$1"; }

check_stat() {
	local label=$1 dir=$2 pid=$STAT_PID
	shift 2
	check "$label: the target left several arenas, binned and unsorted free chunks" \
		sh -c "test \$(grep -c '<heap nr=' '$dir/malloc_info.xml') -ge 3 && grep -q '<unsorted ' '$dir/malloc_info.xml' && test \$(grep -c '<size ' '$dir/malloc_info.xml') -ge 20"
	if grep -q 'type="fast"' "$dir/malloc_info.xml"; then
		check "$label: the target left fastbin chunks" grep -q '<total type="fast" count="[1-9]' "$dir/malloc_info.xml"
	fi
	check_exit 0 "$label: stat --format=malloc-info exits 0" \
		"$HEAPSNAP" stat "$pid" --format=malloc-info -o "$dir/stat.xml" "$@"
	check "$label: malloc-info is byte for byte what malloc_info(0) printed in the target" \
		cmp "$dir/stat.xml" "$dir/malloc_info.xml"
	check_exit 0 "$label: stat --format=json exits 0" "$HEAPSNAP" stat "$pid" --format=json -o "$dir/stat.json" "$@"
	check "$label: the JSON's mallinfo2 equals the target's own mallinfo2()" \
		diff <(json_mallinfo "$dir/stat.json") "$dir/mallinfo.txt"
	local vmrss maps sum total
	vmrss=$(awk '$1 == "VmRSS:" { print $2 * 1024 }' "/proc/$pid/status")
	maps=$(wc -l <"/proc/$pid/maps")
	sum=$(jq '.rss.live + .rss.free + .rss.metadata + .rss.rest' "$dir/stat.json")
	total=$(jq '.rss.total' "$dir/stat.json")
	check "$label: live + free + metadata + rest ($sum) is VmRSS ($vmrss) within a page per mapping ($maps)" \
		test -n "$sum" -a -n "$vmrss" -a $(( (sum - vmrss) * (sum - vmrss) )) -le $(( (maps * 4096) * (maps * 4096) ))
	check "$label: the parts add up to the smaps Rss total ($total)" test "$sum" = "$total"
	check "$label: free resident bytes are some, and no more than the free figures" \
		test "$(jq '.rss.free > 0 and .rss.free <= .mallinfo2.fordblks' "$dir/stat.json")" = true
	check "$label: every mmapped chunk found" test "$(jq '.rss.mmapped_chunks_found == .mmap.count' "$dir/stat.json")" = true
	check "$label: the JSON says how long the target was stopped" test "$(jq '.pause_ms > 0' "$dir/stat.json")" = true
	check "$label: the target runs on, untraced" \
		test "$(awk '$1 == "State:" { s = $2 } $1 == "TracerPid:" { t = $2 } END { print s, t }' "/proc/$pid/status")" = "S 0"
	check_exit 0 "$label: stat --no-debuginfo exits 0" \
		"$HEAPSNAP" stat "$pid" --no-debuginfo --format=malloc-info -o "$dir/scan.xml"
	check "$label: without symbols, malloc-info is the same bytes" cmp "$dir/scan.xml" "$dir/malloc_info.xml"
	rm -f "$dir/core".*
	if gcore -o "$dir/core" "$pid" >/dev/null 2>&1; then
		check_exit 0 "$label: stat --core exits 0" \
			"$HEAPSNAP" stat --core "$dir/core.$pid" --format=malloc-info -o "$dir/core.xml" "$@"
		check "$label: from the core, malloc-info is the same bytes" cmp "$dir/core.xml" "$dir/malloc_info.xml"
		"$HEAPSNAP" stat --core "$dir/core.$pid" --format=json -o "$dir/core.json" "$@"
		check "$label: from the core, mallinfo2 is the same" \
			diff <(json_mallinfo "$dir/core.json") "$dir/mallinfo.txt"
		check "$label: from the core, RSS is null (not available)" test "$(jq -c .rss "$dir/core.json")" = null
		"$HEAPSNAP" stat --core "$dir/core.$pid" "$@" >"$dir/core.txt"
		check "$label: the text output says RSS is not available for a core" grep -q "not available for a core" "$dir/core.txt"
		rm -f "$dir/core".*
	else
		not_ok "$label: gcore dumps the target"
	fi
}
