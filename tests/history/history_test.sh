#!/bin/bash
# history_test.sh - the results history (--history, --show) end to end:
# the built kpirun records runs of fin.ini (monthly figures in data/) and
# the history is read back with the sqlite3 CLI and Python's sqlite3
# module (check.py), never only by kpirun itself.
#
# usage: history_test.sh KPIRUN PLUGIN_DIR CASE
# CASE: roundtrip rerun accuracy seed baseline concurrent migrate newer
#       corrupt readonly writefault signal show config
#
# The figures, worked out by hand from data/fin.csv:
#   fin.net_cost, 100 a month January-August, then 110, 100, 105, 97:
#     T2 outcome 8 x 100 = 800; linear forecast 800 / 8 x 12 = 1200;
#     year-end outcome 800 + 110 + 100 + 105 + 97 = 1212.
#   fin.forecast_accuracy = 100 + (1200 - 1212) / 1212 x 100
#     = 100 - 0.990099... = 99.00990099 %: within 100 +/- 1 %, met.
#   fin.visits: 10 a month in 2010 in fin.csv; the exports' baseline is
#     last year's figure, the same months a year earlier: 8 x 10 = 80;
#     the 2010 year-end run of fin2010.ini records 12 x 12 = 144.
set -u

KPIRUN=$1
export KPI_PLUGIN_PATH=$2
CASE=$3
SRC=$(cd "$(dirname "$0")" && pwd)
# Debian's python3 (a version manager's shim can take seconds to start)
PY=$(command -v /usr/bin/python3 || command -v python3)
CHECK="$PY $SRC/check.py"
W=$(mktemp -d "${TMPDIR:-/tmp}/kpi-history.XXXXXX") || exit 1
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT
H=$W/h.db
export LC_ALL=C.UTF-8

fail() {
	echo "FAIL ($CASE): $*" >&2
	exit 1
}

# run EXPECTED_STATUS ARGS...: kpirun with stderr in $W/err
run() {
	local want=$1 got
	shift
	"$KPIRUN" "$@" >"$W/out" 2>"$W/err"
	got=$?
	[ "$got" = "$want" ] || { cat "$W/err" >&2; fail "kpirun $* exited $got, expected $want"; }
}

sql() {
	sqlite3 -batch -noheader "$1" "$2" || fail "sqlite3 $1 '$2' failed"
}

# a copy of fin.ini in $W with its data_dir absolute and a sed script applied
variant() {
	sed -e "s|^data_dir = data|data_dir = $SRC/data|" -e "$2" "$SRC/fin.ini" >"$W/$1"
}

# approx A B: |A - B| <= 1e-6
approx() {
	"$PY" -c "import sys; sys.exit(abs(float('$1') - float('$2')) > 1e-6)" ||
		fail "$1 is not $2"
}

case $CASE in
roundtrip)
	run 0 --history "$H" -f json -o "$W/t2.json" "$SRC/fin.ini"
	$CHECK roundtrip "$H" "$W/t2.json" "$SRC/fin.ini" T2 2011-01 2011-08 ||
		fail "T2 run differs from its report"
	[ "$(sql "$H" 'PRAGMA user_version')" = 2 ] || fail "user_version"
	[ "$(sql "$H" 'PRAGMA journal_mode')" = wal ] || fail "not WAL"
	[ "$(sql "$H" 'PRAGMA integrity_check')" = ok ] || fail "integrity"
	[ "$(sql "$H" "SELECT organisation || '/' || committee FROM run")" = \
	  "Testkommunen/Testnämnden" ] || fail "organisation/committee"
	# the hand-worked figures, as stored
	[ "$(sql "$H" "SELECT outcome, forecast FROM result WHERE indicator = 'fin.net_cost'")" = "800.0|1200.0" ] ||
		fail "net cost outcome/forecast"
	[ "$(sql "$H" "SELECT count(*), sum(num) FROM month WHERE indicator = 'fin.net_cost' AND year = 2011 AND month <= 8")" = "8|800.0" ] ||
		fail "net cost months"
	run 0 --history "$H" -p year -f json -o "$W/y.json" "$SRC/fin.ini"
	$CHECK roundtrip "$H" "$W/y.json" "$SRC/fin.ini" year 2011-01 2011-12 ||
		fail "year run differs from its report"
	;;
