/*
 * test_switchboard.c - the switchboard plugin through the real host: every
 * formula against hand-worked fixtures, call log and summary giving the
 * same indicators, bad rows and headers, Excel exports, the 2011 data.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugintest.h"

#define DATA KPI_SOURCE_DIR "/plugins/switchboard/tests/data"
#define SHIPPED KPI_SOURCE_DIR "/data/2011"

static const char *const ids[] = {
	"answered", "answered_share", "service_level", "avg_talk_s"
};

/* A host for area "switchboard" of a run to August 2011 reading from dir,
 * with `file` set and the plugin loaded into *p.  Caller frees. */
static struct test_host *setup(const char *dir, const char *file,
                               const struct kpi_plugin **p)
{
	struct test_host *fh = test_host_new("switchboard", 2011, 8, dir);

	test_host_set(fh, "file", file);
	*p = plugin_test_load(fh, "switchboard");
	return fh;
}

/* Run the plugin over file in dir (threshold NULL = default).  Asserts
 * the return code; the caller frees the host. */
static struct test_host *run(const char *dir, const char *file,
                             const char *threshold, int want_rc)
{
	const struct kpi_plugin *p;
	struct test_host *fh = setup(dir, file, &p);
	int rc;

	if (threshold)
		test_host_set(fh, "service_level_s", threshold);
	rc = test_host_run(fh, p);
	cr_assert_eq(rc, want_rc, "run returned %d, expected %d; diag: %s",
	             rc, want_rc, test_host_diag(fh));
	return fh;
}

/* Σnum and Σden of id over months from..to of year (no group). */
static void sums(const struct test_host *fh, const char *id, int year,
                 int from, int to, double *num, double *den)
{
	test_host_sum(fh, id, NULL, year, from, to, num, den);
}

/* The ratio of id over the months, ×scale, as text with `dec` decimals:
 * what the report would print (up to the decimal separator). */
static const char *ratio_text(const struct test_host *fh, const char *id,
                              int from, int to, double scale, int dec,
                              char *buf, size_t n)
{
	double num, den;

	sums(fh, id, 2011, from, to, &num, &den);
	cr_assert_gt(den, 0, "%s: no denominator", id);
	snprintf(buf, n, "%.*f", dec, scale * num / den);
	return buf;
}

/* Run the plugin over DATA/bad/<file> and expect a data error with exactly
 * `msg` after "<path>:" (rows before it may have been emitted: the host
 * discards the results of an area that failed). */
static void expect_bad(const char *file, const char *msg)
{
	char path[512], want[1024];
	struct test_host *fh;

	snprintf(path, sizeof path, "bad/%s", file);
	fh = run(DATA, path, NULL, KPI_EDATA);
	snprintf(want, sizeof want, "switchboard: %s/bad/%s:%s\n", DATA, file,
	         msg);
	cr_assert_str_eq(test_host_diag(fh), want);
	plugin_test_free(fh);
}

Test(switchboard, descriptor)
{
	const struct kpi_plugin *p;
	struct test_host *fh = setup(DATA, "calls.csv", &p);
	size_t i;

	cr_assert_str_eq(p->name, "switchboard");
	cr_assert_str_eq(p->version, "1.0.0");
	cr_assert_str_eq(p->license, "MIT");
	cr_assert_eq(p->n_indicators, 4);
	for (i = 0; i < 4; i++) {
		cr_assert_str_eq(p->indicators[i].id, ids[i]);
		cr_assert_eq(p->indicators[i].size,
		             sizeof(struct kpi_indicator_def));
	}
	cr_assert_eq(p->indicators[0].aggregation, KPI_AGG_SUM);
	cr_assert_eq(p->indicators[1].aggregation, KPI_AGG_RATIO);
	cr_assert_eq(p->indicators[1].scale, 100);
	cr_assert_eq(p->indicators[1].decimals, 1);
	cr_assert_eq(p->indicators[1].direction, KPI_DIR_HIGHER);
	cr_assert_eq(p->indicators[2].scale, 100);
	cr_assert_eq(p->indicators[2].decimals, 1);
	cr_assert_eq(p->indicators[2].direction, KPI_DIR_HIGHER);
	cr_assert_eq(p->indicators[3].aggregation, KPI_AGG_RATIO);
	cr_assert_str_eq(p->config_keys[0], "file");
	cr_assert_str_eq(p->config_keys[1], "service_level_s");
	cr_assert_null(p->config_keys[2]);
	plugin_test_free(fh);
}

