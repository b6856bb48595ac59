#!/bin/bash
# run_all.sh - allocation-failure injection over whole kpirun runs, the way
# SQLite tests out-of-memory: count the allocations of a good run, then run
# again once for every N = 1..count with the Nth allocation failing
# (failalloc.so, LD_PRELOAD), and check each run ends either in the right
# answer or in a clean out-of-memory error.
#
# usage: run_all.sh KPIRUN FAILALLOC_SO PLUGIN_PATH CONFIG
#        run_all.sh KPIRUN FAILALLOC_SO PLUGIN_PATH CONFIG show SCENARIO N
#
# Scenarios: text (--output FILE), json (--format json --output FILE),
# stdout (the text report on standard output), newyear (--new-year
# --output FILE: next year's config instead of a report), history
# (--output FILE and --history on a results history made for the run, so
# SQLite's own allocations count too; docs/history.md).  A run passes if
#   - it was not killed by a signal and did not hang (20 s), and
#   - it exited 0 with output byte-identical to the good run's (a failure
#     the code could recover from without changing the answer), or
#   - it exited 6 (out of memory) with "out of memory" printed exactly once
#     on stderr, nothing on stdout, an existing --output left as it was, and
#     no temporary file left in the output's directory or in $TMPDIR;
#   - in the history scenario, the history then holds the run's rows
#     (exit 0: as many as the good run's) or none of them (exit 6), and
#     is undamaged.  SQLite makes ten times the allocations of the rest of
#     the run, so this scenario fails every Kth allocation, K spreading
#     about 250 runs over the good run's count (KPI_FI_HISTORY_RUNS).
# Anything else is a fault.  Plugin code runs only in an area's child,
# which neither counts nor fails here (unless KPI_FAIL_ALLOC_CHILD is set),
# so every counted allocation is kpirun's own, the sandbox's replay of an
# area's stream (sandbox.c, wire.c, host.c) included: a fault there is a
# fault in the core.  A fault with a plugin module on the stack is listed
# apart, and so is a crash after a failed calloc inside iniparser 4.1's
# dictionary_new, which iniparser does not check (docs/errors.md).  The
# test fails on those two kinds only with KPI_FI_STRICT=1; on any other
# fault it always fails.
#
# Environment: KPI_FI_VALGRIND=none|sample|all (default sample: about 12
# values of N per scenario also run under valgrind, which must report no
# leak and no memory error); KPI_FI_STRICT=1 (see above); KPI_FI_PERSIST=1
# makes every allocation from the Nth on fail, not only the Nth.
#
# "show SCENARIO N" runs one case and prints its status, stderr, the call
# stack of the failing allocation (addr2line) and, for a crash, valgrind's
# report.  Under gdb: KPI_FAIL_ALLOC_TRAP=1 stops at the failure.
set -u

KPIRUN=$1
SHIM=$2
PLUGIN_PATH=$3
CONFIG=$4
MODE=${5:-all}
VALGRIND_MODE=${KPI_FI_VALGRIND:-sample}
STRICT=${KPI_FI_STRICT:-0}
OLD="old report"
EXIT_NOMEM=6
PROGRAM=$(basename "$KPIRUN")
STATUS=0

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kpi-faultinject.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT

scenario_args() {
	case $1 in
	text)   echo "--output $WORK/run/report.txt" ;;
	json)   echo "--format json --output $WORK/run/report.txt" ;;
	stdout) echo "" ;;
	newyear) echo "--new-year --output $WORK/run/report.txt" ;;
	history) echo "--history $WORK/hist/h.db --output $WORK/run/report.txt" ;;
	*)      echo "run_all.sh: unknown scenario '$1'" >&2; exit 2 ;;
	esac
}

# run SCENARIO N [wrapper...]: one run with the Nth allocation failing (0:
# none), in a fresh directory; leaves the exit status in $STATUS and
# stdout, stderr, count and where files in $WORK.
run_one() {
	local scen=$1 n=$2
	shift 2
	rm -rf "$WORK/run" "$WORK/tmp" "$WORK/hist"
	mkdir -p "$WORK/run" "$WORK/tmp" "$WORK/hist"
	printf '%s\n' "$OLD" >"$WORK/run/report.txt"
	rm -f "$WORK/count" "$WORK/where" "$WORK/stack"
	# shellcheck disable=SC2046
	env KPI_PLUGIN_PATH="$PLUGIN_PATH" TMPDIR="$WORK/tmp" \
	    LD_PRELOAD="$SHIM" KPI_FAIL_ALLOC="$n" \
	    KPI_FAIL_ALLOC_PERSIST="${KPI_FI_PERSIST:-0}" \
	    KPI_FAIL_ALLOC_PROGRAM="$PROGRAM" \
	    KPI_COUNT_ALLOC="$WORK/count" KPI_FAIL_ALLOC_WHERE="$WORK/where" \
	    timeout 20 "$@" "$KPIRUN" $(scenario_args "$scen") "$CONFIG" \
	    >"$WORK/stdout" 2>"$WORK/stderr" &
	wait $! 2>/dev/null
	STATUS=$?
}

