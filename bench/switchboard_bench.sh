#!/bin/sh
# switchboard_bench.sh - throughput of the switchboard plugin: generate a
# call log of ROWS rows (default 10 million), run the plugin over it through
# the built kpirun (else through a fake-host driver), print rows, bytes,
# seconds, rows/s, MB/s and peak RSS, and delete the generated file.
#
# Usage: bench/switchboard_bench.sh [BUILD_DIR] [ROWS]
#   BUILD_DIR  a configured and built tree (default: build); needs
#              BUILD_DIR/plugins/switchboard.so
#   KPI_BENCH_DRIVER=fakehost forces the fake-host driver.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
rows=${2:-10000000}
plugin=$build/plugins/switchboard.so
kpirun=$build/core/kpirun
cc=${CC:-cc}

case $rows in
''|*[!0-9]*) echo "switchboard_bench.sh: ROWS must be a number, not '$rows'" >&2; exit 2 ;;
esac
[ -f "$plugin" ] || {
	echo "switchboard_bench.sh: $plugin not built (cmake --build $build --target switchboard)" >&2
	exit 2
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/switchboard_bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
csv=$dir/switchboard_calls.csv

# The generator: a small C program, deterministic (same rows every run).
$cc -O2 -std=c11 -o "$dir/gen_calls" "$src/plugins/switchboard/tools/gen_calls.c"
echo "generating $rows rows in $csv" >&2
"$dir/gen_calls" "$rows" > "$csv"
bytes=$(wc -c < "$csv" | tr -d ' ')

# How to run the plugin: the real binary if it works, else the driver.
if [ "${KPI_BENCH_DRIVER:-}" != fakehost ] && [ -x "$kpirun" ] &&
   "$kpirun" --version > /dev/null 2>&1; then
	how="kpirun"
	cat > "$dir/bench.ini" <<EOF
[kpirun]
year = 2011
period = T2
data_dir = $dir
plugin_dir = $build/plugins

[area switchboard]
plugin = switchboard
file = switchboard_calls.csv

[goal 3]
kind = direction
title_sv = Kostnadseffektiv verksamhet
title_en = Cost-effective operations

[goal bench]
kind = committee
parent = 3
title_sv = Växeln
title_en = Switchboard
indicators = switchboard.answered, switchboard.answered_share, switchboard.service_level, switchboard.avg_talk_s
EOF
	set -- "$kpirun" --lang en "$dir/bench.ini"
else
	how="fake-host driver"
	$cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L \
	    -DKPI_PLUGIN_BUILD_DIR="\"$build/plugins\"" \
	    -I"$src/include" -I"$src/core" -I"$src/tests/support" \
	    -o "$dir/bench_driver" \
	    "$src/plugins/switchboard/tools/bench_driver.c" \
	    "$src/tests/support/fakehost.c" "$src/core/csv.c" \
	    "$src/core/source.c" "$src/core/progress.c" \
	    "$src/core/num.c" "$src/core/diag.c" -ldl -lm -lz
	set -- "$dir/bench_driver" "$csv"
fi

# Time the run; peak RSS from GNU time when it is there.
echo "running the switchboard plugin through $how" >&2
start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
	/usr/bin/time -v -o "$dir/time.txt" "$@" > "$dir/out.txt"
	rss=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$dir/time.txt")
else
	"$@" > "$dir/out.txt"
	rss=
fi
end=$(date +%s.%N)
grep -i -E 'answered|talk|service' "$dir/out.txt" >&2 || true

awk -v rows="$rows" -v bytes="$bytes" -v s="$start" -v e="$end" \
    -v rss="$rss" -v how="$how" 'BEGIN {
	secs = e - s
	printf "driver:   %s\n", how
	printf "rows:     %d\n", rows
	printf "bytes:    %d (%.1f MB)\n", bytes, bytes / 1e6
	printf "seconds:  %.2f\n", secs
	printf "rows/s:   %.0f\n", rows / secs
	printf "MB/s:     %.1f\n", bytes / 1e6 / secs
	if (rss != "")
		printf "peak RSS: %d KiB\n", rss
	else
		printf "peak RSS: n/a (no /usr/bin/time)\n"
}'