/*
 * calls.csv by hand (threshold 25 s, "within" = wait_s <= 25):
 *   2010-12: offered 2, answered 1 (wait 10: within), talk 60
 *   2011-01: offered 5 (one abandoned), answered 4 with waits 5, 25, 26,
 *            0 -> within 3 (26 is not); talk 30+50+40+80 = 200
 *   2011-02: offered 4 (one abandoned), answered 3 with waits 30, 24,
 *            25.5 -> within 1; talk 20+100+10 = 130
 * Jan-Aug 2011: answered 7, offered 9 -> 77.8 %; within 4 of 7 -> 57.1 %;
 * talk 330 / 7 = 47.1 s.
 */
Test(switchboard, call_log_by_hand)
{
	struct test_host *fh = run(DATA, "calls.csv", NULL, 0);
	double num, den;
	char buf[32];

	cr_assert_str_eq(test_host_diag(fh), "");
	sums(fh, "answered", 2011, 1, 8, &num, &den);
	cr_assert_eq(num, 7);
	sums(fh, "answered_share", 2011, 1, 1, &num, &den);
	cr_assert(num == 4 && den == 5);
	sums(fh, "answered_share", 2011, 2, 2, &num, &den);
	cr_assert(num == 3 && den == 4);
	sums(fh, "service_level", 2011, 1, 1, &num, &den);
	cr_assert(num == 3 && den == 4);
	sums(fh, "service_level", 2011, 2, 2, &num, &den);
	cr_assert(num == 1 && den == 3);
	sums(fh, "avg_talk_s", 2011, 1, 1, &num, &den);
	cr_assert(num == 200 && den == 4);
	sums(fh, "avg_talk_s", 2011, 2, 2, &num, &den);
	cr_assert(num == 130 && den == 3);
	cr_assert_str_eq(ratio_text(fh, "answered_share", 1, 8, 100, 1, buf,
	                            sizeof buf), "77.8");
	cr_assert_str_eq(ratio_text(fh, "service_level", 1, 8, 100, 1, buf,
	                            sizeof buf), "57.1");
	cr_assert_str_eq(ratio_text(fh, "avg_talk_s", 1, 8, 1, 1, buf,
	                            sizeof buf), "47.1");
	/* The previous year's month is emitted too (baseline, seasonal). */
	sums(fh, "service_level", 2010, 12, 12, &num, &den);
	cr_assert(num == 1 && den == 1);
	sums(fh, "answered_share", 2010, 12, 12, &num, &den);
	cr_assert(num == 1 && den == 2);
	/* Months without calls emit nothing. */
	cr_assert_eq(test_host_sum(fh, "answered", NULL, 2011, 3, 12, &num,
	                           &den), 0);
	cr_assert_eq(test_host_last_month(fh, "answered", 2011), 2);
	plugin_test_free(fh);
}

/*
 * summary.csv by hand:
 *   2011-01: offered 100+50 = 150, answered 90+45 = 135, within 70+40 =
 *            110, talk 3600+1800 = 5400
 *   2011-02 (a daily row): offered 200, answered 180, within 150, talk 7200
 * Jan-Aug: answered 315 of 350 = 90.0 %; within 260 of 315 = 82.5 %; talk
 * 12600 / 315 = 40.0 s.
 */