rerun)
	run 0 --history "$H" -o "$W/r.txt" "$SRC/fin.ini"
	first=$(sql "$H" "SELECT id FROM run")
	hash=$(sql "$H" "SELECT config_hash FROM run")
	variant fin.ini 's/^target = 1 300 mnkr/target = 1 250 mnkr/'
	run 0 --history "$H" -f json -o "$W/r.json" "$W/fin.ini"
	[ "$(sql "$H" "SELECT count(*) FROM run")" = 1 ] || fail "a re-run added a run"
	[ "$(sql "$H" "SELECT config_hash FROM run")" != "$hash" ] || fail "the run row was kept"
	[ "$(sql "$H" "SELECT count(*) FROM result")" = 3 ] || fail "results not replaced"
	[ "$(sql "$H" "SELECT count(*) FROM month")" = "$(sql "$H" "SELECT count(*) FROM month WHERE run_id = (SELECT id FROM run)")" ] ||
		fail "months of the replaced run left"
	[ "$(sql "$H" "SELECT target_value FROM result WHERE indicator = 'fin.net_cost'")" = 1250.0 ] ||
		fail "the re-run's target not recorded"
	$CHECK roundtrip "$H" "$W/r.json" "$W/fin.ini" T2 2011-01 2011-08 || fail "re-run"
	run 0 --history "$H" -p T1 -o "$W/r.txt" "$SRC/fin.ini"
	[ "$(sql "$H" "SELECT group_concat(period, ',') FROM (SELECT period FROM run ORDER BY period)")" = "T1,T2" ] ||
		fail "another period replaced the first"
	;;
accuracy)
	# without a history: no figure, and why
	run 0 -f json -o "$W/none.json" "$SRC/fin.ini"
	[ "$($CHECK report "$W/none.json" fin.forecast_accuracy no_outcome.key)" = no_history ] ||
		fail "no history: reason"
	# the T2 run: no year-end outcome yet
	run 0 --history "$H" -f json -o "$W/t2.json" "$SRC/fin.ini"
	[ "$($CHECK report "$W/t2.json" fin.forecast_accuracy outcome)" = null ] ||
		fail "T2 run has an accuracy"
	[ "$($CHECK report "$W/t2.json" fin.forecast_accuracy no_outcome.key)" = no_year_end_outcome ] ||
		fail "T2 run: reason"
	# the year-end run: the T2 forecast from the history, this run's outcome
	run 0 --history "$H" -p year -o "$W/y.txt" "$SRC/fin.ini"
	approx "$($CHECK value "$H" 2011 year fin.forecast_accuracy outcome)" 99.00990099
	# the next run shows it, assessed against 100 +/- 1 %
	run 0 --history "$H" -p year -f json -o "$W/next.json" "$SRC/fin.ini"
	approx "$($CHECK report "$W/next.json" fin.forecast_accuracy outcome)" 99.00990099
	[ "$($CHECK report "$W/next.json" fin.forecast_accuracy assessment)" = met ] ||
		fail "accuracy not met"
	[ "$($CHECK report "$W/next.json" fin.forecast_accuracy rule.id)" = range_met ] ||
		fail "accuracy rule"
	[ "$($CHECK report "$W/next.json" fin.forecast_accuracy target.display)" = "100 +/- 1 %" ] ||
		fail "accuracy target"
	grep -q "Prognossäkerhet T2 *99,01 %" "$W/y.txt" || fail "text report: $(grep -i progn "$W/y.txt")"
	# a T2 re-run after the year end shows it too (both are recorded)
	run 0 --history "$H" -f json -o "$W/t2b.json" "$SRC/fin.ini"
	approx "$($CHECK report "$W/t2b.json" fin.forecast_accuracy outcome)" 99.00990099
	# a T2 forecast of 1 400: 100 + (1400 - 1212) / 1212 x 100 = 115.5115 %,
	# beyond 100 +/- (1 + 10 % tolerance): not met
	variant off.ini 's/^forecast = linear/forecast = 1400/'
	run 0 --history "$H" -o "$W/o.txt" "$W/off.ini"
	run 0 --history "$H" -p year -f json -o "$W/off.json" "$SRC/fin.ini"
	approx "$($CHECK report "$W/off.json" fin.forecast_accuracy outcome)" 115.51155116
	[ "$($CHECK report "$W/off.json" fin.forecast_accuracy assessment)" = not_met ] ||
		fail "off forecast not 'not met'"
	;;
