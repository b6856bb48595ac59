#!/usr/bin/env python3
"""test_parity.py - every format shows the same report.

conf/2011.ini is written in all six formats and each is read back by the
program that reads it (text and Markdown tables by their columns, HTML
with html.parser, tidy and xmllint, CSV with the csv module, JSON with
json, JUnit with xml.etree and xmllint).  In each, the seed's figures
(shared spec seed-2011.md, as the seed prints them) must sit in the right
indicator's row: outcome, forecast, target, the sub-period lines, the
budget table's totals.  Then a small config with an indicator no goal
lists: it must appear under "Övriga indikatorer" / "Other indicators" in
every format, with a warning on stderr.
"""
import re
import sys

import kpireport as K

# The seed's figures, worked out from seed-2011.md (not from kpirun):
# id -> (outcome, forecast, target, sub-period values); "–" is the empty
# cell.  Numbers for the machine formats follow from the printed ones.
SEED = {
    "switchboard.answered": ("1 290 191 st", "–", "–", []),
    "switchboard.answered_share": ("92,8 %", "–", "–", []),
    "switchboard.service_level": ("78,5 %", "–", "80 %",
                                  ["76,8 %", "80,3 %"]),
    "payroll.payslips_per_admin": ("847", "870", "900", []),
    "hr.sick_leave": ("5,5 %", "–", "4 %", []),
    "hr.internship_share": ("0,0 %", "0,8 %", "2 %", []),
    "invoicing.customer_invoices_per_admin": ("4 164", "4 300", "4 300", []),
    "invoicing.supplier_invoices_per_admin": ("2 702", "3 000", "3 000", []),
    "contact_centre.first_contact_resolution": ("88 %", "–", "70 %", []),
    "contact_centre.answered_60s": ("69 %", "–", "85 %", []),
    "budget.adherence_after": ("100 %", "100 %", "100 %", []),
}
# Last year's figures the seed's text compares with (the Done-when of
# the comparison, seed-2011.md's NMI row "2010: 67"): the whole of 2010,
# as conf/2011.ini asks (compare = previous_year).  id -> cell text.
LAST = {
    "hr.sick_leave": "4,7 % (2010)",
    "hr.sick_leave_long": "2,8 % (2010)",
    "survey.nmi": "67 (2010)",
}
# The operating budget's totals (mnkr): cost budget, booked, forecast,
# 2010; revenue booked, forecast, 2010.
BUDGET = ["160,0", "102,2", "158,8", "147,3", "104,8", "156,8", "134,0"]


def number_of(text):
    """'1 290 191 st' -> 1290191.0, '78,5 %' -> 78.5; None for '–'."""
    m = re.match(r"^-?[0-9][0-9 ]*(,[0-9]+)?", text)
    if not m:
        return None
    return float(m.group(0).replace(" ", "").replace(",", "."))


def decimals_of(text):
    m = re.match(r"^-?[0-9 ]+,([0-9]+)", text)
    return len(m.group(1)) if m else 0


# ---- rows per format: name or id -> (cells, notes) ----------------------

def text_tables(data):
    """Tables of the text report: header, dashes, rows (a name may wrap
    onto lines of its own), then note lines indented two more."""
    lines = K.text_rows(data)
    tables, i = [], 0
    while i + 1 < len(lines):
        if not re.fullmatch(r" *-{10,}", lines[i + 1]) or not lines[i].strip():
            i += 1
            continue
        head = lines[i]
        indent = len(head) - len(head.lstrip())
        starts = [m.start() for m in re.finditer(r"(?:(?<=  )|^ *)\S", head)]
        starts[0] = indent
        rows, notes, i = [], [], i + 2
        while i < len(lines) and lines[i].strip():
            line = lines[i]
            lead = len(line) - len(line.lstrip())
            if lead > indent:
                notes.append(line.strip())
            elif len(line) <= starts[1] and rows and not notes:
                rows[-1][0] += " " + line.strip()     # wrapped name
            else:
                cells = [line[a:b].strip() for a, b in
                         zip(starts, starts[1:] + [None])]
                rows.append(cells)
            i += 1
        tables.append(([c.strip() for c in re.split(r"\s{2,}", head.strip())],
                       rows, notes))
    return tables


