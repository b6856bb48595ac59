#!/usr/bin/env python3
"""test_chromium.py - the HTML report as a person sees it, in headless
Chromium (Debian chromium) driven through the DevTools protocol (cdp.py).

conf/2011.ini's report, in Swedish and English, is loaded at 1280 x 2000:
  - no console message, exception, log entry or failed load, and no
    request for anything but the file itself (self-contained);
  - laid out as meant: numbers right-aligned in tabular figures, the
    assessment symbols in their colours, one drawn chart per figure, no
    horizontal overflow;
  - for print: table headers repeat (thead as table-header-group), rows
    and charts are not split; printed to PDF the pages are A4 (pdfinfo,
    poppler-utils: 595 x 842 pt) and hold the seed's figures (pdftotext).
The screenshot and the PDF are kept in the test's output directory
(KPI_TEST_OUT, the build tree).  A control page with a missing image,
a console.error and an uncaught exception must be caught, so the
console check can fail.
"""
import os
import re
import struct
import subprocess
import sys

import cdp
import kpireport as K

CONTROL = (b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
           b'<title>control</title></head><body><img src="missing.png" '
           b'alt="x"><script>console.error("boom"); undefinedFn();</script>'
           b'</body></html>')

# Computed styles and geometry, read in the page (the report itself has
# no script; this is the test's).
LAYOUT = r"""(() => {
  const cs = e => getComputedStyle(e);
  const nums = [...document.querySelectorAll('td.num')];
  const sym = k => { const e = document.querySelector('td.grade.' + k +
                                                        ' .sym');
                     return e ? cs(e).color : null; };
  const svgs = [...document.querySelectorAll('figure.chart svg')];
  return {
    lang: document.documentElement.lang,
    title: document.title,
    num_cells: nums.length,
    num_right: nums.filter(e => cs(e).textAlign === 'right').length,
    num_tabular: nums.filter(e =>
        cs(e).fontVariantNumeric.includes('tabular-nums')).length,
    colours: {met: sym('met'), partial: sym('partial'),
              not_met: sym('not_met'), not_assessed: sym('not_assessed')},
    charts: svgs.length,
    charts_drawn: svgs.filter(s => { const r = s.getBoundingClientRect();
        return r.width >= 300 && r.height >= 140 &&
               s.querySelectorAll('g.current circle').length > 0; }).length,
    overflow: document.documentElement.scrollWidth - innerWidth,
    font: cs(document.body).fontFamily,
  };
})()"""

PRINT = r"""(() => {
  const cs = e => getComputedStyle(e);
  const th = [...document.querySelectorAll('thead')];
  const tr = [...document.querySelectorAll('tbody tr')];
  const fig = [...document.querySelectorAll('figure.chart')];
  return {
    thead: th.length,
    thead_repeat: th.filter(e => cs(e).display ===
                            'table-header-group').length,
    rows: tr.length,
    rows_whole: tr.filter(e => cs(e).breakInside === 'avoid').length,
    figures: fig.length,
    figures_whole: fig.filter(e => cs(e).breakInside === 'avoid').length,
  };
})()"""

GREEN, AMBER, RED, GREY = ("rgb(26, 127, 55)", "rgb(154, 91, 0)",
                           "rgb(198, 40, 40)", "rgb(102, 102, 102)")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    K.check(head[:8] == b"\x89PNG\r\n\x1a\n", "%s: not a PNG" % path)
    return struct.unpack(">II", head[16:24])


def check_pdf(path, lang):
    p = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    if not K.check(p.returncode == 0, "pdfinfo %s: %s" % (path, p.stderr)):
        return
    info = dict(re.findall(r"^([^:]+):\s*(.*)$", p.stdout, re.M))
    m = re.match(r"([0-9.]+) x ([0-9.]+) pts", info.get("Page size", ""))
    K.check(m and round(float(m.group(1))) == 595 and
            round(float(m.group(2))) == 842,
            "%s: page size %r, not A4 595 x 842 pts"
            % (path, info.get("Page size")))
    K.check(int(info.get("Pages", "0")) >= 3, "%s: %s pages"
            % (path, info.get("Pages")))
    text = subprocess.run(["pdftotext", "-layout", path, "-"],
                          capture_output=True).stdout.decode("utf-8")
    # the seed's figures (shared spec seed-2011.md) reach the paper
    for fig in (["78,5 %", "76,8 %", "80,3 %", "4 164", "1 290 191 st"]
                if lang == "sv" else ["78.5 %", "76.8 %", "80.3 %", "4,164",
                                       "1,290,191"]):
        K.check(fig in text, "%s: %r not in the printed text" % (path, fig))
    return text