seed)
	# conf/2011.ini: the seed's T2 run leaves the row empty; its year-end
	# run gives 100 + (-2.0 - 2.6) / |2.6| x 100 = -76.92 % (the T2 forecast
	# of the net result before disposition -2.0, the year's booked 2.6)
	run 0 --history "$H" -f json -o "$W/t2.json" "$SRC/../../conf/2011.ini"
	[ "$($CHECK report "$W/t2.json" economy.forecast_accuracy outcome)" = null ] ||
		fail "seed T2 has an accuracy"
	[ "$($CHECK report "$W/t2.json" economy.forecast_accuracy no_outcome.key)" = no_year_end_outcome ] ||
		fail "seed T2 reason"
	[ "$($CHECK report "$W/t2.json" economy.forecast_accuracy council_target.display)" = "100 +/- 1 %" ] ||
		fail "seed council target"
	run 0 --history "$H" -p year -f json -o "$W/y.json" "$SRC/../../conf/2011.ini"
	approx "$($CHECK report "$W/y.json" economy.forecast_accuracy outcome)" -76.92307692
	[ "$(sql "$H" "SELECT DISTINCT organisation || '/' || committee FROM run")" = \
	  "Stockholms stad/Servicenämnden" ] || fail "seed organisation/committee"
	;;
baseline)
	run 0 -f json -o "$W/no.json" "$SRC/fin.ini"
	[ "$($CHECK report "$W/no.json" fin.visits baseline)" = 80 ] || fail "exports' baseline"
	run 0 --history "$H" -o "$W/2010.txt" "$SRC/fin2010.ini"
	run 0 --history "$H" -f json -o "$W/h.json" "$SRC/fin.ini"
	[ "$($CHECK report "$W/h.json" fin.visits baseline)" = 144 ] || fail "history's baseline"
	# 2011 T2: 8 x 15 = 120 against 144 - 10 % = 129.6: not met
	[ "$($CHECK report "$W/h.json" fin.visits assessment)" = not_met ] || fail "assessed on the history's baseline"
	variant cfg.ini '/^target = increase/a baseline = 130'
	run 0 --history "$H" -f json -o "$W/c.json" "$W/cfg.ini"
	[ "$($CHECK report "$W/c.json" fin.visits baseline)" = 130 ] || fail "config's baseline wins"
	;;
concurrent)
	# two writers at once, on a new history and on an existing one: both land
	for round in 1 2 3 4 5 6; do
		[ $round = 4 ] || rm -f "$H" "$H-wal" "$H-shm"
		"$KPIRUN" --history "$H" -p T1 -o "$W/a.txt" "$SRC/fin.ini" 2>"$W/ea" & a=$!
		"$KPIRUN" --history "$H" -p T2 -o "$W/b.txt" "$SRC/fin.ini" 2>"$W/eb" & b=$!
		wait $a || { cat "$W/ea" >&2; fail "round $round: the T1 writer failed"; }
		wait $b || { cat "$W/eb" >&2; fail "round $round: the T2 writer failed"; }
		[ "$(sql "$H" "SELECT group_concat(period || ':' || n) FROM (SELECT period, (SELECT count(*) FROM result WHERE run_id = run.id) n FROM run ORDER BY period)")" = "T1:3,T2:3" ] ||
			fail "round $round: $(sql "$H" 'SELECT period FROM run')"
		[ "$(sql "$H" 'PRAGMA integrity_check')" = ok ] || fail "integrity"
	done
	;;
migrate)
	sqlite3 -batch "$H" <"$SRC/v1.sql" || fail "fixture"
	# --check reads it (the old run's baseline) and writes nothing
	cp "$H" "$W/copy"
	run 0 --check --history "$H" "$SRC/fin.ini"
	cmp -s "$H" "$W/copy" || fail "--check changed the history"
	[ ! -e "$H-wal" ] || fail "--check left a WAL"
	run 0 --history "$H" -f json -o "$W/r.json" "$SRC/fin.ini"
	[ "$(sql "$H" 'PRAGMA user_version')" = 2 ] || fail "not migrated"
	[ "$(sql "$H" "SELECT period_kind, period_from, period_to, config_hash FROM run WHERE year = 2010")" = \
	  "year|2010-01|2010-12|0123456789abcdef" ] || fail "old run row"
	[ "$(sql "$H" "SELECT count(*) FROM result r JOIN run u ON u.id = r.run_id WHERE u.year = 2010")" = 2 ] ||
		fail "old results lost"
	[ "$(sql "$H" "SELECT count(*) FROM month WHERE year = 2010 AND run_id = 1")" = 2 ] ||
		fail "old months lost"
	# the old year-end outcome is the new run's baseline
	[ "$($CHECK report "$W/r.json" fin.visits baseline)" = 150 ] || fail "baseline from the migrated run"
	$CHECK roundtrip "$H" "$W/r.json" "$SRC/fin.ini" T2 2011-01 2011-08 || fail "run after migration"
	;;
