#!/usr/bin/env python3
"""window_test.py - exports that span years give the report of the same
exports trimmed to the run's years.

The seed's config and data (conf/2011.ini, data/2011), with three exports
replaced by generated ones, deterministic: the switchboard's call log
(30 calls a month), payroll.csv and hr.csv.  Set "two" holds the years
the run's window touches, 2009-2011 (the window, docs/config.md: from the
earlier of 23 months before the period's first month and February two
years before its year, to the period's last month: 2009-02..2011-08 for
T2 2011); set "ten" the same rows plus 2002-2008 before and 2012-01..03
after.  Both also hold 2009-01 and 2011-09..12, outside the window.
Checked:
  - the reports in text, json and csv are identical for both sets, and
    the json is read back (json.load) to see the figures are there;
  - -v's per-file counts equal the rows generated outside the window;
  - a 2003 row with a bad number is still a data error naming
    file:line:col (exit 3).

Usage: window_test.py KPIRUN SOURCE_DIR PLUGIN_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

KPIRUN, SRC, PLUGINS = sys.argv[1:4]
CALLS_PER_MONTH = 30
FAILED = []


def check(cond, what):
    if not cond:
        FAILED.append(what)
        print("FAIL:", what, file=sys.stderr)


def months(first, last):
    """Year-months first..last inclusive, as (year, month)."""
    y, m = first
    while (y, m) <= last:
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def calls(y, m):
    """The month's call-log rows, the same every run."""
    rows = []
    for i in range(CALLS_PER_MONTH):
        k = (y * 12 + m) * 31 + i
        day = 1 + i % 28
        answered = k % 7 != 0
        wait = (k * 13) % 60
        talk = 60 + (k * 37) % 400 if answered else ""
        rows.append("%04d-%02d-%02d %02d:%02d:00,stad,%s,%s,%s" % (
            y, m, day, 8 + i % 9, (k * 11) % 60,
            "answered" if answered else "abandoned",
            wait if answered else "", talk))
    return rows


def payroll(y, m):
    k = y * 12 + m
    return ["%04d-%02d,%d,%d,%.1f" % (y, m, 50000 + k % 997,
                                      30000 + k % 1999, 60 + k % 7)]


def hr(y, m):
    k = y * 12 + m
    return ["%04d-%02d,%d,%d,%d,250,0,%d" % (y, m, 38000 + k % 500,
                                             1900 + k % 100, 1000 + k % 50,
                                             k % 5)]


HEADERS = {
    "calls.csv": "call_start,queue,result,wait_s,talk_s",
    "payroll.csv": "month,payslips,self_service_payslips,administrator_fte",
    "hr.csv": "month,scheduled_hours,sick_hours,sick_hours_long,employees,"
              "interns,summer_jobs",
}
ROWS = {"calls.csv": calls, "payroll.csv": payroll, "hr.csv": hr}
BEFORE = ((2002, 1), (2008, 12))
TWO = ((2009, 1), (2011, 12))


