/*
 * test_hr.c - the hr plugin through the real host: monthly measurements
 * across the year boundary worked out by hand, the shipped data/2011
 * export against the seed's sick-leave figures, every bad input with its
 * exact message, and the Swedish Excel form of the export.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugintest.h"

#define DATA KPI_SOURCE_DIR "/plugins/hr/tests/data"
#define SHIPPED KPI_SOURCE_DIR "/data/2011"
#define EPS 1e-9

static const char *const ids[] = {
	"sick_leave", "sick_leave_long", "sick_leave_short",
	"internship_share", "summer_jobs",
};

/* Area "hr" of a run to August 2011 unless a test says otherwise; its
 * measurements counted in 2009-2012. */
static const struct plugin_test pt = {
	.name = "hr", .year = 2011, .month = 8, .data_dir = DATA,
	.ids = ids, .n_ids = sizeof ids / sizeof ids[0],
	.first_year = 2009, .last_year = 2012,
};

/* Expect the sums of id over months from..to of year. */
static void expect_sum(const struct test_host *fh, const char *id, int year,
                       int from, int to, int n, double num, double den)
{
	double gn, gd;
	int got = test_host_sum(fh, id, NULL, year, from, to, &gn, &gd);

	cr_expect_eq(got, n, "%s %d-%02d..%02d: %d measurements", id, year,
	             from, to, got);
	cr_expect_float_eq(gn, num, EPS, "%s %d: num %.4f", id, year, gn);
	cr_expect_float_eq(gd, den, EPS, "%s %d: den %.4f", id, year, gd);
}

/* The rounding of ratio num/den x 100 to one decimal, as the report
 * shows it. */
static double pct1(double num, double den)
{
	return round(1000.0 * num / den) / 10.0;
}

Test(hr, descriptor)
{
	struct test_host *fh = test_host_new("hr", 2011, 8, DATA);
	const struct kpi_plugin *p = test_host_load(fh, "hr");
	static const int agg[] = { KPI_AGG_ROLLING12, KPI_AGG_ROLLING12,
	                           KPI_AGG_ROLLING12, KPI_AGG_LAST,
	                           KPI_AGG_SUM };

	cr_assert_not_null(p);
	cr_expect_str_eq(p->name, "hr");
	cr_expect_str_eq(p->version, "1.0.0");
	cr_expect_str_eq(p->license, "MIT");
	cr_expect_eq(p->abi_major, KPI_ABI_MAJOR);
	cr_assert_eq(p->n_indicators, 5);
	for (size_t i = 0; i < 5; i++) {
		const struct kpi_indicator_def *d = &p->indicators[i];

		cr_expect_str_eq(d->id, ids[i]);
		cr_expect_eq(d->aggregation, agg[i], "%s", d->id);
		cr_expect(d->name_sv && d->name_en && d->unit);
	}
	for (size_t i = 0; i < 3; i++) {
		cr_expect_eq(p->indicators[i].scale, 100);
		cr_expect_eq(p->indicators[i].direction, KPI_DIR_LOWER);
		cr_expect_eq(p->indicators[i].decimals, 1);
		cr_expect_str_eq(p->indicators[i].unit, "%");
	}
	cr_expect_eq(p->indicators[3].scale, 100);
	cr_expect_eq(p->indicators[3].decimals, 1, "shows the forecast 0,8");
	cr_expect_eq(p->indicators[3].direction, KPI_DIR_HIGHER);
	cr_expect_str_eq(p->indicators[4].unit, "st");
	cr_expect_str_eq(p->config_keys[0], "file");
	cr_expect_null(p->config_keys[1]);
	test_host_free(fh);
}

/*
 * tests/data/hr.csv by hand, November 2010 - February 2011:
 *   sick_leave        2010: (50 + 40) / (1000 + 800)   =  90 / 1800
 *                     2011: (90 + 70) / (1200 + 1000)  = 160 / 2200
 *   sick_leave_long   2010: (30 + 10) / 1800           =  40 / 1800
 *                     2011: (60 + 20) / 2200           =  80 / 2200
 *   sick_leave_short  2010: (20 + 30) / 1800           =  50 / 1800
 *                     2011: (30 + 50) / 2200           =  80 / 2200
 *   rolling 12 to February 2011 = (90 + 160) / (1800 + 2200) = 6,25 %
 *   internship_share  latest month 2011-02: 1 / 12; 2010-12: 1 / 10
 *   summer_jobs       2010: 2, 2011: 3
 */