def rows_by_name(tables):
    """name -> (cells, the row's sub-period notes, the table's header)."""
    out = {}
    for head, rows, notes in tables:
        for r in rows:
            out.setdefault(r[0], (r, [n for n in notes
                                      if n.startswith(r[0] + ", ")], head))
    return out


# The columns the seed's figures are checked in, by their headings.
COLUMNS = (("Periodens utfall", "Outcome for the period"),
           ("Prognos helår", "Full-year forecast"),
           ("Årsmål", "Target"))


def cells_of(cells, head, headings):
    """The cells under the given headings (either language)."""
    out = []
    for names in headings:
        k = next((j for j, h in enumerate(head) if h in names), None)
        out.append(cells[k] if k is not None and k < len(cells) else None)
    return out


def doc_tables(items):
    """(header, rows, notes) from read_html/read_markdown items: a table
    and the list items right after it."""
    tables, k = [], 0
    while k < len(items):
        kind, val = items[k]
        if kind != "table":
            k += 1
            continue
        notes, k = [], k + 1
        while k < len(items) and items[k][0] == "li":
            notes.append(items[k][1])
            k += 1
        tables.append((val[0], val[1:], notes))
    return tables


def check_rows(fmt, rows, names):
    for ind, (outcome, forecast, target, subs) in SEED.items():
        name = names[ind]
        if not K.check(name in rows, "%s: no row for %s" % (fmt, name)):
            continue
        cells, notes, head = rows[name]
        got = cells_of(cells, head, COLUMNS)
        K.check(got == [outcome, forecast, target],
                "%s: %s shows %r, seed %r" % (fmt, ind, got,
                                               [outcome, forecast, target]))
        got = [n.rsplit(": ", 1)[1] for n in notes if ", " in n]
        K.check(got == subs, "%s: %s sub-periods %r, seed %r"
                % (fmt, ind, got, subs))


def indicator_head(tables):
    """The header of the first indicator table (outcome, then last
    year)."""
    return next((h for h, _, _ in tables
                 if len(h) > 2 and h[1] in COLUMNS[0]), ["", "", ""])


def check_last(fmt, head, rows, names):
    """The last-year column: its heading, and the seed's comparisons."""
    K.check(head[2] in ("Samma period föregående år",
                        "Same period last year"),
            "%s: third column %r" % (fmt, head[2]))
    for ind, want in LAST.items():
        name = names[ind]
        if K.check(name in rows, "%s: no row for %s" % (fmt, name)):
            K.check(rows[name][0][2] == want, "%s: %s last year %r, seed %r"
                    % (fmt, ind, rows[name][0][2], want))


def check_budget(fmt, cells):
    for v in BUDGET:
        K.check(v in cells, "%s: budget total %s missing" % (fmt, v))


def all_cells(tables):
    return {c for head, rows, notes in tables for r in rows for c in r}


