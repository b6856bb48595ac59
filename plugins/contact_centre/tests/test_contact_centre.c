/*
 * test_contact_centre.c - the contact_centre plugin through the real host:
 * every formula against hand-worked fixtures, the dated price list, the
 * per-district breakdown and table, case log and summary giving the same
 * results, bad rows and config, Excel exports, the shipped 2011 data.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugintest.h"

#define DATA KPI_SOURCE_DIR "/plugins/contact_centre/tests/data"
#define SHIPPED KPI_SOURCE_DIR "/data/2011"
#define PRICE_ELDERLY "2011-01-01:108, 2011-09-01:98"
#define PRICE_PRESCHOOL "2011-01-01:90, 2011-09-01:80"

static const char *const ids[] = {
	"cases_phone", "cases_email", "visits", "first_contact_resolution",
	"answered_60s", "variable_revenue"
};
#define N_IDS (sizeof ids / sizeof ids[0])

/* A host for area "contact_centre" of a run to `month` 2011 reading from
 * dir, with `file` and the 2011 price list set and the plugin loaded into
 * *p.  Caller frees. */
static struct test_host *setup(const char *dir, const char *file, int month,
                               const struct kpi_plugin **p)
{
	struct test_host *fh = test_host_new("contact_centre", 2011, month, dir);

	test_host_set(fh, "file", file);
	test_host_set(fh, "price.elderly_care", PRICE_ELDERLY);
	test_host_set(fh, "price.preschool", PRICE_PRESCHOOL);
	*p = plugin_test_load(fh, "contact_centre");
	return fh;
}

/* Run fh and assert the return code. */
static void go(struct test_host *fh, const struct kpi_plugin *p, int want)
{
	int rc = test_host_run(fh, p);

	cr_assert_eq(rc, want, "run returned %d, expected %d; diag: %s", rc,
	             want, test_host_diag(fh));
}

/* Run the plugin over file in dir for a run to August 2011 with the
 * default config.  The caller frees the host. */
static struct test_host *run(const char *dir, const char *file, int want)
{
	const struct kpi_plugin *p;
	struct test_host *fh = setup(dir, file, 8, &p);

	go(fh, p, want);
	return fh;
}

/* Σnum and Σden of id (group NULL = the total) over months from..to of
 * 2011. */
static void sums(const struct test_host *fh, const char *id,
                 const char *group, int from, int to, double *num,
                 double *den)
{
	test_host_sum(fh, id, group, 2011, from, to, num, den);
}

/* Σnum of id (total) over months from..to of 2011. */
static double total(const struct test_host *fh, const char *id, int from,
                    int to)
{
	double num, den;

	sums(fh, id, NULL, from, to, &num, &den);
	return num;
}

/* The percentage of id over months from..to as the report prints it with
 * 0 decimals. */
static const char *percent(const struct test_host *fh, const char *id,
                           int from, int to, char *buf, size_t n)
{
	double num, den;

	sums(fh, id, NULL, from, to, &num, &den);
	cr_assert_gt(den, 0, "%s: no denominator", id);
	snprintf(buf, n, "%.0f", 100 * num / den);
	return buf;
}

/* Assert that nothing at all was emitted. */
static void assert_nothing(const struct test_host *fh)
{
	double num, den;
	size_t i;

	for (i = 0; i < N_IDS; i++)
		cr_assert_eq(test_host_sum(fh, ids[i], NULL, 2011, 1, 12, &num,
		                           &den), 0, "%s emitted", ids[i]);
	cr_assert_null(test_host_table(fh, "districts"));
}

/* Run over DATA/bad/<file> and expect a data error with exactly `msg`
 * after "<path>:", and nothing emitted.  categories: NULL or the value of
 * the `categories` key. */
static void expect_bad(const char *file, const char *categories,
                       const char *msg)
{
	const struct kpi_plugin *p;
	char path[512], want[1024];
	struct test_host *fh;

	snprintf(path, sizeof path, "bad/%s", file);
	fh = setup(DATA, path, 8, &p);
	if (categories)
		test_host_set(fh, "categories", categories);
	go(fh, p, KPI_EDATA);
	snprintf(want, sizeof want, "contact_centre: %s/bad/%s:%s\n", DATA,
	         file, msg);
	cr_assert_str_eq(test_host_diag(fh), want);
	assert_nothing(fh);
	plugin_test_free(fh);
}

/* Expect the config value `value` of `key` to be refused at init (with
 * `categories` listing the category) and during compute (without it, when
 * the category first appears), with exactly `msg`. */
