/*
 * test_payroll.c - the payroll plugin through the real host: each formula
 * against fixtures worked out by hand, every bad input with its exact
 * message, the Swedish Excel form of an export, and data/2011/payroll.csv.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plugintest.h"

#define DATA KPI_SOURCE_DIR "/plugins/payroll/tests/data"
#define SHIPPED KPI_SOURCE_DIR "/data/2011"

static const char *const ids[] = {
	"payslips_per_admin", "self_service_share", "payslips_per_month",
};

/* Area "payroll" of a T2 2011 run; its measurements counted in
 * 2010-2011. */
static const struct plugin_test pt = {
	.name = "payroll", .year = 2011, .month = 8, .data_dir = DATA,
	.ids = ids, .n_ids = sizeof ids / sizeof ids[0],
	.first_year = 2010, .last_year = 2011,
};

Test(payroll, descriptor)
{
	struct test_host *fh = test_host_new("payroll", 2011, 8, DATA);
	const struct kpi_plugin *p = test_host_load(fh, "payroll");
	static const int agg[] = { KPI_AGG_RATIO, KPI_AGG_RATIO,
	                           KPI_AGG_RATIO };
	static const double scale[] = { 1, 100, 1 };

	cr_assert_not_null(p);
	cr_expect_eq(p->size, sizeof(struct kpi_plugin));
	cr_expect_eq(p->abi_major, KPI_ABI_MAJOR);
	cr_expect_leq(p->abi_minor, KPI_ABI_MINOR);
	cr_expect_str_eq(p->name, "payroll");
	cr_expect_str_eq(p->version, "1.0.0");
	cr_expect_str_eq(p->license, "MIT");
	cr_expect_not_null(p->description);
	cr_assert_eq(p->n_indicators, 3);
	for (size_t i = 0; i < p->n_indicators; i++) {
		const struct kpi_indicator_def *d = &p->indicators[i];

		cr_expect_eq(d->size, sizeof(struct kpi_indicator_def));
		cr_expect_str_eq(d->id, ids[i]);
		cr_expect_eq(d->aggregation, agg[i], "%s", d->id);
		cr_expect_eq(d->scale, scale[i], "%s", d->id);
		cr_expect_eq(d->decimals, 0, "%s", d->id);
		cr_expect(d->name_sv && d->name_en && d->unit);
	}
	cr_expect_str_eq(p->indicators[0].name_sv,
	                 "Antal löner per månad och administratör/heltid, "
	                 "genomsnitt");
	cr_expect_eq(p->indicators[0].direction, KPI_DIR_HIGHER);
	cr_expect_eq(p->indicators[1].direction, KPI_DIR_HIGHER);
	cr_expect_str_eq(p->indicators[1].unit, "%");
	cr_expect_str_eq(p->config_keys[0], "file");
	cr_expect_null(p->config_keys[1]);
	test_host_free(fh);
}

/*
 * small.csv by hand, January-August 2011 (rows 2011-01..03):
 *   payslips_per_admin = (1200 + 900 + 1500) / (2.5 + 1.5 + 2) = 3600 / 6
 *                      = 600
 *   self_service_share = (900 + 1000) / (1200 + 1500) x 100 = 1900 / 2700
 *                      = 70.37 %   (February's share is empty: left out of
 *                                   numerator and denominator)
 *   payslips_per_month = 3600 / 3 months = 1200
 * and 2010 (row 2010-12): 1000 / 2 = 500 per admin, 600 / 1000 = 60 %.
 */
Test(payroll, formulas_small)
{
	double num, den;
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "small.csv", &rc);

	cr_assert_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");

	cr_expect_eq(test_host_sum(fh, "payslips_per_admin", NULL, 2011, 1, 8,
	                           &num, &den), 3);
	cr_expect_eq(num, 3600);
	cr_expect_eq(den, 6);
	cr_expect_eq(num / den, 600);

	cr_expect_eq(test_host_sum(fh, "self_service_share", NULL, 2011, 1, 8,
	                           &num, &den), 2);
	cr_expect_eq(num, 1900);
	cr_expect_eq(den, 2700);
	cr_expect_float_eq(100 * num / den, 70.370370, 1e-5);

	cr_expect_eq(test_host_sum(fh, "payslips_per_month", NULL, 2011, 1, 8,
	                           &num, &den), 3);
	cr_expect_eq(num, 3600);
	cr_expect_eq(den, 3);

	cr_expect_eq(test_host_sum(fh, "payslips_per_admin", NULL, 2010, 1,
	                           12, &num, &den), 1);
	cr_expect_eq(num / den, 500);
	cr_expect_eq(test_host_sum(fh, "self_service_share", NULL, 2010, 1,
	                           12, &num, &den), 1);
	cr_expect_eq(100 * num / den, 60);

	cr_expect_eq(test_host_last_month(fh, "payslips_per_admin", 2011), 3);
	cr_expect_eq(test_host_last_month(fh, "self_service_share", 2011), 3);
	test_host_free(fh);
	LEAK_CHECK();
}

