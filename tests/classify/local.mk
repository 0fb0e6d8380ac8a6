# tests/classify