static void expect_bad_price(const char *key, const char *value,
                             const char *msg)
{
	const struct kpi_plugin *p;
	struct test_host *fh;
	char want[512];
	int lazy;

	snprintf(want, sizeof want, "%s: %s", key, msg);
	for (lazy = 0; lazy < 2; lazy++) {
		fh = setup(DATA, "summary.csv", 8, &p);
		test_host_set(fh, key, value);
		if (!lazy)
			test_host_set(fh, "categories",
			              "elderly_care, preschool, other");
		go(fh, p, KPI_ECONFIG);
		/* in init when categories lists it, else in compute */
		cr_assert_str_eq(test_host_diag(fh),
		                 plugin_test_config_message(fh, want, !lazy));
		assert_nothing(fh);
		plugin_test_free(fh);
	}
}

Test(contact_centre, descriptor)
{
	const struct kpi_plugin *p;
	struct test_host *fh = setup(DATA, "cases.csv", 8, &p);
	size_t i;

	cr_assert_str_eq(p->name, "contact_centre");
	cr_assert_str_eq(p->version, "1.0.0");
	cr_assert_str_eq(p->license, "MIT");
	cr_assert_eq(p->n_indicators, N_IDS);
	for (i = 0; i < N_IDS; i++)
		cr_assert_str_eq(p->indicators[i].id, ids[i]);
	cr_assert_eq(p->indicators[3].aggregation, KPI_AGG_RATIO);
	cr_assert_eq(p->indicators[3].scale, 100);
	cr_assert_eq(p->indicators[3].decimals, 0);
	cr_assert_eq(p->indicators[3].direction, KPI_DIR_HIGHER);
	cr_assert_eq(p->indicators[4].aggregation, KPI_AGG_RATIO);
	cr_assert_eq(p->indicators[4].decimals, 0);
	cr_assert_eq(p->indicators[4].direction, KPI_DIR_HIGHER);
	cr_assert_eq(p->indicators[5].aggregation, KPI_AGG_SUM);
	cr_assert_str_eq(p->indicators[5].unit, "kr");
	cr_assert_str_eq(p->config_keys[3], "price.*");
	cr_assert_null(p->config_keys[4]);
	plugin_test_free(fh);
}

/*
 * cases.csv by hand (threshold 60 s; prices elderly_care 108, preschool
 * 90 from 2011-01-01; other unpriced):
 *   2010-12: 1 phone case (wait 30: within), resolved; no price before
 *            2011-01-01, so revenue 0
 *   2011-01: phone 3 (waits 60 within, 61 not, 10 within -> 2 within),
 *            email 1, visit 1; resolved 1+0+1+1+1 = 4 of 5; revenue 108
 *            (phone elderly) + 90 (phone preschool) + 108 (email elderly)
 *            = 306
 *   2011-02: phone 1 (wait 120: not within), email 1, visit 1; resolved 2
 *            of 3; revenue 90 + 90 + 108 = 288
 * Jan-Aug 2011: phone 4, e-mail 2, visits 2; resolved 6 of 8 = 75 %;
 * within 2 of 4 = 50 %; revenue 594 kr.
 * Per district: Bromma 4 cases (resolved 2, revenue 108+90+90+108 = 396),
 * Södermalm 3 (resolved 3, revenue 108+90 = 198), Älvsjö 1 (resolved 1,
 * revenue 0, its phone call within).
 */
Test(contact_centre, case_log_by_hand)
{
	struct test_host *fh = run(DATA, "cases.csv", 0);
	double num, den;
	char buf[16];

	cr_assert_str_eq(test_host_diag(fh), "");
	cr_assert_eq(total(fh, "cases_phone", 1, 8), 4);
	cr_assert_eq(total(fh, "cases_email", 1, 8), 2);
	cr_assert_eq(total(fh, "visits", 1, 8), 2);
	cr_assert_eq(total(fh, "variable_revenue", 1, 8), 594);
	cr_assert_eq(total(fh, "variable_revenue", 1, 1), 306);
	cr_assert_eq(total(fh, "variable_revenue", 2, 2), 288);
	sums(fh, "first_contact_resolution", NULL, 1, 1, &num, &den);
	cr_assert(num == 4 && den == 5);
	sums(fh, "first_contact_resolution", NULL, 2, 2, &num, &den);
	cr_assert(num == 2 && den == 3);
	sums(fh, "answered_60s", NULL, 1, 1, &num, &den);
	cr_assert(num == 2 && den == 3);
	sums(fh, "answered_60s", NULL, 2, 2, &num, &den);
	cr_assert(num == 0 && den == 1);
	cr_assert_str_eq(percent(fh, "first_contact_resolution", 1, 8, buf,
	                         sizeof buf), "75");
	cr_assert_str_eq(percent(fh, "answered_60s", 1, 8, buf, sizeof buf),
	                 "50");
	/* The previous year: emitted, unpriced. */
	test_host_sum(fh, "answered_60s", NULL, 2010, 12, 12, &num, &den);
	cr_assert(num == 1 && den == 1);
	test_host_sum(fh, "variable_revenue", NULL, 2010, 12, 12, &num, &den);
	cr_assert_eq(num, 0);
	/* Per district. */
	sums(fh, "variable_revenue", "Bromma", 1, 8, &num, &den);
	cr_assert_eq(num, 396);
	sums(fh, "variable_revenue", "Södermalm", 1, 8, &num, &den);
	cr_assert_eq(num, 198);
	sums(fh, "cases_phone", "Bromma", 1, 8, &num, &den);
	cr_assert_eq(num, 2);
	sums(fh, "cases_email", "Södermalm", 1, 8, &num, &den);
	cr_assert_eq(num, 1);
	sums(fh, "visits", "Bromma", 1, 8, &num, &den);
	cr_assert_eq(num, 1);
	sums(fh, "first_contact_resolution", "Bromma", 1, 8, &num, &den);
	cr_assert(num == 2 && den == 4);
	sums(fh, "answered_60s", "Älvsjö", 1, 8, &num, &den);
	cr_assert(num == 1 && den == 1);
	/* A month without cases of a district emits nothing for it. */
	cr_assert_eq(test_host_sum(fh, "cases_phone", "Älvsjö", 2011, 2, 2,
	                           &num, &den), 0);
	plugin_test_free(fh);
}