/* excel.csv holds small.csv's rows as Swedish Excel saves them: BOM, ';',
 * CRLF, decimal comma, U+00A0 grouping, columns reordered and renamed in
 * another case, an extra column with a quoted ';', a blank line. */
Test(payroll, swedish_excel_same_as_plain)
{
	plugin_test_expect_same_exports(&pt, DATA, "small.csv", "excel.csv",
	                                2010, 2011);
}

/* A header without rows is no data: nothing emitted, so the report shows
 * "no data" rather than 0. */
Test(payroll, empty_export_emits_nothing)
{
	plugin_test_expect_no_data(&pt, DATA, "empty.csv");
}

Test(payroll, missing_columns)
{
	static const char *const cols[] = {
		"month", "payslips", "self_service_payslips",
		"administrator_fte",
	};

	plugin_test_expect_missing_columns(&pt, cols,
	                                   sizeof cols / sizeof cols[0]);
}

/* Every missing column is reported, not only the first. */
Test(payroll, missing_two_columns)
{
	char want[1024];
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "missing_two.csv",
	                                       &rc);

	snprintf(want, sizeof want,
	         "payroll: %s/missing_two.csv:1: missing required column "
	         "'self_service_payslips'\n"
	         "payroll: %s/missing_two.csv:1: missing required column "
	         "'administrator_fte'\n", DATA, DATA);
	cr_expect_eq(rc, KPI_EDATA);
	cr_expect_str_eq(test_host_diag(fh), want);
	test_host_free(fh);
	LEAK_CHECK();
}

Test(payroll, non_numeric)
{
	plugin_test_expect_error(&pt, "bad_number.csv",
	                         "3:9: expected a number, with nothing after "
	                         "it, found '12x0'");
}

Test(payroll, empty_required_number)
{
	plugin_test_expect_error(&pt, "empty_payslips.csv",
	                         "3:9: expected a number, found an empty "
	                         "field");
}

Test(payroll, negative_count)
{
	plugin_test_expect_error(&pt, "negative_count.csv",
	                         "3:9: expected a number that is not negative, "
	                         "found '-5'");
}

Test(payroll, negative_fte)
{
	plugin_test_expect_error(&pt, "negative_fte.csv",
	                         "3:18: expected a number that is not "
	                         "negative, found '-0.5'");
}

Test(payroll, fractional_count)
{
	plugin_test_expect_error(&pt, "fractional_count.csv",
	                         "2:9: expected a whole number, found "
	                         "'1200.5'");
}

/* Expect one measurement of payslips_per_admin for year-month in fh,
 * num/den as given (the export's payslips / administrator_fte). */
static void expect_per_admin(const struct test_host *fh, int year, int month,
                             double num, double den)
{
	double n = 0, d = 0;

	cr_expect_eq(test_host_sum(fh, "payslips_per_admin", NULL, year, month,
	                           month, &n, &d), 1, "%d-%02d", year, month);
	cr_expect_eq(n, num, "%d-%02d: num %g", year, month, n);
	cr_expect_eq(d, den, "%d-%02d: den %g", year, month, d);
}

/* Rows of other years are read, checked and emitted like any other: the
 * host keeps the months the run aggregates.  month_before.csv: 2010-12
 * and 2009-12, both 1000 payslips over 2 administrators. */
Test(payroll, month_before_previous_year)
{
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "month_before.csv",
	                                       &rc);

	cr_expect_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");
	expect_per_admin(fh, 2010, 12, 1000, 2);
	expect_per_admin(fh, 2009, 12, 1000, 2);
	plugin_test_free(fh);
}

