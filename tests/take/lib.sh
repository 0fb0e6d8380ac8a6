# Helpers for tests that run the self-reporting target (tests/target/heaptarget). Source it
# after tests/tap.sh. It sets an EXIT trap that kills every target it started and removes its
# scratch folder; a test that needs its own EXIT trap calls target_cleanup from it.
#
#   start_target [heaptarget options...]  starts a target writing its report to a file in a
#       scratch folder and waits up to 20 s for its "ready" line; sets TARGET_PID and REPORT.
#       Returns 1 (after a diag) when the target died or never got ready.
#   stop_target                            kills the last target started (SIGKILL) and reaps it.
#   target_state PID                       prints "STATE TRACERPID" from /proc/PID/status,
#       e.g. "S 0" (sleeping, not traced) or "T 0" (stopped).
#   runs_untraced STATE                    whether a target_state line says running on,
#       untraced: R, S or D (a busy process may wait for its mmap lock), tracer 0.
#   oracle_check [--no-blocks] REPORT SNAPSHOT
#       runs tests/check_snapshot and passes each of its assertions on as this test's own
#       ok/not_ok lines (prefixed "oracle:"), its diagnostics as diag lines.

# HEAPTARGET_RUNNER, when set, is a command put before the target (e.g. a loader from
# another glibc's sysroot: tests/glibc/run-target.sh VERSION); it must exec the target.
HEAPTARGET=${HEAPTARGET:-$TOP_BUILDDIR/tests/target/heaptarget}
HEAPTARGET_RUNNER=${HEAPTARGET_RUNNER:-}
CHECK_SNAPSHOT=$TOP_BUILDDIR/tests/check_snapshot
TARGET_PID=
REPORT=
target_dir=
target_pids=
target_count=0

target_cleanup() {
	local pid
	for pid in $target_pids; do
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	target_pids=
	[ -n "$target_dir" ] && rm -rf "$target_dir"
	target_dir=
}
trap target_cleanup EXIT

start_target() {
	local waited=0
	if [ ! -x "$HEAPTARGET" ]; then
		diag "$HEAPTARGET is not built: run make check"
		return 1
	fi
	[ -n "$target_dir" ] || target_dir=$(mktemp -d) || return 1
	target_count=$((target_count + 1))
	REPORT=$target_dir/report.$target_count
	$HEAPTARGET_RUNNER "$HEAPTARGET" --report "$REPORT" "$@" </dev/null >/dev/null 2>"$REPORT.stderr" &
	TARGET_PID=$!
	target_pids="$target_pids $TARGET_PID"
	# 20 s in steps of 0.1 s: a debug build on a loaded 2-core machine needs about 1 s.
	while ! grep -qx ready "$REPORT" 2>/dev/null; do
		if ! kill -0 "$TARGET_PID" 2>/dev/null || [ "$waited" -ge 200 ]; then
			diag "heaptarget $* did not get ready: $(cat "$REPORT.stderr" 2>/dev/null)"
			return 1
		fi
		sleep 0.1
		waited=$((waited + 1))
	done
}

stop_target() {
	[ -n "$TARGET_PID" ] || return 0
	kill -9 "$TARGET_PID" 2>/dev/null
	wait "$TARGET_PID" 2>/dev/null
	target_pids=$(printf '%s\n' $target_pids | grep -vx "$TARGET_PID" | tr '\n' ' ')
	TARGET_PID=
}

target_state() {
	awk '$1 == "State:" { s = $2 } $1 == "TracerPid:" { t = $2 } END { if (s == "") exit 1; print s, t }' \
		"/proc/$1/status" 2>/dev/null
}

runs_untraced() {
	case $1 in [RSD]" 0") return 0 ;; esac
	return 1
}

oracle_check() {
	local out rc line seen=0
	out=$("$CHECK_SNAPSHOT" "$@" 2>&1)
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "oracle: ${line#* - }"; seen=1 ;;
		"not ok "*) not_ok "oracle: ${line#* - }"; seen=1 ;;
		"#"*) printf '%s\n' "$line" ;;
		1..*) ;;
		*) diag "$line" ;;
		esac
	done <<EOF
$out
EOF
	if [ "$seen" -eq 0 ] || { [ "$rc" -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; }; then
		not_ok "oracle: check_snapshot ran (exit $rc)"
	fi
}
