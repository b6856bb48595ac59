/*
 * test_procurement.c - the procurement plugin through the real host: each
 * count against a register worked out by hand, every bad input with its
 * exact message, the Swedish Excel form, and data/2011/procurement.csv.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "plugintest.h"

#define DATA KPI_SOURCE_DIR "/plugins/procurement/tests/data"
#define SHIPPED KPI_SOURCE_DIR "/data/2011"

static const char *const ids[] = {
	"completed_central", "completed_agency", "ongoing", "review_share",
};

/* Area "procurement" of a run to August 2011 unless a test says
 * otherwise; its measurements counted in 2010-2011. */
static const struct plugin_test pt = {
	.name = "procurement", .year = 2011, .month = 8, .data_dir = DATA,
	.ids = ids, .n_ids = sizeof ids / sizeof ids[0],
	.first_year = 2010, .last_year = 2011,
};

/* The numerator emitted for id in month m of 2011 (asserts there is
 * exactly one measurement). */
static double month_num(const struct test_host *fh, const char *id, int m)
{
	double num, den;

	cr_assert_eq(test_host_sum(fh, id, NULL, 2011, m, m, &num, &den), 1,
	             "%s 2011-%02d", id, m);
	return num;
}

Test(procurement, descriptor)
{
	struct test_host *fh = test_host_new("procurement", 2011, 8, DATA);
	const struct kpi_plugin *p = test_host_load(fh, "procurement");
	static const int agg[] = { KPI_AGG_SUM, KPI_AGG_SUM, KPI_AGG_LAST,
	                           KPI_AGG_RATIO };
	static const int dir[] = { KPI_DIR_HIGHER, KPI_DIR_HIGHER,
	                           KPI_DIR_NONE, KPI_DIR_LOWER };

	cr_assert_not_null(p);
	cr_expect_eq(p->size, sizeof(struct kpi_plugin));
	cr_expect_eq(p->abi_major, KPI_ABI_MAJOR);
	cr_expect_leq(p->abi_minor, KPI_ABI_MINOR);
	cr_expect_str_eq(p->name, "procurement");
	cr_expect_str_eq(p->version, "1.0.0");
	cr_expect_str_eq(p->license, "MIT");
	cr_expect_not_null(p->description);
	cr_assert_eq(p->n_indicators, 4);
	for (size_t i = 0; i < p->n_indicators; i++) {
		const struct kpi_indicator_def *d = &p->indicators[i];

		cr_expect_eq(d->size, sizeof(struct kpi_indicator_def));
		cr_expect_str_eq(d->id, ids[i]);
		cr_expect_eq(d->aggregation, agg[i], "%s", d->id);
		cr_expect_eq(d->direction, dir[i], "%s", d->id);
		cr_expect_eq(d->decimals, 0, "%s", d->id);
		cr_expect(d->name_sv && d->name_en && d->unit);
	}
	cr_expect_eq(p->indicators[3].scale, 100);
	cr_expect_str_eq(p->indicators[3].unit, "%");
	cr_expect_str_eq(p->config_keys[0], "file");
	cr_expect_null(p->config_keys[1]);
	test_host_free(fh);
}

/*
 * small.csv by hand, T2 2011 (run month 8):
 *   P1 central  opened 2010-05-03 closed 2010-11-30  reviewed: last year,
 *                                                    counts nowhere
 *   P2 central  2010-10-01 .. 2011-02-15  reviewed   completed February
 *   P3 joint    2011-01-10 .. 2011-02-28             completed February
 *   P4 agency   2011-03-01 .. 2011-03-01             completed March
 *   P5 agency   2011-02-01 .. 2011-09-15  reviewed   completed September
 *   P6 central  2011-06-30 .. (open)
 *   P7 Central  2009-01-01 .. (open)   type in another case, quoted title
 * completed_central Jan-Aug = P2 + P3 (joint counts as central) = 2
 * completed_agency  Jan-Aug = P4 = 1; Jan-Dec = P4 + P5 = 2
 * review_share      Jan-Aug = P2 / (P2, P3, P4) = 1 / 3 = 33.3 %
 * ongoing at the end of each month:
 *   Jan P2 P3 P7 = 3; Feb P5 P7 = 2 (P2, P3 closed in February);
 *   Mar-May P5 P7 = 2 (P4 opened and closed on 1 March);
 *   Jun-Aug P5 P6 P7 = 3; the period's value is August's, 3.
 */