Test(switchboard, summary_by_hand)
{
	struct test_host *fh = run(DATA, "summary.csv", NULL, 0);
	double num, den;
	char buf[32];

	sums(fh, "answered", 2011, 1, 8, &num, &den);
	cr_assert_eq(num, 315);
	sums(fh, "answered_share", 2011, 1, 1, &num, &den);
	cr_assert(num == 135 && den == 150);
	sums(fh, "service_level", 2011, 1, 1, &num, &den);
	cr_assert(num == 110 && den == 135);
	sums(fh, "avg_talk_s", 2011, 2, 2, &num, &den);
	cr_assert(num == 7200 && den == 180);
	cr_assert_str_eq(ratio_text(fh, "answered_share", 1, 8, 100, 1, buf,
	                            sizeof buf), "90.0");
	cr_assert_str_eq(ratio_text(fh, "service_level", 1, 8, 100, 1, buf,
	                            sizeof buf), "82.5");
	cr_assert_str_eq(ratio_text(fh, "avg_talk_s", 1, 8, 1, 1, buf,
	                            sizeof buf), "40.0");
	plugin_test_free(fh);
}

/* A queue of the summary, aggregated by the test itself. */
struct agg {
	int year, month;
	char queue[32];
	long offered, answered, in_sl;
	double talk;
};

/* Aggregate the call log at path into monthly per-queue rows (the second
 * method: plain C, not the plugin's reader), waits <= threshold counting
 * as within.  Returns the number of rows in out. */
static size_t aggregate_log(const char *path, double threshold,
                            struct agg *out, size_t max)
{
	char line[256];
	size_t n = 0, i;
	FILE *f = fopen(path, "r");

	cr_assert_not_null(f);
	cr_assert_not_null(fgets(line, sizeof line, f));  /* header */
	while (fgets(line, sizeof line, f)) {
		char *field[5], *s = line, *end;
		int k, year, month;
		struct agg *a = NULL;

		for (k = 0; k < 5; k++) {
			field[k] = s;
			s += strcspn(s, ",\n");
			if (*s)
				*s++ = '\0';
		}
		year = (int)strtol(field[0], &end, 10);
		cr_assert_eq(*end, '-');
		month = (int)strtol(end + 1, &end, 10);
		cr_assert_eq(*end, '-');
		for (i = 0; i < n; i++)
			if (out[i].year == year && out[i].month == month &&
			    strcmp(out[i].queue, field[1]) == 0)
				a = &out[i];
		if (!a) {
			cr_assert_lt(n, max);
			a = &out[n++];
			memset(a, 0, sizeof *a);
			a->year = year;
			a->month = month;
			snprintf(a->queue, sizeof a->queue, "%s", field[1]);
		}
		a->offered++;
		if (strcmp(field[2], "answered") == 0) {
			double wait = strtod(field[3], &end);

			cr_assert(end != field[3] && *end == '\0');
			a->answered++;
			a->in_sl += wait <= threshold;
			a->talk += strtod(field[4], &end);
			cr_assert(end != field[4] && *end == '\0');
		}
	}
	fclose(f);
	return n;
}

/* Assert that hosts a and b emitted the same measurements: per
 * indicator, year and month, some or none in both, the same Σnum and
 * Σden. */
static void assert_same(const struct test_host *a, const struct test_host *b)
{
	size_t i;
	int y, m;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
		for (y = 2010; y <= 2011; y++)
			for (m = 1; m <= 12; m++) {
				double na, da, nb, db;
				int ca = test_host_sum(a, ids[i], NULL, y, m, m,
				                       &na, &da);
				int cb = test_host_sum(b, ids[i], NULL, y, m, m,
				                       &nb, &db);

				/* one measurement per row: the counts
				 * differ, the sums the host keeps not */
				cr_assert((ca > 0) == (cb > 0) && na == nb &&
				          da == db,
				          "%s %d-%02d: %d x %g/%g vs %d x "
				          "%g/%g",
				          ids[i], y, m, ca, na, da, cb, nb, db);
			}
}

/* Log and summary give identical indicators for the same calls: the
 * fixture log is aggregated into a summary here, by a second method, and
 * every emitted month's num/den compared. */
