#!/usr/bin/env python3
"""test_jobs.py - areas computed one at a time and two at a time give the
same run: report, standard error and exit status byte for byte.

The areas' children run concurrently up to plugin_jobs (docs/config.md);
kpirun passes each area's output on and replays its results in config
order, so nothing may depend on which child finished first.  Checked on
  - the shipped config (conf/2011.ini, data/2011), text and json;
  - the same config with failing areas, with --keep-going: a bad number
    in payroll.csv and in hr.csv (data errors, file:line:col), and an
    area whose plugin file is not a shared object (fails to load in its
    child); the failures named in stderr are those worked out here;
  - without --keep-going (exit 3, no report).
Each run is made in its own directory holding a config of the same name,
so that the only difference between the two is plugin_jobs.  Runs with
plugin_jobs = 2 are repeated, since an ordering fault would show only now
and then.

Usage: test_jobs.py KPIRUN SOURCE_DIR PLUGIN_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

KPIRUN, SRC, PLUGINS = sys.argv[1:4]
FAILED = []
REPEAT = 5


def check(cond, what):
    if not cond:
        FAILED.append(what)
        print("FAIL:", what, file=sys.stderr)


def make_set(top, name, jobs, data, plugins, extra=""):
    """top/name/2011.ini: conf/2011.ini with data_dir, plugin_dir and
    plugin_jobs set (and `extra` appended)."""
    d = os.path.join(top, name)
    os.mkdir(d)
    with open(os.path.join(SRC, "conf", "2011.ini"), encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"(?m)^data_dir = .*$",
                  "data_dir = %s\nplugin_dir = %s\nplugin_jobs = %d"
                  % (data, plugins, jobs), text, count=1)
    with open(os.path.join(d, "2011.ini"), "w", encoding="utf-8") as f:
        f.write(text + extra)
    return d


def run(d, *args):
    env = dict(os.environ)
    env.pop("KPI_PLUGIN_PATH", None)
    p = subprocess.run([KPIRUN, *args, "2011.ini"], cwd=d, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


def same(top, tag, data, plugins, args, extra="", want_rc=None):
    """The runs with 1 and with 2 at a time, compared; returns the first."""
    one = run(make_set(top, tag + "1", 1, data, plugins, extra), *args)
    if want_rc is not None:
        check(one[0] == want_rc, "%s: exit %d, expected %d (%r)"
              % (tag, one[0], want_rc, one[2][-400:]))
    for i in range(REPEAT):
        two = run(make_set(top, "%s2-%d" % (tag, i), 2, data, plugins, extra),
                  *args)
        check(two[0] == one[0], "%s: exit %d with 2 at a time, %d with 1"
              % (tag, two[0], one[0]))
        check(two[1] == one[1], "%s: report differs with 2 at a time" % tag)
        check(two[2] == one[2], "%s: stderr differs with 2 at a time:\n%s\n"
              "--- with 1:\n%s" % (tag, two[2].decode(), one[2].decode()))
    return one


def main():
    top = tempfile.mkdtemp(prefix="kpi-jobs-")
    try:
        data = os.path.join(SRC, "data", "2011")
        # the shipped run
        rc, out, err = same(top, "shipped", data, PLUGINS, ["-l", "en"],
                            want_rc=0)
        # calls answered in T2 2011, summed here from the export
        answered = 0
        with open(os.path.join(data, "switchboard_summary.csv"),
                  encoding="utf-8") as f:
            for row in list(f)[1:]:
                cells = row.strip().split(",")
                if "2011-01" <= cells[0] <= "2011-08":
                    answered += int(cells[3])
        check(("Calls answered  " in out.decode() and
               "{:,}".format(answered) in out.decode()),
              "shipped: calls answered %d in the report" % answered)
        same(top, "json", data, PLUGINS, ["-f", "json"], want_rc=0)

        # failing areas: two data errors and a plugin that cannot load
        bad = os.path.join(top, "data")
        shutil.copytree(data, bad)
        for name, line in (("payroll.csv", 3), ("hr.csv", 2)):
            path = os.path.join(bad, name)
            with open(path, encoding="utf-8") as f:
                rows = f.read().split("\n")
            cells = rows[line - 1].split(",")
            cells[1] = "x1"
            rows[line - 1] = ",".join(cells)
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(rows))
        plugins = os.path.join(top, "plugins")
        os.mkdir(plugins, 0o755)
        for f in os.listdir(PLUGINS):
            if f.endswith(".so"):
                shutil.copy(os.path.join(PLUGINS, f), plugins)
        with open(os.path.join(plugins, "junk.so"), "w") as f:
            f.write("not a shared object\n")
        junk = "\n[area junk]\nplugin = junk\nfile = hr.csv\n"
        rc, out, err = same(top, "failing", bad, plugins,
                            ["-l", "en", "--keep-going"], junk, want_rc=3)
        text = err.decode()
        pay = text.find("payroll: %s/payroll.csv:3:" % bad)
        hr = text.find("hr: %s/hr.csv:2:" % bad)
        jk = text.find("plugin 'junk'")
        check(pay >= 0 and hr >= 0 and jk >= 0,
              "failing: payroll.csv:3, hr.csv:2 and the junk plugin in "
              "stderr:\n" + text)
        # config order: payroll's area comes before hr's, hr's before junk
        check(0 <= pay < hr < jk, "failing: messages in config order")
        check(b"junk" in out, "failing: the report names the failed area")
        same(top, "stop", bad, plugins, ["-l", "en"], junk, want_rc=3)
    finally:
        shutil.rmtree(top)
    if FAILED:
        print("%d check(s) failed" % len(FAILED), file=sys.stderr)
        return 1
    print("test_jobs: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
