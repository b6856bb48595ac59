#!/bin/sh
# fuzz.sh - seed, fuzz and minimise the corpora of tests/fuzz.
#
#   fuzz.sh seeds OUT             write seed inputs made from the test data
#                                 into OUT/<harness>/
#   fuzz.sh run BUILD SECONDS [HARNESS...]
#                                 fuzz each harness (all by default) for
#                                 SECONDS from its corpus and seeds, in a
#                                 scratch copy: the repository is not
#                                 changed; a crash is left in
#                                 BUILD/fuzz-crashes/<harness>/ and fails
#   fuzz.sh merge BUILD [HARNESS...]
#                                 minimise corpus/<harness>/ together with
#                                 the seeds (libFuzzer -merge=1); the
#                                 inputs of fixed crashes (crash-*) stay
#
# With $KPI_FUZZ_WORK set, run keeps what it found in that directory
# (<harness>/) and merge takes it in.  With $KPI_FUZZ_RUNS set, run stops
# after that many inputs (or SECONDS, whichever comes first); an input
# running longer than $KPI_FUZZ_TIMEOUT seconds (default 10) is a
# failure (raise it on a loaded machine); and with
# $KPI_FUZZ_LOG set it keeps each harness's libFuzzer output in
# $KPI_FUZZ_LOG.<harness>.  $KPI_FUZZ_JOBS harnesses run at a time
# (default 1).
#
# BUILD is a build directory configured with CC=clang -DKPI_FUZZ=ON.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
all="csv num date roundtrip config calllog caselog budget balance"