def seed_parity(env):
    src = env.path("conf/2011.ini")
    out = {f: env.run("--format", f, src)[0] for f in K.FORMATS}
    doc = K.read_json(out["json"])
    names = {i["id"]: i["name"] for _, i in K.json_indicators(doc)}

    # JSON: raw numbers, and the same texts
    inds = {i["id"]: i for _, i in K.json_indicators(doc)}
    for ind, (outcome, forecast, target, subs) in SEED.items():
        i = inds[ind]
        K.check(i["outcome_text"] == outcome, "json: %s outcome_text %r"
                % (ind, i["outcome_text"]))
        K.check(round(i["outcome"], decimals_of(outcome)) ==
                number_of(outcome), "json: %s outcome %r" % (ind, i["outcome"]))
        if forecast != "–":
            K.check(i["forecast"] is not None and
                    round(i["forecast"], decimals_of(forecast)) ==
                    number_of(forecast), "json: %s forecast" % ind)
        K.check(i["target"]["display"] == target, "json: %s target" % ind)
        K.check([s["value_text"] for s in i["subperiods"]] == subs,
                "json: %s sub-periods" % ind)
    for ind, want in LAST.items():
        ly = inds[ind]["last_year"]
        K.check(ly["compare"] == "previous_year" and
                ly["label"] == "Föregående år" and
                ly["value_text"] + " (2010)" == want and
                round(ly["value"], decimals_of(want)) == number_of(want) and
                ly["months_covered"]["label"] == "2010",
                "json: %s last_year %r, seed %r" % (ind, ly, want))
    budget = {t["id"]: t for t in doc["tables"] if t["area"] == "budget"}
    K.check(budget, "json: no budget tables")
    check_budget("json", {c for t in budget.values() for r in t["rows_text"]
                          for c in r})

    # text
    tt = text_tables(out["text"])
    check_rows("text", rows_by_name(tt), names)
    check_last("text", indicator_head(tt), rows_by_name(tt), names)
    check_budget("text", all_cells(tt))

    # Markdown
    mt = doc_tables(K.read_markdown(out["markdown"]))
    check_rows("markdown", rows_by_name(mt), names)
    check_last("markdown", indicator_head(mt), rows_by_name(mt), names)
    check_budget("markdown", all_cells(mt))

    # HTML, clean for HTML Tidy and well-formed XML for xmllint
    ok, err = K.html_ok(out["html"])
    K.check(ok, "html: " + err)
    ht = doc_tables(K.read_html(out["html"]))
    check_rows("html", rows_by_name(ht), names)
    check_last("html", indicator_head(ht), rows_by_name(ht), names)
    check_budget("html", all_cells(ht))

    # CSV: records by indicator, numbers bare (decimal comma in Swedish),
    # the unit in its own column
    records, tables = K.read_csv(out["csv"])
    by_id = {}
    for r in records:
        by_id.setdefault((r["record"], r["indicator"]), []).append(r)

    def same(cell, printed):
        v = K.csv_number(cell)
        return (v is None and printed == "–") or (
            v is not None and printed != "–" and
            round(v, decimals_of(printed)) == number_of(printed))

    for ind, (outcome, forecast, target, subs) in SEED.items():
        rec = by_id.get(("indicator", ind))
        if not K.check(rec, "csv: no record for %s" % ind):
            continue
        r = rec[0]
        K.check(same(r["outcome"], outcome) and same(r["forecast"], forecast)
                and same(r["target"], target),
                "csv: %s %r, seed %r" % (ind, r, (outcome, forecast, target)))
        K.check(outcome.endswith(" " + r["unit"]) if r["unit"] else
                number_of(outcome) is not None,
                "csv: %s unit %r" % (ind, r["unit"]))
        got = [s["outcome"] for s in by_id.get(("subperiod", ind), [])]
        K.check(len(got) == len(subs) and
                all(same(g, w) for g, w in zip(got, subs)),
                "csv: %s sub-periods %r, seed %r" % (ind, got, subs))
    for ind, want in LAST.items():
        rec = by_id.get(("indicator", ind))
        if K.check(rec, "csv: no record for %s" % ind):
            r = rec[0]
            K.check(same(r["last_year"], want.split(" (")[0]) and
                    r["last_year_compare"] == "previous_year" and
                    [r["last_year_from_year"], r["last_year_from_month"],
                     r["last_year_to_year"], r["last_year_to_month"]] ==
                    ["2010", "1", "2010", "12"],
                    "csv: %s last year %r, seed %r" % (ind, r, want))
    cells = {c for t in tables for row in t for c in row}
    check_budget("csv", {("%.1f" % K.csv_number(c)).replace(".", ",")
                         for c in cells if re.fullmatch(r"-?[0-9,]+", c)})

    # JUnit: each case's figures, and the XML well-formed
    ok, err = K.xmllint_ok(out["junit"])
    K.check(ok, "junit: xmllint: " + err)
    root, cases = K.read_junit(out["junit"])
    for ind, (outcome, forecast, target, subs) in SEED.items():
        c = cases.get(ind)
        if not K.check(c, "junit: no test case %s" % ind):
            continue
        lines = c["out"].split("\n")
        K.check("Periodens utfall: " + outcome in lines and
                "Prognos helår: " + forecast in lines and
                "Årsmål: " + target in lines,
                "junit: %s shows %r" % (ind, lines))
        got = [n.rsplit(": ", 1)[1] for n in lines if n.startswith(names[ind]
                                                                 + ", ")]
        if ind in LAST:
            K.check("Föregående år: " + LAST[ind] in lines,
                    "junit: %s last year %r" % (ind, lines))
        K.check(got == subs, "junit: %s sub-periods %r" % (ind, got))
    suite = root.find("testsuite")
    K.check(int(suite.get("tests")) == len(cases), "junit: tests=%s, %d cases"
            % (suite.get("tests"), len(cases)))
    K.check(int(suite.get("failures")) ==
            sum(1 for c in cases.values() if c["failure"] is not None),
            "junit: failures count")


