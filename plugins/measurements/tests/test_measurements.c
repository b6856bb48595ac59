/*
 * test_measurements.c - the generic plugin through the real host: config
 * declarations, monthly emission, and every bad-row case.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "testhost.h"

#define DATA KPI_SOURCE_DIR "/plugins/measurements/tests/data"

static struct test_host *setup(const char *file)
{
	struct test_host *fh = test_host_new("environment", 2011, 8, DATA);

	test_host_set(fh, "file", file);
	test_host_set(fh, "indicators", "electricity, green_travel_share");
	test_host_set(fh, "electricity.name_sv", "Elförbrukning");
	test_host_set(fh, "electricity.unit", "kWh");
	test_host_set(fh, "electricity.direction", "lower");
	test_host_set(fh, "green_travel_share.aggregation", "ratio");
	test_host_set(fh, "green_travel_share.scale", "100");
	test_host_set(fh, "green_travel_share.decimals", "1");
	return fh;
}

static const struct kpi_plugin *load(struct test_host *fh)
{
	const struct kpi_plugin *p = test_host_load(fh, "measurements");

	cr_assert_not_null(p);
	return p;
}

Test(measurements, declares_from_config)
{
	struct test_host *fh = setup("measurements.csv");
	const struct kpi_plugin *p = load(fh);
	const struct kpi_indicator_def *d;

	cr_assert_eq(test_host_run(fh, p), 0, "%s", test_host_diag(fh));
	cr_assert_eq(test_host_ndeclared(fh), 2);
	d = test_host_declared(fh, 0);
	cr_assert_str_eq(d->id, "electricity");
	cr_assert_str_eq(d->name_sv, "Elförbrukning");
	cr_assert_str_eq(d->unit, "kWh");
	cr_assert_eq(d->aggregation, KPI_AGG_SUM);
	cr_assert_eq(d->direction, KPI_DIR_LOWER);
	d = test_host_declared(fh, 1);
	cr_assert_str_eq(d->id, "green_travel_share");
	cr_assert_eq(d->aggregation, KPI_AGG_RATIO);
	cr_assert_float_eq(d->scale, 100.0, 1e-12);
	cr_assert_eq(d->decimals, 1);
	test_host_free(fh);
}

Test(measurements, emits_monthly_numerators_and_denominators)
{
	struct test_host *fh = setup("measurements.csv");
	double num, den;

	cr_assert_eq(test_host_run(fh, load(fh)), 0, "%s", test_host_diag(fh));
	/* electricity 2011: 41 250 + 39 800 = 81 050 over two rows */
	cr_assert_eq(test_host_sum(fh, "electricity", NULL, 2011, 1, 12, &num,
	                           &den), 2);
	cr_assert_float_eq(num, 81050.0, 1e-9);
	/* the December 2010 row is kept for the previous year */
	cr_assert_eq(test_host_sum(fh, "electricity", NULL, 2010, 12, 12, &num,
	                           &den), 1);
	cr_assert_float_eq(num, 40000.0, 1e-9);
	/* ratio parts: (45 + 10) / (50 + 20); the core divides */
	cr_assert_eq(test_host_sum(fh, "green_travel_share", NULL, 2011, 1, 2,
	                           &num, &den), 2);
	cr_assert_float_eq(num, 55.0, 1e-9);
	cr_assert_float_eq(den, 70.0, 1e-9);
	test_host_free(fh);
}

Test(measurements, swedish_excel_export_gives_the_same_sums)
{
	struct test_host *plain = setup("measurements.csv");
	struct test_host *excel = setup("excel.csv");
	const char *ids[] = { "electricity", "green_travel_share" };

	cr_assert_eq(test_host_run(plain, load(plain)), 0);
	cr_assert_eq(test_host_run(excel, load(excel)), 0, "%s",
	             test_host_diag(excel));
	for (int i = 0; i < 2; i++)
		for (int y = 2010; y <= 2011; y++) {
			double n1, d1, n2, d2;
			int c1 = test_host_sum(plain, ids[i], NULL, y, 1, 12, &n1, &d1);
			int c2 = test_host_sum(excel, ids[i], NULL, y, 1, 12, &n2, &d2);

			cr_assert_eq(c1, c2);
			cr_assert_float_eq(n1, n2, 1e-9);
			cr_assert_float_eq(d1, d2, 1e-9);
		}
	test_host_free(plain);
	test_host_free(excel);
}

