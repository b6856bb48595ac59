#!/bin/sh
# docs_test.sh - what a Debian user reads: the man pages render without a
# warning (groff -ww) and have a NAME line whatis can index (lexgrog); the
# config in kpirun.ini(5)'s EXAMPLE is one kpirun accepts and reports the
# seed's switchboard figures from; every long option --help lists is in
# kpirun(1); LICENSE is the licence the plugins declare; cmake --install
# puts the man pages and docs where man(1) and a user look; and the
# smallest plugin of docs/plugins.md, compiled from the page's text, loads
# and reports the figures worked out by hand from tests/data/docs.
# Usage: docs_test.sh CMAKE BUILD_DIR SOURCE_DIR   (registered with ctest)
set -eu

if [ $# -ne 3 ]; then
	echo "usage: docs_test.sh CMAKE BUILD_DIR SOURCE_DIR" >&2
	exit 2
fi
cmake=$1
build=$2
src=$3
kpirun=$build/core/kpirun

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kpi-docs-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "docs_test: $*" >&2
	exit 1
}

# 1. each page renders with every groff warning on, and none is printed
for page in "$src/man/kpirun.1" "$src/man/kpirun.ini.5"; do
	groff -man -Tutf8 -ww -z "$page" 2>"$tmp/groff.err" ||
		fail "groff failed on $page"
	[ ! -s "$tmp/groff.err" ] ||
		fail "groff warns on $page: $(cat "$tmp/groff.err")"
	lexgrog "$page" >"$tmp/lexgrog.out" ||
		fail "lexgrog cannot parse the NAME section of $page"
	grep -q ' - ' "$tmp/lexgrog.out" ||
		fail "no 'name - description' in $page: $(cat "$tmp/lexgrog.out")"
done

# 2. the EXAMPLE of kpirun.ini(5), as man shows it, is a config kpirun runs
#    (its data_dir made absolute, since the example sits in conf/)
MANWIDTH=200 man -l "$src/man/kpirun.ini.5" 2>/dev/null | col -b |
	awk '/^EXAMPLE/ { f = 1; next } /^[A-Z]/ { f = 0 } f' |
	sed -n '/^       \[kpirun\]/,$p' | sed 's/^       //' |
	sed "s|^data_dir = \.\./data/2011\$|data_dir = $src/data/2011|" \
	>"$tmp/example.ini"
grep -q "^data_dir = $src/data/2011\$" "$tmp/example.ini" ||
	fail "no data_dir line in the example: $(cat "$tmp/example.ini")"
KPI_PLUGIN_PATH=$build/plugins "$kpirun" --check "$tmp/example.ini" ||
	fail "kpirun --check refuses the example of kpirun.ini(5)"
KPI_PLUGIN_PATH=$build/plugins "$kpirun" --lang en "$tmp/example.ini" \
	>"$tmp/example.txt" || fail "kpirun fails on the example"
# the seed's switchboard figures (Tertialrapport 2 2011): answered share
# 92,8 %, within 25 s 78,5 %, sub-periods T1 76,8 % and May-Aug 80,3 %
for figure in "92.8 %" "78.5 %" "76.8 %" "80.3 %"; do
	grep -q "$figure" "$tmp/example.txt" ||
		fail "the example's report lacks $figure: $(cat "$tmp/example.txt")"
done

# 3. every long option of --help is documented in kpirun(1)
MANWIDTH=200 man -l "$src/man/kpirun.1" 2>/dev/null | col -b >"$tmp/kpirun.1.txt"
"$kpirun" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/options"
[ -s "$tmp/options" ] || fail "no options in --help"
while read -r opt; do
	grep -q -- "$opt" "$tmp/kpirun.1.txt" ||
		fail "kpirun(1) does not document $opt"
done <"$tmp/options"

# 4. LICENSE is the licence every plugin declares (its SPDX id)
head -n 1 "$src/LICENSE" | grep -qx 'MIT License' ||
	fail "LICENSE is not the MIT licence"
grep -h '\.license = ' "$src"/plugins/*/*.c "$src"/tests/sdk/*.c |
	sed 's/.*\.license = "\([^"]*\)".*/\1/' | sort -u >"$tmp/licences"
[ "$(cat "$tmp/licences")" = MIT ] ||
	fail "the plugins declare $(tr '\n' ' ' <"$tmp/licences"), LICENSE is MIT"

