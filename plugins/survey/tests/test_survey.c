/*
 * test_survey.c - the survey plugin through the real host: indicators
 * declared from the config, shares and indexes per year worked out by
 * hand, the run year without rows (no value), bad inputs with their exact
 * messages, and the Swedish Excel form of the export.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugintest.h"

#define DATA KPI_SOURCE_DIR "/plugins/survey/tests/data"
#define SHIPPED KPI_SOURCE_DIR "/data/2011"
#define EPS 1e-9

static const char *const qids[] = {
	"nmi", "cc_customers", "proc_agreements", "proc_service",
	"fin_customers",
};

/* The config of three kinds of question: an index, shares with rows,
 * a share without any rows. */
static const char *const config[][2] = {
	{ "questions", "nmi, cc_customers,proc_agreements , proc_service, "
	               "fin_customers" },
	{ "nmi.area", "staff" },
	{ "nmi.question", "nmi" },
	{ "nmi.name_sv", "Nöjd medarbetarindex (NMI)" },
	{ "nmi.name_en", "Employee satisfaction index (NMI)" },
	{ "nmi.kind", "index" },
	{ "cc_customers.area", "contact_centre" },
	{ "cc_customers.question", "customers" },
	{ "cc_customers.name_sv", "Andel nöjda kunder, kontaktcenter" },
	{ "cc_customers.name_en", "Satisfied customers, contact centre" },
	{ "cc_customers.kind", "share" },
	{ "proc_agreements.area", "procurement" },
	{ "proc_agreements.question", "agreements" },
	{ "proc_agreements.name_sv", "Andel nöjda kunder avseende avtal" },
	{ "proc_agreements.name_en", "Customers satisfied with agreements" },
	{ "proc_service.area", "procurement" },
	{ "proc_service.question", "service" },
	{ "proc_service.name_sv", "Andel nöjda kunder avseende service" },
	{ "proc_service.name_en", "Customers satisfied with service" },
	{ "fin_customers.area", "financial_administration" },
	{ "fin_customers.question", "customers" },
	{ "fin_customers.name_sv", "Andel nöjda kunder, ekonomi" },
	{ "fin_customers.name_en", "Satisfied customers, finance" },
	{ "fin_customers.kind", "share" },
};

/* A host for area "survey" of a T2 run of `year` over `file` in DATA,
 * configured as above. */
static struct test_host *host(const char *dir, const char *file, int year)
{
	struct test_host *fh = test_host_new("survey", year, 8, dir);

	for (size_t i = 0; i < sizeof config / sizeof config[0]; i++)
		test_host_set(fh, config[i][0], config[i][1]);
	if (file)
		test_host_set(fh, "file", file);
	return fh;
}

/* Load the plugin and run it on fh; returns the run's code. */
static int run(struct test_host *fh)
{
	return plugin_test_load_run(fh, "survey");
}

/* Number of values emitted for any question, 2000..2020. */
static int n_values(const struct test_host *fh)
{
	int n = 0;

	for (size_t i = 0; i < sizeof qids / sizeof qids[0]; i++)
		for (int y = 2000; y <= 2020; y++)
			n += test_host_value(fh, qids[i], y) != NULL;
	return n;
}

/* Expect a yearly outcome `want` for question id in year. */
static void expect_value(const struct test_host *fh, const char *id,
                         int year, double want)
{
	const struct kpi_value *v = test_host_value(fh, id, year);

	cr_assert_not_null(v, "%s %d: no value", id, year);
	cr_expect(v->has_outcome && !v->has_forecast, "%s %d", id, year);
	cr_expect_eq(v->month_from, 1);
	cr_expect_eq(v->month_to, 12);
	cr_expect_float_eq(v->outcome, want, EPS, "%s %d: %.6f", id, year,
	                   v->outcome);
}

/* Run over a bad file and expect exactly "survey: DATA/file:where_what"
 * with no value emitted. */