Test(switchboard, log_and_summary_identical)
{
	struct agg rows[64];
	char path[64], text[4096];
	size_t n, i, k = 0;
	struct test_host *a, *b;

	n = aggregate_log(DATA "/calls.csv", 25, rows, 64);
	cr_assert_eq(n, 6);   /* 2010-12 stad; 2011-01 stad, bolag; 2011-02
	                         stad, engelska, bolag */
	k += (size_t)snprintf(text + k, sizeof text - k, "date,queue,offered,"
	                      "answered,answered_in_sl,talk_s\n");
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(text + k, sizeof text - k,
		                      "%d-%02d,%s,%ld,%ld,%ld,%.1f\n",
		                      rows[i].year, rows[i].month, rows[i].queue,
		                      rows[i].offered, rows[i].answered,
		                      rows[i].in_sl, rows[i].talk);
	plugin_test_temp_name("switchboard", path, sizeof path);
	plugin_test_write_file(path, text);
	a = run(DATA, "calls.csv", NULL, 0);
	b = run(DATA, path, NULL, 0);
	remove(path);
	assert_same(a, b);
	plugin_test_free(a);
	plugin_test_free(b);
}

/* wait_s == threshold counts as within, threshold + 1 does not; the
 * threshold comes from the config. */
Test(switchboard, threshold_boundary)
{
	char path[64];
	struct test_host *fh;
	double num, den;

	plugin_test_temp_name("switchboard", path, sizeof path);
	plugin_test_write_file(path, "call_start,queue,result,wait_s,talk_s\n"
	                             "2011-03-01 "
	                             "10:00:00,stad,answered,25,10\n2011-03-01 "
	                             "10:01:00,stad,answered,26,10\n2011-03-01 "
	                             "10:02:00,stad,answered,27,10\n");
	fh = run(DATA, path, NULL, 0);          /* default 25 */
	sums(fh, "service_level", 2011, 3, 3, &num, &den);
	cr_assert(num == 1 && den == 3, "25 within, 26 and 27 not: %g/%g",
	          num, den);
	plugin_test_free(fh);
	fh = run(DATA, path, "26", 0);
	sums(fh, "service_level", 2011, 3, 3, &num, &den);
	cr_assert(num == 2 && den == 3, "threshold 26: %g/%g", num, den);
	plugin_test_free(fh);
	fh = run(DATA, path, "0", 0);
	sums(fh, "service_level", 2011, 3, 3, &num, &den);
	cr_assert(num == 0 && den == 3);
	plugin_test_free(fh);
	remove(path);
	/* The fixture log with threshold 26: the 26 s call in January and
	 * the 25.5 s call in February become within. */
	fh = run(DATA, "calls.csv", "26", 0);
	sums(fh, "service_level", 2011, 1, 1, &num, &den);
	cr_assert(num == 4 && den == 4);
	sums(fh, "service_level", 2011, 2, 2, &num, &den);
	cr_assert(num == 2 && den == 3);
	plugin_test_free(fh);
}

Test(switchboard, empty_exports_emit_nothing)
{
	const char *files[] = { "calls_empty.csv", "summary_empty.csv" };
	double num, den;
	size_t f, i;

	for (f = 0; f < 2; f++) {
		struct test_host *fh = run(DATA, files[f], NULL, 0);

		cr_assert_str_eq(test_host_diag(fh), "");
		for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
			cr_assert_eq(test_host_sum(fh, ids[i], NULL, 2011, 1,
			                           12, &num, &den), 0,
			             "%s: %s emitted", files[f], ids[i]);
		plugin_test_free(fh);
	}
}

/* Swedish Excel: BOM, CRLF, ';', decimal comma, U+00A0 grouping, header
 * in other case, a blank line, a quoted queue with ';' - same results. */
Test(switchboard, excel_exports_same_as_plain)
{
	struct test_host *a = run(DATA, "summary.csv", NULL, 0);
	struct test_host *b = run(DATA, "summary_excel.csv", NULL, 0);

	assert_same(a, b);
	plugin_test_free(a);
	plugin_test_free(b);
	a = run(DATA, "calls.csv", NULL, 0);
	b = run(DATA, "calls_excel.csv", NULL, 0);
	assert_same(a, b);
	plugin_test_free(a);
	plugin_test_free(b);
}

