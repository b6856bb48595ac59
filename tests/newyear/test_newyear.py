#!/usr/bin/env python3
"""test_newyear.py - kpirun --new-year on conf/2011.ini, then the new
config run on 2012 exports.

usage: test_newyear.py KPIRUN SOURCE_DIR PLUGIN_DIR

The 2012 exports are made here from data/2011 with every year moved on by
one, except invoicing.csv, written below so that January-August 2012 gives

  supplier invoices per administrator  790 560 / (8 * 36.0) = 2 745
  customer invoices per administrator  258 000 / (8 * 7.5)  = 4 300

Against the target 3 000 (higher is better, tolerance 10 %: partially met
from 2 700) the outcome 2 745 is "partially met".  conf/2011.ini's manual
forecast 3 000 would make it "met": it must not reach the 2012 run.

The lines --new-year drops from conf/2011.ini, counted by hand: 15 goals'
stated (1.1 1.2 1.3 1.7 2.1 2.1.valfrihet 2.4 3.1 3.2 3.2.kontaktcenter
3.2.upphandling 3.2.it 3.2.telefoni 3.2.ekonomi 3.2.lon), 23 indicators'
stated, 4 manual forecasts (870, 4300, 3000, 0,8) and the budget area's
stated.net_result_previous: 43.  Four lines change: year, data_dir and the
two titles (2011 -> 2012).
"""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILS = []

DROPPED_BY_HAND = 43
CHANGED_BY_HAND = {
    6: "year = 2012\n",
    8: "data_dir = ../data/2012\n",
    10: "title_sv = Servicenämnden – Tertialrapport 2 2012\n",
    11: "title_en = Service Committee – Four-month report 2, 2012\n",
}
SUPPLIER = "invoicing.supplier_invoices_per_admin"
# the line of its manual forecast, found in the file, not from kpirun
SUPPLIER_LINE = None
CUSTOMER = "invoicing.customer_invoices_per_admin"


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("FAIL: " + msg, file=sys.stderr)


class Kpirun:
    def __init__(self, binary, src, plugins):
        self.binary = binary
        self.src = src
        self.env = dict(os.environ, KPI_PLUGIN_PATH=plugins, LC_ALL="C")

    def run(self, *args, cwd=None):
        p = subprocess.run([self.binary] + list(args), cwd=cwd or self.src,
                           env=self.env, capture_output=True, timeout=120)
        return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def shift_years(text):
    """Every YYYY of a date or month (YYYY-MM...) one year on."""
    return re.sub(r"(?<![0-9])(20[0-9][0-9])(?=-[0-9][0-9])",
                  lambda m: str(int(m.group(1)) + 1), text)


