"""cdp.py - headless Chromium driven through the DevTools protocol over
--remote-debugging-pipe (file descriptors 3 and 4, messages ending in a
NUL byte): load a page, collect every console message, exception, log
entry and network request it causes, evaluate expressions in it, take a
screenshot and print it to PDF.  Used by test_chromium.py.
"""
import base64
import fcntl
import json
import os
import select
import subprocess
import tempfile
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--remote-debugging-pipe"]


class Chromium:
    def __init__(self, binary="chromium", timeout=20):
        self.timeout = timeout
        self.profile = tempfile.TemporaryDirectory(prefix="kpi-chromium-")
        to_r, to_w = os.pipe()          # we write commands, it reads fd 3
        from_r, from_w = os.pipe()      # it writes fd 4, we read

        def child():
            # copies above 4 first, so neither end is overwritten when a
            # pipe already sits on 3 or 4; dup2's copies are inherited,
            # the originals (close-on-exec) are not
            r = fcntl.fcntl(to_r, fcntl.F_DUPFD, 5)
            w = fcntl.fcntl(from_w, fcntl.F_DUPFD, 5)
            os.dup2(r, 3)
            os.dup2(w, 4)
        self.proc = subprocess.Popen(
            [binary, *FLAGS, "--user-data-dir=" + self.profile.name,
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=child)
        os.close(to_r)
        os.close(from_w)
        self.w, self.r = to_w, from_r
        self.buf, self.next_id, self.events = b"", 0, []
        self.session = None

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.w)
        os.close(self.r)
        self.profile.cleanup()

    def _read(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in %ds"
                                   % self.timeout)
            ready, _, _ = select.select([self.r], [], [], left)
            if ready:
                chunk = os.read(self.r, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the pipe (exit %s)"
                                   % self.proc.poll())
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=True, **params):
        """Send a command (to the page's session unless session=False)
        and return its result; events seen meanwhile are kept."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method):
        deadline = time.monotonic() + self.timeout
        for m in self.events:
            if m["method"] == method:
                return m
        while True:
            m = self._read(deadline)
            if "method" in m:
                self.events.append(m)
                if m["method"] == method:
                    return m

    def open(self, url, width, height):
        """A new page of width x height CSS pixels with the console, log,
        runtime and network domains on, then url loaded."""
        t = self.call("Target.createTarget", session=False, url="about:blank")
        a = self.call("Target.attachToTarget", session=False,
                      targetId=t["targetId"], flatten=True)
        self.session = a["sessionId"]
        for d in ("Page", "Runtime", "Log", "Network"):
            self.call(d + ".enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width,
                  height=height, deviceScaleFactor=1, mobile=False)
        self.events = []
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")
        # let late messages (a failed image, a timer) arrive
        self.call("Runtime.evaluate", expression="1", awaitPromise=True)

    def problems(self, url):
        """What the page caused besides loading itself: console messages,
        uncaught exceptions, log entries, failed loads and requests for
        any other URL, each as a line of text."""
        out = []
        for m in self.events:
            p, k = m.get("params", {}), m["method"]
            if k == "Runtime.consoleAPICalled":
                out.append("console.%s: %s" % (p["type"], " ".join(
                    str(a.get("value", a.get("description")))
                    for a in p.get("args", []))))
            elif k == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                out.append("exception: %s" % d.get("exception", {}).get(
                    "description", d.get("text")))
            elif k == "Log.entryAdded":
                e = p["entry"]
                out.append("log %s (%s): %s" % (e["level"], e["source"],
                                                e["text"]))
            elif k == "Network.loadingFailed":
                out.append("load failed: %s" % p.get("errorText"))
            elif k == "Network.requestWillBeSent" and \
                    p["request"]["url"] != url:
                out.append("request: %s" % p["request"]["url"])
        return out

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr,
                      returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def media(self, media):
        self.call("Emulation.setEmulatedMedia", media=media)

    def screenshot(self, path):
        r = self.call("Page.captureScreenshot", format="png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))

    def pdf(self, path):
        """Printed as a person prints it: the page size and margins from
        the stylesheet's @page, backgrounds on."""
        r = self.call("Page.printToPDF", preferCSSPageSize=True,
                      printBackground=True, displayHeaderFooter=False)
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))
