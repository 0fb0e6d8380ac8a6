#!/usr/bin/env python3
"""Checks heapsnap why and --group-by=root against refstarget's truth table; prints TAP lines
(no plan: the calling test counts them). A core names no thread: with --core, a stack or tls
root is matched by its tid.
  check_why.py [--core] chains REPORT SNAPSHOT HEAPSNAP   why ADDR for every block, why GLOB
  check_why.py [--core] roots REPORT SNAPSHOT HEAPSNAP    show --group-by=root
  check_why.py growth OLD NEW BYTES COUNT HEAPSNAP        diff and trend --group-by=root over a growth"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import run_json, say  # noqa: E402

REGISTRY = "global g_registry (refstarget)"


def read_truth(report):
    """[(address, usable, state, kind, name, tid)] of the report's block lines."""
    truth = []
    for line in open(report):
        f = line.split()
        if f and f[0] == "block":
            truth.append((int(f[1], 16), int(f[2]), f[3], f[4], f[5], int(f[6])))
    return truth


def truth_root(t, core):
    """The root a reachable truth block names, as (kind, name or tid)."""
    by_tid = core and t[3] in ("stack", "tls")
    return (t[3], t[5] if by_tid else t[4])


def json_root(r, core):
    kind = "stack" if r["kind"] == "register" else r["kind"]  # one root node per thread
    return (kind, r["tid"] if core and kind in ("stack", "tls") else r["name"])


def key_root(key, core):
    """The root of a --group-by=root key, as truth_root names it; None for the others."""
    m = re.fullmatch(r"global (\S+) \(.*\)", key)
    if m:
        return ("global", m.group(1))
    m = re.fullmatch(r"(stack|tls) (\d+) \((.*)\)", key)
    if m:
        return (m.group(1), int(m.group(2)) if core else m.group(3))
    m = re.fullmatch(r"mapping (0x[0-9a-f]+)", key)
    return ("mapping", m.group(1)) if m else None


def per_root(truth, core):
    sums = {}
    for t in truth:
        if t[2] == "reachable":
            c = sums.setdefault(truth_root(t, core), [0, 0])
            c[0] += 1
            c[1] += t[1]
    return sums


def leaked_truth(truth):
    """Expected (direct, indirect) counts and bytes: a cycle has one direct member."""
    d = [t for t in truth if t[2] == "direct"]
    i = [t for t in truth if t[2] == "indirect"]
    c = [t for t in truth if t[2] == "cycle"]
    return ((len(d) + 1, len(i) + len(c) - 1), sum(t[1] for t in d + i + c))