# The call stack in $WORK/where as "function file:line (module)" lines,
# one addr2line per module; cached in $WORK/stack until the next run.
symbolize() {
	local module off i
	if [ ! -e "$WORK/stack" ]; then
		: >"$WORK/stack"
		[ -s "$WORK/where" ] || return 0
		# frame number, module, the call's address (return address - 1)
		i=0
		grep -v failalloc "$WORK/where" | while read -r module off; do
			i=$((i + 1))
			printf '%d %s 0x%x\n' "$i" "$module" $((off - 1))
		done >"$WORK/frames"
		for module in $(cut -d' ' -f2 "$WORK/frames" | sort -u); do
			awk -v m="$module" '$2 == m { print $1 }' "$WORK/frames" \
				>"$WORK/frame_no"
			awk -v m="$module" '$2 == m { print $3 }' "$WORK/frames" |
				xargs addr2line -f -s -e "$module" 2>/dev/null |
				paste -d' ' - - |
				paste -d' ' "$WORK/frame_no" - |
				sed "s|\$| ($(basename "$module"))|"
		done | sort -n | cut -d' ' -f2- | sed 's/^/  /' >"$WORK/stack"
	fi
	cat "$WORK/stack"
}

# Owner of the failing allocation's call stack: "iniparser" for a failure
# inside iniparser's dictionary_new (iniparser 4.1 does not check those
# callocs and crashes; nothing outside it can catch that, docs/errors.md),
# "plugin-process" when a plugin module is on it, else "core".
owner() {
	local dir
	if symbolize | grep -q '^  dictionary_new .*(libiniparser'; then
		echo iniparser
		return
	fi
	for dir in $(echo "$PLUGIN_PATH" | tr ':' ' '); do
		if [ -s "$WORK/where" ] && grep -qF "$dir/" "$WORK/where"; then
			echo plugin-process
			return
		fi
	done
	echo core
}

# Check the run in $WORK against the good run of the scenario; prints
# nothing and returns 0 when it passes, else prints why.
check_run() {
	local scen=$1 st=$STATUS nmsg
	if [ "$st" -ge 124 ]; then
		[ "$st" -eq 124 ] && echo "hung (killed after 20 s)" ||
			echo "killed by signal $((st - 128))"
		return 1
	fi
	if [ "$st" -eq 0 ]; then
		if ! cmp -s "$WORK/stdout" "$WORK/good.stdout"; then
			echo "exit 0 with standard output differing from the good run"
			return 1
		fi
		if ! cmp -s "$WORK/run/report.txt" "$WORK/good.report"; then
			echo "exit 0 with a report differing from the good run"
			return 1
		fi
	elif [ "$st" -eq "$EXIT_NOMEM" ]; then
		nmsg=$(grep -c 'out of memory' "$WORK/stderr")
		if [ "$nmsg" -ne 1 ]; then
			echo "exit 6 with 'out of memory' printed $nmsg times"
			return 1
		fi
		if [ -s "$WORK/stdout" ]; then
			echo "exit 6 with output on stdout"
			return 1
		fi
		if [ "$(<"$WORK/run/report.txt")" != "$OLD" ]; then
			echo "exit 6 and the existing report was changed"
			return 1
		fi
	else
		echo "exit $st: $(head -n 2 "$WORK/stderr" | paste -sd'|' -)"
		return 1
	fi
	if [ "$(ls -A "$WORK/run")" != "report.txt" ]; then
		echo "files left beside the report: $(ls -A "$WORK/run" | paste -sd' ' -)"
		return 1
	fi
	if [ -n "$(ls -A "$WORK/tmp")" ]; then
		echo "files left in TMPDIR: $(ls -A "$WORK/tmp" | paste -sd' ' -)"
		return 1
	fi
	if [ "$scen" = history ]; then
		local rows=0
		if [ -e "$WORK/hist/h.db" ]; then
			if [ "$(sqlite3 "$WORK/hist/h.db" "PRAGMA integrity_check" 2>&1)" != ok ]; then
				echo "exit $st and the history is damaged"
				return 1
			fi
			# no result table: the schema's creation was rolled back
			rows=$(sqlite3 "$WORK/hist/h.db" "SELECT count(*) FROM result" 2>/dev/null)
			rows=${rows:-0}
		fi
		if [ "$st" -eq 0 ] && [ "$rows" != "$(cat "$WORK/good.rows")" ]; then
			echo "exit 0 with $rows rows in the history"
			return 1
		fi
		if [ "$st" -ne 0 ] && [ "$rows" != 0 ]; then
			echo "exit $st with $rows rows in the history"
			return 1
		fi
	fi
	return 0
}

