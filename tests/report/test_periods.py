#!/usr/bin/env python3
"""test_periods.py - every kind of period and last year's column, end to end.

The exports in tests/data/e2e/periods/ are small and written by hand; each
figure below is worked out from them in the comment beside it, not taken
from kpirun.  Each run is written as text, JSON and CSV and read back (the
text tables by their columns, JSON with json, CSV with csv): the outcome,
last year's figure, the forecast, the Period column and the assessment
must sit in the indicator's row, and the run's period must carry its
label.

The exports:
- monthly-2011.csv: visits 100 + m in month m of 2010, 200 + 10 m in 2011;
  share 1 / m in 2010 (numerator 1, denominator m), m / 20 in 2011;
  complaints 2 a month in 2010, 12 - m in 2011.
- monthly-2012.csv: the same 2011, and January-April 2012: visits 400 + m,
  share 3 / 10, complaints 1.
- calls.csv: February 2010 one answered call (wait 10 s, talk 100 s) and
  one abandoned; February 2011 answered after 20, 25 and 30 s (talk 90,
  30, 120 s) and one abandoned; calls in January and March 2011 around.
- cases.csv: September 2010 two phone cases (elderly care resolved, wait
  30 s; preschool unresolved, 90 s); September 2011 phone elderly care
  resolved 60 s, phone preschool unresolved 61 s, e-mail preschool
  resolved, a visit elderly care resolved; 31 August and 1 October 2011
  around.  Prices from 2011-09-01: elderly care 98 kr, preschool 80 kr
  (before: 108 and 90).
- invoicing-2012.csv: January-March 2011 and 2012, April 2011 and an
  April 2012 of 9 999 that lies outside Q1.
Tolerance is the run's default, 10 % of the reference.
"""
import sys

import kpireport as K
from test_parity import cells_of, rows_by_name, text_tables

D = "tests/data/e2e/periods/"
NDASH = "\u2013"

