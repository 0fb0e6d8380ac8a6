# Target for the CPython classifier test: holds known numbers of large bytes and str objects
# and lists (with item arrays big enough for glibc malloc), and instances of a class defined
# here; announces "obj ADDRESS NAME" lines (id() is the object's address), "end", then stops
# itself. Under PYTHONMALLOC=malloc the small objects (list headers, instances) are malloc
# blocks too and are announced as well. Its data carries the marker SECRET.
import ctypes
import os
import signal
import sys

MARK = "SECRET-py"


class HeapsnapProbe:
    pass


def announce(addr, name):
    print("obj", hex(addr), name)


blobs = [(MARK + "-%d-" % i).encode() + bytes(range(256)) * 8 for i in range(17)]
texts = [MARK + "-%d-" % i + "\u00e9" * 1500 for i in range(13)]
texts += [MARK + "-ascii-%d-" % i + "abc" * 400 for i in range(11)]
lists = [list(range(100000 + i, 100300 + i)) for i in range(9)]
probes = [HeapsnapProbe() for _ in range(8)]
for i, p in enumerate(probes):
    p.value = i

for b in blobs:
    announce(id(b), "py:bytes")
for s in texts:
    announce(id(s), "py:str")
for l in lists:
    # PyListObject: ob_refcnt, ob_type, ob_size, then ob_item.
    announce(ctypes.c_void_p.from_address(id(l) + 24).value, "void*[] (pointer array)")
if os.environ.get("PYTHONMALLOC") == "malloc":
    for l in lists:
        announce(id(l), "py:list")
    for p in probes:
        announce(id(p), "py:HeapsnapProbe")
print("end")
sys.stdout.flush()
os.kill(os.getpid(), signal.SIGSTOP)
