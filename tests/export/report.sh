# heapsnap report, loaded by the real consumer (headless Chromium, tests/export/browser.py):
# no console error, no network request, the charts drawn as SVG with data, a screenshot that
# is not blank, at 1280x800 and at a phone's 390x844; hostile type names stay text; the
# page's figures are the snapshot's.
. "$TOP_SRCDIR/tests/tap.sh"
. "$TOP_SRCDIR/tests/take/lib.sh"
require chromium python3 jq timeout
out=$(mktemp -d)
trap 'target_cleanup; rm -rf "$out"' EXIT
data=$TOP_SRCDIR/tests/diff/data
browse() { timeout 90 python3 "$TOP_SRCDIR/tests/export/browser.py" "$@"; }

start_target --seed 3 --threads 2 || not_ok "target started"
check "take of the target exits 0 (1)" "$HEAPSNAP" take "$TARGET_PID" -o "$out/t1.json"
check "take of the target exits 0 (2)" "$HEAPSNAP" take "$TARGET_PID" -o "$out/t2.json"
stop_target

check "report of three snapshots exits 0" "$HEAPSNAP" report "$data/s1.json" "$data/big1.json" "$data/s2.json" -o "$out/three.html"
check "report of a real snapshot exits 0" "$HEAPSNAP" report "$out/t1.json" "$out/t2.json" -o "$out/real.html"
check "the report is mode 0600" [ "$(stat -c %a "$out/three.html")" = 600 ]
# No src=, href=, url(), @import; the one URL is the SVG namespace, a name, never fetched.
external=$(grep -Eio '(src|href)=|url\(|@import|[a-z]+://[^"]*' "$out/three.html" | grep -vx 'http://www.w3.org/2000/svg')
check "the page names no external resource${external:+ ($external)}" [ -z "$external" ]

# page NAME HTML WIDTH HEIGHT: the browser's findings on the page.
page() {
	local name=$1 j=$out/$1.json
	if ! browse "$2" "$3" "$4" "$out/$1.png" >"$j" 2>"$out/$1.err"; then
		not_ok "$name: Chromium loaded the page ($(tail -n 1 "$out/$1.err"))"
		return
	fi
	check "$name: loaded, and drawn by its script" [ "$(jq -r '.loaded and .dom.drawn == "yes"' "$j")" = true ]
	check "$name: no console error or exception$(jq -r '.errors | if length > 0 then " (" + join("; ") + ")" else "" end' "$j")" \
		[ "$(jq '.errors | length' "$j")" -eq 0 ]
	check "$name: no network request$(jq -r '.requests | if length > 0 then " (" + join(" ") + ")" else "" end' "$j")" \
		[ "$(jq '.requests | length' "$j")" -eq 0 ]
	check "$name: $(jq '.dom.svgs' "$j") SVG charts, each with data marks" \
		[ "$(jq '.dom.svgs >= 2 and .dom.svgs == .dom.svgs_with_data and .dom.marks_nonzero > 0' "$j")" = true ]
	check "$name: the screenshot is not blank ($(jq '.screenshot.colours' "$j") colours)" \
		[ "$(jq '.screenshot.colours >= 16 and .screenshot.non_white_share > 0.05' "$j")" = true ]
	check "$name: nothing wider than the screen" [ "$(jq ".dom.scroll_width <= $3" "$j")" = true ]
}
page wide "$out/three.html" 1280 800
page phone "$out/three.html" 390 844
page real "$out/real.html" 1280 800
check "three snapshots: the growth chart has lines" [ "$(jq '.dom.polylines > 0' "$out/wide.json")" = true ]
check "three snapshots: the tables list the top types and the change" [ "$(jq '.dom.tables' "$out/wide.json")" -eq 2 ]
live=$(jq '.totals.live_bytes' "$out/t2.json")
check "real: the embedded data holds the snapshot's live bytes" grep -q "\"live_bytes\":$live," "$out/real.html"
top=$("$HEAPSNAP" show "$out/t2.json" --format=json --limit=1 | jq -r '.rows[0].key')
check "real: the page shows show's top type ($top)" sh -c "jq -r .dom.text '$out/real.json' | grep -qF -- '$top'"

# Hostile type names: markup, a script end tag, quotes, an event handler; they must show as
# text, run nothing and load nothing.
evil='</script><script>window.__hs_pwned=1</script><img src=x onerror="window.__hs_pwned=2">&amp;"'"'"
jq --arg e "$evil" '.types[0].name = $e | .types[2].name = "<svg onload=window.__hs_pwned=3>"' "$data/s2.json" >"$out/hostile.json"
check "report of hostile names exits 0" "$HEAPSNAP" report "$data/s1.json" "$out/hostile.json" -o "$out/hostile.html"
check "hostile: no script end tag inside the data" [ "$(grep -c '</script>' "$out/hostile.html")" -eq 2 ]
page hostile "$out/hostile.html" 1280 800
check "hostile: no injected script ran, no element added" \
	[ "$(jq '.dom.hostile_marker == false and .dom.scripts == 2 and .dom.imgs == 0 and .dom.elements_with_handlers == 0' "$out/hostile.json")" = true ]
check "hostile: the names show as text" sh -c "jq -r .dom.text '$out/hostile.json' | grep -qF -- '<img src=x onerror='"

check "report --help exits 0 and names -o" sh -c "'$HEAPSNAP' report --help | grep -q -- '-o, --output'"
check_exit 2 "report without -o is a usage error" "$HEAPSNAP" report "$data/s1.json"
check_exit 2 "report without a snapshot is a usage error" "$HEAPSNAP" report -o "$out/x.html"
check_exit 3 "report of an unreadable snapshot exits 3" "$HEAPSNAP" report "$data/s1.json" "$out/none.json" -o "$out/x.html"
check "and leaves no page behind" [ ! -e "$out/x.html" ]
done_testing