newer)
	sqlite3 -batch "$H" "CREATE TABLE run (x); PRAGMA user_version = 3;" || fail "fixture"
	cp "$H" "$W/copy"
	echo old >"$W/r.txt"
	run 2 --history "$H" -o "$W/r.txt" "$SRC/fin.ini"
	grep -q "h.db: the results history has schema version 3, written by a newer kpirun; this kpirun knows versions up to 2" "$W/err" ||
		fail "message: $(cat "$W/err")"
	cmp -s "$H" "$W/copy" || fail "history changed"
	[ "$(cat "$W/r.txt")" = old ] || fail "report written"
	;;
corrupt)
	echo old >"$W/r.txt"
	printf 'hello, this is not a database\n' >"$H"
	cp "$H" "$W/copy"
	run 2 --history "$H" -o "$W/r.txt" "$SRC/fin.ini"
	grep -q "h.db: not a results history: not an SQLite database" "$W/err" || fail "message: $(cat "$W/err")"
	cmp -s "$H" "$W/copy" || fail "text file changed"
	# another program's database
	rm "$H"
	sqlite3 -batch "$H" "CREATE TABLE foo (x); INSERT INTO foo VALUES (1);"
	cp "$H" "$W/copy"
	run 2 --history "$H" -o "$W/r.txt" "$SRC/fin.ini"
	grep -q "without kpirun's schema" "$W/err" || fail "message: $(cat "$W/err")"
	cmp -s "$H" "$W/copy" || fail "foreign database changed"
	# a damaged history: page 2 overwritten
	rm "$H"
	run 0 --history "$H" -o "$W/x.txt" "$SRC/fin.ini"
	[ ! -e "$H-wal" ] || fail "WAL left after the run"
	dd if=/dev/zero bs=1 count=16 of="$H" seek=4096 conv=notrunc 2>/dev/null
	"$PY" -c "
import sys; f = open(sys.argv[1], 'r+b'); f.seek(4096 + 16); f.write(b'\xff' * 200)" "$H"
	cp "$H" "$W/copy"
	run 2 --history "$H" -o "$W/r.txt" "$SRC/fin.ini"
	grep -q "h.db: the results history is damaged" "$W/err" || fail "message: $(cat "$W/err")"
	cmp -s "$H" "$W/copy" || fail "damaged history changed"
	[ "$(cat "$W/r.txt")" = old ] || fail "report written"
	ls -a "$W" | grep -q '^\.r\.txt\.' && fail "temp file left"
	;;
readonly)
	echo old >"$W/r.txt"
	# a directory nobody can create a file in, root included
	run 5 --history /proc/kpirun-history.db -o "$W/r.txt" "$SRC/fin.ini"
	grep -q "/proc/kpirun-history.db: cannot open the results history" "$W/err" ||
		fail "message: $(cat "$W/err")"
	[ "$(cat "$W/r.txt")" = old ] || fail "report replaced"
	ls -a "$W" | grep -q '^\.r\.txt\.' && fail "temp file left"
	if [ "$(id -u)" != 0 ]; then
		mkdir "$W/ro" && chmod 555 "$W/ro"
		run 5 --history "$W/ro/h.db" -o "$W/r.txt" "$SRC/fin.ini"
		[ "$(cat "$W/r.txt")" = old ] || fail "report replaced (read-only dir)"
		[ ! -e "$W/ro/h.db" ] || fail "history created"
	fi
	# a report that cannot be written: the run is not recorded
	run 0 --history "$H" -p T1 -o "$W/r1.txt" "$SRC/fin.ini"
	run 5 --history "$H" -o /dev/full "$SRC/fin.ini"
	[ "$(sql "$H" "SELECT group_concat(period) FROM run")" = T1 ] || fail "recorded though the report failed"
	;;
