#!/usr/bin/env python3
"""test_html.py - the HTML report for people, checked as a document.

For conf/2011.ini and tests/data/e2e/small.ini in both languages:
  - HTML Tidy (Debian tidy, HTML5 rules) reports no error and no warning,
    and xmllint parses the file as XML (K.html_ok); a broken control
    document must make tidy fail, so the check can fail;
  - self-contained: no script, link, img, iframe or object, no src, no
    href but to an anchor in the file, no url() or @import in the style;
    lang, meta charset, the title "<report title> – <period>";
  - the print stylesheet: @page A4, thead repeated, rows and charts kept
    whole; numbers right-aligned in tabular figures;
  - the summary's counts per assessment equal the assessments of the
    indicator rows (each indicator once), and every assessment cell shows
    its symbol with its colour class and its label; the legend names all
    four;
  - every chart read back: its y axis from two tick labels, each point of
    the run year's line turned back into a number, which must equal the
    month's numerator / denominator * scale from the JSON report (or the
    running total of the numerators for a summed indicator), the target
    line the target and the forecast point the forecast.
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import kpireport as K

SVG = "{http://www.w3.org/2000/svg}"
SYMBOLS = {"met": "\u25cf", "partial": "\u25d0", "not_met": "\u2715",
           "not_assessed": "\u2013"}
BROKEN = (b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
          b'<title>t</title></head><body><p id="a">x</p><p id="a">y</p>'
          b'<foo>z</foo><table><tr><td>1</td></table><b><i>q</b></i>'
          b'</body></html>\n')


def text_of(e):
    return "".join(e.itertext())


def number(s, lang):
    """A tick label as the report prints it: '1 000' / '1,000'."""
    s = s.replace("\u2212", "-")
    if lang == "sv":
        return float(s.replace(" ", "").replace(",", "."))
    return float(s.replace(",", ""))


def month_values(ind, year, agg):
    """The run year's plotted values by month from the JSON report's
    numerators and denominators (not its 'value' field)."""
    out, total = {}, 0.0
    scale = 100.0 if ind["unit"] == "%" else 1.0   # as the configs set
    for m in ind["months"]:
        if m["year"] != year or m["value"] is None:
            continue
        if agg == "sum":
            total += m["numerator"]
            out[m["month"]] = total
        else:
            den = m["denominator"] or 1.0
            out[m["month"]] = m["numerator"] / den * scale
    return out


def check_chart(fig, ind, year, lang, tag):
    svg = fig.find(SVG + "svg")
    label = svg.get("aria-label")
    K.check(label and svg.find(SVG + "title") is not None and
            text_of(svg.find(SVG + "title")) == label and
            label.startswith(ind["name"]),
            "%s: chart of %s has no description" % (tag, ind["id"]))
    axis = svg.find(SVG + "g[@class='axis']")
    ticks = [(number(t.text, lang), float(t.get("y")) - 3.5)
             for t in axis.findall(SVG + "text[@text-anchor='end']")]
    months = [float(t.get("x"))
              for t in axis.findall(SVG + "text[@text-anchor='middle']")]
    if not K.check(len(ticks) >= 2 and len(months) == 12,
                   "%s: chart of %s has no axes" % (tag, ind["id"])):
        return
    (v0, y0), (v1, y1) = ticks[0], ticks[-1]

    def value(y):
        return v0 + (float(y) - y0) * (v1 - v0) / (y1 - y0)
    per_px = abs((v1 - v0) / (y1 - y0))
    agg = ind["aggregation"]
    want = month_values(ind, year, agg)
    got = {}
    for c in svg.findall(SVG + "g[@class='current']/" + SVG + "circle"):
        m = min(range(12), key=lambda k: abs(months[k] - float(c.get("cx"))))
        got[m + 1] = value(c.get("cy"))
    K.check(sorted(got) == sorted(want), "%s: %s charts months %r, data %r"
            % (tag, ind["id"], sorted(got), sorted(want)))
    for m, v in want.items():
        # coordinates are written to 0.1 unit
        K.check(m in got and abs(got[m] - v) <= 0.06 * per_px + 1e-9,
                "%s: %s month %d drawn at %r, data %r"
                % (tag, ind["id"], m, got.get(m), v))
    t = svg.find(SVG + "line[@class='target']")
    if ind["target"]["kind"] in ("number", "range"):
        K.check(t is not None and abs(value(t.get("y1")) -
                                      ind["target"]["value"]) <=
                0.06 * per_px + 1e-9, "%s: %s target line" % (tag, ind["id"]))
    else:
        K.check(t is None, "%s: %s has a target line" % (tag, ind["id"]))
    f = svg.find(SVG + "g/" + SVG + "circle[@class='forecast']")
    if ind["forecast"] is not None:
        K.check(f is not None and
                abs(value(f.get("cy")) - ind["forecast"]) <=
                0.06 * per_px + 1e-9 and
                abs(float(f.get("cx")) - months[11]) < 0.1,
                "%s: %s forecast point" % (tag, ind["id"]))
    else:
        K.check(f is None, "%s: %s has a forecast" % (tag, ind["id"]))


def check_report(env, cfg, lang):
    tag = "%s (%s)" % (cfg.rsplit("/", 1)[1], lang)
    html, _ = env.run("--format", "html", "--lang", lang, cfg)
    doc = K.read_json(env.run("--format", "json", "--lang", lang, cfg)[0])
    ok, err = K.html_ok(html)
    K.check(ok, "%s: %s" % (tag, err))
    root = ET.fromstring(html)
    K.check(root.get("lang") == lang, "%s: lang %r" % (tag, root.get("lang")))
    head = root.find("head")
    K.check(head.find("meta[@charset='utf-8']") is not None,
            "%s: no meta charset" % tag)
    K.check(text_of(head.find("title")) == "%s \u2013 %s"
            % (doc["title"], doc["period"]["label"]), "%s: title" % tag)

    # self-contained
    for e in root.iter():
        name = e.tag.replace(SVG, "")
        K.check(name not in ("script", "link", "img", "iframe", "object",
                             "embed", "image", "use", "foreignObject"),
                "%s: <%s> in the report" % (tag, name))
        K.check(e.get("src") is None, "%s: src= on <%s>" % (tag, name))
        href = e.get("href")
        K.check(href is None or href.startswith("#"),
                "%s: href %r" % (tag, href))
        if href:
            K.check(root.find(".//*[@id='%s']" % href[1:]) is not None,
                    "%s: link %s to nothing" % (tag, href))
    style = text_of(head.find("style"))
    K.check("url(" not in style and "@import" not in style,
            "%s: the style loads something" % tag)
    for rule in ("@page{size:A4", "thead{display:table-header-group}",
                 "tr,figure.chart,.summary{break-inside:avoid",
                 ".num{text-align:right;font-variant-numeric:tabular-nums"):
        K.check(rule in style, "%s: no %s in the style" % (tag, rule))

    # assessments: symbol, colour class and label; counts per indicator
    seen, counts = set(), {k: 0 for k in SYMBOLS}
    for tr in root.iter("tr"):
        # an indicator row: its last cell is the assessment (the
        # columns before it vary with what the table shows)
        tds = tr.findall("td")
        if not tds or "grade" not in (tds[-1].get("class") or "").split():
            continue
        cls = tds[-1].get("class").split()
        key = cls[1]
        sym = tds[-1].find("span")
        K.check(cls[0] == "grade" and key in SYMBOLS and sym is not None and
                sym.text == SYMBOLS[key] and sym.get("aria-hidden") == "true",
                "%s: assessment cell %r" % (tag, text_of(tds[-1])))
        if tr.get("id"):
            K.check(tr.get("id") not in seen, "%s: id twice" % tag)
            seen.add(tr.get("id"))
            counts[key] += 1
    summary = doc["summary"]
    K.check(counts == {"met": summary["met"], "partial": summary["partial"],
                       "not_met": summary["not_met"],
                       "not_assessed": summary["not_assessed"]} and
            len(seen) == summary["indicators"],
            "%s: rows %r, summary %r" % (tag, counts, summary))
    box = root.find(".//section[@class='summary']")
    table = {text_of(r.find("td"))[2:]: int(text_of(r.findall("td")[1]))
             for r in box.find("table").iter("tr") if r.find("td") is not None}
    K.check(sorted(table.values()) == sorted(counts.values()) and
            sum(table.values()) == summary["indicators"],
            "%s: summary table %r" % (tag, table))
    legend = text_of(box.find("p[@class='legend']"))
    for key, sym in SYMBOLS.items():
        K.check(sym in legend, "%s: legend lacks %s" % (tag, key))

    # charts, matched to their indicators by the caption
    inds = {}
    for _, i in K.json_indicators(doc):
        inds.setdefault(i["name"], i)
    figs = list(root.iter("figure"))
    want = sum(1 for _, i in K.json_indicators(doc)
               if month_values(i, doc["year"], i["aggregation"]))
    K.check(len(figs) == want, "%s: %d charts, %d rows with monthly data"
            % (tag, len(figs), want))
    for fig in figs:
        cap = text_of(fig.find("figcaption")).rsplit(" (", 1)[0]
        if K.check(cap in inds, "%s: chart of unknown %r" % (tag, cap)):
            check_chart(fig, inds[cap], doc["year"], lang, tag)
    return len(figs)


def main():
    env = K.Env(sys.argv)
    p = subprocess.run(["tidy", "-errors", "-quiet"], input=BROKEN,
                       capture_output=True)
    K.check(p.returncode == 2 and b"Error" in p.stderr + p.stdout,
            "tidy passed a broken document: %r" % p.stderr)
    ok, _ = K.html_ok(BROKEN)
    K.check(not ok, "html_ok passed a broken document")
    for cfg in ("conf/2011.ini", "tests/data/e2e/small.ini"):
        for lang in ("sv", "en"):
            n = check_report(env, env.path(cfg), lang)
            print("%s %s: tidy clean, %d charts read back" % (cfg, lang, n))
    K.done("test_html")


if __name__ == "__main__":
    main()