/*
 * summary.csv by hand:
 *   2011-01: phone 1000 + 50 = 1050 (within 700 + 30 = 730), email 20;
 *            resolved 900 + 40 + 15 = 955 of 1070; revenue 1000 x 108 +
 *            50 x 90 + 20 x 90 = 114 300
 *   2011-02: visit 10 (resolved 9), phone 40 (a daily row; resolved 30,
 *            within 20); revenue 0 (other is unpriced)
 * Jan-Aug: phone 1090, e-mail 20, visits 10; resolved 994 of 1120 =
 * 88.75 % -> 89; within 750 of 1090 = 68.8 % -> 69.
 */
Test(contact_centre, summary_by_hand)
{
	struct test_host *fh = run(DATA, "summary.csv", 0);
	double num, den;
	char buf[16];

	cr_assert_eq(total(fh, "cases_phone", 1, 8), 1090);
	cr_assert_eq(total(fh, "cases_email", 1, 8), 20);
	cr_assert_eq(total(fh, "visits", 1, 8), 10);
	cr_assert_eq(total(fh, "variable_revenue", 1, 8), 114300);
	sums(fh, "first_contact_resolution", NULL, 1, 8, &num, &den);
	cr_assert(num == 994 && den == 1120);
	sums(fh, "answered_60s", NULL, 1, 8, &num, &den);
	cr_assert(num == 750 && den == 1090);
	cr_assert_str_eq(percent(fh, "first_contact_resolution", 1, 8, buf,
	                         sizeof buf), "89");
	cr_assert_str_eq(percent(fh, "answered_60s", 1, 8, buf, sizeof buf),
	                 "69");
	sums(fh, "variable_revenue", "Bromma", 1, 8, &num, &den);
	cr_assert_eq(num, 109800);
	sums(fh, "variable_revenue", "Södermalm", 1, 8, &num, &den);
	cr_assert_eq(num, 4500);
	plugin_test_free(fh);
}

/* The table "districts" for cases.csv (see case_log_by_hand). */
Test(contact_centre, district_table)
{
	struct test_host *fh = run(DATA, "cases.csv", 0);
	const struct kpi_table *t = test_host_table(fh, "districts");
	static const char *const names[] = { "Bromma", "Södermalm", "Älvsjö" };
	static const double cases[] = { 4, 3, 1 }, revenue[] = { 396, 198, 0 };
	static const double fcr[] = { 50, 100, 100 };
	size_t r;

	cr_assert_not_null(t);
	cr_assert_eq(t->n_columns, 4);
	cr_assert_eq(t->n_rows, 3);
	cr_assert_str_eq(t->columns_en[0], "District administration");
	cr_assert_str_eq(t->columns_sv[3], "Lösningsgrad (%)");
	for (r = 0; r < 3; r++) {
		const struct kpi_cell *c = &t->cells[r * 4];

		cr_assert_eq(c[0].kind, KPI_CELL_TEXT);
		cr_assert_str_eq(c[0].text, names[r]);
		cr_assert_eq(c[1].kind, KPI_CELL_NUMBER);
		cr_assert_eq(c[1].number, cases[r]);
		cr_assert_eq(c[2].number, revenue[r]);
		cr_assert_eq(c[3].number, fcr[r]);
	}
	cr_assert_str_eq(t->note_en, "Cases January–February 2011. Variable "
	                 "revenue: each case at its category's price on the "
	                 "day it was opened.");
	plugin_test_free(fh);
}

