# The version matrix: take is exact on other glibc releases (2.31 bullseye, 2.41 trixie,
# 2.43 sid), both with the release's debug file (--debug-dir) and without symbols
# (--no-debuginfo). The releases come from Debian's archive through sysroot.sh (cached);
# when neither the archive nor the cache has them, each version fails saying so.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"

here=$TOP_SRCDIR/tests/glibc
out=$(mktemp -d)
for version in ${HEAPSNAP_GLIBC_VERSIONS:-2.31 2.41 2.43}; do
	if ! sysroot=$("$here/sysroot.sh" "$version" 2>"$out/sysroot.err"); then
		not_ok "glibc $version: sysroot ($(tail -1 "$out/sysroot.err"))"
		continue
	fi
	if ! "$here/build-target.sh" "$version" "$TOP_SRCDIR/tests/target/heaptarget.c" "$out/heaptarget-$version" \
		2>"$out/build.err"; then
		not_ok "glibc $version: heaptarget builds ($(head -3 "$out/build.err"))"
		continue
	fi
	HEAPTARGET=$out/heaptarget-$version HEAPTARGET_RUNNER="$here/run-target.sh $version"
	for seed in 1 2; do
		start_target --seed "$seed" --threads 4 || { not_ok "glibc $version seed $seed: target started"; continue; }
		check "glibc $version seed $seed: the target runs on the sysroot's libc" \
			grep -q "$sysroot.*libc" "/proc/$TARGET_PID/maps"
		for how in debuginfo scan; do
			opt=--debug-dir=$sysroot/usr/lib/debug
			[ $how = scan ] && opt=--no-debuginfo
			snap=$out/$version-$seed-$how.json
			check "glibc $version seed $seed $how: take exits 0" "$HEAPSNAP" take "$TARGET_PID" "$opt" -o "$snap"
			check "glibc $version seed $seed $how: glibc.version is $version" grep -q "\"version\":\"$version\"" "$snap"
			check "glibc $version seed $seed $how: located_by $how" grep -q "\"located_by\":\"$how\"" "$snap"
			oracle_check "$REPORT" "$snap"
		done
		stop_target
	done
done
rm -rf "$out"
done_testing
