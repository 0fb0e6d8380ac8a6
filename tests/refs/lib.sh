# Shared by the tests of tests/refs: a checker's TAP lines as the calling test's own.
#   tap_lines LABEL COMMAND...   runs COMMAND, turning its "ok - ..." and "not ok - ..." lines
#       into this test's (prefixed with LABEL), its other lines into diagnostics; a COMMAND
#       that prints no TAP line at all is a failure.
tap_lines() {
	local label=$1 line seen=0
	shift
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$label: ${line#* - }"; seen=1 ;;
		"not ok "*) not_ok "$label: ${line#* - }"; seen=1 ;;
		*) diag "$line" ;;
		esac
	done <<EOF
$("$@" 2>&1)
EOF
	[ "$seen" -eq 1 ] || not_ok "$label: $* ran"
}