def other_parity(env):
    """tests/data/e2e/other.ini: site.complaints is listed by no goal."""
    cfg = env.path("tests/data/e2e/other.ini")
    for lang, heading, name, outcome in (
            ("sv", "Övriga indikatorer", "Antal klagomål", "3 st"),
            ("en", "Other indicators", "Complaints", "3")):
        out = {}
        for f in K.FORMATS:
            out[f], err = env.run("--format", f, "--lang", lang, cfg)
            K.check("warning: indicator 'site.complaints' is listed by no "
                    "goal" in err, "%s %s: no warning in %r" % (f, lang, err))
        # text: the heading, then a table with the row
        lines = K.text_rows(out["text"])
        k = lines.index(heading) if heading in lines else -1
        if K.check(k >= 0, "text %s: no heading %s" % (lang, heading)):
            rows = rows_by_name(text_tables(
                "\n".join(lines[k:]).encode("utf-8"))[:1])
            K.check(name in rows and rows[name][0][1] == outcome,
                    "text %s: other row %r" % (lang, rows))
        for f, items in (("markdown", K.read_markdown(out["markdown"])),
                         ("html", K.read_html(out["html"]))):
            k = [i for i, it in enumerate(items) if it == ("h", heading)]
            if K.check(k, "%s %s: no heading %s" % (f, lang, heading)):
                t = doc_tables(items[k[0]:])[0]
                K.check([r for r in t[1] if r[0] == name and r[1] == outcome],
                        "%s %s: other row %r" % (f, lang, t))
        records, _ = K.read_csv(out["csv"])
        K.check([r for r in records if r["record"] == "indicator" and
                 r["indicator"] == "site.complaints" and
                 r["goal"] == "" and r["goal_title"] == heading and
                 K.csv_number(r["outcome"]) == 3], "csv %s: other record"
                % lang)
        doc = K.read_json(out["json"])
        K.check(doc["other_indicators"]["title"] == heading and
                [i["id"] for i in doc["other_indicators"]["indicators"]] ==
                ["site.complaints"], "json %s: other indicators" % lang)
        listed = {i["id"] for _, i in K.json_indicators(doc)
                  if _ is not None}
        K.check("site.complaints" not in listed, "json: listed twice")
        root, cases = K.read_junit(out["junit"])
        c = cases.get("site.complaints")
        K.check(c and c["out"].startswith(heading + ": " + name),
                "junit %s: other case %r" % (lang, c and c["out"]))
        K.check(int(root.find("testsuite").get("tests")) == 4,
                "junit %s: 4 cases" % lang)


def main():
    env = K.Env(sys.argv)
    seed_parity(env)
    other_parity(env)
    K.done("test_parity")


if __name__ == "__main__":
    main()