Test(procurement, counts_small)
{
	static const double ongoing[8] = { 3, 2, 2, 2, 2, 3, 3, 3 };
	double num, den;
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "small.csv", &rc);

	cr_assert_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");

	/* Every month 1..8 is emitted (zeros too), and September, when P5
	 * closed. */
	cr_expect_eq(test_host_sum(fh, "completed_central", NULL, 2011, 1, 8,
	                           &num, &den), 8);
	cr_expect_eq(num, 2);
	cr_expect_eq(month_num(fh, "completed_central", 2), 2);
	cr_expect_eq(test_host_sum(fh, "completed_agency", NULL, 2011, 1, 8,
	                           &num, &den), 8);
	cr_expect_eq(num, 1);
	cr_expect_eq(month_num(fh, "completed_agency", 3), 1);
	cr_expect_eq(test_host_sum(fh, "completed_agency", NULL, 2011, 1, 12,
	                           &num, &den), 9);
	cr_expect_eq(num, 2);
	cr_expect_eq(month_num(fh, "completed_agency", 9), 1);

	cr_expect_eq(test_host_sum(fh, "review_share", NULL, 2011, 1, 8, &num,
	                           &den), 8);
	cr_expect_eq(num, 1);
	cr_expect_eq(den, 3);
	cr_expect_float_eq(100 * num / den, 33.333333, 1e-5);

	cr_expect_eq(test_host_last_month(fh, "ongoing", 2011), 8);
	for (int m = 1; m <= 8; m++) {
		cr_expect_eq(month_num(fh, "ongoing", m), ongoing[m - 1],
		             "ongoing 2011-%02d", m);
		cr_expect_eq(test_host_sum(fh, "ongoing", NULL, 2011, m, m,
		                           &num, &den), 1);
		cr_expect_eq(den, 1);
	}

	/* Nothing for the previous year: P1 is in the register only. */
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		cr_expect_eq(test_host_sum(fh, ids[i], NULL, 2010, 1, 12, &num,
		                           &den), 0, "%s", ids[i]);
	test_host_free(fh);
	LEAK_CHECK();
}

/* A T1 run (to April) of the same register: ongoing ends in April, and
 * the months after April appear only where something closed (P5 in
 * September). */
Test(procurement, counts_small_t1)
{
	double num, den;
	int rc;
	struct test_host *fh = plugin_test_run_to(&pt, 4, DATA, "small.csv",
	                                          &rc);

	cr_assert_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_eq(test_host_last_month(fh, "ongoing", 2011), 4);
	cr_expect_eq(month_num(fh, "ongoing", 4), 2);
	cr_expect_eq(test_host_sum(fh, "completed_central", NULL, 2011, 1, 12,
	                           &num, &den), 5);
	cr_expect_eq(test_host_sum(fh, "completed_agency", NULL, 2011, 5, 12,
	                           &num, &den), 1);
	cr_expect_eq(month_num(fh, "completed_agency", 9), 1);
	test_host_free(fh);
	LEAK_CHECK();
}

/* excel.csv holds small.csv's rows as Swedish Excel saves them: BOM, ';',
 * CRLF, headers in another case, an extra column, a quoted ';' and a
 * title over two lines, a blank line. */
Test(procurement, swedish_excel_same_as_plain)
{
	plugin_test_expect_same_exports(&pt, DATA, "small.csv", "excel.csv",
	                                2011, 2011);
}

/* A header without rows is no data: nothing emitted, so the report shows
 * "no data" rather than 0 completed or 0 %. */
Test(procurement, empty_export_emits_nothing)
{
	plugin_test_expect_no_data(&pt, DATA, "empty.csv");
}

Test(procurement, missing_columns)
{
	static const char *const cols[] = {
		"id", "type", "opened", "closed", "reviewed",
	};

	plugin_test_expect_missing_columns(&pt, cols,
	                                   sizeof cols / sizeof cols[0]);
}

/* `title` is informational: a register without it is read. */
Test(procurement, title_optional)
{
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "no_title.csv", &rc);

	cr_expect_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_eq(month_num(fh, "completed_central", 2), 1);
	test_host_free(fh);
	LEAK_CHECK();
}

Test(procurement, type_not_allowed)
{
	plugin_test_expect_error(&pt, "bad_type.csv",
	                         "3:4: expected central, joint or agency, "
	                         "found 'framework'");
}

/* A long field is quoted shortened, as the CSV reader quotes: 37
 * characters (not bytes: "ö" is one) and "...". */
Test(procurement, long_type_shortened)
{
	plugin_test_expect_error(&pt, "bad_type_long.csv",
	                         "2:4: expected central, joint or agency, "
	                         "found 'ramavtal för hela staden och alla "
	                         "bol...'");
}

Test(procurement, reviewed_not_0_or_1)
{
	plugin_test_expect_error(&pt, "bad_reviewed.csv",
	                         "2:40: expected 0 or 1, found 'yes'");
}

Test(procurement, closed_before_opened)
{
	plugin_test_expect_error(&pt, "closed_before_opened.csv",
	                         "2:29: expected a date on or after opened "
	                         "(2011-05-01), found '2011-04-30'");
}

/* Expect the ongoing count at the end of each month 1..8 of 2011 to be
 * want[m - 1], and nothing completed in those months. */