Test(hr, year_boundary_by_hand)
{
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, NULL, &rc);
	double n1, d1, n2, d2;

	cr_assert_eq(rc, 0, "%s", test_host_diag(fh));
	expect_sum(fh, "sick_leave", 2010, 1, 12, 2, 90, 1800);
	expect_sum(fh, "sick_leave", 2011, 1, 12, 2, 160, 2200);
	expect_sum(fh, "sick_leave_long", 2010, 1, 12, 2, 40, 1800);
	expect_sum(fh, "sick_leave_long", 2011, 1, 12, 2, 80, 2200);
	expect_sum(fh, "sick_leave_short", 2010, 1, 12, 2, 50, 1800);
	expect_sum(fh, "sick_leave_short", 2011, 1, 12, 2, 80, 2200);
	expect_sum(fh, "sick_leave", 2010, 12, 12, 1, 40, 800);
	expect_sum(fh, "sick_leave", 2011, 1, 1, 1, 90, 1200);
	test_host_sum(fh, "sick_leave", NULL, 2010, 3, 12, &n1, &d1);
	test_host_sum(fh, "sick_leave", NULL, 2011, 1, 2, &n2, &d2);
	cr_expect_float_eq(100 * (n1 + n2) / (d1 + d2), 6.25, EPS);
	cr_expect_eq(test_host_last_month(fh, "internship_share", 2011), 2);
	expect_sum(fh, "internship_share", 2011, 2, 2, 1, 1, 12);
	expect_sum(fh, "internship_share", 2010, 12, 12, 1, 1, 10);
	expect_sum(fh, "summer_jobs", 2010, 1, 12, 2, 2, 0);
	expect_sum(fh, "summer_jobs", 2011, 1, 12, 2, 3, 0);
	cr_expect_str_eq(test_host_diag(fh), "");
	test_host_free(fh);
	LEAK_CHECK();
}

/* Rows in any order, a blank line, hours with decimals: months are keyed
 * by the month column. */
Test(hr, unordered_rows)
{
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "hr_unordered.csv",
	                                       &rc);

	cr_assert_eq(rc, 0, "%s", test_host_diag(fh));
	expect_sum(fh, "sick_leave", 2011, 1, 1, 1, 90.5, 1200.5);
	expect_sum(fh, "sick_leave_short", 2011, 1, 1, 1, 30.5, 1200.5);
	expect_sum(fh, "sick_leave", 2011, 1, 12, 2, 160.5, 2200.5);
	expect_sum(fh, "sick_leave", 2010, 1, 12, 1, 40, 800);
	test_host_free(fh);
	LEAK_CHECK();
}

/*
 * data/2011/hr.csv, the seed's figures:
 *   August 2010 - July 2011: 24 904 / 452 870 = 5,499 % -> 5,5 %;
 *     long 14 900 / 452 870 = 3,290 % -> 3,3 %;
 *     short 10 004 / 452 870 = 2,209 % -> 2,2 % (3,3 + 2,2 = 5,5)
 *   2010: 21 092 / 446 910 = 4,720 % -> 4,7 %; long 12 339 -> 2,8 %;
 *     short 8 753 -> 2,0 % (the seed's 2,1 cannot hold with 4,7 and 2,8)
 *   interns July 2011: 0 of 250 -> 0 %; summer jobs 2011: 8
 */
