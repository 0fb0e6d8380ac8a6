#!/usr/bin/env python3
"""For tests/typing/checker-selftest.sh: writes the snapshot a perfect typing engine would give
from one taken without it, by the truth file: every truth block renamed to its expected name
(kind debuginfo, or the truth's kind line), and a walk warning about the vote; then one flaw
when asked, which check_types.py must catch.
  ideal_snapshot.py SNAPSHOT TRUTH OUT [wrong-name|extra-name|typed-untyped|no-warning]"""
import json
import sys


def main(snap_path, truth_path, out_path, flaw=None):
    snap = json.load(open(snap_path))
    types = snap["types"]
    index = {}

    def type_index(name, kind):
        if (name, kind) not in index:
            types.append({"name": name, "kind": kind})
            index[(name, kind)] = len(types) - 1
        return index[(name, kind)]

    want, kinds, untyped = {}, {}, []
    for line in open(truth_path):
        line = line.rstrip("\n")
        if line.startswith("kind "):
            kind, name = line[5:].split(" ", 1)
            kinds[name] = kind
        elif line and not line.startswith(("none ", "vote ")):
            address, name = line.split(" ", 1)
            if name == "-":
                untyped.append(int(address, 16))
            else:
                want[int(address, 16)] = name
    first_typed = min(want)
    for b in snap["blocks"]:
        if b[0] in want:
            name = want[b[0]]
            if flaw == "wrong-name" and b[0] == first_typed:
                name = "struct wrong"
            b[2] = type_index(name, kinds.get(name, "debuginfo"))
    if flaw == "extra-name":  # a block the target did not type takes a truth name
        other = next(b for b in snap["blocks"] if b[0] not in want and b[0] not in untyped)
        other[2] = type_index(want[first_typed], "debuginfo")
    if flaw == "typed-untyped":
        b = next(b for b in snap["blocks"] if b[0] == untyped[0])
        b[2] = type_index("struct guessed", "debuginfo")
    if flaw != "no-warning":
        snap["walk"].setdefault("warnings", []).append("1 block's typed pointers disagree")
    json.dump(snap, open(out_path, "w"))


if __name__ == "__main__":
    main(*sys.argv[1:])
