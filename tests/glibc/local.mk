# tests/glibc