Test(hr, shipped_data_gives_seed_figures)
{
	int rc;
	struct test_host *fh = plugin_test_run(&pt, SHIPPED, NULL, &rc);
	double sn, sd, ln, ld, hn, hd, n2, d2;

	cr_assert_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_eq(test_host_last_month(fh, "sick_leave", 2011), 7);
	/* rolling 12 ending July 2011: August-December 2010 + 2011 */
	test_host_sum(fh, "sick_leave", NULL, 2010, 8, 12, &sn, &sd);
	test_host_sum(fh, "sick_leave", NULL, 2011, 1, 7, &n2, &d2);
	sn += n2;
	sd += d2;
	test_host_sum(fh, "sick_leave_long", NULL, 2010, 8, 12, &ln, &ld);
	test_host_sum(fh, "sick_leave_long", NULL, 2011, 1, 7, &n2, &d2);
	ln += n2;
	ld += d2;
	test_host_sum(fh, "sick_leave_short", NULL, 2010, 8, 12, &hn, &hd);
	test_host_sum(fh, "sick_leave_short", NULL, 2011, 1, 7, &n2, &d2);
	hn += n2;
	hd += d2;
	cr_expect_float_eq(sn, 24904, EPS);
	cr_expect_float_eq(sd, 452870, EPS);
	cr_expect_float_eq(ln, 14900, EPS);
	cr_expect_float_eq(hn, 10004, EPS);
	cr_expect_float_eq(pct1(sn, sd), 5.5, EPS);
	cr_expect_float_eq(pct1(ln, ld), 3.3, EPS);
	cr_expect_float_eq(pct1(hn, hd), 2.2, EPS);
	cr_expect_float_eq(pct1(ln, ld) + pct1(hn, hd), pct1(sn, sd), 1e-9,
	                   "long + short must round to the total");
	/* calendar 2010 */
	test_host_sum(fh, "sick_leave", NULL, 2010, 1, 12, &sn, &sd);
	test_host_sum(fh, "sick_leave_long", NULL, 2010, 1, 12, &ln, &ld);
	test_host_sum(fh, "sick_leave_short", NULL, 2010, 1, 12, &hn, &hd);
	cr_expect_float_eq(sd, 446910, EPS);
	cr_expect_float_eq(pct1(sn, sd), 4.7, EPS);
	cr_expect_float_eq(pct1(ln, ld), 2.8, EPS);
	cr_expect_float_eq(pct1(hn, hd), 2.0, EPS);
	/* internships: the latest month, July 2011 */
	expect_sum(fh, "internship_share", 2011, 7, 7, 1, 0, 250);
	expect_sum(fh, "summer_jobs", 2011, 1, 8, 7, 8, 0);
	expect_sum(fh, "summer_jobs", 2011, 6, 6, 1, 5, 0);
	cr_expect_str_eq(test_host_diag(fh), "");
	test_host_free(fh);
	LEAK_CHECK();
}

/* Swedish Excel (';', decimal comma, BOM, CRLF, U+00A0 grouping): the
 * same measurements as the shipped export. */
Test(hr, excel_export_same_results)
{
	int ra, rb;
	struct test_host *a = plugin_test_run(&pt, SHIPPED, NULL, &ra);
	struct test_host *b = plugin_test_run(&pt, DATA, "hr_excel.csv", &rb);

	cr_assert_eq(ra, 0, "%s", test_host_diag(a));
	cr_assert_eq(rb, 0, "%s", test_host_diag(b));
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		for (int year = 2010; year <= 2011; year++)
			for (int m = 1; m <= 12; m++) {
				double an, ad, bn, bd;
				int na = test_host_sum(a, ids[i], NULL, year, m,
				                       m, &an, &ad);
				int nb = test_host_sum(b, ids[i], NULL, year, m,
				                       m, &bn, &bd);

				cr_expect_eq(na, nb, "%s %d-%02d", ids[i], year,
				             m);
				cr_expect_float_eq(an, bn, EPS);
				cr_expect_float_eq(ad, bd, EPS);
			}
	test_host_free(a);
	test_host_free(b);
	LEAK_CHECK();
}

/* A T1 run emits the same months: the core limits the period. */
Test(hr, months_after_the_period_are_emitted)
{
	int rc;
	struct test_host *fh = plugin_test_run_to(&pt, 4, SHIPPED, NULL, &rc);

	cr_assert_eq(rc, 0);
	cr_expect_eq(test_host_last_month(fh, "sick_leave", 2011), 7);
	test_host_free(fh);
	LEAK_CHECK();
}

Test(hr, bad_rows)
{
	plugin_test_expect_error(&pt, "hr_bad_sick.csv",
	                         "3:14: expected at most scheduled_hours "
	                         "(1000), found '1100'");
	plugin_test_expect_error(&pt, "hr_bad_long.csv",
	                         "2:17: expected at most sick_hours (90), "
	                         "found '95'");
	plugin_test_expect_error(&pt, "hr_bad_interns.csv",
	                         "2:23: expected at most employees (12), "
	                         "found '13'");
	plugin_test_expect_error(&pt, "hr_bad_dup.csv",
	                         "4:1: duplicate month '2011-01' (first at "
	                         "line 2)");
}