/* Districts in Swedish order (å, ä, ö after z); a district with data only
 * after the run's month is not in the table. */
Test(contact_centre, district_table_swedish_order)
{
	struct test_host *fh = run(DATA, "districts_order.csv", 0);
	const struct kpi_table *t = test_host_table(fh, "districts");
	static const char *const names[] = {
		"Bromma", "Årsta", "Älvsjö", "Östermalm"
	};
	size_t r;

	cr_assert_not_null(t);
	cr_assert_eq(t->n_rows, 4);
	for (r = 0; r < 4; r++)
		cr_assert_str_eq(t->cells[r * 4].text, names[r]);
	cr_assert_eq(t->cells[2 * 4 + 3].number, 100);   /* Älvsjö 3 of 3 */
	cr_assert_eq(t->cells[1 * 4 + 3].number, 50);    /* Årsta 1 of 2 */
	cr_assert_str_eq(t->note_sv, "Ärenden januari–mars 2011. Rörlig "
	                 "intäkt: varje ärende till kategorins pris den dag "
	                 "ärendet öppnades.");
	plugin_test_free(fh);
}

/* The price change of 2011-09-01 (the seed's decision 2): a case on
 * 08-31 at 108 / 90 kr, one on 09-01 at 98 / 80 kr. */
Test(contact_centre, price_change_in_the_log)
{
	const struct kpi_plugin *p;
	struct test_host *fh = setup(DATA, "price_change.csv", 12, &p);

	go(fh, p, 0);
	cr_assert_eq(total(fh, "variable_revenue", 8, 8), 108 + 90);
	cr_assert_eq(total(fh, "variable_revenue", 9, 9), 98 + 80);
	plugin_test_free(fh);
}

/* A monthly summary row is priced at the price in effect on the 1st of
 * the month, a daily row on its day:
 *   2011-08 10 elderly x 108 = 1080; 2011-08-31 1 preschool x 90 = 90
 *   2011-09 10 elderly x 98 = 980;   2011-09-01 1 preschool x 80 = 80
 *   other priced from 2011-01-15 at 50: 2011-01 (the 1st) earns 0,
 *   2011-01-20 earns 50. */
Test(contact_centre, price_change_in_the_summary)
{
	const struct kpi_plugin *p;
	struct test_host *fh = setup(DATA, "price_change_summary.csv", 12, &p);

	test_host_set(fh, "price.other", "2011-01-15:50");
	go(fh, p, 0);
	cr_assert_eq(total(fh, "variable_revenue", 8, 8), 1080 + 90);
	cr_assert_eq(total(fh, "variable_revenue", 9, 9), 980 + 80);
	cr_assert_eq(total(fh, "variable_revenue", 1, 1), 50);
	plugin_test_free(fh);
}

/* Decimal prices, spaces around entries, and a category listed in
 * `categories` without a price (earns nothing). */
Test(contact_centre, price_forms)
{
	const struct kpi_plugin *p;
	struct test_host *fh = setup(DATA, "summary.csv", 8, &p);

	test_host_set(fh, "price.elderly_care", " 2011-01-01 : 97.50 ");
	test_host_set(fh, "categories", "elderly_care,preschool , other");
	go(fh, p, 0);
	/* 1000 x 97.50 + 70 x 90 */
	cr_assert_eq(total(fh, "variable_revenue", 1, 8), 97500 + 6300);
	plugin_test_free(fh);
}

/* The answered_60s threshold: wait_s == threshold counts, one more does
 * not; the threshold comes from the config. */
Test(contact_centre, answered_threshold)
{
	const struct kpi_plugin *p;
	struct test_host *fh;
	char path[64];
	double num, den;

	plugin_test_temp_name("contact_centre", path, sizeof path);
	plugin_test_write_file(path, "opened,channel,category,district,"
	                             "resolved_first_contact,wait_s\n"
	                             "2011-05-02,phone,other,Bromma,1,60\n"
	                             "2011-05-02,phone,other,Bromma,1,61\n"
	                             "2011-05-02,phone,other,Bromma,1,89.5\n");
	fh = setup(DATA, path, 8, &p);
	go(fh, p, 0);
	sums(fh, "answered_60s", NULL, 5, 5, &num, &den);
	cr_assert(num == 1 && den == 3, "%g/%g", num, den);
	plugin_test_free(fh);
	fh = setup(DATA, path, 8, &p);
	test_host_set(fh, "answered_s", "90");
	go(fh, p, 0);
	sums(fh, "answered_60s", NULL, 5, 5, &num, &den);
	cr_assert(num == 3 && den == 3, "%g/%g", num, den);
	plugin_test_free(fh);
	remove(path);
}

