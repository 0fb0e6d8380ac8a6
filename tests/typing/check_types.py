#!/usr/bin/env python3
"""Checks a snapshot's DWARF types (issue 19) against a typed target's truth file; prints TAP
lines without a plan (the calling test relays them: tests/refs/lib.sh's tap_lines), and what
differs as plain lines (diagnostics).

  check_types.py SNAPSHOT TRUTH                   the names and kinds of a take with debug info
  check_types.py --no-debuginfo SNAPSHOT TRUTH    a take with --no-debuginfo: no debuginfo kind
  check_types.py --why HEAPSNAP SNAPSHOT TRUTH     why over a --refs take prints the DWARF names
  check_types.py --leaks HEAPSNAP SNAPSHOT TRUTH   leaks over it: no typed block is leaked

TRUTH lines (written by tests/typing/typedtarget*):
  0xADDRESS NAME         the block starting there is NAME ("-": no DWARF pointer may type it)
  none NAME              no block may be named NAME
  kind KIND NAME         blocks named NAME have kind KIND, not debuginfo (a vtable's class)
  vote 0xADDRESS         typed pointers disagree on this block: walk.warnings must say so"""
import json
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import run_json, say  # noqa: E402

DETAILS = 12  # differences printed per check


def details(rows):
    for r in rows[:DETAILS]:
        print("  " + r)
    if len(rows) > DETAILS:
        print("  ... and %d more" % (len(rows) - DETAILS))


def read_truth(path):
    blocks, never, kinds, votes = [], [], {}, []
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("none "):
            never.append(line[5:])
        elif line.startswith("kind "):
            kind, name = line[5:].split(" ", 1)
            kinds[name] = kind
        elif line.startswith("vote "):
            votes.append(int(line[5:], 16))
        elif line:
            address, name = line.split(" ", 1)
            blocks.append((int(address, 16), name))
    return blocks, never, kinds, votes


def read_snapshot(path):
    snap = json.load(open(path))
    types = snap["types"]
    by_address = {b[0]: (types[b[2]]["name"], types[b[2]]["kind"]) for b in snap["blocks"]}
    return snap, by_address


def check_types(snap, by_address, blocks, never, kinds, votes):
    missing = [hex(a) for a, _ in blocks if a not in by_address]
    say(not missing, "each of the %d truth blocks is a live block of the snapshot" % len(blocks))
    details(["no block starts at " + a for a in missing])
    wrong = []
    for a, want in blocks:
        if a not in by_address:
            continue
        name, kind = by_address[a]
        if want == "-":
            if kind == "debuginfo":
                wrong.append("%s: no DWARF pointer may type it, got %r (debuginfo)" % (hex(a), name))
        elif name != want or kind != kinds.get(want, "debuginfo"):
            wrong.append("%s: want %r (%s), got %r (%s)" % (hex(a), want, kinds.get(want, "debuginfo"), name, kind))
    say(not wrong, "every truth block has its name and kind (%d typed, %d untyped)"
        % (sum(w != "-" for _, w in blocks), sum(w == "-" for _, w in blocks)))
    details(wrong)
    want_count = Counter(w for _, w in blocks if w != "-")
    for name in never:
        want_count[name] = 0
    got_count = Counter(name for name, _ in by_address.values())
    off = ["%r: %d blocks, the target made %d" % (n, got_count[n], c)
           for n, c in sorted(want_count.items()) if got_count[n] != c]
    say(not off, "no other block bears one of the truth's %d names" % len(want_count))
    details(off)
    if not votes:
        return
    warnings = snap.get("walk", {}).get("warnings", [])
    said = [w for w in warnings if re.search(r"disagree|vote|conflict", w, re.I)]
    say(bool(said), "walk.warnings count the typed pointers that disagree (on %s)"
        % ", ".join(hex(a) for a in votes))
    if not said:
        details(["warning: " + w for w in warnings] or ["(no warnings)"])


def check_no_debuginfo(snap, by_address, blocks):
    missing = [hex(a) for a, _ in blocks if a not in by_address]
    say(not missing, "--no-debuginfo: each of the %d truth blocks is a live block" % len(blocks))
    details(["no block starts at " + a for a in missing])
    typed = ["%s %r" % (hex(a), n) for a, (n, k) in sorted(by_address.items()) if k == "debuginfo"]
    say(not typed, "--no-debuginfo: no block has kind debuginfo")
    details(typed)


def check_why(heapsnap, snap_path, blocks):
    doc = run_json(heapsnap, "why", snap_path, "struct session", "--limit=0", "--format=json")
    if doc is None:
        return
    paths = doc.get("paths", [])
    want = sum(w == "struct session" for _, w in blocks)
    got = sum(p["count"] for p in paths if not p.get("leaked"))
    say(got == want, "why 'struct session': its paths hold the %d sessions the target made (%d)" % (want, got))
    # A session may also be held by a thread's stack (shorter chains win); the registry is
    # held by g_registry alone.
    dwarf_names = {w for _, w in blocks if w != "-"}
    hop_types = sorted({h["type"] for p in paths for h in p["hops"]} - dwarf_names)
    say(not hop_types, "why 'struct session': every hop bears a DWARF name (others: %s)" % hop_types)
    doc = run_json(heapsnap, "why", snap_path, "struct registry", "--limit=0", "--format=json")
    if doc is None:
        return
    paths = doc.get("paths", [])
    registry = [p for p in paths if p.get("root", {}).get("kind") == "global"
                and p["root"].get("name") == "g_registry" and [h["type"] for h in p["hops"]] == ["struct registry"]]
    say(len(registry) == 1 and len(paths) == 1,
        "why 'struct registry': one path, from global g_registry straight to its struct registry")
    details(["path from %s: %s" % (p.get("root"), [h["type"] for h in p["hops"]]) for p in paths])


def check_leaks(heapsnap, snap_path, blocks):
    doc = run_json(heapsnap, "leaks", snap_path, "--format=json")
    if doc is None:
        return
    leaked = {int(b[0], 16): b[2] for b in doc.get("blocks", [])}
    typed = ["%s %s" % (hex(a), w) for a, w in blocks if a in leaked]
    say(not typed, "leaks: none of the target's %d blocks is leaked (all are held)" % len(blocks))
    details(typed)
    dwarf_names = {w for _, w in blocks if w != "-"}
    named = ["%s %s" % (hex(a), n) for a, n in leaked.items() if n in dwarf_names]
    say(not named, "leaks: no leaked block bears a DWARF name (typing starts from what is held)")
    details(named)


def main(argv):
    mode = None
    if argv and argv[0] == "--no-debuginfo":
        mode, argv = "none", argv[1:]
    elif argv and argv[0] in ("--why", "--leaks") and len(argv) >= 2:
        mode, heapsnap, argv = argv[0], argv[1], argv[2:]
    if len(argv) != 2:
        sys.exit(__doc__)
    snap_path, truth_path = argv
    blocks, never, kinds, votes = read_truth(truth_path)
    if mode == "--why":
        return check_why(heapsnap, snap_path, blocks)
    if mode == "--leaks":
        return check_leaks(heapsnap, snap_path, blocks)
    snap, by_address = read_snapshot(snap_path)
    if mode == "none":
        check_no_debuginfo(snap, by_address, blocks)
    else:
        check_types(snap, by_address, blocks, never, kinds, votes)


if __name__ == "__main__":
    main(sys.argv[1:])
