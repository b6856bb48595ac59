/*
 * bench_driver.c - runs the switchboard plugin over one export through the
 * real host of the plugin tests (tests/support/testhost.h) and prints its January-August figures; the fallback of
 * bench/switchboard_bench.sh when no working kpirun binary is built.
 * Usage: bench_driver FILE (absolute path).  Exit status 0 or 3.
 */
#include <stdio.h>

#include "testhost.h"

/* Print id's period ratio (x scale) for January-August 2011. */
static void print_ratio(const struct test_host *fh, const char *id,
                        double scale)
{
	double num, den;

	test_host_sum(fh, id, NULL, 2011, 1, 8, &num, &den);
	if (den > 0)
		printf("%s: %.1f\n", id, scale * num / den);
	else
		printf("%s: no data\n", id);
}

/* Run the plugin over argv[1] and print the figures.  Exit status 0, 2
 * (usage), 3 (data or config error, diagnostics on stderr) or 4 (the
 * plugin did not load). */
int main(int argc, char **argv)
{
	const struct kpi_plugin *p;
	struct test_host *fh;
	double num, den;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_driver FILE\n");
		return 2;
	}
	fh = test_host_new("switchboard", 2011, 8, NULL);
	test_host_set(fh, "file", argv[1]);
	p = test_host_load(fh, "switchboard");
	if (!p) {
		test_host_free(fh);
		return 4;
	}
	rc = test_host_run(fh, p);
	if (rc != 0) {
		fputs(test_host_diag(fh), stderr);
		test_host_free(fh);
		return 3;
	}
	test_host_sum(fh, "answered", NULL, 2011, 1, 8, &num, &den);
	printf("answered: %.0f\n", num);
	print_ratio(fh, "answered_share", 100);
	print_ratio(fh, "service_level", 100);
	print_ratio(fh, "avg_talk_s", 1);
	test_host_free(fh);
	return 0;
}
