#!/usr/bin/env bash
# The README's first quick-start command: install what heapsnap needs (on Debian, as root),
# build it, then snapshot the bundled demo service twice, 3 seconds apart, and show the diff;
# then watch it for 6 seconds and show what keeps growing; then scan it for references and show
# what it leaked.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "== installing build dependencies (apt-get)"
	apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(cat .ci/packages) >/dev/null
fi
echo "== building"
[ -x configure ] || autoreconf -fi >/dev/null 2>&1
[ -f Makefile ] || ./configure -q
make -j"$(nproc)" >/dev/null

echo "== starting the demo service (it piles up session::Buffer objects and strings, and leaks"
echo "   request::Context objects, on purpose)"
demo_out=$(mktemp)
demo/leaky_service 200 > "$demo_out" &
demo_pid=$!
trap 'kill $demo_pid 2>/dev/null || true; rm -f "$demo_out"' EXIT
sleep 1
dir=$(mktemp -d)
./heapsnap take "$demo_pid" -o "$dir/s1.json" --label before
sleep 3
./heapsnap take "$demo_pid" -o "$dir/s2.json" --label after
echo "== snapshots: $dir/s1.json $dir/s2.json"
echo "== what is in the heap now (heapsnap show)"
./heapsnap show "$dir/s2.json" --limit 8
echo
echo "== what grew in 3 seconds (heapsnap diff)"
./heapsnap diff "$dir/s1.json" "$dir/s2.json" --limit 10
echo
echo "== what keeps growing (heapsnap watch: 6 snapshots a second apart; heapsnap trend)"
mkdir "$dir/watch"
./heapsnap watch "$demo_pid" --every 1 --count 6 --dir "$dir/watch" --no-blocks
./heapsnap trend "$dir"/watch/*.json --limit 8
echo
echo "== what leaked (heapsnap take --refs; heapsnap leaks); the demo itself says:"
sed -n 's/^leaked/   leaked/p' "$demo_out"
./heapsnap take --refs "$demo_pid" -o "$dir/refs.json" --label refs
./heapsnap leaks "$dir/refs.json" --limit 5
echo
echo "== who holds what grows (heapsnap why: the chain from its root, aggregated over the type)"
./heapsnap why "$dir/refs.json" 'session::Buffer' --limit 2
