#!/usr/bin/env python3
"""test_spreadsheet.py - the xlsx and the CSV as a spreadsheet reads them.

conf/2011.ini is written as xlsx and CSV in Swedish and English; then, per
locale (sv_SE.UTF-8 with the Swedish files, en_US.UTF-8 with the English
ones), one LibreOffice headless run converts the CSV (filter options
"59,34,76,1" = ';' "..." UTF-8 from line 1, or 44 for ',') and the xlsx
to fresh xlsx files, and openpyxl reads the cells LibreOffice made.  Every
seed figure must arrive as a number with the seed's value, the periods as
text, and the targets' numbers as numbers.  The figures come from the
shared spec seed-2011.md, not from kpirun.
"""
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import openpyxl
except ImportError:
    # a python3 without Debian's modules first on PATH (pyenv)
    if os.path.exists("/usr/bin/python3") and sys.executable != \
            "/usr/bin/python3" and not os.environ.get("KPI_REEXEC"):
        os.environ["KPI_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("test_spreadsheet: needs python3-openpyxl")

import kpireport as K

# id -> (outcome, forecast, target, council target), as the seed prints
# them, rounded to the places the report shows; None is "–".
SEED = {
    "switchboard.service_level": (78.5, None, 80, None),
    "switchboard.answered_share": (92.8, None, None, None),
    "switchboard.answered": (1290191, None, None, None),
    "hr.sick_leave": (5.5, None, 4, 4.8),
    "payroll.payslips_per_admin": (847, 870, 900, None),
    "invoicing.customer_invoices_per_admin": (4164, 4300, 4300, None),
    "contact_centre.first_contact_resolution": (88, None, 70, None),
}
# last year's figures the seed compares with: 2010 (compare = previous_year)
LAST = {"hr.sick_leave": 4.7, "hr.sick_leave_long": 2.8}
SUBPERIODS = [76.8, 80.3]       # switchboard.service_level, T1 and May-Aug
# the operating budget's totals (mnkr), the seed's table
BUDGET = [160.0, 102.2, 158.8, 147.3, 104.8, 156.8, 134.0]
# periods as the seed writes them, which must stay text
PERIODS = {
    "sv": {"hr.internship_share": ("jul 2011", "jul–jul 2011"),
           "hr.sick_leave": ("aug 2010–jul 2011",),
           "switchboard.service_level": ("Tertial 2 2011",)},
    "en": {"hr.internship_share": ("Jul 2011", "Jul–Jul 2011"),
           "hr.sick_leave": ("Aug 2010–Jul 2011",),
           "switchboard.service_level": ("T2 2011",)},
}

LOCALES = {"sv": ("sv_SE.UTF-8", "59"), "en": ("en_US.UTF-8", "44")}

observed = []     # (locale, file, figure, type, value) for the summary


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def near(v, want):
    """v rounds to want at want's places (the report shows 78.5 for
    78.50000503801375)."""
    places = len(repr(float(want)).split(".")[1].rstrip("0"))
    return is_number(v) and round(v, places) == want


def soffice(tmp, locale, infilter, files, outdir):
    env = dict(os.environ, LANG=locale, LC_ALL=locale,
               HOME=os.path.join(tmp, "home-" + locale))
    cmd = ["soffice", "-env:UserInstallation=file://%s/profile-%s"
           % (tmp, locale), "--headless", "--norestore"]
    if infilter:
        cmd.append("--infilter=" + infilter)
    cmd += ["--convert-to", "xlsx", "--outdir", outdir] + files
    p = subprocess.run(cmd, env=env, capture_output=True, timeout=120)
    K.check(p.returncode == 0, "soffice %s: %s" % (locale, p.stderr))


def cell_check(tag, lang, figure, v, want):
    observed.append((lang, tag, figure, type(v).__name__, v))
    K.check(near(v, want), "%s %s: %s is %r (%s), want the number %r"
            % (tag, lang, figure, v, type(v).__name__, want))


def check_indicators(tag, lang, rows, col):
    """rows: the indicator records; col(row, name) a cell by column."""
    by_id = {}
    for r in rows:
        by_id.setdefault(col(r, "id"), r)
    for ind, figs in SEED.items():
        r = by_id.get(ind)
        if not K.check(r is not None, "%s %s: no row %s" % (tag, lang, ind)):
            continue
        for name, want in zip(("outcome", "forecast", "target", "council"),
                              figs):
            v = col(r, name)
            if want is None:
                K.check(v is None, "%s %s: %s %s is %r, want empty"
                        % (tag, lang, ind, name, v))
            else:
                cell_check(tag, lang, "%s %s" % (ind, name), v, want)
    for ind, want in LAST.items():
        if K.check(ind in by_id, "%s %s: no row %s" % (tag, lang, ind)):
            cell_check(tag, lang, ind + " last year",
                       col(by_id[ind], "last_year"), want)
    for ind, labels in PERIODS[lang].items():
        v = col(by_id[ind], "period")
        observed.append((lang, tag, ind + " period", type(v).__name__, v))
        K.check(isinstance(v, str) and v in labels,
                "%s %s: %s period %r (%s), want text %r"
                % (tag, lang, ind, v, type(v).__name__, labels))
        for name in ("from_year", "from_month", "to_year", "to_month"):
            K.check(is_number(col(by_id[ind], name)),
                    "%s %s: %s %s not a number" % (tag, lang, ind, name))


def check_budget(tag, lang, numbers):
    for want in BUDGET:
        K.check(any(near(v, want) for v in numbers),
                "%s %s: budget total %r is not a number cell"
                % (tag, lang, want))
    observed.append((lang, tag, "budget totals",
                     "float" if all(any(near(v, w) for v in numbers)
                                    for w in BUDGET) else "?", BUDGET))


def read_xlsx(tag, lang, path):
    wb = openpyxl.load_workbook(path, data_only=True)
    ind = wb.worksheets[0]
    head = [c.value for c in ind[1]]
    # columns of the writer's indicator sheet, by position
    pos = {"id": 2, "outcome": 4, "forecast": 5, "target": 11,
           "council": 15, "period": 18, "from_year": 19, "from_month": 20,
           "to_year": 21, "to_month": 22, "last_year": 30}
    K.check(head[pos["outcome"]] in ("Periodens utfall", "Outcome") and
            head[pos["last_year"]] in ("Föregående år", "Last year"),
            "%s %s: indicator header %r" % (tag, lang, head))
    rows = [[c.value for c in r] for r in ind.iter_rows(min_row=2)]
    check_indicators(tag, lang, rows, lambda r, n: r[pos[n]])
    sub = wb.worksheets[1]
    got = [r[3].value for r in sub.iter_rows(min_row=2)
           if r[0].value == "switchboard.service_level"]
    for v, want in zip(got, SUBPERIODS):
        cell_check(tag, lang, "sub-period", v, want)
    K.check(len(got) == 2, "%s %s: sub-periods %r" % (tag, lang, got))
    numbers = [c.value for ws in wb.worksheets[7:] for r in ws.iter_rows()
               for c in r if is_number(c.value)]
    check_budget(tag, lang, numbers)
    names = wb.sheetnames
    K.check(all(len(n) <= 31 for n in names) and
            len({n.lower() for n in names}) == len(names),
            "%s %s: sheet names %r" % (tag, lang, names))


def read_csv_xlsx(tag, lang, path):
    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = rows[0]
    K.check(head[0] == "record", "%s %s: header %r (BOM or separator?)"
            % (tag, lang, head[:3]))
    idx = {n: head.index(n) for n in head if n}
    names = {"id": "indicator", "council": "council_target"}
    records = []
    for r in rows[1:]:
        if not r or r[0] is None:
            break
        records.append(r)
    col = (lambda r, n: r[idx[names.get(n, n)]])
    check_indicators(tag, lang, [r for r in records if r[0] == "indicator"],
                     col)
    got = [col(r, "outcome") for r in records if r[0] == "subperiod" and
           col(r, "id") == "switchboard.service_level"]
    for v, want in zip(got, SUBPERIODS):
        cell_check(tag, lang, "sub-period", v, want)
    K.check(len(got) == 2, "%s %s: sub-periods %r" % (tag, lang, got))
    numbers = [v for r in rows[len(records) + 1:] for v in r if is_number(v)]
    check_budget(tag, lang, numbers)


def main():
    env = K.Env(sys.argv)
    if not K.check(shutil.which("soffice"), "no soffice: apt-get install "
                   "libreoffice-calc-nogui"):
        K.done("test_spreadsheet")
    src = env.path("conf/2011.ini")
    with tempfile.TemporaryDirectory(prefix="kpi-sheet-") as tmp:
        for lang, (locale, sep) in LOCALES.items():
            xlsx = os.path.join(tmp, "r-%s.xlsx" % lang)
            csv = os.path.join(tmp, "r-%s.csv" % lang)
            env.run("--lang", lang, "-o", xlsx, "-o", csv, src)
            out = os.path.join(tmp, "lo-" + lang)
            # the CSV with its filter, the xlsx re-saved by LibreOffice
            soffice(tmp, locale, "CSV:%s,34,76,1" % sep, [csv], out)
            soffice(tmp, locale, None, [xlsx], os.path.join(out, "x"))
            read_csv_xlsx("csv", lang, os.path.join(out, "r-%s.xlsx" % lang))
            read_xlsx("xlsx", lang, os.path.join(out, "x",
                                                 "r-%s.xlsx" % lang))
    print("what LibreOffice made of the cells (locale, file, figure, type, "
          "value):")
    for o in observed:
        print("  %s %-4s %-45s %-5s %r" % o)
    K.done("test_spreadsheet")


if __name__ == "__main__":
    main()