def chains(core, report, snap_path, heapsnap):
    truth = read_truth(report)
    snap = json.load(open(snap_path))
    starts = {b[0] for b in snap["blocks"]}
    by_addr = {t[0]: t for t in truth}
    # Every block by its start and by an address inside it.
    queries = ["0x%x" % t[0] for t in truth] + ["0x%x" % (t[0] + t[1] // 2) for t in truth]
    doc = run_json(heapsnap, "why", snap_path, "--format=json", *queries)
    if doc is None:
        return
    paths = doc["paths"]
    say(len(paths) == len(queries), "why answers each of the %d addresses with one path" % len(queries))
    if len(paths) != len(queries):
        return
    categories = {}
    for p in paths:
        a = int(p["query"], 16)
        t = by_addr.get(int(p["block"], 16))
        hops = p["hops"]
        good = (t is not None and a - t[0] == p["inside"] and p["count"] == 1 and p["size"] == t[1]
                and hops and int(hops[-1]["address"], 16) == t[0]
                and all(h["address"] and int(h["address"], 16) in starts for h in hops))
        if t is None:
            categories.setdefault(("?", "?"), []).append((False, p["query"]))
            continue
        if t[2] == "reachable":
            cat = truth_root(t, core)
            good = good and not p["leaked"] and json_root(p["root"], core) == cat
        else:
            cat = ("leaked", t[2])
            leak = p.get("leak")
            good = good and p["leaked"] and "root" not in p and (
                leak == t[2] if t[2] != "cycle" else leak in ("direct", "indirect"))
            # An indirect leak's chain starts at a direct leak: refstarget's parent, at +8.
            if t[2] == "indirect":
                head = by_addr.get(int(hops[0]["address"], 16))
                good = good and head is not None and head[2] == "direct" and hops[-1]["offset"] == 8
        categories.setdefault(cat, []).append((good, p["query"]))
    for cat in sorted(categories, key=str):
        res = categories[cat]
        bad = [q for g, q in res if not g]
        say(not bad, "why ADDR, %s %s: %d of %d addresses name the right root, chain and block%s"
            % (cat[0], cat[1], len(res) - len(bad), len(res), "" if not bad else " (wrong: %s)" % bad[:5]))
    # The cycle: exactly one member direct.
    cyc = [p.get("leak") for p in paths if by_addr.get(int(p["block"], 16), (0, 0, ""))[2] == "cycle"
           and p["inside"] == 0]
    say(sorted(cyc) == ["direct"] + ["indirect"] * (len(cyc) - 1), "why ADDR: the leaked cycle has one direct member %s" % cyc)
    # The deepest node of the static list: a chain through the whole list.
    lst = [t for t in truth if t[4] == "list_head"]
    deep = [p for p in paths if p["query"] == "0x%x" % lst[0][0]]
    say(deep and len(deep[0]["hops"]) == len(lst), "why ADDR: the deepest list node's chain has %d hops (%s)"
        % (len(lst), len(deep[0]["hops"]) if deep else None))
    # Held through the mmapped chunk: g_big -> the chunk at +0 -> the block at +8*(500i+7).
    big = [t for t in truth if t[4] == "g_big"]
    held = [p for p in paths if p["inside"] == 0 and int(p["block"], 16) in {t[0] for t in big[1:]}]
    offs = sorted(p["hops"][1]["offset"] for p in held if len(p["hops"]) == 2
                  and int(p["hops"][0]["address"], 16) == big[0][0] and p["hops"][0]["offset"] == 0)
    say(offs == [8 * (500 * i + 7) for i in range(len(big) - 1)],
        "why ADDR: the %d blocks g_big's mmapped chunk holds go through it, each at its own offset" % (len(big) - 1))
    # why GLOB: every block but glibc's own, aggregated; per root as the truth says.
    doc = run_json(heapsnap, "why", snap_path, "[!g]*", "--limit=0", "--format=json")
    if doc is None:
        return
    got = {}
    for p in doc["paths"]:
        key = ("leaked", p["leak"]) if p["leaked"] else json_root(p["root"], core)
        c = got.setdefault(key, [0, 0])
        c[0] += p["count"]
        c[1] += p["size"]
    for root, want in sorted(per_root(truth, core).items(), key=str):
        say(got.get(root) == want, "why GLOB: %s %s holds %s blocks/bytes (truth %s)" % (root[0], root[1], got.get(root), want))
    (direct, indirect), size = leaked_truth(truth)
    gd, gi = got.get(("leaked", "direct"), [0, 0]), got.get(("leaked", "indirect"), [0, 0])
    say(gd[0] == direct and gi[0] == indirect and gd[1] + gi[1] == size,
        "why GLOB: leaked %d direct, %d indirect, %d bytes (truth %d, %d, %d)" % (gd[0], gi[0], gd[1] + gi[1], direct, indirect, size))


def roots(core, report, snap_path, heapsnap):
    truth = read_truth(report)
    doc = run_json(heapsnap, "show", snap_path, "--group-by=root", "--limit=0", "--format=json")
    if doc is None:
        return
    rows = {r["key"]: r for r in doc["rows"]}
    by_root = {key_root(k, core): r for k, r in rows.items() if key_root(k, core)}
    for root, want in sorted(per_root(truth, core).items(), key=str):
        r = by_root.get(root)
        got = [r["count"], r["size"]] if r else None
        say(got == want, "show --group-by=root: %s %s has %s blocks/bytes (truth %s)" % (root[0], root[1], got, want))
    (direct, indirect), size = leaked_truth(truth)
    r = rows.get("leaked")
    got = [r["count"], r["size"]] if r else None
    say(got == [direct + indirect, size], "show --group-by=root: leaked has %s blocks/bytes (truth %s)" % (got, [direct + indirect, size]))
    say(sum(r["size"] for r in doc["rows"]) + doc["hidden"]["libc"]["size"] == doc["total"]["size"],
        "show --group-by=root: the rows and glibc's hidden ones add up to the total")


def growth(old, new, grown, count, heapsnap):
    doc = run_json(heapsnap, "diff", old, new, "--group-by=root", "--limit=0", "--format=json")
    if doc is None:
        return
    rows = {r["key"]: r for r in doc["rows"]}
    r = rows.get(REGISTRY)
    got = (r["size_diff"], r["count_diff"]) if r else None
    say(got == (int(grown), int(count)), "diff --group-by=root: %s grows by %s bytes/blocks (the target's own %s, %s)"
        % (REGISTRY, got, grown, count))
    moved = [(k, r["size_diff"]) for k, r in rows.items() if k != REGISTRY and r["size_diff"] != 0]
    say(not moved, "diff --group-by=root: no other root changes%s" % ("" if not moved else " (%s)" % moved))
    doc = run_json(heapsnap, "trend", old, new, "--group-by=root", "--limit=0", "--format=json")
    if doc is None:
        return
    rows = {r["key"]: r for r in doc["rows"]}
    r = rows.get(REGISTRY)
    got = (r["sizes"][-1] - r["sizes"][0], r["counts"][-1] - r["counts"][0]) if r else None
    say(got == (int(grown), int(count)), "trend --group-by=root: %s grows by %s bytes/blocks" % (REGISTRY, got))
    moved = [k for k, r in rows.items() if k != REGISTRY and r["sizes"][0] != r["sizes"][-1]]
    say(not moved, "trend --group-by=root: no other root changes%s" % ("" if not moved else " (%s)" % moved))


def main():
    args = sys.argv[1:]
    core = args[0] == "--core"
    if core:
        args = args[1:]
    if args[0] == "growth":
        growth(*args[1:])
    else:
        {"chains": chains, "roots": roots}[args[0]](core, *args[1:])


main()
