/*
 * test_invoicing.c - the invoicing plugin through the real host: each
 * formula against fixtures worked out by hand, every bad input with its
 * exact message, the Swedish Excel form, and data/2011/invoicing.csv.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plugintest.h"

#define DATA KPI_SOURCE_DIR "/plugins/invoicing/tests/data"
#define SHIPPED KPI_SOURCE_DIR "/data/2011"

static const char *const ids[] = {
	"customer_invoices_per_admin", "supplier_invoices_per_admin",
	"supplier_e_invoice_share",
};

/* Area "invoicing" of a T2 2011 run; its measurements counted in
 * 2010-2011. */
static const struct plugin_test pt = {
	.name = "invoicing", .year = 2011, .month = 8, .data_dir = DATA,
	.ids = ids, .n_ids = sizeof ids / sizeof ids[0],
	.first_year = 2010, .last_year = 2011,
};

Test(invoicing, descriptor)
{
	struct test_host *fh = test_host_new("invoicing", 2011, 8, DATA);
	const struct kpi_plugin *p = test_host_load(fh, "invoicing");
	static const double scale[] = { 1, 1, 100 };

	cr_assert_not_null(p);
	cr_expect_eq(p->size, sizeof(struct kpi_plugin));
	cr_expect_eq(p->abi_major, KPI_ABI_MAJOR);
	cr_expect_leq(p->abi_minor, KPI_ABI_MINOR);
	cr_expect_str_eq(p->name, "invoicing");
	cr_expect_str_eq(p->version, "1.0.0");
	cr_expect_str_eq(p->license, "MIT");
	cr_expect_not_null(p->description);
	cr_assert_eq(p->n_indicators, 3);
	for (size_t i = 0; i < p->n_indicators; i++) {
		const struct kpi_indicator_def *d = &p->indicators[i];

		cr_expect_eq(d->size, sizeof(struct kpi_indicator_def));
		cr_expect_str_eq(d->id, ids[i]);
		cr_expect_eq(d->aggregation, KPI_AGG_RATIO, "%s", d->id);
		cr_expect_eq(d->scale, scale[i], "%s", d->id);
		cr_expect_eq(d->direction, KPI_DIR_HIGHER, "%s", d->id);
		cr_expect_eq(d->decimals, 0, "%s", d->id);
		cr_expect(d->name_sv && d->name_en && d->unit);
	}
	cr_expect_str_eq(p->indicators[0].name_sv,
	                 "Antal kundfakturor per månad och "
	                 "administratör/heltid, genomsnitt");
	cr_expect_str_eq(p->indicators[1].name_sv,
	                 "Antal leverantörsfakturor per månad och "
	                 "administratör/heltid, genomsnitt");
	cr_expect_str_eq(p->indicators[2].unit, "%");
	cr_expect_str_eq(p->config_keys[0], "file");
	cr_expect_null(p->config_keys[1]);
	test_host_free(fh);
}

/*
 * small.csv by hand, January-August 2011 (rows 2011-01..03):
 *   customer_invoices_per_admin = (8000 + 6000 + 10000) / (2 + 1.5 + 2.5)
 *                               = 24000 / 6 = 4000
 *   supplier_invoices_per_admin = (12000 + 9000 + 15000) / (4 + 3.5 + 4.5)
 *                               = 36000 / 12 = 3000
 *   supplier_e_invoice_share    = (3000 + 6000) / (12000 + 15000) x 100
 *                               = 33.33 %  (February's e-invoices are
 *                                 empty: left out of both sums)
 * and 2010 (row 2010-06): 3000 / 1, 5000 / 2 = 2500, 1000 / 5000 = 20 %.
 */
Test(invoicing, formulas_small)
{
	double num, den;
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "small.csv", &rc);

	cr_assert_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");

	cr_expect_eq(test_host_sum(fh, "customer_invoices_per_admin", NULL,
	                           2011, 1, 8, &num, &den), 3);
	cr_expect_eq(num, 24000);
	cr_expect_eq(den, 6);
	cr_expect_eq(num / den, 4000);

	cr_expect_eq(test_host_sum(fh, "supplier_invoices_per_admin", NULL,
	                           2011, 1, 8, &num, &den), 3);
	cr_expect_eq(num, 36000);
	cr_expect_eq(den, 12);
	cr_expect_eq(num / den, 3000);

	cr_expect_eq(test_host_sum(fh, "supplier_e_invoice_share", NULL, 2011,
	                           1, 8, &num, &den), 2);
	cr_expect_eq(num, 9000);
	cr_expect_eq(den, 27000);
	cr_expect_float_eq(100 * num / den, 33.333333, 1e-5);

	cr_expect_eq(test_host_sum(fh, "customer_invoices_per_admin", NULL,
	                           2010, 1, 12, &num, &den), 1);
	cr_expect_eq(num / den, 3000);
	cr_expect_eq(test_host_sum(fh, "supplier_invoices_per_admin", NULL,
	                           2010, 1, 12, &num, &den), 1);
	cr_expect_eq(num / den, 2500);
	cr_expect_eq(test_host_sum(fh, "supplier_e_invoice_share", NULL, 2010,
	                           1, 12, &num, &den), 1);
	cr_expect_eq(100 * num / den, 20);
	cr_expect_eq(test_host_last_month(fh, "customer_invoices_per_admin",
	                                  2011), 3);
	test_host_free(fh);
	LEAK_CHECK();
}

