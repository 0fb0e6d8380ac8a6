# tests/take
