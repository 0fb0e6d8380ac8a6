# fixture-selftest.sh: checks the glibc version-matrix fixture itself. For each glibc the
# fixture serves, its sysroot can be prepared (from the cache or Debian's archive), a
# multi-threaded program builds and runs on it and reports that glibc, the running process
# maps the sysroot's libc (not the machine's), and the debug file for that libc's build-id
# is in the sysroot with the symbols the heap walker needs. Also checks that an unreachable
# archive with nothing cached fails with one line saying so.
. "$TOP_SRCDIR/tests/tap.sh"
require gcc readelf apt-get dpkg-deb flock mkfifo

fixture=$TOP_SRCDIR/tests/glibc
work=$(mktemp -d "${TMPDIR:-/tmp}/heapsnap-glibc-selftest.XXXXXX")
trap 'exec 3>&- 2>/dev/null; rm -rf "$work"' EXIT

# libc_of PID: the libc.so file a process maps.
libc_of() { awk '$6 ~ /\/libc(\.so\.6|-[0-9.]+\.so)$/ { print $6; exit }' "/proc/$1/maps"; }

# await_line FILE TEXT: waits up to 20 s for a line TEXT in FILE.
await_line() {
	local i
	for i in $(seq 200); do
		grep -qx "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

for version in 2.31 2.36 2.41 2.43; do
	# 1. The sysroot: stdout is its path, stderr lists the package versions or says what failed.
	if sysroot=$("$fixture/sysroot.sh" "$version" 2>"$work/sysroot.err"); then
		ok "glibc $version: sysroot prepared at $sysroot"
		sed 's/^# /# glibc '"$version"': /' "$work/sysroot.err"
	else
		not_ok "glibc $version: sysroot not prepared: $(grep -v '^# ' "$work/sysroot.err" | tail -1)"
		sysroot=/nonexistent
	fi
	check "glibc $version: VERSIONS records libc6 $version-*" \
		grep -q "^libc6 $version-" "$sysroot/VERSIONS"

	# 2. Build and run the program on that glibc.
	prog=$work/hello-malloc-$version
	check "glibc $version: hello-malloc builds" \
		"$fixture/build-target.sh" "$version" "$fixture/hello-malloc.c" "$prog"
	mkfifo "$work/in-$version"
	"$fixture/run-target.sh" "$version" "$prog" --wait <"$work/in-$version" >"$work/out-$version" 2>&1 &
	runner=$!
	exec 3>"$work/in-$version" # holds the program's stdin open until the checks are done
	if await_line "$work/out-$version" ready; then
		ok "glibc $version: hello-malloc runs"
	else
		not_ok "glibc $version: hello-malloc did not start: $(head -3 "$work/out-$version" | tr '\n' ' ')"
	fi
	check "glibc $version: the program reports glibc $version" grep -qx "glibc $version" "$work/out-$version"

	# 3. The running process's libc is the sysroot's, and its debug file is there.
	pid=$(awk '$1 == "pid" { print $2 }' "$work/out-$version")
	libc=$( [ -n "$pid" ] && libc_of "$pid")
	case $libc in
	"$sysroot"/*) ok "glibc $version: the process maps the sysroot's libc ($libc)" ;;
	*) not_ok "glibc $version: the process maps '${libc:-no libc}', not one inside $sysroot" ;;
	esac
	build_id=$( [ -n "$libc" ] && readelf -n "$libc" | awk '/Build ID:/ { print $3 }')
	debug=$sysroot/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug
	check "glibc $version: debug file for build-id ${build_id:-?} is in the sysroot" \
		test -n "$build_id" -a -f "$debug"
	symbols=$(readelf -sW "$debug" 2>/dev/null | awk '{ print $8 }' | grep -cxE 'main_arena|mp_|tcache')
	check "glibc $version: the debug file's symbol table has main_arena, mp_ and tcache" \
		test "$symbols" -eq 3
	exec 3>&-
	wait "$runner"
	check "glibc $version: hello-malloc exits cleanly when its input closes" test $? -eq 0
done

# 4. No archive and no cache: one line on stderr saying so, and a non-zero exit.
HEAPSNAP_GLIBC_CACHE=$work/empty-cache HEAPSNAP_DEBIAN_MIRROR=http://127.0.0.1:9 \
	"$fixture/sysroot.sh" 2.31 >"$work/offline.out" 2>"$work/offline.err"
status=$?
check "sysroot.sh fails without archive or cache" test "$status" -ne 0 -a ! -s "$work/offline.out"
check "sysroot.sh says so in one line" \
	test "$(wc -l <"$work/offline.err")" -eq 1 -a -n "$(grep 'cannot reach' "$work/offline.err")"

done_testing
