# make install puts the binary and the man page where man finds them.
. "$TOP_SRCDIR/tests/tap.sh"
require man

dest=$(mktemp -d)
check "make install (DESTDIR) succeeds" sh -c "make -C '$TOP_BUILDDIR' install DESTDIR='$dest' >/dev/null 2>&1"
bin=$(find "$dest" -type f -name heapsnap -perm -u+x | head -1)
check "the binary is installed and runs" sh -c "[ -n '$bin' ] && '$bin' --version | grep -q '^heapsnap '"
page=$(find "$dest" -name heapsnap.1 | head -1)
check "the man page is installed" [ -n "$page" ]
check "man renders it with every command" sh -c "man -l '$page' 2>/dev/null | grep -q 'TAKE OPTIONS' && man -l '$page' 2>/dev/null | grep -q 'heapsnap diff'"
check "the binary is not setuid and has no file capabilities" sh -c "[ ! -u '$bin' ] && ! getcap '$bin' 2>/dev/null | grep -q ."
rm -rf "$dest"
done_testing
