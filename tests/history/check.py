#!/usr/bin/env python3
"""check.py - reads a results history back with Python's own sqlite3 module
and compares it with the JSON report of the same run (history_test.sh).

usage: check.py roundtrip HISTORY REPORT.json CONFIG PERIOD FROM TO
       check.py value HISTORY YEAR PERIOD INDICATOR COLUMN
       check.py report REPORT.json INDICATOR FIELD

roundtrip: every indicator of the report has one row in the history's run
of that period whose outcome, forecast, method, baseline, targets and
assessment equal the report's, and whose months equal the report's; the
run row names the period, and its config_hash is the 64-bit FNV-1a of the
config's bytes, computed here independently.
value: prints one column of one result row ('NULL' for none).
report: prints one field of one indicator of a JSON report (a dotted path
into it, e.g. no_outcome.key).
"""
import datetime
import json
import re
import sqlite3
import sys


def indicators(report):
    def walk(goal):
        yield from goal["indicators"]
        for child in goal["goals"]:
            yield from walk(child)
    for goal in report["goals"]:
        yield from walk(goal)
    yield from report["other_indicators"]["indicators"]


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def fail(msg):
    print("check.py: " + msg, file=sys.stderr)
    sys.exit(1)


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def roundtrip(db, report_path, config, period, pfrom, pto):
    rep = json.load(open(report_path, encoding="utf-8"))
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    if con.execute("PRAGMA user_version").fetchone()[0] != 2:
        fail("user_version is not 2")
    runs = con.execute("SELECT id, year, period, period_from, period_to, "
                       "period_kind, period_label, config_hash, ran_at "
                       "FROM run WHERE period = ?", (period,)).fetchall()
    if len(runs) != 1:
        fail("%d runs of period %s, expected 1" % (len(runs), period))
    rid, year, _, f, t, _, label, chash, ran_at = runs[0]
    if (year, f, t) != (rep["year"], pfrom, pto):
        fail("run row %r, expected %r" % ((year, f, t),
                                          (rep["year"], pfrom, pto)))
    if label != rep["period"]["label"]:
        fail("period_label %r, report %r" % (label, rep["period"]["label"]))
    want = fnv1a64(open(config, "rb").read())
    if chash != want:
        fail("config_hash %s, FNV-1a of the config is %s" % (chash, want))
    when = datetime.datetime.strptime(ran_at, "%Y-%m-%dT%H:%M:%SZ")
    if abs((datetime.datetime.utcnow() - when).total_seconds()) > 3600:
        fail("ran_at %s is not now" % ran_at)
    n = 0
    for ind in indicators(rep):
        n += 1
        row = con.execute(
            "SELECT outcome, forecast, forecast_method, baseline, "
            "target_kind, target_value, target_width, council_kind, "
            "assessment, outcome_why, unit FROM result WHERE run_id = ? AND "
            "indicator = ?", (rid, ind["id"])).fetchone()
        if row is None:
            fail("no row for %s" % ind["id"])
        outcome, forecast, method, baseline, tk, tv, tw, ck, ass, why, \
            unit = row
        tgt = ind["target"]
        checks = [
            ("outcome", same(outcome, ind["outcome"])),
            ("forecast", same(forecast, ind["forecast"])),
            ("forecast_method", method == ind["forecast_method"]),
            ("baseline", same(baseline, ind["baseline"])),
            ("target_kind", tk == tgt["kind"]),
            ("target_value", same(tv, tgt.get("value", tgt.get("centre")))),
            ("target_width", same(tw, tgt.get("width"))),
            ("council_kind", ck == ind["council_target"]["kind"]),
            ("assessment", ass == ind["assessment"]),
            ("outcome_why", why == (ind["no_outcome"] or {}).get("key")),
        ]
        for name, ok in checks:
            if not ok:
                fail("%s: %s differs from the report (%r)"
                     % (ind["id"], name, row))
        months = sorted(con.execute(
            "SELECT year, month, num, den FROM month WHERE run_id = ? AND "
            "indicator = ?", (rid, ind["id"])).fetchall())
        want = sorted((m["year"], m["month"], m["numerator"],
                       m["denominator"]) for m in ind["months"])
        if months != want:
            fail("%s: months %r, report %r" % (ind["id"], months, want))
    count = con.execute("SELECT count(*) FROM result WHERE run_id = ?",
                        (rid,)).fetchone()[0]
    if count != n:
        fail("%d result rows, the report has %d indicators" % (count, n))
    print("roundtrip: %d indicators, run %s %s..%s" % (n, period, pfrom, pto))


def value(db, year, period, indicator, column):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    row = con.execute(
        "SELECT r.%s FROM result r JOIN run u ON u.id = r.run_id WHERE "
        "u.year = ? AND u.period = ? AND r.indicator = ?"
        % re.sub(r"\W", "", column), (int(year), period, indicator)).fetchone()
    print("NULL" if row is None or row[0] is None else row[0])


def report(path, indicator, field):
    rep = json.load(open(path, encoding="utf-8"))
    for ind in indicators(rep):
        if ind["id"] == indicator:
            v = ind
            for part in field.split("."):
                v = v[part] if v is not None else None
            print("null" if v is None else v)
            return
    fail("no indicator %s in %s" % (indicator, path))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"roundtrip": roundtrip, "value": value, "report": report}[cmd](*args)
