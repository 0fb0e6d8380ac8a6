# tests/glibc: the glibc version-matrix fixture. sysroot.sh caches other Debian releases'
# glibc (with debug files) outside the build tree; build-target.sh and run-target.sh build
# and run a program on one of them; fixture-selftest.sh checks all of that.
TESTS += tests/glibc/fixture-selftest.sh
EXTRA_DIST += tests/glibc/fixture-selftest.sh tests/glibc/sysroot.sh tests/glibc/sysroot-paths.sh \
	tests/glibc/build-target.sh tests/glibc/run-target.sh tests/glibc/hello-malloc.c
TESTS += tests/glibc/matrix.sh
EXTRA_DIST += tests/glibc/matrix.sh
