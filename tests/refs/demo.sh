# The quick start's leak step on the demo service (demo/leaky_service, scripts/quickstart.sh):
# take --refs then leaks show the leaked type with the count the demo itself says it leaked,
# direct and indirect, and its growing session::Buffer objects are all owned by the global
# g_sessions (what the quick start's `heapsnap why` line shows).
. "$TOP_SRCDIR/tests/tap.sh"
require jq python3

DEMO=$TOP_BUILDDIR/demo/leaky_service
out=$(mktemp -d)
demo_pid=
trap '[ -n "$demo_pid" ] && kill -9 "$demo_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT

[ -x "$DEMO" ] || { not_ok "$DEMO is built (run make check)"; done_testing; exit 1; }
"$DEMO" 200 > "$out/demo.out" 2>&1 </dev/null &
demo_pid=$!
# The demo says what it leaked after 2000 requests (4 s); up to 60 s on a loaded machine.
for i in $(seq 600); do
	grep -q '^leaked ' "$out/demo.out" && break
	kill -0 "$demo_pid" 2>/dev/null || break
	sleep 0.1
done
said=$(grep '^leaked ' "$out/demo.out")
check "the demo says what it leaked" [ -n "$said" ]
diag "the demo: $said"
# "leaked N TYPE (direct) holding M scratch buffers (indirect)"
set -- $said
n=${2:-x} type=${3:-x} m=${6:-x}

check "take --refs of the demo exits 0" "$HEAPSNAP" take --refs -q "$demo_pid" -o "$out/refs.json" --label refs
check "leaks exits 0" sh -c '"$1" leaks "$2" --format=json --limit=0 > "$3"' _ "$HEAPSNAP" "$out/refs.json" "$out/leaks.json"
row=$(jq -c --arg t "$type" '[.rows[] | select(.key == $t) | .count, .direct_count, .indirect_count]' "$out/leaks.json")
check "leaks shows $type: $n blocks, all direct ($row)" [ "$row" = "[$n,$n,0]" ]
check "leaks' total: $n direct, $m indirect (the contexts' scratch buffers)" \
	[ "$(jq -r '"\(.total.direct.count) \(.total.indirect.count)"' "$out/leaks.json")" = "$n $m" ]
check "the table shows the type" sh -c '"$1" leaks "$2" --limit 5 | grep -q " $3\$"' _ "$HEAPSNAP" "$out/refs.json" "$type"
owners=$(python3 -c 'import json, sys, collections
d = json.load(open(sys.argv[1])); roots = d["roots"]; names = collections.Counter()
for b, r in zip(d["blocks"], d["block_refs"]):
    if d["types"][b[2]]["name"] == "session::Buffer":
        names[roots[r[2]]["name"] if r[2] >= 0 else "not one root"] += 1
print(" ".join("%s=%d" % kv for kv in sorted(names.items())))' "$out/refs.json")
check "every session::Buffer is owned by the global g_sessions ($owners)" sh -c 'case $1 in g_sessions=[1-9]*) [ "${1#* }" = "$1" ] ;; *) false ;; esac' _ "$owners"
done_testing
