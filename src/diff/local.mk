# src/diff