writefault)
	# the history's file may not grow (RLIMIT_FSIZE, SIGXFSZ ignored: the
	# write fails with EFBIG): the run fails with 5, history as it was
	run 0 --history "$H" -p T1 -o "$W/r1.txt" "$SRC/fin.ini"
	before=$(sqlite3 "$H" .dump)
	echo old >"$W/r.txt"
	(ulimit -f 8; trap '' XFSZ; exec "$KPIRUN" --history "$H" -o "$W/r.txt" "$SRC/fin.ini") \
		>/dev/null 2>"$W/err"
	st=$?
	[ $st = 5 ] || { cat "$W/err" >&2; fail "exit $st, expected 5"; }
	grep -q "h.db: cannot [a-z]* the results history: disk I/O error" "$W/err" || fail "message: $(cat "$W/err")"
	[ "$(sqlite3 "$H" .dump)" = "$before" ] || fail "history changed"
	[ "$(sql "$H" 'PRAGMA integrity_check')" = ok ] || fail "integrity"
	[ "$(cat "$W/r.txt")" = old ] || fail "report replaced"
	;;
signal)
	# SIGTERM at many moments of a run: the history has all of its rows
	# or none of them, never some
	run 0 --history "$H" -o "$W/r.txt" "$SRC/fin.ini"
	full=$(sql "$H" "SELECT (SELECT count(*) FROM result) || ':' || (SELECT count(*) FROM month)")
	rm -f "$H"
	run 0 --history "$H" -p T1 -o "$W/r1.txt" "$SRC/fin.ini"
	cp "$H" "$W/base.db"
	none=0 all=0
	for d in 0 0.005 0.01 0.02 0.03 0.04 0.05 0.06 0.07 0.08 0.09 0.1 \
	         0.12 0.14 0.16 0.18 0.2 0.25 0.3 0.4; do
		rm -f "$H" "$H-wal" "$H-shm"
		cp "$W/base.db" "$H"
		"$KPIRUN" --history "$H" -o "$W/r.txt" "$SRC/fin.ini" 2>/dev/null & pid=$!
		sleep $d
		kill -TERM $pid 2>/dev/null
		wait $pid
		n=$(sql "$H" "SELECT count(*) FROM result r JOIN run u ON u.id = r.run_id WHERE u.period = 'T2'")
		m=$(sql "$H" "SELECT count(*) FROM month m JOIN run u ON u.id = m.run_id WHERE u.period = 'T2'")
		case $n:$m in
		0:0) none=$((none + 1)) ;;
		"$full") all=$((all + 1)) ;;
		*) fail "after SIGTERM at $d s: $n results, $m months of the run" ;;
		esac
		[ "$(sql "$H" "SELECT count(*) FROM result r JOIN run u ON u.id = r.run_id WHERE u.period = 'T1'")" = 3 ] ||
			fail "the earlier run damaged at $d s"
		[ "$(sql "$H" 'PRAGMA integrity_check')" = ok ] || fail "integrity at $d s"
	done
	echo "signal: $none runs left nothing, $all complete"
	# a kill inside the transaction for certain: the rows are inserted,
	# not committed, while kpirun waits for a FIFO's reader (the streams
	# are written before the commit); others see none of them meanwhile
	rm -f "$H" "$H-wal" "$H-shm"
	cp "$W/base.db" "$H"
	mkfifo "$W/fifo"
	"$KPIRUN" --history "$H" -o "$W/fifo" -o "$W/r.txt" "$SRC/fin.ini" 2>/dev/null & pid=$!
	sleep 2
	kill -0 $pid 2>/dev/null || fail "kpirun did not wait for the FIFO"
	[ "$(sql "$H" "SELECT count(*) FROM run WHERE period = 'T2'")" = 0 ] ||
		fail "an uncommitted run is visible"
	kill -TERM $pid
	wait $pid
	st=$?
	[ $st = 143 ] || fail "kpirun ended with $st, not SIGTERM"
	[ "$(sql "$H" "SELECT count(*) FROM run WHERE period = 'T2'")" = 0 ] ||
		fail "SIGTERM inside the transaction left the run"
	[ "$(sql "$H" "SELECT count(*) FROM result")" = 3 ] || fail "the earlier run damaged"
	[ "$(sql "$H" 'PRAGMA integrity_check')" = ok ] || fail "integrity after SIGTERM"
	ls -a "$W" | grep -q '^\.r\.txt\.' && fail "temp file left"
	# the same run with a reader: all of it
	"$KPIRUN" --history "$H" -o "$W/fifo" -o "$W/r.txt" "$SRC/fin.ini" 2>/dev/null & pid=$!
	cat "$W/fifo" >/dev/null
	wait $pid || fail "the run with a reader failed"
	[ "$(sql "$H" "SELECT count(*) FROM result r JOIN run u ON u.id = r.run_id WHERE u.period = 'T2'")" = 3 ] ||
		fail "the run with a reader is not recorded"
	;;