# The good run of a scenario: its output and its number of allocations.
good_run() {
	local scen=$1
	run_one "$scen" 0
	if [ "$STATUS" -ne 0 ]; then
		echo "run_all.sh: the good $scen run failed:" >&2
		cat "$WORK/stderr" >&2
		exit 1
	fi
	cp "$WORK/stdout" "$WORK/good.stdout"
	cp "$WORK/run/report.txt" "$WORK/good.report"
	if [ "$scen" = history ]; then
		sqlite3 "$WORK/hist/h.db" "SELECT count(*) FROM result" >"$WORK/good.rows"
	fi
	cut -d' ' -f1 "$WORK/count"
}

VALGRIND="valgrind -q --soname-synonyms=somalloc=nouserintercepts \
--leak-check=full --show-leak-kinds=definite,indirect \
--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
--child-silent-after-fork=yes"

if [ "$MODE" = show ]; then
	scen=$6
	n=$7
	good_run "$scen" >/dev/null
	run_one "$scen" "$n"
	echo "== $scen N=$n: exit $STATUS, count $(cat "$WORK/count" 2>/dev/null)"
	why=$(check_run "$scen") && echo "== passes" || echo "== FAULT: $why"
	echo "== stderr:"
	cat "$WORK/stderr"
	echo "== the failing allocation ($(owner)):"
	symbolize
	if [ "$STATUS" -gt 128 ] || [ "${KPI_FI_SHOW_VALGRIND:-0}" = 1 ]; then
		echo "== under valgrind:"
		# shellcheck disable=SC2086
		run_one "$scen" "$n" $VALGRIND
		cat "$WORK/stderr"
	fi
	exit 0
fi

command -v addr2line >/dev/null || { echo "run_all.sh: needs addr2line (binutils)" >&2; exit 1; }
if [ "$VALGRIND_MODE" != none ] && ! command -v valgrind >/dev/null; then
	echo "run_all.sh: needs valgrind (or KPI_FI_VALGRIND=none)" >&2
	exit 1
fi

runs=0 injected=0 right=0 clean=0 core_faults=0 plugin_faults=0 ini_faults=0
vg_runs=0 vg_faults=0
for scen in text json stdout newyear history; do
	total=$(good_run "$scen")
	echo "== $scen: $total allocations in the good run"
	step=1
	if [ "$VALGRIND_MODE" = sample ]; then
		step=$(( (total + 11) / 12 ))
	fi
	stride=1
	if [ "$scen" = history ]; then
		stride=$(( (total + ${KPI_FI_HISTORY_RUNS:-250} - 1) / ${KPI_FI_HISTORY_RUNS:-250} ))
		step=$(( (total / stride + 11) / 12 ))
		echo "== $scen: every ${stride}th allocation"
	fi
	k=0
	for n in $(seq 1 "$stride" "$total"); do
		k=$((k + 1))
		run_one "$scen" "$n"
		runs=$((runs + 1))
		[ -e "$WORK/where" ] && injected=$((injected + 1))
		if why=$(check_run "$scen"); then
			[ "$STATUS" -eq 0 ] && right=$((right + 1)) ||
				clean=$((clean + 1))
		else
			who=$(owner)
			case $who in
			core) core_faults=$((core_faults + 1)) ;;
			iniparser) ini_faults=$((ini_faults + 1)) ;;
			*) plugin_faults=$((plugin_faults + 1)) ;;
			esac
			echo "FAULT [$who] $scen N=$n: $why"
			symbolize | head -n 6
			continue
		fi
		if [ "$VALGRIND_MODE" = all ] ||
		   { [ "$VALGRIND_MODE" = sample ] && [ $((k % step)) -eq 0 ]; }; then
			# shellcheck disable=SC2086
			run_one "$scen" "$n" $VALGRIND
			vg_runs=$((vg_runs + 1))
			if [ "$STATUS" -eq 99 ]; then
				vg_faults=$((vg_faults + 1))
				echo "VALGRIND $scen N=$n:"
				head -n 30 "$WORK/stderr"
			fi
		fi
	done
done

echo "== totals: $runs runs, $injected failures injected, $right right answers" \
     "(exit 0, same output), $clean clean out-of-memory ends (exit 6)," \
     "$core_faults faults in the core, $plugin_faults faults in the" \
     "plugin code, $ini_faults" \
     "crashes inside iniparser's dictionary_new (not catchable)," \
     "$vg_runs runs under valgrind with $vg_faults reporting leaks or errors"
if [ "$core_faults" -ne 0 ] || [ "$vg_faults" -ne 0 ]; then
	exit 1
fi
if [ "$STRICT" = 1 ] && [ $((plugin_faults + ini_faults)) -ne 0 ]; then
	exit 1
fi
exit 0
