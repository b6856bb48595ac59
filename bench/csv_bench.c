/*
 * csv_bench.c - throughput of the CSV reader: opens a call-log CSV, maps
 * two columns and sums one with kpi_csv_number over every row, the work a
 * plugin does.  Run by csv_bench.sh on a generated file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "csv.h"
#include "diag.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *path, *key_col = "queue", *sum_col = "wait_s";
	struct kpi_csv *csv;
	struct rusage ru;
	struct stat st;
	double t0, secs, sum = 0, v;
	unsigned long long rows = 0, key_bytes = 0;
	int rc, ckey, csum;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: csv_bench FILE.csv [KEY_COLUMN "
		        "[NUMBER_COLUMN]]\n");
		return 2;
	}
	path = argv[1];
	if (argc > 2)
		key_col = argv[2];
	if (argc > 3)
		sum_col = argv[3];
	if (stat(path, &st) != 0) {
		perror(path);
		return 2;
	}

	t0 = now();
	if (kpi_csv_open(path, NULL, "csv_bench", NULL, &csv) != 0)
		return 3;
	ckey = kpi_csv_column(csv, key_col, 1);
	csum = kpi_csv_column(csv, sum_col, 1);
	if (ckey < 0 || csum < 0) {
		kpi_csv_close(csv);
		return 3;
	}
	while ((rc = kpi_csv_next(csv)) == 1) {
		size_t len;

		if (kpi_csv_field(csv, ckey, &len))
			key_bytes += len;
		rc = kpi_csv_number(csv, csum, KPI_NUM_OPTIONAL, &v);
		if (rc < 0)
			break;
		if (rc == 0)
			sum += v;
		rows++;
	}
	secs = now() - t0;
	kpi_csv_close(csv);
	if (rc < 0)
		return 3;

	getrusage(RUSAGE_SELF, &ru);
	printf("file      %s\n", path);
	printf("rows      %llu\n", rows);
	printf("bytes     %lld\n", (long long)st.st_size);
	printf("sum       %.3f (%s), key bytes %llu (%s)\n", sum, sum_col,
	       key_bytes, key_col);
	printf("seconds   %.3f\n", secs);
	printf("MB/s      %.1f\n", (double)st.st_size / 1e6 / secs);
	printf("rows/s    %.0f\n", (double)rows / secs);
	printf("peak RSS  %ld KiB\n", ru.ru_maxrss);
	return 0;
}