show)
	run 0 --history "$H" -o "$W/a.txt" "$SRC/fin2010.ini"
	run 0 --history "$H" -p year -o "$W/b.txt" "$SRC/fin.ini"
	run 0 --history "$H" -o "$W/c.txt" "$SRC/fin.ini"
	run 0 --history "$H" --show fin.net_cost
	cat >"$W/want" <<'EOF'
fin.net_cost
year  period   from     to            outcome      forecast  method    target          council         assessment    organisation / committee
2010  year     2010-01  2010-12          1080          1080  linear    1 300 mnkr      –               met           Testkommunen / Testnämnden
2011  T2       2011-01  2011-08           800          1200  linear    1 300 mnkr      –               met           Testkommunen / Testnämnden
2011  year     2011-01  2011-12          1212          1212  linear    1 300 mnkr      –               met           Testkommunen / Testnämnden
EOF
	diff "$W/want" "$W/out" >&2 || fail "--show text"
	run 0 --history "$H" --show fin.forecast_accuracy -f json
	"$PY" - "$W/out" <<'EOF' || fail "--show json"
import json, sys
rows = json.load(open(sys.argv[1]))
got = [(r["year"], r["period"], r["outcome"], r["assessment"]) for r in rows]
assert [g[:2] for g in got] == [(2010, "year"), (2011, "T2"), (2011, "year")], got
assert got[0][2] is None and got[0][3] == "not_assessed", got
# the year-end run came first: no T2 forecast yet; the T2 run then had both
assert abs(got[1][2] - 99.00990099) < 1e-6 and got[1][3] == "met", got
assert got[2][2] is None and got[2][3] == "not_assessed", got
assert all(r["organisation"] == "Testkommunen" for r in rows)
EOF
	run 2 --show fin.net_cost
	grep -q "needs --history" "$W/err" || fail "--show without --history"
	run 2 --history "$H" --show fin.nothing
	grep -q "no results of 'fin.nothing'" "$W/err" || fail "unknown id"
	run 2 --history "$W/missing.db" --show fin.net_cost
	[ ! -e "$W/missing.db" ] || fail "--show created a history"
	run 2 --history "$H" --show fin.net_cost "$SRC/fin.ini"
	run 2 --history "$H" --show fin.net_cost -f html
	;;
config)
	# accuracy_of and the command line: each mistake named at file:line
	line=$(grep -n '^accuracy_of' "$SRC/fin.ini" | cut -d: -f1)
	for bad in "fin.net_cost" "fin.net_cost @ T9" "fin.net_cost @ year" \
	           "fin.forecast_accuracy @ T2" "other.net_cost @ T2" "@ T2"; do
		variant bad.ini "s/^accuracy_of = .*/accuracy_of = $bad/"
		run 2 --history "$H" -o "$W/r.txt" "$W/bad.ini"
		grep -q "^$W/bad.ini:$line: \[indicator fin.forecast_accuracy\] accuracy_of: " "$W/err" ||
			fail "'$bad': $(cat "$W/err")"
		[ ! -e "$H" ] && [ ! -e "$W/r.txt" ] || fail "'$bad': something written"
	done
	variant bad.ini "s/^accuracy_of = .*/accuracy_of = other.net_cost @ T2/"
	run 2 "$W/bad.ini"
	grep -q "'other.net_cost': no \[area other\] in this config" "$W/err" || fail "area: $(cat "$W/err")"
	variant bad.ini "s/^accuracy_of = .*/accuracy_of = fin.net_cost @ year/"
	run 2 "$W/bad.ini"
	grep -q "'year' is not a period before the year's end" "$W/err" || fail "year: $(cat "$W/err")"
	run 2 --history "" "$SRC/fin.ini"
	grep -q "option '--history' needs a value" "$W/err" || fail "empty --history: $(cat "$W/err")"
	run 2 --history "$W/r.txt" -o "$W/r.txt" "$SRC/fin.ini"
	grep -q "refusing to write the report over the results history" "$W/err" || fail "history as output"
	[ ! -e "$W/r.txt" ] || fail "history as output: written"
	# the config itself as the history: not a history, left as it was
	cp "$SRC/fin.ini" "$W/c.ini"
	sed -i "s|^data_dir = data|data_dir = $SRC/data|" "$W/c.ini"
	cp "$W/c.ini" "$W/c.copy"
	run 2 --history "$W/c.ini" -o "$W/r.txt" "$W/c.ini"
	cmp -s "$W/c.ini" "$W/c.copy" || fail "config changed"
	;;
*)
	fail "unknown case"
	;;
esac
echo "ok: $CASE"