/* month_after.csv: 2011-12 and 2012-01, after the run's period. */
Test(payroll, month_after_run_year)
{
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "month_after.csv",
	                                       &rc);

	cr_expect_eq(rc, 0, "%s", test_host_diag(fh));
	expect_per_admin(fh, 2011, 12, 1000, 2);
	expect_per_admin(fh, 2012, 1, 1000, 2);
	plugin_test_free(fh);
}

/* A month repeated in a year the run does not aggregate is an error all
 * the same (duplicate_old.csv: 2003-05 at lines 2 and 4). */
Test(payroll, duplicate_month_other_year)
{
	plugin_test_expect_error(&pt, "duplicate_old.csv",
	                         "4:1: duplicate month '2003-05' (first at "
	                         "line 2)");
}

/* 200 months (2000-01..2016-08, the set of months seen grown from 32
 * slots to 512), then 2000-01 again at line 202. */
Test(payroll, duplicate_month_after_many)
{
	plugin_test_expect_error(&pt, "duplicate_late.csv",
	                         "202:1: duplicate month '2000-01' (first at "
	                         "line 2)");
}

/* A bad number in 2003 is a data error at its file:line:col. */
Test(payroll, bad_number_other_year)
{
	plugin_test_expect_error(&pt, "bad_number_old.csv",
	                         "3:14: expected a number, found 'x12'");
}

Test(payroll, invalid_month)
{
	plugin_test_expect_error(&pt, "bad_month.csv",
	                         "3:1: expected a month between 01 and 12, "
	                         "found '2011-13'");
}

/* The third row's 2011-01-31 is January again. */
Test(payroll, duplicate_month)
{
	plugin_test_expect_error(&pt, "duplicate_month.csv",
	                         "4:1: duplicate month '2011-01' (first at "
	                         "line 2)");
}

Test(payroll, self_service_exceeds_payslips)
{
	plugin_test_expect_error(&pt, "self_service_exceeds.csv",
	                         "2:14: expected at most the month's payslips "
	                         "(1200), found '1300'");
}

Test(payroll, missing_file)
{
	char want[512];
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "no_such_file.csv",
	                                       &rc);

	snprintf(want, sizeof want, "payroll: %s/no_such_file.csv: cannot "
	         "open: No such file or directory\n", DATA);
	cr_expect_eq(rc, KPI_EIO);
	cr_expect_str_eq(test_host_diag(fh), want);
	test_host_free(fh);
	LEAK_CHECK();
}

Test(payroll, empty_file_key)
{
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "", &rc);

	cr_expect_eq(rc, KPI_ECONFIG);
	cr_expect_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "file: "
	                 "expected a file name, found ''", 1));
	test_host_free(fh);
	LEAK_CHECK();
}

/*
 * The shipped export, with the default file name, at the seed's
 * precision (the report rounds half away from zero, as round() does):
 * Jan-Apr 2011 204 000 payslips / 240.8 FTE = 847.18 -> 847;
 * 140 966 / 204 000 = 69.10 % -> 69 %; 204 000 / 4 = 51 000 a month.
 */
Test(payroll, shipped_2011)
{
	double num, den;
	int rc;
	struct test_host *fh = plugin_test_run(&pt, SHIPPED, NULL, &rc);

	cr_assert_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_eq(test_host_sum(fh, "payslips_per_admin", NULL, 2011, 1, 8,
	                           &num, &den), 4);
	cr_expect_eq(round(num / den), 847, "%f", num / den);
	cr_expect_eq(test_host_sum(fh, "self_service_share", NULL, 2011, 1, 8,
	                           &num, &den), 4);
	cr_expect_eq(round(100 * num / den), 69, "%f", 100 * num / den);
	cr_expect_eq(test_host_sum(fh, "payslips_per_month", NULL, 2011, 1, 8,
	                           &num, &den), 4);
	cr_expect_eq(round(num / den), 51000, "%f", num / den);
	cr_expect_eq(test_host_last_month(fh, "payslips_per_admin", 2011), 4);
	/* All of 2010, for a seasonal forecast. */
	cr_expect_eq(test_host_sum(fh, "payslips_per_admin", NULL, 2010, 1,
	                           12, &num, &den), 12);
	test_host_free(fh);
	LEAK_CHECK();
}