/* One row of a daily summary, aggregated by the test. */
struct agg {
	char date[11], channel[8], category[32], district[64];
	long cases, resolved, within;
};

/* Split a CSV line of the plain fixtures (no quotes) into n fields. */
static void split(char *line, char **field, int n)
{
	int k;

	for (k = 0; k < n; k++) {
		field[k] = line;
		line += strcspn(line, ",\n");
		if (*line)
			*line++ = '\0';
	}
}

/* Copy field into dst (size n), failing the test if it does not fit. */
static void copy_field(char *dst, size_t n, const char *field)
{
	size_t len = strlen(field);

	cr_assert_lt(len, n, "fixture field '%s' longer than %zu bytes",
	             field, n - 1);
	memcpy(dst, field, len + 1);
}

/* Aggregate the case log at path into daily rows per channel, category
 * and district - the second method, plain C - with waits <= threshold
 * counting as answered within.  Returns the number of rows. */
static size_t aggregate_log(const char *path, double threshold,
                            struct agg *out, size_t max)
{
	char line[256];
	size_t n = 0, i;
	FILE *f = fopen(path, "r");

	cr_assert_not_null(f);
	cr_assert_not_null(fgets(line, sizeof line, f));
	while (fgets(line, sizeof line, f)) {
		char *fl[6], *end;
		struct agg *a = NULL;

		split(line, fl, 6);
		fl[0][10] = '\0';               /* the day of a time stamp */
		for (i = 0; i < n; i++)
			if (!strcmp(out[i].date, fl[0]) &&
			    !strcmp(out[i].channel, fl[1]) &&
			    !strcmp(out[i].category, fl[2]) &&
			    !strcmp(out[i].district, fl[3]))
				a = &out[i];
		if (!a) {
			cr_assert_lt(n, max);
			a = &out[n++];
			memset(a, 0, sizeof *a);
			copy_field(a->date, sizeof a->date, fl[0]);
			copy_field(a->channel, sizeof a->channel, fl[1]);
			copy_field(a->category, sizeof a->category, fl[2]);
			copy_field(a->district, sizeof a->district, fl[3]);
		}
		a->cases++;
		a->resolved += strcmp(fl[4], "1") == 0;
		if (!strcmp(fl[1], "phone")) {
			double wait = strtod(fl[5], &end);

			cr_assert(end != fl[5] && *end == '\0');
			a->within += wait <= threshold;
		}
	}
	fclose(f);
	return n;
}

/* Assert hosts a and b emitted the same measurements of id for group grp
 * (NULL = the total) in every month of 2010 and 2011. */
static void assert_same_series(const struct test_host *a,
                               const struct test_host *b, const char *id,
                               const char *grp)
{
	int y, m;

	for (y = 2010; y <= 2011; y++)
		for (m = 1; m <= 12; m++) {
			double na, da, nb, db;
			int ca = test_host_sum(a, id, grp, y, m, m, &na, &da);
			int cb = test_host_sum(b, id, grp, y, m, m, &nb, &db);

			cr_assert(ca == cb && na == nb && da == db,
			          "%s [%s] %d-%02d: %d x %g/%g vs %d x %g/%g",
			          id, grp ? grp : "total", y, m, ca, na, da, cb,
			          nb, db);
		}
}

/* Assert hosts a and b emitted the same measurements for every
 * indicator, in total and for each group given. */
static void assert_same(const struct test_host *a, const struct test_host *b,
                        const char *const *groups, size_t n_groups)
{
	size_t i, g;

	for (i = 0; i < N_IDS; i++) {
		assert_same_series(a, b, ids[i], NULL);
		for (g = 0; g < n_groups; g++)
			assert_same_series(a, b, ids[i], groups[g]);
	}
}

/* Assert the two hosts' district tables are equal. */
static void assert_same_table(const struct test_host *a,
                              const struct test_host *b)
{
	const struct kpi_table *ta = test_host_table(a, "districts");
	const struct kpi_table *tb = test_host_table(b, "districts");
	size_t i;

	cr_assert(ta && tb);
	cr_assert_eq(ta->n_rows, tb->n_rows);
	for (i = 0; i < ta->n_rows * ta->n_columns; i++) {
		cr_assert_eq(ta->cells[i].kind, tb->cells[i].kind);
		if (ta->cells[i].kind == KPI_CELL_TEXT)
			cr_assert_str_eq(ta->cells[i].text, tb->cells[i].text);
		else
			cr_assert(ta->cells[i].number == tb->cells[i].number);
	}
}