def check_header_repeats(browser, html, out_dir, lang):
    """The report with its first indicator table made 150 rows long: the
    table spans pages, and each of them must show its header row."""
    rows = re.search(rb"<tbody>\n(<tr id=[^\n]*\n)", html)
    long = html.replace(rows.group(0), b"<tbody>\n" +
                        rows.group(1).replace(b' id="ind-', b' class="x')
                        * 150, 1)
    path = os.path.join(out_dir, "long-%s.html" % lang)
    with open(path, "wb") as f:
        f.write(long)
    browser.open("file://" + path, 1280, 2000)
    pdf = path[:-4] + "pdf"
    browser.pdf(pdf)
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"],
                          capture_output=True).stdout.decode("utf-8")
    name = re.search(rb"<td>([^<]*)</td>", rows.group(1)).group(1)
    # (numeric headings wrap: "Periodens" above "utfall")
    head = "Periodens" if lang == "sv" else "Outcome"
    # the name's start, short enough to stay on the first line of its
    # wrapped cell on A4 ("Andel upphandlad", "Share of operati")
    first = name.decode("utf-8")[:16]
    spanned = [pg for pg in text.split("\f") if first in pg]
    K.check(len(spanned) >= 3, "%s: the long table spans %d pages"
            % (pdf, len(spanned)))
    K.check(all(head in pg for pg in spanned),
            "%s: a page of the long table has no header row" % pdf)


def report(env, browser, out_dir, lang):
    src = env.path("conf/2011.ini")
    html, _ = env.run("--format", "html", "--lang", lang, src)
    doc = K.read_json(env.run("--format", "json", "--lang", lang, src)[0])
    path = os.path.join(out_dir, "report-%s.html" % lang)
    with open(path, "wb") as f:
        f.write(html)
    url = "file://" + path
    browser.open(url, 1280, 2000)
    probs = browser.problems(url)
    K.check(not probs, "%s: the page caused %r" % (lang, probs))

    lay = browser.eval(LAYOUT)
    K.check(lay["lang"] == lang, "%s: lang %r" % (lang, lay["lang"]))
    K.check(lay["title"] == "%s \u2013 %s" % (doc["title"],
                                              doc["period"]["label"]),
            "%s: title %r" % (lang, lay["title"]))
    K.check(lay["num_cells"] > 100 and
            lay["num_right"] == lay["num_cells"] and
            lay["num_tabular"] == lay["num_cells"],
            "%s: numbers not right-aligned in tabular figures: %r"
            % (lang, lay))
    K.check(lay["colours"] == {"met": GREEN, "partial": AMBER,
                               "not_met": RED, "not_assessed": GREY},
            "%s: assessment colours %r" % (lang, lay["colours"]))
    # a chart per indicator row with months in the run year (JSON)
    want = sum(1 for _, i in K.json_indicators(doc)
               if any(m["year"] == doc["year"] and m["value"] is not None
                      for m in i["months"]))
    K.check(lay["charts"] == want and lay["charts_drawn"] == want,
            "%s: %d charts, %d drawn, %d rows with monthly data"
            % (lang, lay["charts"], lay["charts_drawn"], want))
    K.check(lay["overflow"] <= 0, "%s: %dpx wider than the window"
            % (lang, lay["overflow"]))

    shot = os.path.join(out_dir, "report-%s.png" % lang)
    browser.screenshot(shot)
    K.check(png_size(shot) == (1280, 2000), "%s: screenshot size %r"
            % (shot, png_size(shot)))

    browser.media("print")
    pr = browser.eval(PRINT)
    K.check(pr["thead"] > 10 and pr["thead_repeat"] == pr["thead"],
            "print %s: headers not repeated: %r" % (lang, pr))
    K.check(pr["rows_whole"] == pr["rows"] and
            pr["figures_whole"] == pr["figures"],
            "print %s: rows or charts may split: %r" % (lang, pr))
    browser.media("")
    pdf = os.path.join(out_dir, "report-%s.pdf" % lang)
    browser.pdf(pdf)
    check_pdf(pdf, lang)
    check_header_repeats(browser, html, out_dir, lang)
    print("%s: %s, %s, %d charts" % (lang, shot, pdf, lay["charts"]))


def control(browser, out_dir):
    path = os.path.join(out_dir, "control.html")
    with open(path, "wb") as f:
        f.write(CONTROL)
    browser.open("file://" + path, 400, 300)
    probs = browser.problems("file://" + path)
    for what in ("console.error: boom", "exception: ReferenceError",
                 "missing.png"):
        K.check(any(what in p for p in probs),
                "control: %r not detected in %r" % (what, probs))


def main():
    env = K.Env(sys.argv)
    out_dir = os.path.abspath(os.environ.get("KPI_TEST_OUT", "."))
    os.makedirs(out_dir, exist_ok=True)
    try:
        browser = cdp.Chromium()
    except FileNotFoundError:
        K.fail("chromium not found (apt-get install chromium)")
        K.done("test_chromium")
    try:
        control(browser, out_dir)
        for lang in ("sv", "en"):
            report(env, browser, out_dir, lang)
    finally:
        browser.close()
    K.done("test_chromium")


if __name__ == "__main__":
    main()
