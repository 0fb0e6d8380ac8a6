"""TAP lines from the tests' Python checkers (tests/tap.sh's counterpart): they print "ok" and
"not ok" lines with no plan, and the calling test counts them."""
import json
import subprocess


def say(good, text):
    print(("ok" if good else "not ok") + " - " + text)


def run_json(*argv):
    """The JSON a command prints, or None (and a "not ok" line) when it does not exit 0."""
    out = subprocess.run(argv, capture_output=True, text=True)
    if out.returncode != 0:
        say(False, "%s exits 0 (exit %d: %s)" % (" ".join(argv[1:3]), out.returncode, out.stderr.strip()))
        return None
    return json.loads(out.stdout)