def invoicing_2012(src):
    """data/2011's 2011 rows (last year, for the baseline), then Jan-Aug
    2012 as the docstring works out."""
    with open(os.path.join(src, "data/2011/invoicing.csv"),
              encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = [lines[0]] + [l for l in lines[1:] if l.startswith("2011-")]
    supplier = [104000, 96000, 103000, 99000, 101000, 100000, 88000, 99560]
    customer = [34000, 31000, 33000, 32000, 33000, 32000, 30000, 33000]
    assert sum(supplier) == 790560 and sum(customer) == 258000
    for m in range(8):
        out.append("2012-%02d,%d,7.5,%d,36.0,%d" %
                   (m + 1, customer[m], supplier[m], supplier[m] // 2))
    return "\n".join(out) + "\n"


def make_2012_data(src, dest):
    os.makedirs(dest)
    srcdir = os.path.join(src, "data/2011")
    for name in os.listdir(srcdir):
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(srcdir, name), encoding="utf-8") as f:
            text = f.read()
        if name == "invoicing.csv":
            text = invoicing_2012(src)
        elif name == "survey.csv":
            text = re.sub(r"(?m)^(20[0-9][0-9]),",
                          lambda m: "%d," % (int(m.group(1)) + 1), text)
        else:
            text = shift_years(text)
        with open(os.path.join(dest, name), "w", encoding="utf-8") as f:
            f.write(text)


def indicators(doc):
    """Every indicator of a JSON report, by id, and every goal."""
    inds, goals = {}, []

    def walk(gs):
        for g in gs:
            goals.append(g)
            for i in g["indicators"]:
                inds[i["id"]] = i
            walk(g["goals"])
    walk(doc["goals"])
    for i in doc["other_indicators"]["indicators"]:
        inds[i["id"]] = i
    return inds, goals


def independent_drops(lines):
    """The lines --new-year should drop, found by a second method: a key
    'stated', 'stated.<figure>', 'baseline', 'period_label', or 'forecast'
    with a number, in the sections where they are figures (conf/2011.ini
    has no continuation lines)."""
    drops, section = set(), ""
    for n, line in enumerate(lines, 1):
        s = line.strip()
        if s.startswith("["):
            section = s
            continue
        m = re.match(r"([A-Za-z0-9_.]+)\s*=\s*(.*)$", s)
        if not m:
            continue
        key, value = m.group(1), m.group(2)
        if section.startswith("[area ") and key.startswith("stated."):
            drops.add(n)
        elif section.startswith(("[goal ", "[indicator ")) and key == "stated":
            drops.add(n)
        elif section.startswith("[indicator ") and (
                key in ("baseline", "period_label") or
                (key == "forecast" and re.match(r"[0-9]", value))):
            drops.add(n)
    return drops


def check_diff(old, new):
    """new is old with exactly the expected lines dropped or changed."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    dropped, changed = set(), {}
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            dropped.update(range(i1 + 1, i2 + 1))
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                changed[i1 + k + 1] = b[j1 + k]
        else:
            check(False, "unexpected change %s old %d-%d new %d-%d" %
                  (tag, i1 + 1, i2, j1 + 1, j2))
    check(len(dropped) == DROPPED_BY_HAND,
          "%d lines dropped, expected %d" % (len(dropped), DROPPED_BY_HAND))
    check(dropped == independent_drops(a),
          "dropped lines differ from the second method: %s" %
          sorted(dropped ^ independent_drops(a)))
    check(changed == CHANGED_BY_HAND, "changed lines: %r" % changed)
    check(len(b) == len(a) - DROPPED_BY_HAND, "line count %d" % len(b))


def main():
    k = Kpirun(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]),
               os.path.abspath(sys.argv[3]))
    src = k.src
    tmp = tempfile.mkdtemp(prefix="kpi_newyear_")
    try:
        run_tests(k, src, tmp)
    finally:
        shutil.rmtree(tmp)
    if FAILS:
        print("%d checks failed" % len(FAILS), file=sys.stderr)
        return 1
    print("test_newyear: all checks passed")
    return 0


def run_tests(k, src, tmp):
    conf = os.path.join(tmp, "conf")
    os.makedirs(conf)
    make_2012_data(src, os.path.join(tmp, "data/2012"))
    with open(os.path.join(src, "conf/2011.ini"), encoding="utf-8") as f:
        old = f.read()
    global SUPPLIER_LINE
    lines = old.split("\n")
    sec = lines.index("[indicator %s]" % SUPPLIER)
    SUPPLIER_LINE = lines.index("forecast = 3000", sec) + 1
    new_path = os.path.join(conf, "2012.ini")

    # --new-year, to a file and to standard output: the same bytes
    st, out, err = k.run("--new-year", "conf/2011.ini", "-o", new_path)
    check(st == 0 and out == b"" and err == "",
          "--new-year: status %d, stderr %s" % (st, err))
    with open(new_path, "rb") as f:
        new_bytes = f.read()
    new = new_bytes.decode("utf-8")
    check_diff(old, new)
    st, out, err = k.run("--new-year", "conf/2011.ini", "-o", "-")
    check(st == 0 and out == new_bytes, "-o - differs from the file")
    st, out, err = k.run("--new-year", "conf/2011.ini")
    check(st == 0 and out == new_bytes, "no -o: not standard output")
    st, out, err = k.run("-v", "--new-year", "conf/2011.ini", "-o", "-")
    check("conf/2011.ini:%d: dropped [indicator %s] forecast, written for "
          "T2 2011" % (SUPPLIER_LINE, SUPPLIER) in err,
          "-v notes: %s" % err[:300])

    # the new config loads and checks, and lists no figure
    st, out, err = k.run("--check", new_path)
    check(st == 0, "--check of next year's config: %d %s" % (st, err))
    check(out == b"" and "figures written for a period" not in err,
          "figures left: %s" % err[:300])

    # run on 2012 data: assessed from 2012 only
    st, out, err = k.run("-f", "json", new_path)
    check(st == 0, "2012 run: %d %s" % (st, err))
    doc = json.loads(out)
    check(doc["year"] == 2012 and doc["period_month"] == 8,
          "year %s period %s" % (doc["year"], doc["period_month"]))
    inds, goals = indicators(doc)
    sup, cus = inds[SUPPLIER], inds[CUSTOMER]
    check(abs(sup["outcome"] - 2745) < 1e-9, "outcome %r" % sup["outcome"])
    check(sup["forecast"] is None, "forecast %r" % sup["forecast"])
    check(sup["assessment"] == "partial", "assessment %r" % sup["assessment"])
    check(abs(cus["outcome"] - 4300) < 1e-9 and cus["assessment"] == "met",
          "customer %r %r" % (cus["outcome"], cus["assessment"]))
    check(sup["period"] == "Tertial 2 2012", "period %r" % sup["period"])
    check(all(i["stated"] is None for i in inds.values()),
          "a stated assessment left in 2012")
    check(all(g["stated"] is None for g in goals), "a goal's stated left")
    check(not any(i["forecast_method"] == "manual" for i in inds.values()),
          "a manual forecast left in 2012")

    # the problem seen: a config copied by hand, year changed, figures left
    # bare; then the same with the forecast's period written
    hand = old.replace("year = 2011", "year = 2012").replace(
        "data_dir = ../data/2011", "data_dir = ../data/2012")
    hand_path = os.path.join(conf, "hand.ini")
    with open(hand_path, "w", encoding="utf-8") as f:
        f.write(hand)
    st, out, err = k.run("-f", "json", hand_path)
    inds, _ = indicators(json.loads(out))
    check(st == 0 and inds[SUPPLIER]["assessment"] == "met" and
          inds[SUPPLIER]["forecast"] == 3000,
          "bare forecast in a hand-made 2012 config: %r" %
          inds[SUPPLIER]["assessment"])
    with open(hand_path, "w", encoding="utf-8") as f:
        f.write(hand.replace("forecast = 3000\n", "forecast = 3000 @ 2011-T2\n"))
    st, out, err = k.run("-f", "json", hand_path)
    inds, _ = indicators(json.loads(out))
    check(st == 0 and inds[SUPPLIER]["assessment"] == "partial" and
          inds[SUPPLIER]["forecast"] is None,
          "forecast @ 2011-T2 used in 2012: %r" % inds[SUPPLIER])
    check("%s:%d: warning: [indicator %s] forecast: forecast written for "
          "T2 2011, not used in T2 2012" % (hand_path, SUPPLIER_LINE,
                                            SUPPLIER) in err,
          "warning: %s" % err[:400])

    # --period T3 on conf/2011.ini: its T2 figures are not used, with a
    # warning naming the line; the assessment is computed from the data
    st, out, err = k.run("-f", "json", "--period", "T3", "conf/2011.ini")
    check(st == 0, "--period T3: %d" % st)
    check("conf/2011.ini:%d: warning: [indicator %s] forecast: forecast "
          "written for T2 2011, not used in year 2011" % (SUPPLIER_LINE,
                                                          SUPPLIER) in err,
          "T3 warning: %s" % err[:400])
    check(err.count("not used in year 2011") == DROPPED_BY_HAND,
          "T3 warnings: %d" % err.count("not used in year 2011"))
    inds, goals = indicators(json.loads(out))
    check(inds[SUPPLIER]["forecast"] is None and
          inds[SUPPLIER]["stated"] is None, "T3 used T2's figures")

    # --check lists every figure with its period
    st, out, err = k.run("--check", "conf/2011.ini")
    listed = [l for l in err.splitlines() if l.startswith("  ")]
    check(st == 0 and len(listed) == DROPPED_BY_HAND,
          "--check listed %d figures" % len(listed))
    check("  conf/2011.ini:%d: [indicator %s] forecast: forecast, written "
          "for T2 2011 (the config's period): used" % (SUPPLIER_LINE,
                                                       SUPPLIER) in listed,
          "--check list: %s" % listed[:3])

    # CRLF: kept on every line, the same lines dropped
    crlf_path = os.path.join(conf, "crlf.ini")
    with open(crlf_path, "wb") as f:
        f.write(old.replace("\n", "\r\n").encode("utf-8"))
    st, out, err = k.run("--new-year", crlf_path)
    check(st == 0 and out == new_bytes.replace(b"\n", b"\r\n"),
          "CRLF: %d %s" % (st, err))

    # a missing year key, an unreadable file, a directory: status 2, no
    # file written
    noyear = os.path.join(conf, "noyear.ini")
    with open(noyear, "w", encoding="utf-8") as f:
        f.write(old.replace("year = 2011\n", ""))
    dest = os.path.join(tmp, "never.ini")
    st, out, err = k.run("--new-year", noyear, "-o", dest)
    check(st == 2 and "noyear.ini:5: [kpirun] missing required key 'year'"
          in err, "missing year: %d %s" % (st, err))
    check(not os.path.exists(dest), "missing year: a file was written")
    st, out, err = k.run("--new-year", os.path.join(tmp, "absent.ini"),
                         "-o", dest)
    check(st == 2 and "absent.ini: cannot open: No such file or directory"
          in err, "absent: %d %s" % (st, err))
    st, out, err = k.run("--new-year", conf, "-o", dest)
    check(st == 2 and "not a regular file" in err, "dir: %d %s" % (st, err))
    check(not os.path.exists(dest), "a file was written for a bad config")

    # never over its input; a full disk is an output error
    st, out, err = k.run("--new-year", new_path, "-o", new_path)
    with open(new_path, "rb") as f:
        check(f.read() == new_bytes, "the input was changed")
    check(st == 2 and "refusing to write next year's config over" in err,
          "over the input: %d %s" % (st, err))
    st, out, err = k.run("--new-year", "conf/2011.ini", "-o", "/dev/full")
    check(st == 5, "/dev/full: %d %s" % (st, err))

    # options of a report run do not go with --new-year
    for extra in (["--check"], ["-p", "T1"], ["-o", "a.ini", "-o", "b.ini"],
                  ["--list-plugins"]):
        st, out, err = k.run("--new-year", *extra, "conf/2011.ini")
        check(st == 2 and "--new-year" in err, "%s: %d %s" % (extra, st, err))

    # next year's config of next year's config: 2013, nothing more dropped
    want = new.splitlines(keepends=True)
    for n in CHANGED_BY_HAND:
        want[n - 1] = want[n - 1].replace("2012", "2013")
    st, out, err = k.run("--new-year", new_path)
    check(st == 0 and out.decode() == "".join(want),
          "2013: %d %s" % (st, err))


if __name__ == "__main__":
    sys.exit(main())
