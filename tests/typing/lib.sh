# Helpers of the DWARF typing tests (types.sh, core.sh). Source after tests/tap.sh; it sources
# tests/refs/lib.sh (tap_lines) and sets an EXIT trap that kills the targets it started.
#   TYPED_TARGETS                 the typed targets' names under tests/typing: C at -O0 and
#                                 -O2 from one source, and C++
#   start_typed NAME              runs tests/typing/NAME with a truth file in the scratch
#       folder $TYPED_OUT and waits up to 20 s for "ready"; sets TYPED_PID and TRUTH.
#   stop_typed                    kills the last one started (SIGKILL) and reaps it.
#   check_types LABEL [--no-debuginfo | --why HEAPSNAP | --leaks HEAPSNAP] SNAPSHOT
#       relays tests/typing/check_types.py's TAP lines against $TRUTH, prefixed with LABEL.
. "$TOP_SRCDIR/tests/refs/lib.sh"

TYPED_TARGETS="typedtarget typedtarget_O2 typedtarget_cxx"
TYPED_OUT=$(mktemp -d)
TYPED_PID=
TRUTH=
typed_pids=

typed_cleanup() {
	local pid
	for pid in $typed_pids; do
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	rm -rf "$TYPED_OUT"
}
trap typed_cleanup EXIT

start_typed() {
	local program=$TOP_BUILDDIR/tests/typing/$1 waited=0
	TRUTH=$TYPED_OUT/$1.truth
	if [ ! -x "$program" ]; then
		diag "$program is not built: run make check"
		return 1
	fi
	"$program" "$TRUTH" >"$TYPED_OUT/$1.out" 2>&1 </dev/null &
	TYPED_PID=$!
	typed_pids="$typed_pids $TYPED_PID"
	while ! grep -qx ready "$TYPED_OUT/$1.out" 2>/dev/null; do
		if ! kill -0 "$TYPED_PID" 2>/dev/null || [ "$waited" -ge 200 ]; then
			diag "$1 did not get ready: $(cat "$TYPED_OUT/$1.out")"
			return 1
		fi
		sleep 0.1
		waited=$((waited + 1))
	done
}

stop_typed() {
	kill -9 "$TYPED_PID" 2>/dev/null
	wait "$TYPED_PID" 2>/dev/null
	TYPED_PID=
}

check_types() {
	local label=$1
	shift
	tap_lines "$label" python3 "$TOP_SRCDIR/tests/typing/check_types.py" "$@" "$TRUTH"
}
