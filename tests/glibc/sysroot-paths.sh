# sysroot-paths.sh: sourced by build-target.sh and run-target.sh. Given $sysroot, sets
# loader (the sysroot's ld-linux) and libdirs (its library folders, colon-separated).
# Releases up to bookworm ship glibc in /lib, trixie and later in /usr/lib (merged /usr).
loader= libdirs=
for d in "$sysroot/lib/x86_64-linux-gnu" "$sysroot/usr/lib/x86_64-linux-gnu"; do
	[ -d "$d" ] || continue
	libdirs=${libdirs:+$libdirs:}$d
	[ -n "$loader" ] || [ ! -e "$d/ld-linux-x86-64.so.2" ] || loader=$d/ld-linux-x86-64.so.2
done
[ -n "$loader" ] || { echo "no ld-linux-x86-64.so.2 in $sysroot: delete it and run sysroot.sh again" >&2; exit 1; }