/* Each required column missing in turn: "<file>:1: missing required
 * column '<name>'". */
static void missing_columns(const char *header, const char *const *names,
                            int n)
{
	char path[64], text[256], want[512];
	int i;

	for (i = 0; i < n; i++) {
		struct test_host *fh;

		plugin_test_temp_name("switchboard", path, sizeof path);
		plugin_test_header_without(header, i, text, sizeof text);
		plugin_test_write_file(path, text);
		fh = run(DATA, path, NULL, KPI_EDATA);
		snprintf(want, sizeof want, "switchboard: %s:1: missing "
		         "required column '%s'\n", path, names[i]);
		cr_assert_str_eq(test_host_diag(fh), want);
		plugin_test_free(fh);
		remove(path);
	}
}

/* queue is not required (the plugin does not break down by queue). */
Test(switchboard, missing_log_columns)
{
	static const char *const names[] = {
		"call_start", "result", "wait_s", "talk_s"
	};
	char path[64];
	struct test_host *fh;
	double num, den;

	missing_columns("call_start,result,wait_s,talk_s", names, 4);
	plugin_test_temp_name("switchboard", path, sizeof path);
	plugin_test_write_file(path, "call_start,result,wait_s,talk_s\n"
	                             "2011-01-01 08:00:00,answered,5,10\n");
	fh = run(DATA, path, NULL, 0);
	sums(fh, "answered", 2011, 1, 1, &num, &den);
	cr_assert_eq(num, 1);
	plugin_test_free(fh);
	remove(path);
}

Test(switchboard, missing_summary_columns)
{
	static const char *const names[] = {
		"date", "offered", "answered", "answered_in_sl", "talk_s"
	};

	missing_columns("date,offered,answered,answered_in_sl,talk_s",
	                names, 5);
}

Test(switchboard, header_of_neither_or_both_formats)
{
	expect_bad("both_formats.csv", "1: expected a call log (column "
	           "'call_start') or a summary (column 'offered'), found both "
	           "columns");
	expect_bad("neither_format.csv", "1: expected a call log (column "
	           "'call_start') or a summary (column 'offered'), found "
	           "neither");
}

Test(switchboard, bad_log_rows)
{
	expect_bad("result.csv", "3:26: expected 'answered' or 'abandoned', "
	           "found 'busy'");
	expect_bad("wait_text.csv", "2:35: expected a number, found 'fem'");
	expect_bad("wait_negative.csv", "2:35: expected a number that is not "
	           "negative, found '-3'");
	expect_bad("wait_empty.csv", "2:35: expected a number, found an empty "
	           "field");
	expect_bad("talk_abandoned.csv", "2:39: expected empty or 0 for an "
	           "abandoned call, found '12'");
	expect_bad("date_log.csv", "2:1: expected a date YYYY-MM-DD or a time "
	           "stamp YYYY-MM-DD HH:MM:SS, found '31/01/2011 10:00'");
}

Test(switchboard, bad_summary_rows)
{
	expect_bad("offered_negative.csv", "2:14: expected a number that is "
	           "not negative, found '-5'");
	expect_bad("offered_text.csv", "2:14: expected a number, found 'many'");
	expect_bad("answered_fraction.csv", "2:18: expected a whole number, "
	           "found '12.5'");
	expect_bad("in_sl_over_answered.csv", "2:21: expected at most answered "
	           "(90), found '91'");
	expect_bad("answered_over_offered.csv", "3:18: expected at most offered "
	           "(100), found '101'");
	expect_bad("talk_negative.csv", "2:24: expected a number that is not "
	           "negative, found '-1'");
}

/* Rows of other years are read, checked and emitted like any other: the
 * host keeps the months the run aggregates.
 * other_year_log.csv: 2011-01 and 2009-12 one answered call each, wait 5
 * s (within the default service level), talk 30 s.
 * other_year_summary.csv: 2011-01 and 2012-01, 100 offered, 90 answered,
 * 70 within the service level, 3600 s talk. */
