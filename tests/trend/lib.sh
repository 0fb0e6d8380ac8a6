# Helpers of the trend tests: source after tests/tap.sh. start_trend_target starts
# tests/trend/trend_target in a scratch folder $out (removed, and the target killed, at exit)
# and waits up to 10 s for it to write its growth rate to $out/rate; sets $target.
out=$(mktemp -d)
target=
trap 'kill -9 $target 2>/dev/null; wait $target 2>/dev/null; rm -rf "$out"' EXIT

start_trend_target() {
	"$TOP_BUILDDIR/tests/trend/trend_target" "$out/rate" &
	target=$!
	for i in $(seq 100); do [ -s "$out/rate" ] && break; sleep 0.1; done
}
