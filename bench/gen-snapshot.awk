# Writes a synthetic heapsnap snapshot of n blocks (docs/snapshot-format.md) for the diff
# benchmark: deterministic, so the "new" variant is the "old" one with every tenth block
# freed, every fiftieth block's address reused by another type, and n/10 new blocks above.
# usage: awk -v n=1000000 -v variant=old|new [-v pid=4242] -f gen-snapshot.awk > FILE
function block(i, variant) {
	size = sizes[(i * 7919) % 8 + 1]
	type = i % ntypes
	keep = 1
	if (variant == "new" && i < n) {
		if (i % 10 == 3)
			keep = 0
		else if (i % 50 == 7)
			type = (type + 1) % ntypes
	}
}
function walk(pass,   i, addr, last, first) {
	addr = 65536
	last = variant == "new" ? n + int(n / 10) : n
	first = 1
	for (i = 0; i < last; i++) {
		block(i, variant)
		if (keep && pass == 1) {
			groups[type, size]++
			count++
			bytes += size
		} else if (keep) {
			printf "%s[%.0f,%d,%d]", first ? "\n" : (count++ % 4 ? "," : ",\n"), addr, size, type
			first = 0
		}
		addr += size + 16
	}
}
BEGIN {
	if (pid == "")
		pid = 4242
	split("24 40 56 72 120 264 1000 4072", sizes, " ")
	ntypes = 20
	walk(1)
	printf "{\n  \"format\": \"heapsnap\",\n  \"version\": 1,\n"
	printf "  \"taken_at\": \"2026-11-22T10:0%d:00Z\",\n  \"label\": \"bench %s\",\n", variant == "new", variant
	printf "  \"target\": {\"pid\": %d, \"exe\": \"/usr/bin/bench\", \"cmdline\": [\"bench\"], \"source\": \"live\", \"threads\": 1},\n", pid
	printf "  \"totals\": {\"live_blocks\": %.0f, \"live_bytes\": %.0f, \"arenas\": 0},\n", count, bytes
	printf "  \"arenas\": [],\n  \"types\": ["
	for (t = 0; t < ntypes; t++)
		printf "%s{\"name\": \"bench::Type%d\", \"kind\": \"vtable\"}", t ? ", " : "", t
	printf "],\n  \"groups\": ["
	first = 1
	for (t = 0; t < ntypes; t++)
		for (s = 1; s <= 8; s++)
			if ((t, sizes[s]) in groups) {
				c = groups[t, sizes[s]]
				printf "%s\n    {\"type\": %d, \"size\": %d, \"count\": %.0f, \"bytes\": %.0f}", first ? "" : ",", t, sizes[s], c, c * sizes[s]
				first = 0
			}
	printf "\n  ],\n  \"blocks\": ["
	count = 0
	walk(2)
	printf "\n  ]\n}\n"
}