# (config, --period or None) -> (period label, period kind, rows), rows:
# id -> (outcome, last year's cell, forecast, Period column, assessment
# key).  "–" is an empty cell.
RUNS = {
    (D + "periods-2011.ini", None): ("Halvår 2 2011", "half", {
        # jul-dec 2011: 6 * 200 + 10 * (7 + ... + 12 = 57) = 1 770; a year
        # earlier 6 * 100 + 57 = 657; forecast Jan-Dec 2011 = 2 400 + 780
        # = 3 180 (12 months of 12); 3 180 > 657: met
        "m.visits": ("1 770 st", "657 st", "3 180 st", "Halvår 2 2011",
                     "met"),
        # 57 / 120 = 47,5 %; the whole of 2010: 12 / 78 = 15,4 %: met
        "m.share": ("47,5 %", "15,4 % (2010)", "–", "Halvår 2 2011", "met"),
        # 5 + 4 + 3 + 2 + 1 + 0 = 15 against 12 (+ 10 % = 13,2): not met
        "m.complaints": ("15 st", "12 st", "–", "Halvår 2 2011", "not_met"),
    }),
    (D + "periods-2011.ini", "2011-09..2011-09"): ("sep 2011", "range", {
        # September alone: 290 against 109; forecast Jan-Sep 2011 = 1 800 +
        # 450 = 2 250, * 12 / 9 = 3 000
        "m.visits": ("290 st", "109 st", "3 000 st", "sep 2011", "met"),
        "m.share": ("45,0 %", "15,4 % (2010)", "–", "sep 2011", "met"),
        "m.complaints": ("3 st", "2 st", "–", "sep 2011", "not_met"),
        # the case log's September: phone 2, e-mail 1, visit 1; resolved
        # 3 of 4 = 75 %; phone within 60 s 1 of 2 = 50 %; the new prices
        # 98 + 80 + 80 + 98 = 356 kr; September 2010: 2 phone cases, 1 of 2
        # resolved = 50 %, 1 of 2 within 60 s, 108 + 90 = 198 kr
        "cc.cases_phone": ("2 st", "2 st", "–", "sep 2011", "not_assessed"),
        "cc.cases_email": ("1 st", "0 st", "–", "sep 2011", "not_assessed"),
        "cc.visits": ("1 st", "0 st", "–", "sep 2011", "not_assessed"),
        "cc.first_contact_resolution": ("75 %", "50 %", "–", "sep 2011",
                                        "not_assessed"),
        "cc.answered_60s": ("50 %", "50 %", "–", "sep 2011",
                            "not_assessed"),
        "cc.variable_revenue": ("356 kr", "198 kr", "–", "sep 2011",
                                "not_assessed"),
        # no calls in September
        "log.answered": ("–", "–", "–", "2011", "not_assessed"),
    }),
    (D + "periods-2011.ini", "2011-02..2011-02"): ("feb 2011", "range", {
        # the call log's February 2011: 3 answered of 4 offered = 75,0 %;
        # within 25 s: 20 and 25 of 3 = 66,7 %; talk (90 + 30 + 120) / 3 =
        # 80 s; February 2010: 1 answered of 2 = 50,0 %, 1 of 1 within,
        # 100 s
        "log.answered": ("3 st", "1 st", "–", "feb 2011", "not_assessed"),
        "log.answered_share": ("75,0 %", "50,0 %", "–", "feb 2011",
                               "not_assessed"),
        "log.service_level": ("66,7 %", "100,0 %", "–", "feb 2011",
                              "not_assessed"),
        "log.avg_talk_s": ("80 s", "100 s", "–", "feb 2011",
                           "not_assessed"),
        # 220 against 102; forecast (210 + 220) * 12 / 2 = 2 580
        "m.visits": ("220 st", "102 st", "2 580 st", "feb 2011", "met"),
        # 2 / 20 = 10,0 % against 15,4 % - 1,54: not met
        "m.share": ("10,0 %", "15,4 % (2010)", "–", "feb 2011", "not_met"),
        "cc.cases_phone": ("–", "–", "–", "2011", "not_assessed"),
    }),
    (D + "periods-2011.ini", "2010-11..2011-02"): (
        "nov 2010" + NDASH + "feb 2011", "range", {
            # 111 + 112 + 210 + 220 = 653; a year earlier nov 2009-feb
            # 2010 has data only in January and February 2010: 101 + 102
            # = 203; forecast of 2011 from its January and February: 430
            # * 12 / 2 = 2 580
            "m.visits": ("653 st", "203 st", "2 580 st",
                         "nov 2010" + NDASH + "feb 2011", "met"),
            # (1 + 1 + 1 + 2) / (11 + 12 + 20 + 20) = 5 / 63 = 7,9 %
            "m.share": ("7,9 %", "15,4 % (2010)", "–",
                        "nov 2010" + NDASH + "feb 2011", "not_met"),
            # 2 + 2 + 11 + 10 = 25 against 2 + 2 = 4
            "m.complaints": ("25 st", "4 st", "–",
                             "nov 2010" + NDASH + "feb 2011", "not_met"),
            # January and February 2011: 2 + 3 answered of 2 + 4 offered =
            # 83,3 %
            "log.answered_share": ("83,3 %", "50,0 %", "–",
                                   "jan" + NDASH + "feb 2011",
                                   "not_assessed"),
        }),
    (D + "periods-2012.ini", None): ("Kvartal 1 2012", "quarter", {
        # 401 + 402 + 403 = 1 206 (April 2012 is outside Q1); Q1 2011: 210
        # + 220 + 230 = 660; forecast 1 206 * 12 / 3 = 4 824
        "m.visits": ("1 206 st", "660 st", "4 824 st", "Kvartal 1 2012",
                     "met"),
        # 9 / 30 = 30,0 % against the whole of 2011, 78 / 240 = 32,5 %:
        # below it, within 10 % (29,25): partially met
        "m.share": ("30,0 %", "32,5 % (2011)", "–", "Kvartal 1 2012",
                    "partial"),
        # 3 against 11 + 10 + 9 = 30: met
        "m.complaints": ("3 st", "30 st", "–", "Kvartal 1 2012", "met"),
        # (4 000 + 4 400 + 4 200) / (2 + 2 + 2,5) = 1 938; 2011: 9 600 / 6
        # = 1 600
        "inv.customer_invoices_per_admin": ("1 938", "1 600", "–",
                                            "Kvartal 1 2012",
                                            "not_assessed"),
        # 36 000 / 18 = 2 000; 28 500 / 18 = 1 583
        "inv.supplier_invoices_per_admin": ("2 000", "1 583", "–",
                                            "Kvartal 1 2012",
                                            "not_assessed"),
        # 19 140 / 36 000 = 53 %; 9 900 / 28 500 = 35 %
        "inv.supplier_e_invoice_share": ("53 %", "35 %", "–",
                                         "Kvartal 1 2012", "not_assessed"),
    }),
}