static void expect_error(const char *file, const char *where_what)
{
	struct test_host *fh = host(DATA, file, 2011);
	int rc = run(fh);

	plugin_test_expect_data_error(fh, rc, "survey", DATA, file, where_what);
	cr_expect_eq(n_values(fh), 0, "%s: emitted", file);
	plugin_test_free(fh);
}

Test(survey, descriptor)
{
	struct test_host *fh = test_host_new("survey", 2011, 8, DATA);
	const struct kpi_plugin *p = test_host_load(fh, "survey");

	cr_assert_not_null(p);
	cr_expect_str_eq(p->name, "survey");
	cr_expect_str_eq(p->version, "1.0.0");
	cr_expect_str_eq(p->license, "MIT");
	cr_expect_eq(p->n_indicators, 0, "every indicator comes from config");
	cr_expect_str_eq(p->config_keys[0], "file");
	test_host_free(fh);
}

/* One indicator declared per question, in config order. */
Test(survey, declares_questions)
{
	static const char *const units[] = { "", "%", "%", "%", "%" };
	struct test_host *fh = host(DATA, NULL, 2011);

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	cr_assert_eq(test_host_ndeclared(fh), 5);
	for (size_t i = 0; i < 5; i++) {
		const struct kpi_indicator_def *d = test_host_declared(fh, i);

		cr_expect_str_eq(d->id, qids[i]);
		cr_expect_str_eq(d->unit, units[i], "%s", d->id);
		cr_expect_eq(d->direction, KPI_DIR_HIGHER);
		cr_expect_eq(d->decimals, 0);
	}
	cr_expect_str_eq(test_host_declared(fh, 0)->name_sv,
	                 "Nöjd medarbetarindex (NMI)");
	cr_expect_str_eq(test_host_declared(fh, 2)->name_en,
	                 "Customers satisfied with agreements");
	test_host_free(fh);
	LEAK_CHECK();
}

/*
 * tests/data/survey.csv by hand, run year 2011:
 *   nmi          2009: 65, 2010: 67, 2012: 70 (every year is emitted;
 *                the host keeps the run's)
 *   cc_customers 2009: 120 / 150 = 80 %; 2010: (100 + 70) / (120 + 80)
 *                = 170 / 200 = 85 %
 *   proc_agreements 2010: 40 / 50 = 80 %; proc_service 1000 / 1200
 *   fin_customers: no rows, no value
 *   No 2011 rows: no value for 2011, so the report's outcome is empty.
 */
Test(survey, values_by_hand)
{
	struct test_host *fh = host(DATA, NULL, 2011);

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	expect_value(fh, "nmi", 2009, 65);
	expect_value(fh, "nmi", 2010, 67);
	expect_value(fh, "cc_customers", 2009, 80);
	expect_value(fh, "cc_customers", 2010, 85);
	expect_value(fh, "proc_agreements", 2010, 80);
	expect_value(fh, "proc_service", 2010, 100.0 * 1000 / 1200);
	for (size_t i = 0; i < sizeof qids / sizeof qids[0]; i++)
		cr_expect_null(test_host_value(fh, qids[i], 2011), "%s",
		               qids[i]);
	expect_value(fh, "nmi", 2012, 70);
	cr_expect_eq(n_values(fh), 7);
	cr_expect_str_eq(test_host_diag(fh), "");
	test_host_free(fh);
	LEAK_CHECK();
}

/* Once the run year's surveys are in, the run year has a value. */
Test(survey, run_year_with_rows)
{
	struct test_host *fh = host(DATA, "survey_2011.csv", 2011);

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	expect_value(fh, "nmi", 2011, 69.5);
	expect_value(fh, "nmi", 2010, 67);
	expect_value(fh, "cc_customers", 2011, 100.0 * 271 / 300);
	cr_expect_null(test_host_value(fh, "cc_customers", 2010));
	test_host_free(fh);
	LEAK_CHECK();
}

