# heapsnap stat on other glibc releases (2.31, 2.41, 2.43, from tests/glibc/sysroot.sh):
# malloc_info byte for byte (2.43: no fastbins), mallinfo2 (mallinfo on 2.31) in the JSON,
# the RSS split, and the same from a core. A release that cannot be prepared fails saying so.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/stat/lib.sh"
require jq gcore mkfifo cmp gcc

glibc=$TOP_SRCDIR/tests/glibc
work=$(mktemp -d "${TMPDIR:-/tmp}/heapsnap-stat-versions.XXXXXX")
trap 'exec 7>&- 2>/dev/null; [ -n "$STAT_PID" ] && kill -9 "$STAT_PID" 2>/dev/null; rm -rf "$work"' EXIT

for version in ${HEAPSNAP_GLIBC_VERSIONS:-2.31 2.41 2.43}; do
	if ! sysroot=$("$glibc/sysroot.sh" "$version" 2>"$work/sysroot.err"); then
		not_ok "glibc $version: sysroot ($(tail -1 "$work/sysroot.err"))"
		continue
	fi
	target=$work/stat_target-$version
	if ! "$glibc/build-target.sh" "$version" "$TOP_SRCDIR/tests/stat/stat_target.c" "$target" 2>"$work/build.err"; then
		not_ok "glibc $version: stat_target builds ($(head -3 "$work/build.err"))"
		continue
	fi
	mkdir -p "$work/$version"
	if start_stat_target "$work/$version" "$glibc/run-target.sh $version" "$target"; then
		check "glibc $version: the target runs on the sysroot's libc" grep -q "$sysroot.*libc" "/proc/$STAT_PID/maps"
		check_stat "glibc $version" "$work/$version" --debug-dir="$sysroot/usr/lib/debug"
		stop_stat_target
	else
		not_ok "glibc $version: stat_target runs"
	fi
done
done_testing