def window(year, first_month, last_month):
    """The run's window by the documented rule, as (year, month) pairs."""
    a = year * 12 + first_month - 1 - 23
    b = (year - 2) * 12 + 1
    first = min(a, b)
    return (first // 12, first % 12 + 1), (year, last_month)


WINDOW = window(2011, 1, 8)
AFTER = ((2012, 1), (2012, 3))


def write_set(root, spans, bad=None):
    """conf.ini and data/ under root; the three exports cover `spans`.
    bad: (file, (year, month), column, text) puts `text` into that
    month's first row.  Returns {file: (rows, rows outside)}."""
    shutil.copytree(os.path.join(SRC, "data", "2011"),
                    os.path.join(root, "data"))
    with open(os.path.join(SRC, "conf", "2011.ini"), encoding="utf-8") as f:
        ini = f.read()
    ini = ini.replace("data_dir = ../data/2011", "data_dir = data")
    ini = ini.replace("file = switchboard_summary.csv", "file = calls.csv")
    with open(os.path.join(root, "conf.ini"), "w", encoding="utf-8") as f:
        f.write(ini)
    counts = {}
    for name, gen in ROWS.items():
        lines, outside = [HEADERS[name]], 0
        for span in spans:
            for y, m in months(*span):
                rows = gen(y, m)
                if bad and bad[0] == name and bad[1] == (y, m):
                    cells = rows[0].split(",")
                    cells[bad[2]] = bad[3]
                    rows[0] = ",".join(cells)
                lines += rows
                if not (WINDOW[0] <= (y, m) <= WINDOW[1]):
                    outside += len(rows)
        with open(os.path.join(root, "data", name), "w",
                  encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        counts[name] = (len(lines) - 1, outside)
    return counts


def run(root, *args):
    env = dict(os.environ, KPI_PLUGIN_PATH=PLUGINS)
    return subprocess.run([KPIRUN, *args, "conf.ini"], cwd=root, env=env,
                          capture_output=True, text=True)


def reports(root):
    r = run(root, "-v", "-o", "r.txt", "-o", "r.json", "-o", "r.csv")
    check(r.returncode in (0, 1), "%s: exit %d: %s" % (root, r.returncode,
                                                       r.stderr))
    out = {}
    for ext in ("txt", "json", "csv"):
        with open(os.path.join(root, "r." + ext), encoding="utf-8") as f:
            out[ext] = f.read()
    return out, r.stderr


def expect_counts(stderr, counts, label):
    for name, (rows, outside) in counts.items():
        want = ("data/%s: %d of %d rows outside the run's months "
                "(%d-%02d..%d-%02d), not aggregated"
                % ((name, outside, rows) + WINDOW[0] + WINDOW[1]))
        check(want in stderr, "%s: expected '%s' in:\n%s" % (label, want,
                                                             stderr))
        check(stderr.count("data/%s: " % name) == 1,
              "%s: %s reported once" % (label, name))


def main():
    tmp = tempfile.mkdtemp(prefix="kpi_window_")
    try:
        two, ten = os.path.join(tmp, "two"), os.path.join(tmp, "ten")
        os.mkdir(two)
        os.mkdir(ten)
        c2 = write_set(two, [TWO])
        c10 = write_set(ten, [BEFORE, TWO, AFTER])
        # by hand: "two" is 36 months, 2009-01 and the 4 after the period
        # outside (5 x 30 calls); "ten" 123 months, of which the window's
        # 31 (2009-02..2011-08) inside: 92 outside
        check(c2["calls.csv"] == (1080, 150), "two: %r" % (c2,))
        check(c10["calls.csv"] == (3690, 2760), "ten: %r" % (c10,))
        check(c10["payroll.csv"] == (123, 92), "ten: %r" % (c10,))
        r2, e2 = reports(two)
        r10, e10 = reports(ten)
        for ext in ("txt", "json", "csv"):
            check(r2[ext] == r10[ext], "the %s reports differ" % ext)
        doc = json.loads(r10["json"])
        text = json.dumps(doc, ensure_ascii=False)
        check("switchboard.answered_share" in text and
              "payroll.payslips_per_admin" in text and
              "hr.sick_leave" in text, "the json report lacks the areas")
        expect_counts(e2, c2, "two")
        expect_counts(e10, c10, "ten")

        # a bad number in 2003: payslips of 2003-05 (line 1 + 12 + 5 = 18,
        # column 9 after "2003-05,")
        bad = os.path.join(tmp, "bad")
        os.mkdir(bad)
        write_set(bad, [BEFORE, TWO], ("payroll.csv", (2003, 5), 1, "12x0"))
        r = run(bad, "-o", "r.txt")
        check(r.returncode == 3, "bad: exit %d" % r.returncode)
        check(re.search(r"data/payroll\.csv:18:9: expected a number\b.*"
                        r"found '12x0'", r.stderr) is not None,
              "bad: stderr %s" % r.stderr)
        check(not os.path.exists(os.path.join(bad, "r.txt")),
              "bad: a report was written")
    finally:
        shutil.rmtree(tmp)
    if FAILED:
        sys.exit(1)
    print("window_test: ok")


main()