static void expect_ongoing(const char *file, const int want[8])
{
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, file, &rc);

	cr_assert_eq(rc, 0, "%s: %s", file, test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");
	for (int m = 1; m <= 8; m++) {
		double num = -1, den = 0;

		cr_expect_eq(test_host_sum(fh, "ongoing", NULL, 2011, m, m,
		                           &num, &den), 1, "%s %d", file, m);
		cr_expect_eq(num, want[m - 1], "%s month %d: %g", file, m, num);
		test_host_sum(fh, "completed_central", NULL, 2011, m, m, &num,
		              &den);
		cr_expect_eq(num, 0, "%s month %d: completed %g", file, m, num);
	}
	plugin_test_free(fh);
}

/* Dates of any year are read: the register is read whole and the run's
 * year decides what counts.  P1 opened 2011-05-01, closed 2012-01-10: open
 * at the end of May..August, completed in none of them. */
Test(procurement, closed_after_run_year)
{
	static const int want[8] = { 0, 0, 0, 0, 1, 1, 1, 1 };

	expect_ongoing("closed_after_run_year.csv", want);
}

/* Opened 2009-05-01, closed 2009-12-10: nothing in 2011. */
Test(procurement, closed_before_previous_year)
{
	static const int want[8] = { 0 };

	expect_ongoing("closed_before_previous_year.csv", want);
}

/* Opened 2012-01-02, still open: not yet ongoing in 2011. */
Test(procurement, opened_after_run_year)
{
	static const int want[8] = { 0 };

	expect_ongoing("opened_after_run_year.csv", want);
}

/* Opened 1911-03-01, still open: ongoing at the end of every month. */
Test(procurement, opened_long_ago)
{
	static const int want[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };

	expect_ongoing("opened_typo.csv", want);
}

Test(procurement, invalid_date)
{
	plugin_test_expect_error(&pt, "bad_date.csv",
	                         "2:18: expected a day that exists in that "
	                         "month, found '2011-02-30'");
}

Test(procurement, empty_opened)
{
	plugin_test_expect_error(&pt, "empty_opened.csv",
	                         "2:18: expected a date, found an empty field");
}

Test(procurement, duplicate_id)
{
	plugin_test_expect_error(&pt, "duplicate_id.csv",
	                         "4:1: duplicate id 'P1' (first at line 2)");
}

Test(procurement, empty_id)
{
	plugin_test_expect_error(&pt, "empty_id.csv",
	                         "3:1: expected an assignment id, found ''");
}

/* Past 12 288 assignments the duplicate check stops with a warning, and
 * the counts go on. */
Test(procurement, many_ids_warn)
{
	char path[128], want[256];
	FILE *f;
	int rc, n = 12300;
	struct test_host *fh;

	snprintf(path, sizeof path, "/tmp/kpirun-test-procurement-%ld.csv",
	         (long)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("id,type,title,opened,closed,reviewed\n", f);
	for (int i = 0; i < n; i++)
		fprintf(f, "X%d,agency,t,2011-01-03,2011-01-04,0\n", i);
	cr_assert_eq(fclose(f), 0);
	fh = plugin_test_run(&pt, NULL, path, &rc);
	unlink(path);
	snprintf(want, sizeof want, "procurement: warning: %s: more than "
	         "12288 assignments, ids from line 12290 on are not checked "
	         "for duplicates\n", path);
	cr_expect_eq(rc, 0);
	cr_expect_str_eq(test_host_diag(fh), want);
	cr_expect_eq(month_num(fh, "completed_agency", 1), n);
	test_host_free(fh);
	LEAK_CHECK();
}

Test(procurement, empty_file_key)
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
 * The shipped register, with the default file name, T2 2011: central
 * procurements closed in the period are annonsförmedling, kaffeautomater,
 * resebyråtjänster and el-fordon (4); agency assignments organisations-
 * konsulter, städentreprenader and handledartjänster for two districts
 * (4); ongoing at the end of August the seven central ones (7); none of
 * the eight was taken to court, livsmedel (reviewed) closed in 2010: 0 %.
 */
Test(procurement, shipped_2011)
{
	double num, den;
	int rc;
	struct test_host *fh = plugin_test_run(&pt, SHIPPED, NULL, &rc);

	cr_assert_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");
	test_host_sum(fh, "completed_central", NULL, 2011, 1, 8, &num, &den);
	cr_expect_eq(num, 4);
	test_host_sum(fh, "completed_agency", NULL, 2011, 1, 8, &num, &den);
	cr_expect_eq(num, 4);
	cr_expect_eq(test_host_last_month(fh, "ongoing", 2011), 8);
	cr_expect_eq(month_num(fh, "ongoing", 8), 7);
	test_host_sum(fh, "review_share", NULL, 2011, 1, 8, &num, &den);
	cr_expect_eq(den, 8);
	cr_expect_eq(round(100 * num / den), 0);
	test_host_free(fh);
	LEAK_CHECK();
}
