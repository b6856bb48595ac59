#!/bin/sh
# sdk_test.sh - the plugin SDK end to end: install kpirun, build
# tests/sdk/hello_area.c out of tree with cc and pkg-config alone, drop it
# into a plugin directory named by a config, and check the report.
# Usage: sdk_test.sh CMAKE BUILD_DIR SOURCE_DIR   (registered with ctest)
set -eu

if [ $# -ne 3 ]; then
	echo "usage: sdk_test.sh CMAKE BUILD_DIR SOURCE_DIR" >&2
	exit 2
fi
cmake=$1
build=$2
src=$3
umask 022    # the loader refuses group- or other-writable plugins

# not under /tmp: the loader wants every directory on a plugin's path
# writable by its owner alone
mkdir -p "$build/scratch"
tmp=$(mktemp -d "$build/scratch/kpi-sdk-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

fail() {
	echo "sdk_test: $*" >&2
	exit 1
}

# Print a file to stderr under a heading (for a failure's context).
show() {
	echo "---- $1" >&2
	cat "$2" >&2
}

# 1. Install.  DESTDIR catches an install rule with an absolute
# destination: it would otherwise write outside the prefix (into the real
# system when run as root).  Moving the tree into place afterwards is what
# a plain --prefix install gives, and proves nothing in it is tied to
# where it was installed.
if ! DESTDIR=$tmp/stage "$cmake" --install "$build" --prefix "$prefix" \
		>"$tmp/install.log" 2>&1; then
	show "cmake --install" "$tmp/install.log"
	fail "cmake --install $build failed"
fi
[ -d "$tmp/stage$prefix" ] || fail "cmake --install installed nothing"
outside=$(find "$tmp/stage" ! -type d ! -path "$tmp/stage$prefix/*")
if [ -n "$outside" ]; then
	fail "installed outside the prefix (an absolute DESTINATION?):
$outside"
fi
mv "$tmp/stage$prefix" "$prefix"

# 2. The SDK: kpi-plugin.pc, in lib/pkgconfig or lib/<multiarch>/pkgconfig
# depending on what GNUInstallDirs chose.
pc=$(find "$prefix" -name kpi-plugin.pc | head -n 1)
[ -n "$pc" ] || fail "no kpi-plugin.pc installed under $prefix"
PKG_CONFIG_PATH=$(dirname "$pc")
PKG_CONFIG_LIBDIR=$PKG_CONFIG_PATH   # only ours, not a system-wide one
export PKG_CONFIG_PATH PKG_CONFIG_LIBDIR
cflags=$(pkg-config --cflags kpi-plugin) ||
	fail "pkg-config --cflags kpi-plugin failed ($pc)"

# The -I it gives must be the installed header, not one elsewhere.
real_prefix=$(cd "$prefix" && pwd -P)
header=
for flag in $cflags; do
	case $flag in
	-I*)
		dir=${flag#-I}
		[ -f "$dir/kpi/plugin.h" ] || continue
		case $(cd "$dir" && pwd -P)/ in
		"$real_prefix"/*) header=$dir/kpi/plugin.h ;;
		esac
		;;
	esac
done
if [ -z "$header" ]; then
	show "$pc" "$pc"
	fail "pkg-config --cflags kpi-plugin gives '$cflags', which does not \
lead to the kpi/plugin.h installed under $prefix: kpi-plugin.pc is not \
relocatable"
fi
cmp -s "$header" "$src/include/kpi/plugin.h" ||
	fail "$header differs from $src/include/kpi/plugin.h"

# 3. Build the plugin as its author would, warnings as errors.  $cflags
# is split into words on purpose.
mkdir "$tmp/plugins" "$tmp/data"
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror \
	-shared -fPIC -fvisibility=hidden -Wl,-z,defs $cflags \
	-o "$tmp/plugins/hello_area.so" "$src/tests/sdk/hello_area.c" ||
	fail "cannot build hello_area.so against the installed SDK"
# It exports one symbol (besides what some linkers add to every .so).
exports=$(nm -D --defined-only "$tmp/plugins/hello_area.so" | awk '
	$3 !~ /^(_init|_fini|_edata|_end|__bss_start)$/ { print $2, $3 }')
[ "$exports" = "T kpi_plugin_entry" ] ||
	fail "hello_area.so should export only kpi_plugin_entry, not:
$exports"

# 4. A config naming it, and its export.
cp "$src/tests/data/loader/sdk/conf.ini" "$tmp/conf.ini"
cp "$src/tests/data/loader/sdk/data/visitors.csv" "$tmp/data/"

# 5. Run the installed kpirun; the indicator and its value (the sum of
# visitors over Jan-Aug, 737) must be in the report.
kpirun=$prefix/bin/kpirun
[ -x "$kpirun" ] || fail "$kpirun was not installed"
unset KPI_PLUGIN_PATH
rc=0
"$kpirun" --lang en "$tmp/conf.ini" >"$tmp/report.txt" 2>"$tmp/stderr.txt" ||
	rc=$?
if [ "$rc" -ne 0 ]; then
	show "stdout" "$tmp/report.txt"
	show "stderr" "$tmp/stderr.txt"
	fail "kpirun --lang en conf.ini exited with status $rc"
fi
name="Visitors to the service centre"
if ! grep -F "$name" "$tmp/report.txt" |
		grep -Eq '(^|[^0-9.,])737([^0-9]|$)'; then
	show "report" "$tmp/report.txt"
	fail "the report has no line with '$name' and its value 737"
fi

# 6. --list-plugins finds it in the config's plugin directory.
rc=0
"$kpirun" --list-plugins "$tmp/conf.ini" >"$tmp/list.txt" 2>"$tmp/stderr.txt" ||
	rc=$?
if [ "$rc" -ne 0 ] ||
		! grep -Eq '^ +path: +/.*/plugins/hello_area\.so$' "$tmp/list.txt" ||
		! grep -Eq "^ +visitors +sum +higher +st +$name\$" "$tmp/list.txt"; then
	show "stdout" "$tmp/list.txt"
	show "stderr" "$tmp/stderr.txt"
	fail "kpirun --list-plugins conf.ini (status $rc) does not list \
hello_area.so and its indicator"
fi
echo "sdk_test: ok"
