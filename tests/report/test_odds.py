#!/usr/bin/env python3
"""test_odds.py - the shipped report's chance of meeting a target,
checked against a simulation written here from the export itself.

The payroll area's "payslips per administrator" is a ratio of two
monthly series in data/2011/payroll.csv (payslips over administrator
FTE), January 2010 to April 2011, with the controller's forecast 870 for
2011 (conf/2011.ini).  docs/evaluation.md section 10 gives the model;
this test does not use kpirun's arithmetic: it reads the CSV, draws the
eight months still to come 200 000 times (a fixed seed) around what the
forecast leaves for them, and takes the exact ratio of each simulated
year, not the linearised one kpirun uses.  The share of years meeting
the target and the 10th and 90th percentiles must agree with the
report's chance (within 1 percentage point) and interval (within a
tenth of its width).

It does so for the shipped target (900: hardly any chance) and for
targets close to the forecast, where the chance is far from 0 or 1 and
the check has teeth; those runs use a copy of conf/2011.ini with the
target changed.
"""
import csv
import math
import os
import random
import sys
import tempfile

import kpireport as K

ID = "payroll.payslips_per_admin"
FORECAST = 870.0
DRAWS = 200_000
SEED = 0x2011


def series(env):
    """(payslips, fte) by (year, month) from the export."""
    out = {}
    with open(env.path("data/2011/payroll.csv"), newline="") as f:
        for row in csv.DictReader(f):
            y, m = map(int, row["month"].split("-"))
            out[(y, m)] = (float(row["payslips"]),
                           float(row["administrator_fte"]))
    return out


def simulate(data):
    """The simulated year-end ratios, sorted."""
    prev = [data[(2010, m)] for m in range(1, 13)]
    so_far = [data[(2011, m)] for m in range(1, 5)]
    # last year's profile of each series (complete, positive)
    w = [[p[k] / sum(q[k] for q in prev) for p in prev] for k in (0, 1)]
    xs = [sum(s[k] for s in so_far) for k in (0, 1)]
    ws = [sum(w[k][:4]) for k in (0, 1)]
    # the deviations of January-April from the profile scaled to them
    e = [[so_far[m][k] / (xs[k] * w[k][m] / ws[k]) - 1 for m in range(4)]
         for k in (0, 1)]
    dof = 4 - 1
    var_n = sum(x * x for x in e[0]) / dof
    var_d = sum(x * x for x in e[1]) / dof
    cov = sum(a * b for a, b in zip(e[0], e[1])) / dof
    sd_n, sd_d = math.sqrt(var_n), math.sqrt(var_d)
    rho = cov / (sd_n * sd_d)
    # the year the forecast stands for: the denominator by its profile,
    # the numerator the forecast times it; the rest spread by profile
    total_d = xs[1] / ws[1]
    total_n = FORECAST * total_d
    rest = range(4, 12)
    wr = [sum(w[k][m] for m in rest) for k in (0, 1)]
    mu_n = [(total_n - xs[0]) * w[0][m] / wr[0] for m in rest]
    mu_d = [(total_d - xs[1]) * w[1][m] / wr[1] for m in rest]

    rng = random.Random(SEED)
    years = []
    for _ in range(DRAWS):
        n, d = xs[0], xs[1]
        for a, b in zip(mu_n, mu_d):
            z1, z2 = rng.gauss(0, 1), rng.gauss(0, 1)
            n += a * (1 + sd_n * z1)
            d += b * (1 + sd_d * (rho * z1 + math.sqrt(1 - rho * rho) * z2))
        years.append(n / d)
    years.sort()
    return years


def indicator(env, cfg):
    doc = K.read_json(env.run("--format", "json", cfg)[0])
    return next(i for _, i in K.json_indicators(doc) if i["id"] == ID)


def check(tag, ind, years, target):
    ch = ind["chance"]
    if not K.check(ch["probability"] is not None and ch["interval"],
                   "%s: no chance or interval: %r" % (tag, ch)):
        return
    sim = sum(1 for y in years if y >= target) / len(years)
    lo = years[int(0.10 * len(years))]
    hi = years[int(0.90 * len(years))]
    got = ch["probability"]
    K.check(abs(got - sim) <= 0.01, "%s: chance %.4f, simulated %.4f"
            % (tag, got, sim))
    iv = ch["interval"]
    width = hi - lo
    K.check(abs(iv["low"] - lo) <= width / 10 and
            abs(iv["high"] - hi) <= width / 10,
            "%s: interval %.3f..%.3f, simulated %.3f..%.3f"
            % (tag, iv["low"], iv["high"], lo, hi))
    print("%s: chance %.4f (simulated %.4f), interval %.2f..%.2f "
          "(simulated %.2f..%.2f)" % (tag, got, sim, iv["low"], iv["high"],
                                      lo, hi))


def main():
    env = K.Env(sys.argv)
    years = simulate(series(env))
    conf = env.path("conf/2011.ini")

    ind = indicator(env, conf)
    K.check(ind["forecast"] == FORECAST and ind["target"]["value"] == 900,
            "conf/2011.ini: forecast %r target %r" % (ind["forecast"],
                                                      ind["target"]))
    check("conf/2011.ini, target 900", ind, years, 900)

    # the same config with the target moved next to the forecast
    with open(conf, encoding="utf-8") as f:
        text = f.read()
    data_dir = env.path("data/2011")
    text = text.replace("data_dir = ../data/2011", "data_dir = " + data_dir)
    head = "[indicator %s]\ntarget = 900\n" % ID
    K.check(head in text and "data_dir = " + data_dir in text,
            "conf/2011.ini no longer has the lines this test edits")
    with tempfile.TemporaryDirectory() as tmp:
        for target in (869, 870.5, 871, 872):
            cfg = os.path.join(tmp, "odds.ini")
            with open(cfg, "w", encoding="utf-8") as f:
                f.write(text.replace(head, "[indicator %s]\ntarget = %s\n"
                                     % (ID, str(target).replace(".", ","))))
            check("target %s" % target, indicator(env, cfg), years, target)
    K.done("test_odds")


if __name__ == "__main__":
    main()
