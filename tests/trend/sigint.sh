# SIGINT to `heapsnap watch` at random moments, several times: each time the target is left
# running (not stopped, not traced), every file in the folder is a complete snapshot that
# `heapsnap show` reads, and no temporary file is left. A SIGINT between takes ends the
# watch with exit 0; one during a take kills heapsnap by the signal after its guard let the
# target go (exit 130 seen from the shell).
. "$TOP_SRCDIR/tests/tap.sh"

. "$TOP_SRCDIR/tests/trend/lib.sh"
start_trend_target
check "the target is running" [ -s "$out/rate" ]

state() { awk '{ sub(/^.*\) /, ""); print substr($0, 1, 1) }' "/proc/$target/stat"; }
during=0
for run in 1 2 3 4 5 6 7 8; do
	dir=$out/run$run
	mkdir "$dir"
	# Odd runs mostly sleep between takes; even runs take back to back (--keep bounds the
	# files), so the signal mostly lands inside a take or its write.
	every=0.25
	[ $((run % 2)) -eq 0 ] && every="0.001 --keep 5"
	"$HEAPSNAP" watch "$target" --every $every --dir "$dir" >/dev/null 2>"$dir.err" &
	watcher=$!
	# 0.3 to 1.5 s: at random moments between and during takes.
	sleep "$(awk -v s="$run$$" 'BEGIN { srand(s); printf "%.3f", 0.3 + rand() * 1.2 }')"
	kill -INT "$watcher"
	wait "$watcher"
	rc=$?
	[ $rc -eq 130 ] && during=$((during + 1))
	check "run $run: watch ended by SIGINT with exit 0 or by the signal (exit $rc)" \
		[ "$rc" -eq 0 -o "$rc" -eq 130 ]
	sleep 0.05
	st=$(state)
	check "run $run: the target is running (state $st)" [ "$st" != t -a "$st" != T ]
	check "run $run: the target is not traced" \
		[ "$(awk '/^TracerPid:/ { print $2 }' "/proc/$target/status")" = 0 ]
	check "run $run: no temporary file" [ -z "$(ls -A "$dir" | grep -v '^heapsnap\..*\.json$')" ]
	bad=0
	for f in "$dir"/heapsnap.*.json; do
		[ -e "$f" ] || continue
		"$HEAPSNAP" show "$f" >/dev/null 2>&1 || { bad=1; diag "run $run: $f does not read"; }
	done
	check "run $run: every snapshot reads ($(ls "$dir" | wc -l) files)" [ $bad -eq 0 ]
done
diag "$during of 8 signals landed inside a take (heapsnap died by SIGINT after letting the target go)"
done_testing
