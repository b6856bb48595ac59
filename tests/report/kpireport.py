"""kpireport.py - what the report tests share: running the built kpirun
and reading each output format back with the program that reads it (json,
csv, html.parser, xml.etree, and xmllint), never by comparing bytes.

Every test script takes: KPIRUN SOURCE_DIR PLUGIN_DIR FIXTURE_DIR.
"""
import csv
import html.parser
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

FORMATS = ("text", "markdown", "html", "csv", "json", "junit")


class Env:
    def __init__(self, argv):
        if len(argv) != 5:
            sys.exit("usage: %s KPIRUN SOURCE_DIR PLUGIN_DIR FIXTURE_DIR"
                     % argv[0])
        self.kpirun, self.src, plugins, fixtures = argv[1:]
        self.env = dict(os.environ,
                        KPI_PLUGIN_PATH=plugins + ":" + fixtures)

    def path(self, rel):
        return os.path.join(self.src, rel)

    def run(self, *args, status=0):
        """Run kpirun; return (stdout bytes, stderr text)."""
        p = subprocess.run([self.kpirun, *args], env=self.env,
                           capture_output=True, timeout=120)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode != status:
            fail("kpirun %s exited %d, expected %d:\n%s"
                 % (" ".join(args), p.returncode, status, err))
        return p.stdout, err


failures = []


def fail(msg):
    print("FAIL: " + msg)
    failures.append(msg)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


def done(name):
    if failures:
        print("%s: %d failure(s)" % (name, len(failures)))
        sys.exit(1)
    print("%s: all checks passed" % name)


# ---- readers, one per format ------------------------------------------

def read_json(data):
    """Parse strictly: the bytes must be UTF-8 and the text JSON."""
    return json.loads(data.decode("utf-8"))


def walk_goals(goals):
    for g in goals:
        yield g
        yield from walk_goals(g["goals"])


def json_indicators(doc):
    """(goal id or None, indicator) for every row, goals first."""
    for g in walk_goals(doc["goals"]):
        for i in g["indicators"]:
            yield g["id"], i
    for i in doc["other_indicators"]["indicators"]:
        yield None, i


class _HTML(html.parser.HTMLParser):
    """Tables (rows of cell texts), list items, headings and paragraphs in
    document order as ('table', rows) / ('li', text) / ('h', text) /
    ('p', text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items, self.rows, self.cell, self.text = [], None, None, None
        self.stack = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "table":
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag in ("li", "p", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.text = ""

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell)
            self.cell = None
        elif tag == "table":
            self.items.append(("table", self.rows))
            self.rows = None
        elif tag == "li" and self.text is not None:
            self.items.append(("li", self.text))
            self.text = None
        elif tag == "p" and self.text is not None:
            self.items.append(("p", self.text))
            self.text = None
        elif re.fullmatch(r"h[1-6]", tag) and self.text is not None:
            self.items.append(("h", self.text))
            self.text = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        elif self.text is not None:
            self.text += data


def read_html(data):
    p = _HTML()
    p.feed(data.decode("utf-8"))
    p.close()
    return p.items


def _md_cells(line):
    """The cells of a Markdown pipe-table row, backslash escapes undone."""
    cells, cur, i = [], "", 0
    body = line.strip()[1:]
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body) and body[i + 1] in "|\\*_<>`[]":
            cur += body[i + 1]
            i += 2
            continue
        if c == "|":
            cells.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    return cells


def md_unescape(s):
    return re.sub(r"\\([|\\*_<>`\[\]])", r"\1", s)


def read_markdown(data):
    """Like read_html: tables, list items, headings, paragraphs."""
    items, rows = [], None
    for line in data.decode("utf-8").split("\n"):
        if line.startswith("|"):
            if rows is None:
                rows = []
            if not re.fullmatch(r"(\|---)+\|", line):
                rows.append(_md_cells(line))
            continue
        if rows is not None:
            items.append(("table", rows))
            rows = None
        if line.startswith("- "):
            items.append(("li", md_unescape(line[2:])))
        elif line.startswith("#"):
            items.append(("h", md_unescape(line.lstrip("#").strip())))
        elif line.strip():
            items.append(("p", md_unescape(line)))
    if rows is not None:
        items.append(("table", rows))
    return items


def read_csv(data):
    """The record block as dicts, then each plugin table as a list of
    rows (title row first)."""
    text = data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, records, tables, i = rows[0], [], [], 1
    while i < len(rows) and rows[i]:
        records.append(dict(zip(header, rows[i])))
        i += 1
    while i < len(rows):
        if not rows[i]:
            tables.append([])
        else:
            tables[-1].append(rows[i])
        i += 1
    return records, tables


def read_junit(data, path_for_xmllint=None):
    root = ET.fromstring(data)
    cases = {}
    for tc in root.iter("testcase"):
        out = tc.find("system-out")
        cases[tc.get("name")] = {
            "classname": tc.get("classname"),
            "out": out.text if out is not None and out.text else "",
            "failure": tc.find("failure"),
            "error": tc.find("error"),
            "skipped": tc.find("skipped"),
        }
    return root, cases


def xmllint_ok(data, html_mode=False):
    args = ["xmllint", "--noout"] + (["--html"] if html_mode else []) + ["-"]
    p = subprocess.run(args, input=data, capture_output=True)
    return p.returncode == 0 and not p.stderr, p.stderr.decode("utf-8",
                                                                "replace")


def text_rows(data):
    """Lines of the text report (as text)."""
    return data.decode("utf-8").split("\n")
