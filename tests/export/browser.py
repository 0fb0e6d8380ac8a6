#!/usr/bin/env python3
"""Loads an HTML file in headless Chromium through the DevTools protocol (over
--remote-debugging-pipe: fds 3 and 4, standard library only) and prints, as JSON, what the
report tests check: console errors and uncaught exceptions, every network request beyond the
page itself, facts about the DOM after load, and whether a screenshot is blank.

usage: browser.py PAGE.html WIDTH HEIGHT [SCREENSHOT.png]
(HS_FULLPAGE=1 in the environment: the screenshot is of the whole page)
"""
import base64, json, os, select, shutil, struct, subprocess, sys, tempfile, time, zlib

DEADLINE = time.monotonic() + 45

DOM_FACTS = r"""JSON.stringify({
  drawn: document.getElementById('report').getAttribute('data-drawn'),
  svgs: document.querySelectorAll('svg').length,
  svgs_with_data: Array.from(document.querySelectorAll('svg')).filter(function (s) {
    return s.querySelectorAll('[data-value]').length > 0; }).length,
  marks: document.querySelectorAll('svg [data-value]').length,
  marks_nonzero: Array.from(document.querySelectorAll('svg rect[data-value]')).filter(function (r) {
    return parseFloat(r.getAttribute('width')) > 0; }).length,
  polylines: document.querySelectorAll('svg polyline').length,
  tables: document.querySelectorAll('table').length,
  rows: document.querySelectorAll('tbody tr').length,
  scripts: document.querySelectorAll('script').length,
  imgs: document.querySelectorAll('img, iframe, object, embed').length,
  elements_with_handlers: Array.from(document.querySelectorAll('*')).filter(function (e) {
    return Array.from(e.attributes).some(function (a) { return /^on/i.test(a.name); }); }).length,
  hostile_marker: typeof window.__hs_pwned !== 'undefined',
  text: document.body.innerText.slice(0, 20000),
  scroll_width: document.documentElement.scrollWidth
})"""


class Browser:
    def __init__(self, width, height):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if exe is None:
            raise SystemExit("chromium is not installed: apt-get install chromium")
        self.profile = tempfile.mkdtemp(prefix="hs-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def fds():  # the browser reads commands on fd 3 and writes replies on fd 4
            r, w = os.dup(to_browser_r), os.dup(from_browser_w)  # out of 3 and 4's way
            r, w = os.dup2(r, 100), os.dup2(w, 101)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-sync",
             "--disable-background-networking", "--disable-component-update",
             "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
             "--window-size=%d,%d" % (width, height), "about:blank"],
            preexec_fn=fds, close_fds=False,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=None if os.environ.get("HS_BROWSER_DEBUG") else subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self):
        while b"\0" not in self.buf:
            left = DEADLINE - time.monotonic()
            if left <= 0:
                raise SystemExit("chromium did not answer in time")
            r, _, _ = select.select([self.from_browser], [], [], left)
            if r:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise SystemExit("chromium closed its DevTools pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_browser, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise SystemExit("%s failed: %s" % (method, reply["error"]))
                return reply["result"]
            self.events.append(reply)

    def wait_event(self, method, seconds):
        end = min(DEADLINE, time.monotonic() + seconds)
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > end:
                return False
            r, _, _ = select.select([self.from_browser], [], [], 0.1)
            if r or b"\0" in self.buf:
                self.events.append(self._read_message())
        return True

    def settle(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            r, _, _ = select.select([self.from_browser], [], [], 0.05)
            if r or b"\0" in self.buf:
                self.events.append(self._read_message())

    def close(self):
        try:
            self.call("Browser.close")
        except SystemExit:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def png_pixels(png):
    """(width, height, rows of bytes, bytes per pixel) of an 8-bit RGB or RGBA PNG."""
    pos, idat, width = 8, b"", 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                raise SystemExit("unexpected PNG format: depth %d colour %d" % (depth, colour))
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def colour_facts(png):
    width, height, rows, bpp = png_pixels(png)
    colours, non_white = set(), 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            px = row[x:x + 3]
            colours.add(px)
            if px != b"\xff\xff\xff":
                non_white += 1
    return {"width": width, "height": height, "colours": len(colours),
            "non_white_share": non_white / float(width * height)}


def main():
    if len(sys.argv) not in (4, 5):
        raise SystemExit(__doc__)
    page, width, height = os.path.abspath(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    url = "file://" + page
    b = Browser(width, height)
    try:
        target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            b.call(domain + ".enable", session=s)
        b.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
               "deviceScaleFactor": 1, "mobile": width < 600}, session=s)
        started = time.monotonic()
        b.call("Page.navigate", {"url": url}, session=s)
        loaded = b.wait_event("Page.loadEventFired", 20)
        load_seconds = time.monotonic() - started
        b.settle(0.5)
        facts = json.loads(b.call("Runtime.evaluate", {"expression": DOM_FACTS, "returnByValue": True},
                                  session=s)["result"]["value"])
        shot_params = {"format": "png"}
        if os.environ.get("HS_FULLPAGE"):  # the whole page, for people to look at
            size = b.call("Page.getLayoutMetrics", session=s)["cssContentSize"]
            shot_params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": width,
                               "height": size["height"], "scale": 1})
        shot = base64.b64decode(b.call("Page.captureScreenshot", shot_params, session=s)["data"])
        if len(sys.argv) == 5:
            with open(sys.argv[4], "wb") as f:
                f.write(shot)
        small = base64.b64decode(b.call("Page.captureScreenshot", {"format": "png", "clip": {
            "x": 0, "y": 0, "width": width, "height": height, "scale": 0.25}}, session=s)["data"])
    finally:
        b.close()
    errors, requests = [], []
    for e in b.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            errors.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
        elif m == "Runtime.exceptionThrown":
            errors.append("exception: " + p["exceptionDetails"].get("text", "") + " " +
                          str(p["exceptionDetails"].get("exception", {}).get("description", "")))
        elif m == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
            errors.append("log: " + p["entry"]["text"])
        elif m == "Network.requestWillBeSent" and p["request"]["url"] != url:
            requests.append(p["request"]["url"])
    print(json.dumps({"loaded": loaded, "load_seconds": round(load_seconds, 3), "errors": errors,
                      "requests": requests, "dom": facts, "screenshot": colour_facts(small)}))


main()