Test(measurements, header_only_emits_nothing)
{
	struct test_host *fh = setup("empty.csv");
	double num, den;

	cr_assert_eq(test_host_run(fh, load(fh)), 0);
	cr_assert_eq(test_host_sum(fh, "electricity", NULL, 2011, 1, 12, &num,
	                           &den), 0);
	test_host_free(fh);
}

static void expect_error(const char *file, const char *message)
{
	struct test_host *fh = setup(file);

	cr_assert_eq(test_host_run(fh, load(fh)), KPI_EDATA);
	cr_assert(strstr(test_host_diag(fh), message) != NULL,
	          "expected \"%s\" in \"%s\"", message, test_host_diag(fh));
	test_host_free(fh);
}

Test(measurements, duplicate_month_names_both_lines)
{
	expect_error("duplicate.csv", "duplicate.csv:3: second row for "
	             "'electricity' in 2011-01 (first at line 2)");
}

Test(measurements, unknown_indicator_names_line_and_column)
{
	expect_error("unknown.csv", "unknown.csv:2:1: expected an indicator "
	             "listed in the config, found 'elektricity'");
}

/* Rows of other years are read, checked and emitted like any other: the
 * host keeps the months the run aggregates (oldmonth.csv: electricity
 * 2009-12 41 250; oldmonth_dup.csv: electricity 2003-02 twice). */
Test(measurements, month_outside_the_two_years)
{
	struct test_host *fh = setup("oldmonth.csv");
	double num, den;

	cr_assert_eq(test_host_run(fh, load(fh)), 0, "%s", test_host_diag(fh));
	cr_assert_eq(test_host_sum(fh, "electricity", NULL, 2009, 12, 12, &num,
	                           &den), 1);
	cr_assert_float_eq(num, 41250.0, 1e-9);
	test_host_free(fh);
	expect_error("oldmonth_dup.csv", "oldmonth_dup.csv:3: second row for "
	             "'electricity' in 2003-02 (first at line 2)");
}

Test(measurements, ratio_without_denominator)
{
	expect_error("noden.csv", "noden.csv:2:31: expected a denominator for "
	             "ratio indicator 'green_travel_share', found an empty field");
}

Test(measurements, non_numeric_value)
{
	expect_error("notnum.csv", "notnum.csv:2:21:");
}

Test(measurements, missing_column)
{
	expect_error("nocolumn.csv", "nocolumn.csv:1: missing required column "
	             "'value'");
}

Test(measurements, bad_config_aggregation)
{
	struct test_host *fh = setup("measurements.csv");

	test_host_set(fh, "electricity.aggregation", "average");
	cr_assert_eq(test_host_run(fh, load(fh)), KPI_ECONFIG);
	cr_assert(strstr(test_host_diag(fh), "electricity.aggregation: "
	                 "'average' is not an aggregation") != NULL, "%s",
	          test_host_diag(fh));
	test_host_free(fh);
}

/* scale and decimals are whole numbers read by the host (config_integer):
 * "1 000" is one thousand, a fraction or a number out of range is a
 * config error naming the key and the value. */
Test(measurements, config_whole_numbers)
{
	static const struct { const char *key, *value, *want; } bad[] = {
		{ "green_travel_share.scale", "1,5",
		  "green_travel_share.scale: expected a whole number, found "
		  "'1,5'" },
		{ "green_travel_share.scale", "0",
		  "green_travel_share.scale: expected a whole number "
		  "1..1000000, found 0" },
		{ "green_travel_share.decimals", "7",
		  "green_travel_share.decimals: expected a whole number 0..6, "
		  "found 7" },
		{ "indicators", "electricity,,green_travel_share",
		  "indicators: expected a comma-separated list without empty "
		  "items, found 'electricity,,green_travel_share'" },
	};
	struct test_host *fh = setup("measurements.csv");

	test_host_set(fh, "green_travel_share.scale", "1 000");
	cr_assert_eq(test_host_run(fh, load(fh)), 0, "%s", test_host_diag(fh));
	cr_assert_float_eq(test_host_declared(fh, 1)->scale, 1000.0, 1e-12);
	test_host_free(fh);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fh = setup("measurements.csv");
		test_host_set(fh, bad[i].key, bad[i].value);
		cr_assert_eq(test_host_run(fh, load(fh)), KPI_ECONFIG, "%s",
		             bad[i].value);
		cr_assert(strstr(test_host_diag(fh), bad[i].want), "expected %s "
		          "in %s", bad[i].want, test_host_diag(fh));
		test_host_free(fh);
	}
}