static const char *const fixture_districts[] = {
	"Bromma", "Södermalm", "Älvsjö"
};

/* The case log and a daily summary made from it (by the test) give the
 * same measurements, per district too, and the same table. */
Test(contact_centre, log_and_summary_identical)
{
	struct agg rows[64];
	char path[64], text[8192];
	size_t n, i, k = 0;
	struct test_host *a, *b;

	n = aggregate_log(DATA "/cases.csv", 60, rows, 64);
	cr_assert_eq(n, 9);
	k += (size_t)snprintf(text + k, sizeof text - k, "date,channel,"
	                      "category,district,cases,"
	                      "resolved_first_contact,answered_60s\n");
	for (i = 0; i < n; i++) {
		char within[24] = "";

		if (!strcmp(rows[i].channel, "phone"))
			snprintf(within, sizeof within, "%ld", rows[i].within);
		k += (size_t)snprintf(text + k, sizeof text - k,
		                      "%s,%s,%s,%s,%ld,%ld,%s\n", rows[i].date,
		                      rows[i].channel, rows[i].category,
		                      rows[i].district, rows[i].cases,
		                      rows[i].resolved, within);
	}
	plugin_test_temp_name("contact_centre", path, sizeof path);
	plugin_test_write_file(path, text);
	a = run(DATA, "cases.csv", 0);
	b = run(DATA, path, 0);
	remove(path);
	assert_same(a, b, fixture_districts, 3);
	assert_same_table(a, b);
	plugin_test_free(a);
	plugin_test_free(b);
}

Test(contact_centre, empty_exports_emit_nothing)
{
	const char *files[] = { "cases_empty.csv", "summary_empty.csv" };
	size_t f;

	for (f = 0; f < 2; f++) {
		struct test_host *fh = run(DATA, files[f], 0);

		cr_assert_str_eq(test_host_diag(fh), "");
		assert_nothing(fh);
		plugin_test_free(fh);
	}
}

/* Swedish Excel (BOM, CRLF, ';', decimal comma, U+00A0 grouping, names
 * in other case, a blank line, a quoted district) gives the same
 * results as the plain files. */
Test(contact_centre, excel_exports_same_as_plain)
{
	static const char *const summary_districts[] = { "Bromma", "Södermalm" };
	struct test_host *a = run(DATA, "summary.csv", 0);
	struct test_host *b = run(DATA, "summary_excel.csv", 0);

	assert_same(a, b, summary_districts, 2);
	assert_same_table(a, b);
	plugin_test_free(a);
	plugin_test_free(b);
	a = run(DATA, "cases.csv", 0);
	b = run(DATA, "cases_excel.csv", 0);
	assert_same(a, b, fixture_districts, 3);
	assert_same_table(a, b);
	plugin_test_free(a);
	plugin_test_free(b);
}

/* Each column of header missing in turn: "<file>:1: missing required
 * column '<name>'". */
static void missing_columns(const char *header, const char *const *names,
                            int n)
{
	char path[64], text[256], want[512];
	int i;

	for (i = 0; i < n; i++) {
		struct test_host *fh;

		plugin_test_temp_name("contact_centre", path, sizeof path);
		plugin_test_header_without(header, i, text, sizeof text);
		plugin_test_write_file(path, text);
		fh = run(DATA, path, KPI_EDATA);
		snprintf(want, sizeof want, "contact_centre: %s:1: missing "
		         "required column '%s'\n", path, names[i]);
		cr_assert_str_eq(test_host_diag(fh), want);
		plugin_test_free(fh);
		remove(path);
	}
}

Test(contact_centre, missing_log_columns)
{
	static const char *const names[] = {
		"opened", "channel", "category", "district",
		"resolved_first_contact", "wait_s"
	};

	missing_columns("opened,channel,category,district,"
	                "resolved_first_contact,wait_s", names, 6);
}

Test(contact_centre, missing_summary_columns)
{
	static const char *const names[] = {
		"date", "channel", "category", "district", "cases",
		"resolved_first_contact", "answered_60s"
	};

	missing_columns("date,channel,category,district,cases,"
	                "resolved_first_contact,answered_60s", names, 7);
}

Test(contact_centre, header_of_neither_or_both_formats)
{
	expect_bad("both_formats.csv", NULL, "1: expected a case log (column "
	           "'opened') or a summary (column 'cases'), found both "
	           "columns");
	expect_bad("neither_format.csv", NULL, "1: expected a case log "
	           "(column 'opened') or a summary (column 'cases'), found "
	           "neither");
}