/* No respondents: no share, a warning. */
Test(survey, zero_respondents)
{
	struct test_host *fh = host(DATA, "survey_zero.csv", 2011);

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	cr_expect_null(test_host_value(fh, "cc_customers", 2010));
	expect_value(fh, "nmi", 2010, 67);
	cr_expect_str_eq(test_host_diag(fh), "survey: warning: cc_customers: "
	                 "no respondents for question 'customers' in 2010\n");
	test_host_free(fh);
	LEAK_CHECK();
}

/* data/2011/survey.csv: NMI 2009 65, 2010 67, nothing for 2011. */
Test(survey, shipped_data)
{
	struct test_host *fh = host(SHIPPED, NULL, 2011);

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	expect_value(fh, "nmi", 2009, 65);
	expect_value(fh, "nmi", 2010, 67);
	cr_expect_null(test_host_value(fh, "nmi", 2011));
	cr_expect_eq(n_values(fh), 2);
	test_host_free(fh);
	LEAK_CHECK();
}

Test(survey, bad_rows)
{
	expect_error("survey_bad_satisfied.csv", "2:35: expected at most "
	             "respondents (120), found '121'");
	expect_error("survey_bad_share.csv", "3:35: expected respondents and "
	             "satisfied for share question 'cc_customers', found ''");
	expect_error("survey_bad_dup_index.csv", "4:1: duplicate index for "
	             "question 'nmi' in 2010 (first at line 2)");
	expect_error("survey_bad_no_index.csv", "2:24: expected the index for "
	             "index question 'nmi', found ''");
	expect_error("survey_bad_year.csv", "2:1: expected a year in "
	             "1900..2100, found '10'");
	expect_error("survey_bad_respondents.csv", "2:18: expected the number "
	             "of respondents with satisfied, found ''");
}

/* The core's own number errors: file:line:col. */
Test(survey, bad_number)
{
	struct test_host *fh = host(DATA, "survey_bad_index.csv", 2011);
	char want[512];

	snprintf(want, sizeof want, "survey: %s/survey_bad_index.csv:2:18: ",
	         DATA);
	cr_expect_eq(run(fh), KPI_EDATA);
	cr_expect(strncmp(test_host_diag(fh), want, strlen(want)) == 0,
	          "got %s", test_host_diag(fh));
	cr_expect_eq(n_values(fh), 0);
	test_host_free(fh);
	LEAK_CHECK();
}

/* Every required column missing in turn. */
Test(survey, missing_columns)
{
	static const char *const cols[] = {
		"year", "area", "question", "respondents", "satisfied",
		"index",
	};
	static const char *const vals[] = {
		"2010", "staff", "nmi", "", "", "67",
	};

	for (size_t skip = 0; skip < 6; skip++) {
		char dir[] = "/tmp/test_survey.XXXXXX", path[128], want[512];
		struct test_host *fh;
		FILE *f;

		cr_assert_not_null(mkdtemp(dir));
		snprintf(path, sizeof path, "%s/survey.csv", dir);
		f = fopen(path, "w");
		cr_assert_not_null(f);
		for (int line = 0; line < 2; line++) {
			int first = 1;

			for (size_t c = 0; c < 6; c++) {
				if (c == skip)
					continue;
				fprintf(f, "%s%s", first ? "" : ",",
				        line ? vals[c] : cols[c]);
				first = 0;
			}
			fputc('\n', f);
		}
		cr_assert_eq(fclose(f), 0);
		fh = host(dir, NULL, 2011);
		cr_expect_eq(run(fh), KPI_EDATA, "%s", cols[skip]);
		snprintf(want, sizeof want, "survey: %s:1: missing required "
		         "column '%s'\n", path, cols[skip]);
		cr_expect_str_eq(test_host_diag(fh), want);
		cr_expect_eq(n_values(fh), 0);
		test_host_free(fh);
		unlink(path);
		rmdir(dir);
	}
	LEAK_CHECK();
}

