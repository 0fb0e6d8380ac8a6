#!/usr/bin/env python3
"""Writes a hostile copy of a snapshot taken with --refs, for the tests of why and
--group-by=root. Usage: mangle_refs.py CASE IN OUT, CASE one of
  loop      two held blocks name each other as holder (a chain that loops)
  root      a held block's holder is a root index out of range
  owner     a block's owner is a root index out of range
  nowhere   a held block's holder is null (its chain reaches no root)
  plain     roots, refs and block_refs removed (a snapshot without reference data)
Prints the address (hex) of the first block it changed."""
import json
import sys

case, src, dst = sys.argv[1:4]
snap = json.load(open(src))
refs, nroots = snap["block_refs"], len(snap["roots"])
held = [i for i, r in enumerate(refs) if r[2] not in (-2, -3) and r[0] is not None]
i, j = held[0], held[1]
if case == "loop":
    refs[i] = [j, 0, refs[i][2]]
    refs[j] = [i, 0, refs[j][2]]
elif case == "root":
    refs[i][0] = -(nroots + 5)
elif case == "owner":
    refs[i][2] = nroots + 7
elif case == "nowhere":
    refs[i][0] = refs[i][1] = None
elif case == "plain":
    for member in ("roots", "refs", "block_refs"):
        del snap[member]
else:
    sys.exit("unknown case " + case)
json.dump(snap, open(dst, "w"))
print("0x%x" % snap["blocks"][i][0])
