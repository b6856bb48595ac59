#!/bin/sh
# csv_bench.sh - generate a ~1 GB call-log CSV (switchboard_calls.csv
# format) in $TMPDIR, time the CSV reader over it with csv_bench, delete it.
# Usage: bench/csv_bench.sh [BUILD_DIR] [SIZE_MB]   (default build, 1000)
set -eu

build=${1:-build}
size_mb=${2:-1000}
bench=$build/bench/csv_bench
[ -x "$bench" ] || { echo "csv_bench.sh: $bench not built (cmake --build $build --target csv_bench)" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/csv_bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
csv=$dir/switchboard_calls.csv

# Rows of about 50 bytes: a timestamp, one of a few queues (one non-ASCII
# name, one quoted with the delimiter inside), a result, wait and talk
# seconds (wait with a decimal part now and then, talk empty when
# abandoned).  Deterministic: same seed, same file.
echo "generating ${size_mb} MB in $csv" >&2
awk -v target=$((size_mb * 1000000)) '
function z(n) { return n < 10 ? "0" n : n }
BEGIN {
	srand(2011);
	q[0] = "vaxel"; q[1] = "\"ekonomi, lon\""; q[2] = "hr"; q[3] = "it-support";
	q[4] = "\303\244ldre direkt";
	print "call_start,queue,result,wait_s,talk_s";
	bytes = 38; day = 0; sec = 28800;
	while (bytes < target) {
		sec += int(rand() * 20);
		if (sec >= 61200) { sec = 28800; day = (day + 1) % 365 }
		m = int(day / 31) + 1; d = day % 31 + 1; if (d > 28) d = 28;
		wait = int(rand() * 120);
		if (rand() < 0.9) { res = "answered"; talk = int(rand() * 600) }
		else { res = "abandoned"; talk = "" }
		if (rand() < 0.1) wait = wait ".5";
		line = "2011-" z(m) "-" z(d) " " z(int(sec / 3600)) ":" \
		    z(int(sec / 60) % 60) ":" z(sec % 60) "," q[int(rand() * 5)] \
		    "," res "," wait "," talk;
		print line;
		bytes += length(line) + 1;
	}
}' > "$csv"

echo "$bench $csv" >&2
"$bench" "$csv"