/* Rows of other years are read, checked and emitted like any other: the
 * host keeps the months the run aggregates.  hr_old_year.csv: 2009-12,
 * 90 sick hours of 1200 scheduled, 60 of them long. */
Test(hr, other_year)
{
	double num = 0, den = 0;
	int rc;
	struct test_host *fh = plugin_test_run(&pt, DATA, "hr_old_year.csv",
	                                       &rc);

	cr_expect_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");
	cr_expect_eq(test_host_sum(fh, "sick_leave", NULL, 2009, 12, 12, &num,
	                           &den), 1);
	cr_expect_eq(num, 90);
	cr_expect_eq(den, 1200);
	cr_expect_eq(test_host_sum(fh, "sick_leave_long", NULL, 2009, 12, 12,
	                           &num, &den), 1);
	cr_expect_eq(num, 60);
	plugin_test_free(fh);
}

/* Errors the core's reader words: check file:line:col only. */
Test(hr, bad_fields)
{
	static const struct {
		const char *file, *where;
	} cases[] = {
		{ "hr_bad_employees.csv", "2:20: " },
		{ "hr_bad_month.csv", "3:1: " },
		{ "hr_bad_negative.csv", "2:9: " },
		{ "hr_bad_empty.csv", "2:23: " },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char want[512];
		int rc;
		struct test_host *fh = plugin_test_run(&pt, DATA, cases[i].file,
		                                       &rc);

		snprintf(want, sizeof want, "hr: %s/%s:%s", DATA,
		         cases[i].file, cases[i].where);
		cr_expect_eq(rc, KPI_EDATA, "%s", cases[i].file);
		cr_expect(strncmp(test_host_diag(fh), want, strlen(want)) == 0,
		          "%s: got %s", cases[i].file, test_host_diag(fh));
		test_host_free(fh);
	}
	LEAK_CHECK();
}

/* Every required column missing in turn. */
Test(hr, missing_columns)
{
	static const char *const cols[] = {
		"month", "scheduled_hours", "sick_hours", "sick_hours_long",
		"employees", "interns", "summer_jobs",
	};
	static const char *const vals[] = {
		"2011-01", "1200", "90", "60", "12", "0", "0",
	};

	for (size_t skip = 0; skip < 7; skip++) {
		char dir[] = "/tmp/test_hr.XXXXXX", path[128], want[512];
		struct test_host *fh;
		FILE *f;
		int rc, first = 1;

		cr_assert_not_null(mkdtemp(dir));
		snprintf(path, sizeof path, "%s/hr.csv", dir);
		f = fopen(path, "w");
		cr_assert_not_null(f);
		for (int line = 0; line < 2; line++) {
			first = 1;
			for (size_t c = 0; c < 7; c++) {
				if (c == skip)
					continue;
				fprintf(f, "%s%s", first ? "" : ",",
				        line ? vals[c] : cols[c]);
				first = 0;
			}
			fputc('\n', f);
		}
		cr_assert_eq(fclose(f), 0);
		fh = plugin_test_run(&pt, dir, NULL, &rc);
		snprintf(want, sizeof want, "hr: %s:1: missing required "
		         "column '%s'\n", path, cols[skip]);
		cr_expect_eq(rc, KPI_EDATA, "%s", cols[skip]);
		cr_expect_str_eq(test_host_diag(fh), want);
		cr_expect_eq(plugin_test_count(&pt, fh), 0);
		test_host_free(fh);
		unlink(path);
		rmdir(dir);
	}
	LEAK_CHECK();
}

/* Header only: nothing emitted, no error. */
Test(hr, empty_export)
{
	plugin_test_expect_no_data(&pt, DATA, "hr_empty.csv");
}

Test(hr, config_errors)
{
	struct test_host *fh = test_host_new("hr", 2011, 8, DATA);
	const struct kpi_plugin *p = test_host_load(fh, "hr");

	cr_assert_not_null(p);
	test_host_set(fh, "file", "");
	cr_expect_eq(test_host_run(fh, p), KPI_ECONFIG);
	cr_expect_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "file: expected "
	                 "a file name, found ''", 1));
	test_host_free(fh);
	fh = test_host_new("hr", 2011, 8, DATA);
	p = test_host_load(fh, "hr");
	test_host_set(fh, "file", "no_such.csv");
	cr_expect_eq(test_host_run(fh, p), KPI_EIO);
	test_host_free(fh);
	LEAK_CHECK();
}
