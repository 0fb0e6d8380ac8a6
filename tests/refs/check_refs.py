#!/usr/bin/env python3
"""Checks a snapshot taken with --refs against refstarget's truth table; prints TAP lines
(no plan: the calling test counts them). Usage: check_refs.py [--core] REPORT SNAPSHOT
A core names no thread: with --core, a stack, register or tls root is checked by its tid."""
import json
import sys


def main():
    core = sys.argv[1] == "--core"
    report, snap_path = sys.argv[1 + core], sys.argv[2 + core]
    truth = []
    for line in open(report):
        f = line.split()
        if f and f[0] == "block":
            truth.append((int(f[1], 16), f[3], f[4], f[5], int(f[6])))
    snap = json.load(open(snap_path))
    blocks, refs, roots = snap["blocks"], snap.get("block_refs"), snap.get("roots")
    ok = refs is not None and roots is not None and len(refs) == len(blocks)
    print(("ok" if ok else "not ok") + " - the snapshot has roots and block_refs parallel to blocks")
    if not ok:
        return
    index = {b[0]: i for i, b in enumerate(blocks)}

    def root_of(i):
        for _ in range(len(blocks) + 1):
            holder = refs[i][0]
            if holder is None:
                return None
            if holder < 0:
                return roots[-holder - 1]
            i = holder
        return None

    reach = [t for t in truth if t[1] == "reachable"]
    leaked = [t for t in truth if t[1] != "reachable"]
    missing = [t for t in truth if t[0] not in index]
    print(("ok" if not missing else "not ok") + " - every block of the truth table is in the snapshot"
          + ("" if not missing else " (missing %s)" % ["0x%x" % t[0] for t in missing]))
    wrongly_leaked = [t for t in reach if t[0] in index and refs[index[t[0]]][2] in (-2, -3)]
    print(("ok" if not wrongly_leaked else "not ok") + " - 0 of %d reachable blocks reported leaked%s"
          % (len(reach), "" if not wrongly_leaked else " (%s)" % ["0x%x" % t[0] for t in wrongly_leaked]))
    found = [t for t in leaked if t[0] in index and refs[index[t[0]]][2] in (-2, -3)]
    share = len(found) / len(leaked) if leaked else 0
    print(("ok" if share >= 0.99 else "not ok") + " - %d of %d leaked blocks reported leaked (>= 99%%)"
          % (len(found), len(leaked)))
    split = [t for t in leaked if t[1] in ("direct", "indirect") and t[0] in index
             and refs[index[t[0]]][2] == (-2 if t[1] == "direct" else -3)]
    expect = len([t for t in leaked if t[1] in ("direct", "indirect")])
    print(("ok" if len(split) == expect else "not ok") + " - direct/indirect split right for %d of %d"
          % (len(split), expect))
    cycle = [refs[index[t[0]]][2] for t in leaked if t[1] == "cycle" and t[0] in index]
    cycle_ok = cycle.count(-2) == 1 and cycle.count(-3) == len(cycle) - 1
    print(("ok" if cycle_ok else "not ok") + " - the leaked cycle has one direct entry (%s)" % cycle)
    right = []
    wrong = []
    for t in reach:
        if t[0] not in index:
            continue
        r = root_of(index[t[0]])
        kind = r["kind"] if r else None
        # A thread's registers and stack are one root node.
        if kind == "register" and t[2] == "stack":
            kind = "stack"
        by_tid = core and kind in ("stack", "tls")
        if r and kind == t[2] and (r["tid"] == t[4] if by_tid else r["name"] == t[3]):
            right.append(t)
        else:
            wrong.append((t, r))
    share = len(right) / len(reach) if reach else 0
    print(("ok" if share >= 0.99 else "not ok") + " - root kind and name right for %d of %d reachable blocks%s"
          % (len(right), len(reach), "" if not wrong else " (wrong: %s)" % [("0x%x" % t[0], t[2], t[3], r) for t, r in wrong]))
    fig = snap["refs"]
    direct = sum(1 for r in refs if r[2] == -2)
    indirect = sum(1 for r in refs if r[2] == -3)
    print(("ok" if fig["leaked_direct_blocks"] == direct and fig["leaked_indirect_blocks"] == indirect
           and fig["reachable_blocks"] == len(refs) - direct - indirect else "not ok")
          + " - the refs figures agree with block_refs")


main()