Test(contact_centre, bad_log_rows)
{
	expect_bad("channel.csv", NULL, "3:12: expected 'phone', 'email' or "
	           "'visit', found 'fax'");
	expect_bad("resolved_two.csv", NULL, "2:31: expected 0 or 1, found "
	           "'2'");
	expect_bad("wait_empty.csv", NULL, "2:33: expected a number, found an "
	           "empty field");
	expect_bad("wait_email.csv", NULL, "2:33: expected empty or 0 for "
	           "channel 'email', found '30'");
	expect_bad("wait_negative.csv", NULL, "2:33: expected a number that is "
	           "not negative, found '-4'");
	expect_bad("district_empty.csv", NULL, "2:24: expected a district name "
	           "of 1..95 bytes, found ''");
	expect_bad("category_empty.csv", NULL, "2:18: expected a category name "
	           "of 1..95 bytes, found ''");
}

Test(contact_centre, bad_summary_rows)
{
	expect_bad("cases_negative.csv", NULL, "2:28: expected a number that is "
	           "not negative, found '-10'");
	expect_bad("cases_text.csv", NULL, "2:28: expected a number, found "
	           "'ten'");
	expect_bad("resolved_over_cases.csv", NULL, "2:31: expected at most "
	           "cases (10), found '11'");
	expect_bad("answered_over_cases.csv", NULL, "2:33: expected at most "
	           "cases (10), found '12'");
	expect_bad("answered_empty.csv", NULL, "2:33: expected a number, found "
	           "an empty field");
	expect_bad("answered_visit.csv", NULL, "2:33: expected empty or 0 for "
	           "channel 'visit', found '3'");
	expect_bad("category_unlisted.csv", "elderly_care, preschool, other",
	           "2:15: expected a category listed in the config key "
	           "'categories', found 'parking'");
}

/* Rows of other years are read, checked and emitted like any other: the
 * host keeps the months the run aggregates.  other_year_log.csv: one
 * phone case in 2009-06, resolved at first contact, wait 5 s;
 * other_year_summary.csv: 2011-01 and 2012-01, 10 phone cases each, 5
 * resolved, 5 answered within 60 s. */
Test(contact_centre, other_years_emitted)
{
	const struct kpi_plugin *p;
	struct test_host *fh = setup(DATA, "years/other_year_log.csv", 8, &p);
	double num = 0, den = 0;

	go(fh, p, 0);
	cr_assert_eq(test_host_sum(fh, "cases_phone", NULL, 2009, 6, 6, &num,
	                           &den), 1);
	cr_expect_eq(num, 1);
	test_host_sum(fh, "first_contact_resolution", "Bromma", 2009, 6, 6,
	              &num, &den);
	cr_expect(num == 1 && den == 1, "%g/%g", num, den);
	/* no district table: nothing in January..August 2011 */
	cr_expect_null(test_host_table(fh, "districts"));
	plugin_test_free(fh);

	fh = setup(DATA, "years/other_year_summary.csv", 8, &p);
	go(fh, p, 0);
	test_host_sum(fh, "answered_60s", NULL, 2012, 1, 1, &num, &den);
	cr_expect(num == 5 && den == 10, "2012-01: %g/%g", num, den);
	test_host_sum(fh, "cases_phone", NULL, 2011, 1, 1, &num, &den);
	cr_expect_eq(num, 10);
	/* the district table counts the run's period only: 10 cases */
	cr_assert_not_null(test_host_table(fh, "districts"));
	cr_expect_eq(test_host_table(fh, "districts")->cells[1].number, 10);
	plugin_test_free(fh);
}

/* At most 64 districts: the 65th is an error naming its line. */
Test(contact_centre, too_many_districts)
{
	char path[64], text[8192], want[256];
	struct test_host *fh;
	size_t k = 0;
	int i;

	k += (size_t)snprintf(text + k, sizeof text - k, "date,channel,"
	                      "category,district,cases,"
	                      "resolved_first_contact,answered_60s\n");
	for (i = 1; i <= 65; i++)
		k += (size_t)snprintf(text + k, sizeof text - k,
		                      "2011-01,email,other,D%d,1,1,\n", i);
	plugin_test_temp_name("contact_centre", path, sizeof path);
	plugin_test_write_file(path, text);
	fh = run(DATA, path, KPI_EDATA);
	snprintf(want, sizeof want, "contact_centre: %s:66:21: expected at "
	         "most 64 different districts (this is one more), found "
	         "'D65'\n", path);
	cr_assert_str_eq(test_host_diag(fh), want);
	plugin_test_free(fh);
	remove(path);
}