/* excel.csv holds small.csv's rows as Swedish Excel saves them: BOM,
 * Excel's "sep=;" line, ';', CRLF, decimal comma, U+00A0 grouping,
 * headers in another case, an extra column with a quoted ';', a blank
 * line. */
Test(invoicing, swedish_excel_same_as_plain)
{
	plugin_test_expect_same_exports(&pt, DATA, "small.csv", "excel.csv",
	                                2010, 2011);
}

/* A header without rows is no data: nothing emitted, so the report shows
 * "no data" rather than 0. */
Test(invoicing, empty_export_emits_nothing)
{
	plugin_test_expect_no_data(&pt, DATA, "empty.csv");
}

Test(invoicing, missing_columns)
{
	static const char *const cols[] = {
		"month", "customer_invoices", "customer_fte",
		"supplier_invoices", "supplier_fte", "supplier_e_invoices",
	};

	plugin_test_expect_missing_columns(&pt, cols,
	                                   sizeof cols / sizeof cols[0]);
}

Test(invoicing, non_numeric)
{
	plugin_test_expect_error(&pt, "bad_number.csv",
	                         "3:14: expected a number, found 'two'");
}

Test(invoicing, excel_error_value)
{
	plugin_test_expect_error(&pt, "excel_error.csv",
	                         "3:9: cell contains Excel error #SAKNAS!");
}

Test(invoicing, negative_count)
{
	plugin_test_expect_error(&pt, "negative_count.csv",
	                         "2:16: expected a number that is not "
	                         "negative, found '-12000'");
}

Test(invoicing, fractional_count)
{
	plugin_test_expect_error(&pt, "fractional_count.csv",
	                         "3:27: expected a whole number, found "
	                         "'2000.5'");
}

/* Expect one measurement of customer_invoices_per_admin for year-month in
 * fh, num/den as given (customer_invoices / customer_fte). */
static void expect_customer(const struct test_host *fh, int year, int month,
                            double num, double den)
{
	double n = 0, d = 0;

	cr_expect_eq(test_host_sum(fh, "customer_invoices_per_admin", NULL,
	                           year, month, month, &n, &d), 1,
	             "%d-%02d", year, month);
	cr_expect_eq(n, num, "%d-%02d: num %g", year, month, n);
	cr_expect_eq(d, den, "%d-%02d: den %g", year, month, d);
}

/* Rows of other years are read, checked and emitted like any other: the
 * host keeps the months the run aggregates.  month_before.csv: 2009-12,
 * 8000 customer invoices over 2 FTE. */
Test(invoicing, month_before_previous_year)
{
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "month_before.csv",
	                                       &rc);

	cr_expect_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");
	expect_customer(fh, 2009, 12, 8000, 2);
	plugin_test_free(fh);
}

/* month_after.csv: 2011-01 8000 / 2 and 2012-01 6000 / 1.5. */
Test(invoicing, month_after_run_year)
{
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "month_after.csv",
	                                       &rc);

	cr_expect_eq(rc, 0, "%s", test_host_diag(fh));
	expect_customer(fh, 2011, 1, 8000, 2);
	expect_customer(fh, 2012, 1, 6000, 1.5);
	plugin_test_free(fh);
}

Test(invoicing, duplicate_month)
{
	plugin_test_expect_error(&pt, "duplicate_month.csv",
	                         "4:1: duplicate month '2011-02' (first at "
	                         "line 3)");
}

Test(invoicing, e_invoices_exceed_supplier_invoices)
{
	plugin_test_expect_error(&pt, "e_invoices_exceed.csv",
	                         "2:24: expected at most the month's supplier "
	                         "invoices (12000), found '12001'");
}

Test(invoicing, empty_file_key)
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
 * Jan-Aug 2011 245 283 customer invoices / 58.9 FTE = 4164.40 -> 4164;
 * 791 743 supplier invoices / 293.0 FTE = 2702.19 -> 2702.
 */
Test(invoicing, shipped_2011)
{
	double num, den;
	int rc;
	struct test_host *fh = plugin_test_run(&pt, SHIPPED, NULL, &rc);

	cr_assert_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_eq(test_host_sum(fh, "customer_invoices_per_admin", NULL,
	                           2011, 1, 8, &num, &den), 8);
	cr_expect_eq(round(num / den), 4164, "%f", num / den);
	cr_expect_eq(test_host_sum(fh, "supplier_invoices_per_admin", NULL,
	                           2011, 1, 8, &num, &den), 8);
	cr_expect_eq(round(num / den), 2702, "%f", num / den);
	cr_expect_eq(test_host_sum(fh, "supplier_e_invoice_share", NULL, 2011,
	                           1, 8, &num, &den), 8);
	cr_expect_eq(round(100 * num / den), 37, "%f", 100 * num / den);
	cr_expect_eq(test_host_last_month(fh, "customer_invoices_per_admin",
	                                  2011), 8);
	cr_expect_eq(test_host_sum(fh, "customer_invoices_per_admin", NULL,
	                           2010, 1, 12, &num, &den), 12);
	test_host_free(fh);
	LEAK_CHECK();
}