# seed_files HARNESS: the test-data files a harness starts from.
seed_files() {
	case $1 in
	csv) ls "$src"/tests/data/csv/*.csv "$src"/plugins/*/tests/data/*.csv ;;
	config) ls "$src"/conf/*.ini "$src"/tests/data/ini/*.ini \
		"$src"/tests/data/e2e/*.ini "$src"/tests/data/e2e/*/*.ini ;;
	calllog) ls "$src"/plugins/switchboard/tests/data/*.csv \
		"$src"/plugins/switchboard/tests/data/bad/*.csv ;;
	caselog) ls "$src"/plugins/contact_centre/tests/data/*.csv \
		"$src"/plugins/contact_centre/tests/data/bad/*.csv ;;
	budget) ls "$src"/plugins/budget/tests/data/budget*.csv ;;
	balance) ls "$src"/plugins/budget/tests/data/balance*.csv ;;
	esac
}

# put DIR NAME OPTION TEXT: a seed of one option byte (octal) and TEXT.
put() {
	printf "\\$3%s" "$4" > "$1/$2"
}

seeds() {
	out=$1
	for h in $all; do
		mkdir -p "$out/$h"
	done
	for h in config calllog caselog budget balance; do
		for f in $(seed_files $h); do
			cp "$f" "$out/$h/$(basename "$(dirname "$f")")_$(basename "$f")"
		done
	done
	i=0
	for f in $(seed_files csv); do
		i=$((i + 1))
		# default limits, then small caps with every field parsed
		{ printf '\000'; cat "$f"; } > "$out/csv/$i.plain"
		{ printf '\005'; cat "$f"; } > "$out/csv/$i.parsed"
	done
	i=0
	for t in '1 290 191' '5,5' '-3' '+12' '− 4' '−4,25' '1 234,5' \
	         '1 234 567' '1 234 567,5' '1 234 567,5' '0.001' \
	         '  42  ' '007' '1e5' 'inf' 'NaN' '12 3' '300 000' '(123)' \
	         '0x1F' '1.234,56' ',5' '5,' '99999999999999999999' \
	         '9223372036854775808' '-9223372036854775808' '1 2345' \
	         '12345 678' '1 234 567'; do
		i=$((i + 1))
		put "$out/num" "$i.sv" 001 "$t"
		put "$out/num" "$i.en" 000 "$t"
	done
	i=0
	for t in '2011-01-31' '2011-02-29' '2012-02-29' '1900-02-29' \
	         '2000-02-29' '2011-08' '2011-13' '2011-01-10 09:15:00' \
	         '2011-01-10T09:15' '2011-01-10 24:00' ' 2011-04-31 ' \
	         '1899-12-31' '2999-12-31 23:59:59' '2011-1-1'; do
		i=$((i + 1))
		put "$out/date" "$i.d" 000 "$t"
		put "$out/date" "$i.m" 002 "$t"
		put "$out/date" "$i.mt" 006 "$t"
	done
	# roundtrip: a little-endian double, decimals, style (python3 for
	# the bytes of a double)
	python3 - "$out/roundtrip" <<'PY'
import struct, sys
cases = [(7.7e49, 15, 2, "large_15_decimals"), (2.675, 2, 2, "half"),
         (1290191.0, 0, 2, "grouped"), (-0.0005, 3, 0, "neg_half"),
         (1.7976931348623157e308, 15, 1, "dbl_max"), (1e-320, 2, 2, "denormal"),
         (0.5, 0, 1, "half_en"), (123456789012345678.0, 0, 0, "wide")]
for v, d, style, name in cases:
    open(sys.argv[1] + "/" + name, "wb").write(struct.pack("<d", v) + bytes([d, style]))
PY
}

# fuzz_one BIN-DIR SECONDS HARNESS: one harness from its corpus and the
# seeds in $tmp/seeds.  Returns 1 on a crash.
fuzz_one() {
	build=$1 secs=$2 h=$3
	bin="$build/tests/fuzz/fuzz_$h"
	crashes="$build/fuzz-crashes/$h"
	log="$tmp/log.$h"
	mkdir -p "$work/$h" "$crashes"
	cp "$here/corpus/$h/"* "$work/$h/" 2>/dev/null || true
	dict=
	[ -f "$here/$h.dict" ] && dict="-dict=$here/$h.dict"
	runs=
	[ -z "${KPI_FUZZ_RUNS:-}" ] || runs="-runs=$KPI_FUZZ_RUNS"
	if ! "$bin" -max_total_time="$secs" $runs \
		-timeout="${KPI_FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
		-max_len=4096 -print_final_stats=1 $dict \
		-artifact_prefix="$crashes/" \
		"$work/$h" "$tmp/seeds/$h" 2>"$log"; then
		echo "== fuzz_$h for $secs s"
		tail -n 60 "$log"
		echo "fuzz_$h: crash, input kept in $crashes/"
		return 1
	fi
	echo "== fuzz_$h for $secs s"
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)' "$log" || true
	[ -z "${KPI_FUZZ_LOG:-}" ] || cp "$log" "$KPI_FUZZ_LOG.$h"
	return 0
}

run() {
	build=$1 secs=$2
	shift 2
	[ $# -gt 0 ] || set -- $all
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	seeds "$tmp/seeds"
	work=${KPI_FUZZ_WORK:-$tmp/work}
	jobs=${KPI_FUZZ_JOBS:-1}
	# harness i runs in lane i % jobs; the lanes run side by side
	lane=0 pids=
	while [ "$lane" -lt "$jobs" ]; do
		(
			i=0 st=0
			for h in "$@"; do
				[ $((i % jobs)) -eq "$lane" ] &&
					{ fuzz_one "$build" "$secs" "$h" || st=1; }
				i=$((i + 1))
			done
			exit $st
		) > "$tmp/lane.$lane" 2>&1 &
		pids="$pids $!"
		lane=$((lane + 1))
	done
	status=0
	lane=0
	for pid in $pids; do
		wait "$pid" || status=1
	done
	while [ "$lane" -lt "$jobs" ]; do
		cat "$tmp/lane.$lane"
		lane=$((lane + 1))
	done
	return $status
}

merge() {
	build=$1
	shift
	[ $# -gt 0 ] || set -- $all
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	seeds "$tmp/seeds"
	for h in "$@"; do
		bin="$build/tests/fuzz/fuzz_$h"
		mkdir -p "$tmp/new/$h" "$here/corpus/$h"
		extra=
		[ -z "${KPI_FUZZ_WORK:-}" ] || extra="$KPI_FUZZ_WORK/$h"
		# edges only (no hit counts): the fewest files that cover
		# what the whole set covers
		"$bin" -merge=1 -use_counters=0 -max_len=4096 "$tmp/new/$h" \
			"$here/corpus/$h" \
			"$tmp/seeds/$h" $extra 2>"$tmp/log" ||
			{ tail -n 30 "$tmp/log"; exit 1; }
		find "$here/corpus/$h" -type f ! -name 'crash-*' -delete
		cp "$tmp/new/$h/"* "$here/corpus/$h/"
		echo "corpus/$h: $(ls "$here/corpus/$h" | wc -l) files," \
		     "$(du -sk --apparent-size "$here/corpus/$h" | cut -f1) KiB"
	done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
seeds) [ $# -eq 1 ] || exit 2; seeds "$1" ;;
run) [ $# -ge 2 ] || exit 2; run "$@" ;;
merge) [ $# -ge 1 ] || exit 2; merge "$@" ;;
*) sed -n '2,25p' "$0" >&2; exit 2 ;;
esac
