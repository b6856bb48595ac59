#!/bin/sh
# window-memory.sh - what an export spanning years costs: generate a
# one-year and a ten-year export set (the switchboard's call log with ROWS
# calls a year, payroll.csv a row a month), run kpirun on each with the
# seed config, and print the wall time and the peak RSS of kpirun itself
# and of the largest process of the run (an area's plugin process, or
# kpirun), through a small wrapper (/proc VmHWM, wait4).  Not part of the
# test suite.
#
# Usage: bench/window-memory.sh [BUILD_DIR] [ROWS]
#   BUILD_DIR  a configured and built tree (default: build)
#   ROWS       calls per year (default 2000000)
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
rows=${2:-2000000}
kpirun=$build/core/kpirun
cc=${CC:-cc}

case $rows in
''|*[!0-9]*) echo "window-memory.sh: ROWS must be a number, not '$rows'" >&2; exit 2 ;;
esac
[ -x "$kpirun" ] || { echo "window-memory.sh: $kpirun not built" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/window_memory.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

# The wrapper: runs its arguments and prints wall seconds, kpirun's own
# peak RSS (VmHWM of /proc/PID/status, sampled every 5 ms until it exits),
# the peak RSS of the largest process of the run (ru_maxrss of wait4: the
# largest of kpirun and the plugin processes it waited for) and the exit
# status.
cat > "$dir/rss.c" <<'EOF'
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long hwm(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			sscanf(line + 6, "%ld", &kb);
	fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1, nap = { 0, 5000000 };
	struct rusage ru;
	long self = 0, k;
	int st;
	pid_t pid, r;

	if (argc < 2)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0)
		return 2;
	while ((r = wait4(pid, &st, WNOHANG, &ru)) == 0) {
		if ((k = hwm(pid)) > self)
			self = k;
		nanosleep(&nap, NULL);
	}
	if (r < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.2f %ld %ld %d\n", (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, self, ru.ru_maxrss,
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
EOF
$cc -O2 -o "$dir/rss" "$dir/rss.c"
$cc -O2 -std=c11 -o "$dir/gen_calls" "$src/plugins/switchboard/tools/gen_calls.c"

# One year of calls (gen_calls spreads them over 2011-01..08), then the
# same calls moved to each other year, 2002..2010.
"$dir/gen_calls" "$rows" > "$dir/calls2011.csv"

# A set: the seed's data with the call log and payroll covering the years
# first..2011.  $1 = set name, $2 = first year.
make_set() {
	d=$dir/$1
	mkdir -p "$d"
	cp -r "$src/data/2011" "$d/data"
	sed -e 's|^data_dir = .*|data_dir = data|' \
	    -e 's|^file = switchboard_summary.csv|file = calls.csv|' \
	    "$src/conf/2011.ini" > "$d/conf.ini"
	head -n 1 "$dir/calls2011.csv" > "$d/data/calls.csv"
	echo "month,payslips,self_service_payslips,administrator_fte" > "$d/data/payroll.csv"
	y=$2
	while [ "$y" -le 2011 ]; do
		tail -n +2 "$dir/calls2011.csv" | sed "s/^2011-/$y-/" >> "$d/data/calls.csv"
		m=1
		while [ "$m" -le 12 ]; do
			printf '%d-%02d,%d,%d,%d\n' "$y" "$m" $((50000 + m)) \
			       $((30000 + m)) 64 >> "$d/data/payroll.csv"
			m=$((m + 1))
		done
		y=$((y + 1))
	done
}

echo "generating: $rows calls a year, one year and ten years" >&2
make_set one 2011
make_set ten 2002

printf '%-5s %12s %12s %8s %14s %14s %5s\n' set calls bytes seconds \
       "kpirun KiB" "largest KiB" exit
for s in one ten; do
	n=$(($(wc -l < "$dir/$s/data/calls.csv") - 1))
	b=$(wc -c < "$dir/$s/data/calls.csv" | tr -d ' ')
	out=$(cd "$dir/$s" && KPI_PLUGIN_PATH=$build/plugins \
	      "$dir/rss" "$kpirun" -v -o r.txt conf.ini 2> err.txt)
	set -- $out
	printf '%-5s %12s %12s %8s %14s %14s %5s\n' "$s" "$n" "$b" "$1" "$2" "$3" "$4"
	grep "rows outside" "$dir/$s/err.txt" >&2 || true
done
