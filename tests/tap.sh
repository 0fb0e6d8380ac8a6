# TAP helpers for the shell tests: source it, call ok/not_ok/check, end with done_testing.
# A missing prerequisite is a failure that names what is missing, never a skip.
tap_n=0
tap_failed=0

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# check_exit CODE DESCRIPTION COMMAND...: passes when the command exits with CODE.
check_exit() {
	local want=$1 d=$2; shift 2
	"$@" >/dev/null 2>&1; local got=$?
	if [ "$got" -eq "$want" ]; then ok "$d"; else not_ok "$d (exit $got, wanted $want)"; fi
}
diag() { printf '# %s\n' "$*"; }
done_testing() { echo "1..$tap_n"; }
# require CMD...: fails the test file when a needed tool is missing.
require() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || { not_ok "required tool '$c' is missing: install it (see .ci/run)"; done_testing; exit 1; }
	done
}
