#!/usr/bin/env python3
"""test_json_schema.py - kpirun's JSON of conf/2011.ini, in both languages,
validated against docs/report.schema.json with python3-jsonschema, read
back number by number, and held against the seed's figures worked out by
hand (shared spec seed-2011.md):

  switchboard, January-August 2011 (T2)
    answered within 25 s          78,5 %  (target 80 %: partially met, as
                                  80 * (1 - 10 %) = 72 <= 78.5 < 80)
    the same, Jan-Apr / May-Aug   76,8 % / 80,3 %
    calls answered                1 290 191
    answered of offered           92,8 %
  sick leave, 12 months Aug 2010-Jul 2011   5,5 %  (target 4 %: not met,
                                  5.5 > 4 * 1.1 = 4.4)
  payslips per administrator, T1  847, forecast 870 (config), target 900
"""
import decimal
import json
import re
import sys

import jsonschema

import kpireport as K


def plain(x):
    """x as the shortest decimal that reads back to it, in positional
    notation, worked out with Python's repr (a second method)."""
    s = format(decimal.Decimal(repr(x)), "f")
    return s[:-2] if s.endswith(".0") else s


def check_numbers(raw):
    """Every number literal reads back to the double it stands for and is
    the shortest such decimal, never in exponent form for 1e-6 <= |x| <
    1e21."""
    literals = []

    def keep(s):
        literals.append(s)
        return float(s)

    json.loads(raw.decode("utf-8"), parse_float=keep, parse_int=keep)
    K.check(len(literals) > 1000, "only %d numbers" % len(literals))
    for s in literals:
        x = float(s)
        if x != 0 and 1e-6 <= abs(x) < 1e21:
            K.check("e" not in s.lower(), "number %s in exponent form" % s)
            K.check(s == plain(x), "number %s: shortest is %s" % (s, plain(x)))


def main():
    env = K.Env(sys.argv)
    with open(env.path("docs/report.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker())
    version = env.run("--version")[0].decode().split()[1]

    for lang in ("sv", "en"):
        raw, _ = env.run("--format", "json", "--lang", lang,
                         env.path("conf/2011.ini"))
        doc = K.read_json(raw)
        errors = sorted(validator.iter_errors(doc), key=lambda e: e.path)
        for e in errors[:20]:
            K.fail("%s: schema: %s at %s" % (lang, e.message,
                                             "/".join(map(str, e.path))))
        check_numbers(raw)
        K.check(doc["schema_version"] == 1, "schema_version")
        K.check(doc["generator"] == {"name": "kpirun", "version": version},
                "generator %r" % doc["generator"])
        K.check(doc["lang"] == lang, "lang")
        K.check(doc["period"]["from"] == {"year": 2011, "month": 1} and
                doc["period"]["to"] == {"year": 2011, "month": 8},
                "period %r" % doc["period"])
        want_title = {"sv": "Servicenämnden – Tertialrapport 2 2011",
                      "en": "Service Committee – Four-month report 2, 2011"}
        K.check(doc["title"].startswith(want_title[lang].split(" – ")[0]),
                "title %r" % doc["title"])
        inds = {i["id"]: i for _, i in K.json_indicators(doc)}

        sl = inds["switchboard.service_level"]
        K.check(round(sl["outcome"], 1) == 78.5, "service level %r"
                % sl["outcome"])
        K.check(sl["target"]["kind"] == "number" and
                sl["target"]["value"] == 80, "service level target")
        K.check(sl["assessment"] == "partial" and
                sl["rule"]["id"] == "higher_within_tolerance" and
                sl["rule"]["compared"] == "outcome",
                "service level rule %r" % sl["rule"])
        subs = [round(s["value"], 1) for s in sl["subperiods"]]
        K.check(subs == [76.8, 80.3], "sub-periods %r" % subs)
        K.check([(s["from_month"], s["to_month"]) for s in sl["subperiods"]]
                == [(1, 4), (5, 8)], "sub-period months")
        # second method: the ratio of the monthly numerators and
        # denominators the JSON carries, January-August 2011
        run = [m for m in sl["months"] if m["year"] == 2011 and
               m["month"] <= 8]
        K.check(len(run) == 8, "switchboard months %d" % len(run))
        ratio = (sum(m["numerator"] for m in run) /
                 sum(m["denominator"] for m in run) * 100)
        K.check(abs(ratio - sl["outcome"]) < 1e-9,
                "months give %r, outcome %r" % (ratio, sl["outcome"]))
        sub1 = [m for m in run if m["month"] <= 4]
        K.check(round(sum(m["numerator"] for m in sub1) /
                      sum(m["denominator"] for m in sub1) * 100, 1) == 76.8,
                "Jan-Apr from the months")
        K.check(sl["months_covered"]["from"] == {"year": 2011, "month": 1}
                and sl["months_covered"]["to"] == {"year": 2011, "month": 8},
                "service level months covered")

        K.check(inds["switchboard.answered"]["outcome"] == 1290191,
                "answered %r" % inds["switchboard.answered"]["outcome"])
        K.check(round(inds["switchboard.answered_share"]["outcome"], 1)
                == 92.8, "answered share")

        sick = inds["hr.sick_leave"]
        K.check(round(sick["outcome"], 1) == 5.5, "sick leave %r"
                % sick["outcome"])
        K.check(sick["aggregation"] == "rolling12", "sick leave aggregation")
        K.check(sick["months_covered"]["from"] == {"year": 2010, "month": 8}
                and sick["months_covered"]["to"] == {"year": 2011,
                                                     "month": 7},
                "sick leave months %r" % sick["months_covered"])
        K.check(sick["assessment"] == "not_met" and
                sick["rule"]["id"] == "lower_not_met", "sick leave rule")
        K.check(any(m["year"] == 2010 for m in sick["months"]),
                "sick leave carries the previous year's months")

        pay = inds["payroll.payslips_per_admin"]
        K.check(round(pay["outcome"]) == 847 and pay["forecast"] == 870 and
                pay["target"]["value"] == 900, "payslips %r %r"
                % (pay["outcome"], pay["forecast"]))
        K.check(pay["forecast_method"] == "manual", "payslips forecast method")
        K.check(pay["months_covered"]["to"] == {"year": 2011, "month": 4},
                "payslips cover T1")
        K.check(pay["rule"]["compared"] == "forecast", "payslips compared")

        K.check(inds["budget.adherence_after"]["forecast_method"] == "stated",
                "budget forecast stated by the plugin")
        others = [i["id"] for i in doc["other_indicators"]["indicators"]]
        K.check("switchboard.avg_talk_s" in others, "other %r" % others)
        K.check(doc["other_indicators"]["title"] ==
                {"sv": "Övriga indikatorer", "en": "Other indicators"}[lang],
                "other indicators title")
        s = doc["summary"]
        K.check(s["met"] + s["partial"] + s["not_met"] + s["not_assessed"]
                == s["indicators"] == len(inds), "summary counts %r" % s)
        budget = [t for t in doc["tables"] if t["area"] == "budget"]
        K.check(budget and all(len(r) == len(budget[0]["columns"])
                               for r in budget[0]["rows"]),
                "budget table shape")
        K.check(not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", raw),
                "raw control bytes in JSON")
    K.done("test_json_schema")


if __name__ == "__main__":
    main()
