# docs: manual pages and reference
dist_man1_MANS = docs/heapsnap.1
EXTRA_DIST += docs/architecture.md docs/snapshot-format.md docs/cli.md docs/fuzzing.md docs/report.png