# 5. installed where man(1) and a user look; the installed kpirun(1) names
#    the plugin directory this kpirun was built with
"$cmake" --install "$build" --prefix "$tmp/prefix" >/dev/null ||
	fail "cmake --install failed"
for f in share/man/man1/kpirun.1 share/man/man5/kpirun.ini.5 \
         share/doc/kpirun/README.md share/doc/kpirun/LICENSE \
         share/doc/kpirun/config.md share/doc/kpirun/evaluation.md \
         share/doc/kpirun/plugins.md share/doc/kpirun/plugins/switchboard.md \
         share/doc/kpirun/plugins/measurements.md; do
	[ -f "$tmp/prefix/$f" ] || fail "$f is not installed"
done
plugin_dir=$("$kpirun" --help | sed -n 's/.*\$KPI_PLUGIN_PATH (colon-separated), then //p')
[ -n "$plugin_dir" ] || fail "--help does not name the installed plugin directory"
grep -q -- "^\.I $plugin_dir\$" "$tmp/prefix/share/man/man1/kpirun.1" ||
	fail "the installed kpirun(1) does not name $plugin_dir"
MANPATH=$tmp/prefix/share/man man -w kpirun.ini >/dev/null 2>&1 ||
	fail "man does not find the installed kpirun.ini(5)"
# 6. "The smallest plugin" of docs/plugins.md: its C block built as the page
#    says (headers of this tree), its ini block run on tests/data/docs/
#    visits.csv.  Not under /tmp: the loader wants every directory on a
#    plugin's path writable by its owner alone.
section() {
	awk '/^## The smallest plugin/ { f = 1; next } /^## / { f = 0 } f' \
		"$src/docs/plugins.md" |
		awk -v lang="$1" '$0 == "```" lang { b = 1; next }
		                  /^```/ { if (b) exit; next } b'
}
mkdir -p "$build/scratch"
pdir=$(mktemp -d "$build/scratch/kpi-docs-plugin.XXXXXX")
trap 'rm -rf "$tmp" "$pdir"' EXIT
chmod 755 "$pdir"
pdir=$(cd "$pdir" && pwd)
section c >"$pdir/visits.c"
section ini >"$pdir/area.ini"
lines=$(wc -l <"$pdir/visits.c")
[ "$lines" -ge 30 ] && [ "$lines" -le 50 ] ||
	fail "the smallest plugin is $lines lines, not about 40"
(umask 022 && cc -std=c11 -Wall -Wextra -Wpedantic -Werror -shared -fPIC \
	-fvisibility=hidden -Wl,-z,defs -I "$src/include" \
	-o "$pdir/visits.so" "$pdir/visits.c") ||
	fail "the smallest plugin of docs/plugins.md does not build"
{
	printf '[kpirun]\nyear = 2011\nperiod = T2\n'
	printf 'data_dir = %s\nplugin_dir = %s\n\n' "$src/tests/data/docs" "$pdir"
	cat "$pdir/area.ini"
} >"$pdir/visits.ini"
"$kpirun" --format json "$pdir/visits.ini" >"$pdir/report.json" \
	2>"$pdir/report.err" ||
	fail "kpirun fails on the smallest plugin: $(cat "$pdir/report.err")"
# visits.csv, T2 2011 (January to August): 2011-01..03 have 1000 + 1200 +
# 800 = 3000 visitors and 3 + 6 + 1 = 10 complaints, 10 / 3000 * 1000 =
# 3.333... per 1 000 visitors; 2010-12 and 2011-09 are outside the period
python3 - "$pdir/report.json" <<'PY' || fail "the smallest plugin's figures are wrong"
import json, sys
rep = json.load(open(sys.argv[1]))
got = {}
def walk(goals):
    for g in goals:
        for i in g.get("indicators", []):
            got[i["id"]] = i["outcome"]
        walk(g.get("goals", []))
walk(rep["goals"])
want = {"visits.visitors": 3000.0, "visits.complaints": 10 / 3000 * 1000}
bad = [k for k in want if got.get(k) is None or abs(got[k] - want[k]) > 1e-9]
for k in bad:
    print("docs_test: %s is %r, want %r" % (k, got.get(k), want[k]),
          file=sys.stderr)
sys.exit(1 if bad else 0)
PY

echo "docs_test: man pages, example, options, licence, install and the smallest plugin all right"
