# Run by gdb (tests/typing/truth-selftest.sh: gdb -batch -p PID -x gdb_truth.py, TRUTH in the
# environment): walks a typed target's roots with gdb's own reading of its DWARF, naming each
# block it reaches as issue 19 spells it, and prints one line comparing that with the truth
# file the target wrote: "truth: N reached, M in the truth, mismatches [...], unreached [...]".
# An independent check of the targets' ground truth, with no heapsnap code involved.
import os

import gdb

ITEMS_PER_SESSION = 4  # typedtarget.c's
seen = {}


def want(value, name):
    address = int(value)
    if address != 0:
        seen[address] = name


def walk_item(it, typed):
    want(it, "struct item" if typed else "-")
    want(it["label"], "-")
    want(it["ext"], "-")


def walk_session(s, typed):
    def named(name):
        return name if typed else "-"
    want(s, named("struct session"))
    want(s["conn"], named("conn_t"))
    want(s["pl"], named("union payload"))
    want(s["by_id"], named("struct item *[]"))
    want(s["inline_items"], named("struct item[]"))
    for untyped in (s["name"], s["opaque"], s["conn"]["peer"]):
        want(untyped, "-")
    it = s["items"]
    while int(it):
        walk_item(it, typed)
        it = it["next"]
    for i in range(ITEMS_PER_SESSION):
        if int(s["inline_items"][i]["next"]):
            walk_item(s["inline_items"][i]["next"], typed)


def walk_list(expression, name):
    node = gdb.parse_and_eval(expression)
    while int(node):
        want(node, name)
        node = node["next"]


def walk_c():
    registry = gdb.parse_and_eval("g_registry")
    want(registry, "struct registry")
    want(registry["index"], "struct session *[]")
    for i in range(int(registry["n"])):
        walk_session(registry["index"][i], True)
    walk_session(gdb.parse_and_eval("(struct session *)g_hidden"), False)
    walk_list("g_msgs", "struct msg")
    walk_list("s_nodes", "struct node")
    want(gdb.parse_and_eval("g_big_items"), "struct item[]")
    want(gdb.parse_and_eval("g_tailed"), "struct item")
    want(gdb.parse_and_eval("g_a1"), "struct a")
    for untyped in ("g_small", "g_opaque", "g_text", "g_void"):
        want(gdb.parse_and_eval(untyped), "-")
    walk_item(gdb.parse_and_eval("remember_item::s_remembered"), True)
    for thread in gdb.selected_inferior().threads():
        thread.switch()
        walk_item(gdb.parse_and_eval("t_current"), True)
        frame = gdb.newest_frame()
        while frame is not None:
            if frame.name() == "hold_locals":
                walk_session(frame.read_var("held"), True)
                walk_item(frame.read_var("held_item"), True)
            frame = frame.older()


def walk_cxx():
    walk_list("g_nodes", "ns::Node")
    box = gdb.parse_and_eval("g_box")
    want(box, "ns::Box<int>")
    want(box["other"], "ns::Box<int>")
    nodes = gdb.parse_and_eval("g_node_array")
    want(nodes, "ns::Node[]")
    want(nodes[3]["next"], "ns::Node")
    want(gdb.parse_and_eval("g_node_index"), "ns::Node *[]")
    shape = gdb.parse_and_eval("g_shape")
    want(shape, shape.dynamic_type.target().name)  # the vtable's class
    want(gdb.parse_and_eval("g_raw"), "-")


truth = {}
for line in open(os.environ["TRUTH"]):
    address, name = line.rstrip("\n").split(" ", 1)
    if address.startswith("0x"):
        truth[int(address, 16)] = name
(walk_cxx if gdb.lookup_global_symbol("g_shape") else walk_c)()
mismatches = ["%s: gdb %r, truth %r" % (hex(a), n, truth.get(a)) for a, n in seen.items() if truth.get(a) != n]
unreached = [hex(a) for a in truth if a not in seen]
print("truth: %d reached, %d in the truth, mismatches %s, unreached %s"
      % (len(seen), len(truth), mismatches, unreached))
