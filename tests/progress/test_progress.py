#!/usr/bin/env python3
"""test_progress.py - the progress line of a large export (docs/inputs.md):
drawn on a terminal, never in a pipe.

A call log of 72 MB (over KPI_PROGRESS_MIN_BYTES, 64 MiB) and a config
with the switchboard area alone.  Checked:
  - stderr a pipe: no progress line (no "\\r", no "MB"), only the usual
    messages, and the report counts every call of the file;
  - stderr a pseudo-terminal (pty.openpty): at least one line
    "\\rswitchboard: FILE: N of 72 MB" followed by erase-to-end-of-line,
    the line erased at the end ("\\r\\033[K"), and the same report on
    stdout (a file) as in the pipe;
  - a small export (the shipped config) on a terminal: no line.

Usage: test_progress.py KPIRUN SOURCE_DIR PLUGIN_DIR
"""
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile

KPIRUN, SRC, PLUGINS = sys.argv[1:4]
FAILED = []
ROWS_PER_BLOCK = 1000
BLOCKS = 1800          # 1.8 M calls, 40 bytes each: 72 MB


def check(cond, what):
    if not cond:
        FAILED.append(what)
        print("FAIL:", what, file=sys.stderr)


CONFIG = """[kpirun]
year = 2011
period = T2
data_dir = {dir}
plugin_dir = {plugins}

[area switchboard]
plugin = switchboard
file = calls.csv

[goal 3]
kind = direction
title_sv = Kostnadseffektiv verksamhet
title_en = Cost-effective operations

[goal bench]
kind = committee
parent = 3
title_sv = Växeln
title_en = Switchboard
indicators = switchboard.answered, switchboard.answered_share
"""


def run(cfg, out, on_tty):
    """kpirun -l en -f json cfg > out, stderr a pipe or a pty; returns
    (exit status, stderr bytes)."""
    env = dict(os.environ)
    env.pop("KPI_PLUGIN_PATH", None)
    if not on_tty:
        with open(out, "wb") as o:
            p = subprocess.run([KPIRUN, "-l", "en", "-f", "json", cfg],
                               stdout=o, stderr=subprocess.PIPE, env=env,
                               timeout=240)
        return p.returncode, p.stderr
    master, slave = pty.openpty()
    with open(out, "wb") as o:
        p = subprocess.Popen([KPIRUN, "-l", "en", "-f", "json", cfg],
                             stdout=o, stderr=slave, env=env)
    os.close(slave)
    got = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:          # EIO: every writer has gone
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    return p.wait(timeout=240), got


def main():
    top = tempfile.mkdtemp(prefix="kpi-progress-")
    try:
        calls = os.path.join(top, "calls.csv")
        # 1000 calls a block, all answered, in 2011-03
        block = "".join("2011-03-%02d 09:%02d:%02d,vaxel,answered,12,100\n"
                        % (1 + i % 28, i // 60 % 60, i % 60)
                        for i in range(ROWS_PER_BLOCK))
        with open(calls, "w", encoding="ascii") as f:
            f.write("call_start,queue,result,wait_s,talk_s\n")
            for _ in range(BLOCKS):
                f.write(block)
        size = os.path.getsize(calls)
        check(size >= 64 << 20, "the export is over 64 MiB (%d)" % size)
        cfg = os.path.join(top, "calls.ini")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(CONFIG.format(dir=top, plugins=PLUGINS))
        rows = ROWS_PER_BLOCK * BLOCKS

        rc, err = run(cfg, os.path.join(top, "pipe.json"), False)
        check(rc == 0, "pipe: exit %d (%r)" % (rc, err[-300:]))
        check(b"\r" not in err and b" MB" not in err,
              "pipe: no progress line in %r" % err[-300:])
        with open(os.path.join(top, "pipe.json"), "rb") as f:
            report = f.read()
        check(b'"value": %d' % rows in report or
              re.search(rb'"outcome":\s*%d\b' % rows, report) is not None,
              "pipe: the report counts the %d calls" % rows)

        rc, err = run(cfg, os.path.join(top, "tty.json"), True)
        check(rc == 0, "tty: exit %d (%r)" % (rc, err[-300:]))
        want = re.compile(rb"\rswitchboard: %s: \d+ of %d MB[^\r]*\x1b\[K"
                          % (re.escape(calls.encode()), round(size / 1e6)))
        check(want.search(err) is not None,
              "tty: a progress line in %r" % err[:300])
        check(err.endswith(b"\r\x1b[K") or b"\r\x1b[K" in err,
              "tty: the line is erased at the end")
        with open(os.path.join(top, "tty.json"), "rb") as f:
            check(f.read() == report, "tty: the same report as in a pipe")

        small = os.path.join(top, "small.ini")
        with open(os.path.join(SRC, "conf", "2011.ini"),
                  encoding="utf-8") as f:
            text = f.read()
        with open(small, "w", encoding="utf-8") as f:
            f.write(re.sub(r"(?m)^data_dir = .*$", "data_dir = %s\nplugin_dir"
                           " = %s" % (os.path.join(SRC, "data", "2011"),
                                      PLUGINS), text, count=1))
        rc, err = run(small, os.path.join(top, "small.json"), True)
        check(rc == 0, "small: exit %d" % rc)
        check(b" MB" not in err and b"\x1b[K" not in err,
              "small: no progress line for small exports (%r)" % err[:300])
    finally:
        shutil.rmtree(top)
    if FAILED:
        print("%d check(s) failed" % len(FAILED), file=sys.stderr)
        return 1
    print("test_progress: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
