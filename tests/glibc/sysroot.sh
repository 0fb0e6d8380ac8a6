#!/usr/bin/env bash
# sysroot.sh VERSION: prepares a sysroot holding another Debian release's glibc (libc6,
# libc6-dev, libc6-dbg, linux-libc-dev, libgcc-s1) so heapsnap can be tested against it, and
# prints the sysroot's path on stdout (the exact package versions go to stderr).
# VERSION is 2.31 (bullseye), 2.36 (bookworm, the machine's own), 2.41 (trixie) or 2.43 (sid).
#
# HEAPSNAP_DEBIAN_MIRROR overrides the archive's address (default http://deb.debian.org).
# Everything lives in ${HEAPSNAP_GLIBC_CACHE:-/var/cache/heapsnap-glibc}/VERSION, outside the
# build tree so repeated runs and distcheck reuse it: a private apt state (the machine's own
# apt configuration is never touched), the downloaded .debs, and the unpacked sysroot.
# Once the .debs are cached, no network is needed. Delete the folder to fetch anew.
set -euo pipefail

die() { echo "sysroot.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: sysroot.sh VERSION (2.31, 2.36, 2.41 or 2.43)"
version=$1
# The machine's own apt sources name deb.debian.org; a local mirror of it can stand in.
archive=${HEAPSNAP_DEBIAN_MIRROR:-http://deb.debian.org}
mirror=$archive/debian
security=$archive/debian-security
case $version in
2.31) release=bullseye ;;
2.36) release=bookworm ;;
2.41) release=trixie ;;
2.43) release=sid ;;
*) die "unknown glibc version '$version': use 2.31, 2.36, 2.41 or 2.43" ;;
esac

cache=${HEAPSNAP_GLIBC_CACHE:-/var/cache/heapsnap-glibc}/$version
debs=$cache/debs
sysroot=$cache/sysroot
mkdir -p "$cache" 2>/dev/null || die "cannot create the cache folder $cache: set HEAPSNAP_GLIBC_CACHE to a writable folder"

# Several tests may prepare the same version at once (make -j): one at a time per version.
exec 9>"$cache/lock"
flock 9

# The glibc packages must all be the same build (libc6-dbg only matches its own libc6);
# the helpers come in whatever version the release has.
glibc_packages="libc6 libc6-dev libc6-dbg"
helper_packages="linux-libc-dev libgcc-s1"

apt_options() { # the private apt state: only this release, no host lists, pins or caches
	local a=$cache/apt
	printf '%s\n' -o "Dir::Etc::SourceList=$a/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o "Dir::State::Lists=$a/lists" -o "Dir::Cache=$a/cache" -o "Dir::Cache::archives=$a/cache/archives" \
		-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
		-o "Dir::State::status=$a/status" -o APT::Architecture=amd64 -o APT::Architectures=amd64 \
		-o Acquire::Languages=none -o Acquire::Retries=1 -o Acquire::http::Timeout=30
}

write_sources() { # the release on the same Debian mirror the machine's own sources name
	local suites=$release
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -r "$keyring" ] || die "$keyring is missing: install debian-archive-keyring"
	case $release in sid) ;; *) suites="$release $release-updates" ;; esac
	{
		for s in $suites; do echo "deb [signed-by=$keyring] $mirror $s main"; done
		[ "$release" = sid ] || echo "deb [signed-by=$keyring] $security $release-security main"
	} >"$cache/apt/sources.list"
}

download() { # fetches the .debs into $debs, or fails with one line saying why
	local a=$cache/apt opts glibc_version p
	rm -rf "$a" "$debs.part"
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$debs.part"
	: >"$a/status"
	write_sources
	mapfile -t opts < <(apt_options)
	apt-get "${opts[@]}" -q --error-on=any update >"$cache/apt.log" 2>&1 \
		|| die "cannot reach Debian's archive ($mirror, $release) and no .debs are cached in $debs: see $cache/apt.log"
	# The newest build of the wanted upstream version (the release may carry several).
	glibc_version=$(apt-cache "${opts[@]}" madison libc6 | awk -v v="$version-" 'index($3, v) == 1 { print $3; exit }')
	[ -n "$glibc_version" ] || die "$release has no libc6 $version-*: its glibc moved on; update tests/glibc/sysroot.sh"
	local wanted=()
	for p in $glibc_packages; do wanted+=("$p=$glibc_version"); done
	wanted+=($helper_packages)
	(cd "$debs.part" && apt-get "${opts[@]}" -q download "${wanted[@]}") >>"$cache/apt.log" 2>&1 \
		|| die "apt-get download from $release failed: see $cache/apt.log"
	mv "$debs.part" "$debs"
	# The lists are only needed to pick versions; the cached .debs now stand alone.
	rm -rf "$a"
}

# Rewrites every absolute symlink under the sysroot to a relative one pointing inside it,
# so nothing resolves to the machine's own glibc.
rewrite_absolute_symlinks() {
	local root=$1 link target
	while IFS= read -r -d '' link; do
		target=$(readlink "$link")
		ln -sfn "$(realpath -m -s --relative-to="$(dirname "$link")" "$root$target")" "$link"
	done < <(find "$root" -lname '/*' -print0)
}

unpack() { # builds the sysroot from the cached .debs, atomically
	local d p
	rm -rf "$sysroot.part"
	mkdir -p "$sysroot.part"
	for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$sysroot.part"; done
	rewrite_absolute_symlinks "$sysroot.part"
	for d in "$debs"/*.deb; do
		p=$(dpkg-deb -f "$d" Package)
		printf '%s %s %s\n' "$p" "$(dpkg-deb -f "$d" Version)" "$release"
	done | sort >"$sysroot.part/VERSIONS"
	for p in $glibc_packages $helper_packages; do
		grep -q "^$p " "$sysroot.part/VERSIONS" || die "package $p is missing from $debs: delete $cache and run again"
	done
	rm -rf "$sysroot"
	mv "$sysroot.part" "$sysroot"
}

if [ ! -f "$sysroot/VERSIONS" ]; then
	[ -d "$debs" ] || download
	unpack
fi
sed 's/^/# /' "$sysroot/VERSIONS" >&2
echo "$sysroot"
