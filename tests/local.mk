# tests: unit tests (C, TAP) and integration tests (shell, TAP) run by make check.
EXTRA_DIST += tests/tap.sh tests/tap.py
TESTS += tests/cli.sh tests/install.sh
EXTRA_DIST += tests/cli.sh tests/install.sh
