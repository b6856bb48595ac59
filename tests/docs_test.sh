#!/bin/sh
# docs_test.sh - what a Debian user reads: the man pages render without a
# warning (groff -ww) and have a NAME line whatis can index (lexgrog); the
# config in kpirun.ini(5)'s EXAMPLE is one kpirun accepts and reports the
# seed's switchboard figures from; every long option --help lists is in
# kpirun(1); LICENSE is the licence the plugins declare; and cmake --install
# puts the man pages and docs where man(1) and a user look.
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
echo "docs_test: man pages, example, options, licence and install all right"
