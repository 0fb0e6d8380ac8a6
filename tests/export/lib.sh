# Helpers for the export tests: source after tests/tap.sh.
#   pprof_raw FILE      prints "objects space" for every sample of FILE, read by go tool pprof
#   pprof_top FILE N    prints the type names among the N first lines of `go tool pprof -top`
#                       (flat bytes; the kinds' frames hold no flat bytes)
#   sum_pairs           sums the two columns of stdin
export GOCACHE=${TMPDIR:-/tmp}/heapsnap-export-gocache.$$ PPROF_TMPDIR=${TMPDIR:-/tmp}

pprof_raw() {
	timeout 120 go tool pprof -raw -symbolize=none "$1" 2>/dev/null |
		awk '/^Samples:/ { on = 1; next } /^Locations/ { on = 0 }
		     on && $1 ~ /^-?[0-9]+$/ && $2 ~ /^-?[0-9]+:$/ { sub(":", "", $2); print $1, $2 }'
}

pprof_top() {
	timeout 120 go tool pprof -top -nodefraction=0 -nodecount="$2" "$1" 2>/dev/null |
		awk '/^ *flat/ { on = 1; next } on && $1 != "0" { $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); sub(/ +$/, ""); print }'
}

# sum_pairs: the sums of the two columns of stdin, "A B".
sum_pairs() {
	awk '{ a += $1; b += $2 } END { printf "%.0f %.0f\n", a, b }'
}
