#!/usr/bin/env python3
"""test_abi.py - plugins built against released headers still work.

fx_abi10.so, fx_abi11.so and fx_abi12.so (tests/fixtures/fx_abi.c) are one
source built against the frozen 1.0, 1.1 and 1.2 headers of
tests/fixtures/abi/ (the 1.2 one reads its config numbers with the host's
config_number, so its outcome may be written "2,5").  Both read
tests/data/abi/abi.csv; this test reads the same export itself and checks
that what each plugin emitted arrives intact in kpirun's JSON report (sv
and en): the monthly numerators and denominators, the sum and ratio over
T2 2011, the stated outcome and forecast, the table (the 1.0 plugin has no
English cells: its Swedish ones are shown), and that --list-plugins names
each plugin's ABI.

usage: test_abi.py KPIRUN SOURCE_DIR FIXTURE_PLUGIN_DIR
"""
import csv
import json
import os
import subprocess
import sys

kpirun, src, fixtures = sys.argv[1:4]
data = os.path.join(src, "tests", "data", "abi")
env = dict(os.environ, KPI_PLUGIN_PATH=fixtures)
failures = []


def check(what, got, want):
    if got != want:
        failures.append("%s: got %r, want %r" % (what, got, want))


def close(what, got, want):
    if got is None or abs(got - want) > 1e-9 * max(1.0, abs(want)):
        failures.append("%s: got %r, want %r" % (what, got, want))


# The export as this test reads it: month -> (visits, answered, calls).
rows = {}
with open(os.path.join(data, "abi.csv"), newline="") as f:
    for r in csv.DictReader(f, delimiter=";"):
        y, m = map(int, r["month"].split("-"))
        rows[(y, m)] = (int(r["visits"].replace(" ", "")),
                        int(r["answered"]), int(r["calls"]))
t2 = [(2011, m) for m in range(1, 9)]
want_visits = sum(rows[k][0] for k in t2)
want_share = 100.0 * sum(rows[k][1] for k in t2) / sum(rows[k][2] for k in t2)
want_total = sum(v[0] for v in rows.values())


def indicators(report):
    out = {}

    def walk(goals):
        for g in goals:
            for i in g.get("indicators", []):
                out[i["id"]] = i
            walk(g.get("goals", []))
    walk(report["goals"])
    return out


for lang in ("sv", "en"):
    p = subprocess.run([kpirun, "--format", "json", "--lang", lang,
                        os.path.join(data, "abi.ini")], env=env,
                       capture_output=True, text=True)
    check("%s: exit status (stderr %s)" % (lang, p.stderr), p.returncode, 0)
    if p.returncode != 0:
        continue
    rep = json.loads(p.stdout)
    ind = indicators(rep)
    for area, minor in (("old10", 0), ("old11", 1), ("old12", 2)):
        what = "%s %s" % (lang, area)
        v = ind.get(area + ".visits")
        s = ind.get(area + ".answered_share")
        r = ind.get(area + ".result")
        if not (v and s and r):
            failures.append("%s: indicators missing" % what)
            continue
        close(what + " visits", v["outcome"], want_visits)
        close(what + " answered share", s["outcome"], want_share)
        months = {(mo["year"], mo["month"]): mo for mo in s["months"]}
        check(what + " months", sorted(months), sorted(rows))
        for k, (vis, ans, calls) in rows.items():
            mo = months.get(k)
            if mo:
                check("%s %d-%02d num" % (what, *k), mo["numerator"], ans)
                check("%s %d-%02d den" % (what, *k), mo["denominator"], calls)
        close(what + " result outcome", r["outcome"], 2.5)
        close(what + " result forecast", r["forecast"], -1.25)
        check(what + " result forecast method", r["forecast_method"],
              "stated")
        tab = [t for t in rep["tables"] if t["area"] == area]
        check(what + " tables", len(tab), 1)
        if tab:
            label = "All" if (lang == "en" and minor >= 1) else "Alla"
            check(what + " table row", tab[0]["rows"], [[label, want_total]])

p = subprocess.run([kpirun, "--list-plugins"], env=env, capture_output=True,
                   text=True)
# blocks of "  NAME.so" followed by "    key: value" lines
listed, cur = {}, None
for line in p.stdout.splitlines():
    if line.startswith("  ") and not line.startswith("    "):
        cur = listed.setdefault(line.strip(), {})
    elif cur is not None and ":" in line:
        k, _, val = line.strip().partition(":")
        cur[k] = val.strip()
for name, abi in (("fx_abi10", "1.0"), ("fx_abi11", "1.1"),
                  ("fx_abi12", "1.2")):
    check(name + " ABI in --list-plugins",
          listed.get(name + ".so", {}).get("abi"), abi)

for f in failures:
    print("FAIL:", f)
print("abi: %d failures (%d visits, %.6f %% answered in T2 2011)"
      % (len(failures), want_visits, want_share))
sys.exit(1 if failures else 0)
