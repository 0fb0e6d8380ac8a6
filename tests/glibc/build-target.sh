#!/usr/bin/env bash
# build-target.sh VERSION SRC.c OUT: builds a C program (with -pthread and debug info) to run
# on glibc VERSION's sysroot (see sysroot.sh). Newer glibc runs programs built against the
# machine's own, so those build normally and run-target.sh swaps the libc at run time; older
# glibc (2.31) lacks the GLIBC_2.34 symbols such a program needs, so it links against the
# sysroot itself and records the sysroot's loader and library folder in the program.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 3 ] || { echo "usage: build-target.sh VERSION SRC.c OUT" >&2; exit 1; }
version=$1 src=$2 out=$3
cc=${CC:-gcc}
flags=(-std=gnu11 -g -O1 -pthread -Wall -Wextra)
case $version in
2.31)
	sysroot=$("$here/sysroot.sh" "$version" 2> >(grep -v "^# " >&2))
	. "$here/sysroot-paths.sh"
	# Debian's gcc looks for multiarch folders outside --sysroot: name them explicitly.
	flags+=(--sysroot="$sysroot" -B "$sysroot/usr/lib/x86_64-linux-gnu/"
		-L "$sysroot/usr/lib/x86_64-linux-gnu" -L "$sysroot/lib/x86_64-linux-gnu"
		-Wl,--dynamic-linker="$loader" -Wl,-rpath,"$libdirs")
	;;
2.36 | 2.41 | 2.43) ;;
*) echo "build-target.sh: unknown glibc version '$version': use 2.31, 2.36, 2.41 or 2.43" >&2; exit 1 ;;
esac
exec "$cc" "${flags[@]}" "$src" -o "$out"
