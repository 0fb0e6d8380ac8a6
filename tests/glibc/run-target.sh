#!/usr/bin/env bash
# run-target.sh VERSION PROGRAM ARGS...: runs a program built by build-target.sh on glibc
# VERSION's sysroot, through that sysroot's loader with its library folders first, so the
# process maps the sysroot's libc (and its libgcc_s when threads unwind), never the machine's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { echo "usage: run-target.sh VERSION PROGRAM ARGS..." >&2; exit 1; }
version=$1
shift
sysroot=$("$here/sysroot.sh" "$version" 2> >(grep -v "^# " >&2))
. "$here/sysroot-paths.sh"
exec "$loader" --library-path "$libdirs" "$@"
