# Golden tests of show and diff: every case of tests/diff/cases.txt runs in tests/diff/data
# and its stdout, stderr and exit code must equal golden/NAME.out. HS_GOLDEN_UPDATE=1
# rewrites the golden files instead (review the changes before committing them).
. "$TOP_SRCDIR/tests/tap.sh"
require diff

here="$TOP_SRCDIR/tests/diff"
tmp=$(mktemp -d) || { not_ok "cannot create a temporary directory"; done_testing; exit 1; }
trap 'rm -rf "$tmp"' EXIT

# run ARGS...: prints what a golden file holds.
run() {
	"$HEAPSNAP" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
	local rc=$?
	cat "$tmp/stdout"
	if [ -s "$tmp/stderr" ]; then
		echo "--- stderr"
		cat "$tmp/stderr"
	fi
	echo "--- exit $rc"
}

cd "$here/data" || exit 1
while read -r name args; do
	case $name in '' | '#'*) continue ;; esac
	eval "set -- $args"
	run "$@" >"$tmp/actual"
	if [ -n "${HS_GOLDEN_UPDATE:-}" ]; then
		cp "$tmp/actual" "$here/golden/$name.out"
		ok "$name (golden file rewritten)"
	elif [ ! -f "$here/golden/$name.out" ]; then
		not_ok "$name: golden/$name.out is missing"
	elif diff -u "$here/golden/$name.out" "$tmp/actual" >"$tmp/diff"; then
		ok "$name"
	else
		not_ok "$name: output differs from golden/$name.out"
		sed 's/^/# /' "$tmp/diff"
	fi
done <"$here/cases.txt"
done_testing