Test(switchboard, other_years_emitted)
{
	struct test_host *fh = run(DATA, "years/other_year_log.csv", NULL, 0);
	double num = 0, den = 0;

	cr_assert_str_eq(test_host_diag(fh), "");
	sums(fh, "avg_talk_s", 2009, 12, 12, &num, &den);
	cr_expect(num == 30 && den == 1, "2009-12: %g/%g", num, den);
	sums(fh, "avg_talk_s", 2011, 1, 1, &num, &den);
	cr_expect(num == 30 && den == 1, "2011-01: %g/%g", num, den);
	plugin_test_free(fh);

	fh = run(DATA, "years/other_year_summary.csv", NULL, 0);
	sums(fh, "answered_share", 2012, 1, 1, &num, &den);
	cr_expect(num == 90 && den == 100, "2012-01: %g/%g", num, den);
	sums(fh, "service_level", 2012, 1, 1, &num, &den);
	cr_expect(num == 70 && den == 90, "2012-01: %g/%g", num, den);
	sums(fh, "answered_share", 2011, 1, 1, &num, &den);
	cr_expect(num == 90 && den == 100, "2011-01: %g/%g", num, den);
	plugin_test_free(fh);
}

Test(switchboard, config_errors)
{
	const struct kpi_plugin *p;
	struct test_host *fh;

	fh = test_host_new("switchboard", 2011, 8, DATA);
	p = test_host_load(fh, "switchboard");
	cr_assert_not_null(p);
	cr_assert_eq(test_host_run(fh, p), KPI_ECONFIG);
	cr_assert_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "file: "
	                 "expected the name of the call log or the summary "
	                 "export, found nothing", 1));
	plugin_test_free(fh);

	fh = run(DATA, "calls.csv", "25s", KPI_ECONFIG);
	cr_assert_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "service_level_s: expected a number, with nothing "
	                 "after it, found '25s'", 1));
	plugin_test_free(fh);
	fh = run(DATA, "calls.csv", "-1", KPI_ECONFIG);
	cr_assert_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "service_level_s: expected a whole number that is not "
	                 "negative, found '-1'", 1));
	plugin_test_free(fh);
	fh = run(DATA, "calls.csv", "3601", KPI_ECONFIG);
	cr_assert_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "service_level_s: expected a whole number of seconds "
	                 "0..3600, found 3601", 1));
	plugin_test_free(fh);
	fh = run(DATA, "no_such_file.csv", NULL, KPI_EIO);
	plugin_test_free(fh);
}

/*
 * The shipped 2011 export gives the seed's figures (Tertialrapport 2
 * 2011): 1 290 191 calls answered January-August, "close to 93 %" of the
 * calls offered (92,8 %), 78,5 % answered within 25 s, 76,8 % in
 * January-April and 80,3 % in May-August.
 */
Test(switchboard, shipped_2011_export)
{
	struct test_host *fh = run(SHIPPED, "switchboard_summary.csv", NULL, 0);
	double num, den;
	char buf[32];

	cr_assert_str_eq(test_host_diag(fh), "");
	sums(fh, "answered", 2011, 1, 8, &num, &den);
	cr_assert_eq(num, 1290191);
	cr_assert_str_eq(ratio_text(fh, "answered_share", 1, 8, 100, 1, buf,
	                            sizeof buf), "92.8");
	cr_assert_str_eq(ratio_text(fh, "service_level", 1, 8, 100, 1, buf,
	                            sizeof buf), "78.5");
	cr_assert_str_eq(ratio_text(fh, "service_level", 1, 4, 100, 1, buf,
	                            sizeof buf), "76.8");
	cr_assert_str_eq(ratio_text(fh, "service_level", 5, 8, 100, 1, buf,
	                            sizeof buf), "80.3");
	cr_assert_eq(test_host_last_month(fh, "answered", 2011), 8);
	plugin_test_free(fh);
}