/* Header only: the indicators are declared, nothing is emitted. */
Test(survey, empty_export)
{
	struct test_host *fh = host(DATA, "survey_empty.csv", 2011);

	cr_expect_eq(run(fh), 0, "%s", test_host_diag(fh));
	cr_expect_eq(test_host_ndeclared(fh), 5);
	cr_expect_eq(n_values(fh), 0);
	cr_expect_str_eq(test_host_diag(fh), "");
	test_host_free(fh);
	LEAK_CHECK();
}

/* Swedish Excel (';', decimal comma, BOM, CRLF, U+00A0 grouping): the
 * same values. */
Test(survey, excel_export_same_results)
{
	struct test_host *a = host(DATA, NULL, 2011);
	struct test_host *b = host(DATA, "survey_excel.csv", 2011);

	cr_assert_eq(run(a), 0, "%s", test_host_diag(a));
	cr_assert_eq(run(b), 0, "%s", test_host_diag(b));
	cr_expect_eq(n_values(a), n_values(b));
	for (size_t i = 0; i < sizeof qids / sizeof qids[0]; i++)
		for (int y = 2000; y <= 2020; y++) {
			const struct kpi_value *x = test_host_value(a, qids[i], y);
			const struct kpi_value *z = test_host_value(b, qids[i], y);

			cr_expect((x == NULL) == (z == NULL), "%s %d", qids[i],
			          y);
			if (x && z)
				cr_expect_float_eq(x->outcome, z->outcome, EPS,
				                   "%s %d", qids[i], y);
		}
	test_host_free(a);
	test_host_free(b);
	LEAK_CHECK();
}

/* Config errors name the key; nothing is declared. */
Test(survey, config_errors)
{
	static const struct {
		const char *key, *value, *msg;
	} cases[] = {
		{ "questions", "", "questions: expected the questions to "
		  "report, e.g. 'nmi, cc_customers'" },
		{ "questions", "nmi, NMI", "questions: expected ids of "
		  "[a-z0-9_] (at most 31 bytes) separated by commas, found "
		  "'NMI'" },
		{ "questions", "nmi,,cc_customers", "questions: expected ids "
		  "of [a-z0-9_] (at most 31 bytes) separated by commas, found "
		  "''" },
		{ "questions", "nmi, nmi", "questions: 'nmi' listed twice" },
		{ "questions", "nmi, staff_pay", "staff_pay.area: question "
		  "'staff_pay' (listed in questions) needs staff_pay.area" },
		{ "nmi.kind", "mean", "nmi.kind: expected 'share' or 'index', "
		  "found 'mean'" },
		{ "cc_customers.name_en", "", "cc_customers.name_en: question "
		  "'cc_customers' (listed in questions) needs "
		  "cc_customers.name_en" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct test_host *fh = host(DATA, NULL, 2011);
		char want[512];

		test_host_set(fh, cases[i].key, cases[i].value);
		cr_expect_eq(run(fh), KPI_ECONFIG, "%s", cases[i].value);
		snprintf(want, sizeof want, "%s",
		         plugin_test_config_message(fh, cases[i].msg, 1));
		cr_expect_str_eq(test_host_diag(fh), want);
		cr_expect_eq(n_values(fh), 0);
		test_host_free(fh);
	}
	LEAK_CHECK();
}

/* Without `questions` there is nothing to report: an error. */
Test(survey, config_questions_required)
{
	struct test_host *fh = test_host_new("survey", 2011, 8, DATA);

	cr_expect_eq(run(fh), KPI_ECONFIG);
	cr_expect_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "questions: "
	                 "expected the questions to report, e.g. 'nmi, "
	                 "cc_customers'", 1));
	cr_expect_eq(test_host_ndeclared(fh), 0);
	test_host_free(fh);
	LEAK_CHECK();
}