# Sub-periods "1-3, 8-9, 11-12" of m.visits clipped to each period.
SUBPERIODS = {
    None: [],
    # aug-sep 2011: 280 + 290; nov-dec 2011: 310 + 320 (January-March
    # lies outside H2)
    (D + "periods-2011.ini", None): [("aug" + NDASH + "sep 2011", "570 st"),
                                     ("nov" + NDASH + "dec 2011", "630 st")],
    (D + "periods-2011.ini", "2011-09..2011-09"): [("sep 2011", "290 st")],
    (D + "periods-2011.ini", "2011-02..2011-02"): [("feb 2011", "220 st")],
    # January-March clipped to jan-feb 2011: 210 + 220; November-December
    # falls in 2010: 111 + 112
    (D + "periods-2011.ini", "2010-11..2011-02"): [
        ("jan" + NDASH + "feb 2011", "430 st"),
        ("nov" + NDASH + "dec 2010", "223 st")],
    (D + "periods-2012.ini", None): [("Kvartal 1 2012", "1 206 st")],
}

GRADES = {"met": "uppfylls helt", "partial": "uppfylls delvis",
          "not_met": "uppfylls ej",
          # every unassessed row here has no target: it cannot be
          # assessed, which is not the same as "ej bedömd" by choice
          "not_assessed": "kan ej bedömas (inget mål)"}


def number_of(text):
    """'1 770 st' -> 1770.0, '47,5 %' -> 47.5, '15,4 % (2010)' -> 15.4;
    None for '–'."""
    head = text.split(" (")[0]
    digits = "".join(c for c in head if c.isdigit() or c in ",-")
    return float(digits.replace(",", ".")) if digits else None


def decimals_of(text):
    head = text.split(" (")[0].split(" ")
    num = "".join(p for p in head if any(c.isdigit() for c in p))
    return len(num.split(",")[1]) if "," in num else 0


def same(value, printed):
    """A raw number (JSON, CSV) rounds to the printed figure."""
    if printed == "–":
        return value is None
    return value is not None and \
        round(value, decimals_of(printed)) == number_of(printed)


def run(env, cfg, period, fmt):
    args = ["--format", fmt] + (["--period", period] if period else [])
    return env.run(*args, env.path(cfg))[0]


def check_json(tag, doc, label, kind, rows, subs):
    K.check(doc["period"]["label"] == label and doc["period_kind"] == kind,
            "%s json: period %r %r" % (tag, doc["period"], doc["period_kind"]))
    inds = {i["id"]: i for _, i in K.json_indicators(doc)}
    for ind, (outcome, last, forecast, period, grade) in rows.items():
        i = inds[ind]
        ly = i["last_year"]
        K.check(same(i["outcome"], outcome) and
                (i["outcome_text"] or "–") == outcome,
                "%s json: %s outcome %r, by hand %r"
                % (tag, ind, i["outcome_text"], outcome))
        K.check(same(ly["value"], last) and
                ly["compare"] == ("previous_year" if "(" in last
                                  else "same_period"),
                "%s json: %s last_year %r, by hand %r" % (tag, ind, ly, last))
        K.check(same(i["forecast"], forecast), "%s json: %s forecast %r"
                % (tag, ind, i["forecast"]))
        K.check(i["period"] == period and i["assessment"] == grade,
                "%s json: %s period %r assessment %r"
                % (tag, ind, i["period"], i["assessment"]))
        st = i["assessment_state"]
        want_st = (["cannot_assess", "no_target"] if grade == "not_assessed"
                   else ["assessed", None])
        K.check([st["state"], st["reason"]] == want_st,
                "%s json: %s assessment_state %r, by hand %r"
                % (tag, ind, st, want_st))
        # no baseline is configured: increase/decrease compare with last
        # year's figure
        if ly["value"] is not None:
            K.check(i["baseline"] == ly["value"] and
                    i["baseline_source"] == "last_year",
                    "%s json: %s baseline %r" % (tag, ind, i["baseline"]))
    got = [(s["label"], s["value_text"]) for s in inds["m.visits"]["subperiods"]]
    K.check(got == subs, "%s json: sub-periods %r, by hand %r"
            % (tag, got, subs))