Test(contact_centre, bad_price_lists)
{
	expect_bad_price("price.elderly_care", "2011-01-01=108",
	                 "expected 'YYYY-MM-DD:amount' entries separated by "
	                 "',', found '2011-01-01=108'");
	expect_bad_price("price.elderly_care", "2011-02-30:108",
	                 "expected an effective date YYYY-MM-DD, found "
	                 "'2011-02-30'");
	expect_bad_price("price.elderly_care", "2011-01-01:10x",
	                 "expected a price in kr such as 108 or 97.50, found "
	                 "'10x'");
	expect_bad_price("price.elderly_care", "2011-01-01:-108",
	                 "expected a price in kr such as 108 or 97.50, found "
	                 "'-108'");
	expect_bad_price("price.preschool", "2011-09-01:80, 2011-01-01:90",
	                 "expected effective dates in increasing order, found "
	                 "2011-01-01 after 2011-09-01");
	expect_bad_price("price.preschool", "2011-01-01:90,",
	                 "expected 'YYYY-MM-DD:amount' entries separated by "
	                 "',', found ''");
	expect_bad_price("price.preschool", "2011-01-01:90,50",
	                 "expected 'YYYY-MM-DD:amount' entries separated by "
	                 "',', found '50'");
	expect_bad_price("price.preschool", "",
	                 "expected 'YYYY-MM-DD:amount' entries separated by "
	                 "',', found ''");
}

Test(contact_centre, config_errors)
{
	const struct kpi_plugin *p;
	struct test_host *fh;

	fh = test_host_new("contact_centre", 2011, 8, DATA);
	p = test_host_load(fh, "contact_centre");
	cr_assert_not_null(p);
	go(fh, p, KPI_ECONFIG);
	cr_assert_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "file: expected the name of the case log or the case "
	                 "summary, found nothing", 1));
	plugin_test_free(fh);

	fh = setup(DATA, "cases.csv", 8, &p);
	test_host_set(fh, "answered_s", "one minute");
	go(fh, p, KPI_ECONFIG);
	cr_assert_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "answered_s: expected a whole number, found 'one "
	                 "minute'", 1));
	plugin_test_free(fh);

	fh = setup(DATA, "cases.csv", 8, &p);
	test_host_set(fh, "answered_s", "3 601");
	go(fh, p, KPI_ECONFIG);
	cr_assert_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "answered_s: expected a whole number of seconds "
	                 "0..3600, found 3601", 1));
	plugin_test_free(fh);

	fh = setup(DATA, "cases.csv", 8, &p);
	test_host_set(fh, "categories", "elderly_care, , other");
	go(fh, p, KPI_ECONFIG);
	cr_assert_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "categories: expected a comma-separated list without "
	                 "empty items, found 'elderly_care, , other'", 1));
	plugin_test_free(fh);

	fh = setup(DATA, "cases.csv", 8, &p);
	test_host_set(fh, "categories", "other, Other");
	go(fh, p, KPI_ECONFIG);
	cr_assert_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "categories: expected each category once, found "
	                 "'Other' twice", 1));
	plugin_test_free(fh);
}

/*
 * The shipped 2011 export gives the seed's figures (data to 31 July):
 * about 174 200 phone cases, 13 500 e-mail cases, just over 1 830 visits;
 * 88 % resolved at first contact; 69 % of calls answered within a minute.
 * Revenue: elderly-care cases x 108 kr + preschool cases x 90 kr.
 */
Test(contact_centre, shipped_2011_export)
{
	struct test_host *fh = run(SHIPPED, "contact_summary.csv", 0);
	const struct kpi_table *t;
	double num, den, cases = 0, revenue = 0;
	char buf[16];
	size_t r;

	cr_assert_str_eq(test_host_diag(fh), "");
	cr_assert_eq(total(fh, "cases_phone", 1, 8), 174200);
	cr_assert_eq(total(fh, "cases_email", 1, 8), 13500);
	cr_assert_eq(total(fh, "visits", 1, 8), 1834);
	cr_assert_str_eq(percent(fh, "first_contact_resolution", 1, 8, buf,
	                         sizeof buf), "88");
	cr_assert_str_eq(percent(fh, "answered_60s", 1, 8, buf, sizeof buf),
	                 "69");
	cr_assert_eq(total(fh, "variable_revenue", 1, 8), 12245076);
	cr_assert_eq(test_host_last_month(fh, "cases_phone", 2011), 7);
	sums(fh, "cases_phone", "Södermalm", 1, 8, &num, &den);
	cr_assert_gt(num, 0);
	t = test_host_table(fh, "districts");
	cr_assert_not_null(t);
	cr_assert_eq(t->n_rows, 6);
	for (r = 0; r < t->n_rows; r++) {
		cases += t->cells[r * 4 + 1].number;
		revenue += t->cells[r * 4 + 2].number;
	}
	cr_assert_eq(cases, 174200 + 13500 + 1834);
	cr_assert_eq(revenue, 12245076);
	plugin_test_free(fh);
}
