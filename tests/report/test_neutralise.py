#!/usr/bin/env python3
"""test_neutralise.py - text from data cannot act on a terminal or break a
parser (escape.h).

tests/data/e2e/hostile/hostile.ini: an export (balance.csv) whose item
names hold an ANSI colour sequence, an OSC title sequence ending in BEL, a
bare CR and a C1 CSI (U+009B).  tests/data/e2e/hostile/plugin.ini: a
plugin (tests/fixtures/fx_text.c) passing on bytes that are not UTF-8
(FF FE 80) besides the same controls, in a table cell, its note and a
group key.  For each, in both languages:
  text, Markdown  no control byte reaches the output; each shows as a
                  visible escape (\\x1b, \\r, \\x07, \\u009b, \\xff);
  JSON            valid UTF-8 that json reads; the controls survive as
                  JSON escapes, invalid bytes become U+FFFD;
  JUnit           xmllint and xml.etree parse it;
  HTML            valid UTF-8 without control bytes, xmllint --html clean;
  CSV             valid UTF-8 that the csv module reads.
"""
import re
import sys

import kpireport as K

CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def check_format(env, cfg, lang, want_visible, want_json, status=0):
    tag = "%s (%s)" % (cfg.rsplit("/", 1)[1], lang)
    out = {f: env.run("--format", f, "--lang", lang, cfg, status=status)[0]
           for f in K.FORMATS}
    for f in ("text", "markdown"):
        m = CONTROL.search(out[f])
        K.check(not m, "%s %s: control byte %r reaches the output"
                % (tag, f, m and m.group(0)))
        shown = out[f].decode("utf-8")
        if f == "markdown":     # as a Markdown reader sees it
            shown = K.md_unescape(shown)
        for v in want_visible:
            K.check(v in shown, "%s %s: %s not shown" % (tag, f, v))
    for f in ("html", "junit", "csv", "json"):
        try:
            out[f].decode("utf-8")
        except UnicodeDecodeError as e:
            K.fail("%s %s: not UTF-8: %s" % (tag, f, e))
    for f in ("html", "junit"):
        m = CONTROL.search(out[f].replace(b"\n", b""))
        K.check(not m, "%s %s: control byte %r" % (tag, f, m and m.group(0)))
    ok, err = K.xmllint_ok(out["junit"])
    K.check(ok, "%s junit: xmllint: %s" % (tag, err))
    K.read_junit(out["junit"])
    ok, err = K.xmllint_ok(out["html"], html_mode=True)
    K.check(ok, "%s html: xmllint --html: %s" % (tag, err))
    records, tables = K.read_csv(out["csv"])
    K.check(records and tables, "%s csv: no records or tables" % tag)
    doc = K.read_json(out["json"])
    texts = [c for t in doc["tables"] for r in t["rows"] for c in r
             if isinstance(c, str)]
    for w in want_json:
        K.check(any(w in t for t in texts), "%s json: %r not in %r"
                % (tag, w, texts))


def main():
    env = K.Env(sys.argv)
    hostile = env.path("tests/data/e2e/hostile/hostile.ini")
    plugin = env.path("tests/data/e2e/hostile/plugin.ini")
    # Swedish item names come from the "item" column, English ones from
    # "name_en" (CR and the C1 CSI are there)
    check_format(env, hostile, "sv",
                 ["\\x1b[31m", "\\x1b]0;title\\x07"],
                 ["Tillgångar \x1b[31mRÖD\x1b[0m", "Kassa\x1b]0;title\x07"])
    check_format(env, hostile, "en", ["\\rOVERWRITE", "Cash\\u009b2J"],
                 ["Assets\rOVERWRITE", "Cash\x9b2J"])
    visible = ["red\\x1b[31mX\\x1b[0m", "cr\\rOVER", "c1\\u009b2J",
               "bad\\xff\\xfe\\x80"]
    for lang in ("sv", "en"):
        check_format(env, plugin, lang, visible,
                     ["red\x1b[31mX\x1b[0m cr\rOVER c1\x9b2J "
                      "bad\ufffd\ufffd\ufffd <b>&"])
    # the group key (breakdown = yes) and the table's note, in text
    text = env.run("--lang", "en", plugin)[0].decode("utf-8")
    K.check("Count, red\\x1b[31mX\\x1b[0m cr\\rOVER" in text,
            "text: group row not escaped")
    K.check("note red\\x1b[31mX" in text, "text: note not escaped")
    K.done("test_neutralise")


if __name__ == "__main__":
    main()
