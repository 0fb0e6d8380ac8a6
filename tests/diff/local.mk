# tests/diff