def csv_label(w):
    """The CSV names a single month as a range of one ("sep–sep 2011")."""
    words = w.split(" ")
    if len(words) == 2 and NDASH not in w and words[0].isalpha() and \
            len(words[0]) == 3:
        return "%s%s%s %s" % (words[0], NDASH, words[0], words[1])
    return w


def check_csv(tag, data, rows, subs):
    records, _ = K.read_csv(data)
    by_id = {r["indicator"]: r for r in records if r["record"] == "indicator"}
    for ind, (outcome, last, forecast, period, grade) in rows.items():
        r = by_id[ind]
        K.check(same(K.csv_number(r["outcome"]), outcome) and
                same(K.csv_number(r["last_year"]), last) and
                same(K.csv_number(r["forecast"]), forecast) and
                r["period"] == csv_label(period) and r["assessment"] == grade,
                "%s csv: %s %r, by hand %r"
                % (tag, ind, r, (outcome, last, forecast, period, grade)))
    got = [r["period"] for r in records if r["record"] == "subperiod" and
           r["indicator"] == "m.visits"]
    want = [csv_label(s[0]) for s in subs]
    K.check(got == want, "%s csv: sub-periods %r, by hand %r"
            % (tag, got, want))


def check_text(tag, data, label, rows, names, subs):
    K.check(K.text_rows(data)[1] == "Period: " + label,
            "%s text: period line %r" % (tag, K.text_rows(data)[1]))
    tables = text_tables(data)
    by_name = rows_by_name(tables)
    for ind, (outcome, last, forecast, period, grade) in rows.items():
        cells, notes, head = by_name[names[ind]]
        want = [outcome, last, forecast, period, GRADES[grade]]
        got = cells[1:4] + cells_of(cells, head, (("Period",),
                                                  ("Bedömning",)))
        K.check(got == want, "%s text: %s %r, by hand %r"
                % (tag, ind, got, want))
    notes = by_name[names["m.visits"]][1]
    got = [n for n in notes if n.startswith("Besök, ")]
    want = ["Besök, %s: %s" % s for s in subs]
    K.check(got == want, "%s text: sub-periods %r, by hand %r"
            % (tag, got, want))


def bad_periods(env):
    """--period and the config refuse periods that do not end in the
    config's year, and overlong ranges, with exit status 2."""
    cfg = env.path(D + "periods-2011.ini")
    for period, why in (
            ("2012-01..2012-03", "it ends in 2012, not in the config's "
                                 "year 2011"),
            ("2009-01..2011-02", "it is 26 months long, limit 24"),
            ("2011-04..2011-03", "it ends before it starts"),
            ("Q5", "expected T1, T2, T3, Q1..Q4, H1, H2, year, YYYY-MM or "
                   "YYYY-MM..YYYY-MM")):
        out, err = env.run("--period", period, cfg, status=2)
        K.check(out == b"" and "--period: '%s' is not a period: %s"
                % (period, why) in err, "--period %s: %r" % (period, err))


def main():
    env = K.Env(sys.argv)
    for (cfg, period), (label, kind, rows) in RUNS.items():
        tag = "%s %s" % (cfg.rsplit("/", 1)[1], period or "(config)")
        subs = SUBPERIODS[(cfg, period)]
        doc = K.read_json(run(env, cfg, period, "json"))
        names = {i["id"]: i["name"] for _, i in K.json_indicators(doc)}
        check_json(tag, doc, label, kind, rows, subs)
        check_csv(tag, run(env, cfg, period, "csv"), rows, subs)
        check_text(tag, run(env, cfg, period, "text"), label, rows, names,
                   subs)
    bad_periods(env)
    K.done("test_periods")


if __name__ == "__main__":
    main()
