/*
 * test_confval.c - the typed config services of ABI 1.2 (config_number,
 * config_integer, config_date, config_list) through the core's host table
 * on a config loaded from a file: each valid form read to the value
 * worked out by hand, each bad value refused with KPI_ECONFIG and its
 * file:line message, an absent key KPI_MISSING or "missing required key".
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "host.h"

static char dir[256];
static char path[512];
static char *diag_buf;
static size_t diag_len;
static FILE *diag_mem;
static struct kpi_config *cfg;
static struct kpi_ctx ctx;
static const struct kpi_host *h;

/* Lines 1..6 are the head and the area; keys start at line 7. */
static const char conf[] =
	"[kpirun]\nyear = 2011\nperiod = T2\ndata_dir = data\n"
	"[area site]\nplugin = p\n"
	"n_comma = 5,5\n"                  /* 7 */
	"n_groups = 1 290 191\n"           /* 8 */
	"n_point = 0.5\n"                  /* 9 */
	"n_neg = -2,0\n"                   /* 10 */
	"n_bad = x\n"                      /* 11 */
	"n_frac = 2,5\n"                   /* 12 */
	"n_ambiguous = 1,234\n"            /* 13 */
	"n_exp = 1e3\n"                    /* 14 */
	"i_groups = 1 290 191\n"           /* 15 */
	"i_neg = -12\n"                    /* 16 */
	"d_day = 2011-09-01\n"             /* 17 */
	"d_month = 2011-09\n"              /* 18 */
	"d_bad = 2011-02-30\n"             /* 19 */
	"l_three = elderly_care,  preschool ,other\n"  /* 20 */
	"l_one = depreciation\n"           /* 21 */
	"l_empty_item = a,,b\n"            /* 22 */
	"l_trailing = a, b,\n"             /* 23 */
	"n_empty =\n";                     /* 24 */

static void setup(void)
{
	FILE *f;

	snprintf(dir, sizeof dir, "/tmp/kpi_test_confval_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/conf.ini", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_geq(fputs(conf, f), 0);
	cr_assert_eq(fclose(f), 0);
	diag_mem = open_memstream(&diag_buf, &diag_len);
	kpi_diag_set_stream(diag_mem);
	cr_assert_eq(kpi_config_load(path, &cfg), 0);
	kpi_host_ctx_init(&ctx, cfg, &cfg->areas[0]);
	h = kpi_host_table();
}

static void teardown(void)
{
	kpi_host_ctx_release(&ctx);
	kpi_config_free(cfg);
	kpi_diag_set_stream(NULL);
	fclose(diag_mem);
	free(diag_buf);
	diag_buf = NULL;
	unlink(path);
	rmdir(dir);
}

TestSuite(confval, .init = setup, .fini = teardown);

static const char *diag_text(void)
{
	fflush(diag_mem);
	return diag_buf ? diag_buf : "";
}

/* The diagnostics hold "conf.ini:<want>\n" (want starts at the line). */
static void assert_said(const char *want)
{
	char line[512];

	snprintf(line, sizeof line, "conf.ini:%s\n", want);
	cr_assert(strstr(diag_text(), line), "expected\n%s\nin\n%s", line,
	          diag_text());
}

Test(confval, the_host_table_has_the_services)
{
	cr_assert_geq(h->abi_minor, 2);
	cr_assert(KPI_HOST_HAS(h, config_number));
	cr_assert(KPI_HOST_HAS(h, config_integer));
	cr_assert(KPI_HOST_HAS(h, config_date));
	cr_assert(KPI_HOST_HAS(h, config_list));
}

Test(confval, numbers_in_swedish_and_english_forms)
{
	double d = 0;

	cr_assert_eq(h->config_number(&ctx, "n_comma", 0, &d), 0, "%s",
	             diag_text());
	cr_assert_eq(d, 5.5);
	cr_assert_eq(h->config_number(&ctx, "n_groups", KPI_NUM_INTEGER, &d),
	             0, "%s", diag_text());
	cr_assert_eq(d, 1290191.0);
	cr_assert_eq(h->config_number(&ctx, "n_point", KPI_NUM_NONNEG, &d), 0);
	cr_assert_eq(d, 0.5);
	cr_assert_eq(h->config_number(&ctx, "n_neg", KPI_NUM_INTEGER, &d), 0);
	cr_assert_eq(d, -2.0);
	cr_assert_str_eq(diag_text(), "");
}

Test(confval, bad_numbers_name_file_line_and_value)
{
	double d = 42;

	cr_assert_eq(h->config_number(&ctx, "n_bad", 0, &d), KPI_ECONFIG);
	assert_said("11: [area site] n_bad: expected a number, found 'x'");
	cr_assert_eq(h->config_number(&ctx, "n_neg", KPI_NUM_NONNEG, &d),
	             KPI_ECONFIG);
	assert_said("10: [area site] n_neg: expected a number that is not "
	            "negative, found '-2,0'");
	cr_assert_eq(h->config_number(&ctx, "n_frac", KPI_NUM_INTEGER, &d),
	             KPI_ECONFIG);
	assert_said("12: [area site] n_frac: expected a whole number, found "
	            "'2,5'");
	cr_assert_eq(h->config_number(&ctx, "n_ambiguous", 0, &d), KPI_ECONFIG);
	assert_said("13: [area site] n_ambiguous: expected a number whose "
	            "decimal mark is certain (1234, or 1.234 written 1,2340), "
	            "found '1,234'");
	cr_assert_eq(h->config_number(&ctx, "n_exp", 0, &d), KPI_ECONFIG);
	cr_assert(strstr(diag_text(), "conf.ini:14: [area site] n_exp: "),
	          "%s", diag_text());
	cr_assert_eq(h->config_number(&ctx, "n_empty", KPI_NUM_OPTIONAL, &d),
	             KPI_ECONFIG);
	assert_said("24: [area site] n_empty: expected a number, found ''");
	cr_assert_eq(d, 42, "*out written on error");
}

Test(confval, absent_keys)
{
	double d = 42;
	long n = 42;
	struct kpi_date dt = { .year = 42 };
	size_t cnt = 9;
	const char *const *items = (const char *const *)&cnt;

	cr_assert_eq(h->config_number(&ctx, "nope", KPI_NUM_OPTIONAL, &d),
	             KPI_MISSING);
	cr_assert_eq(h->config_integer(&ctx, "nope", KPI_NUM_OPTIONAL, &n),
	             KPI_MISSING);
	cr_assert_eq(h->config_date(&ctx, "nope", KPI_DATE_OPTIONAL, &dt),
	             KPI_MISSING);
	cr_assert_eq(h->config_list(&ctx, "nope", &cnt, &items), KPI_MISSING);
	cr_assert_eq(cnt, 0);
	cr_assert_null(items);
	cr_assert_str_eq(diag_text(), "");
	cr_assert_eq(h->config_number(&ctx, "nope", 0, &d), KPI_ECONFIG);
	/* an absent key is reported at its section's line */
	assert_said("5: [area site] nope: missing required key");
	cr_assert_eq(h->config_date(&ctx, "gone", KPI_DATE_MONTH, &dt),
	             KPI_ECONFIG);
	assert_said("5: [area site] gone: missing required key");
	/* "plugin" is the core's, never a plugin's value */
	cr_assert_eq(h->config_integer(&ctx, "plugin", KPI_NUM_OPTIONAL, &n),
	             KPI_MISSING);
	cr_assert_eq(d, 42);
	cr_assert_eq(n, 42);
	cr_assert_eq(dt.year, 42);
}

Test(confval, integers)
{
	long n = 0;

	cr_assert_eq(h->config_integer(&ctx, "i_groups", KPI_NUM_NONNEG, &n), 0,
	             "%s", diag_text());
	cr_assert_eq(n, 1290191L);
	cr_assert_eq(h->config_integer(&ctx, "i_neg", 0, &n), 0);
	cr_assert_eq(n, -12L);
	cr_assert_eq(h->config_integer(&ctx, "i_neg", KPI_NUM_NONNEG, &n),
	             KPI_ECONFIG);
	assert_said("16: [area site] i_neg: expected a whole number that is "
	            "not negative, found '-12'");
	cr_assert_eq(h->config_integer(&ctx, "n_comma", 0, &n), KPI_ECONFIG);
	cr_assert(strstr(diag_text(), "conf.ini:7: [area site] n_comma: "),
	          "%s", diag_text());
	cr_assert(strstr(diag_text(), ", found '5,5'\n"), "%s", diag_text());
	cr_assert_eq(n, -12L);
}

Test(confval, dates_and_months)
{
	struct kpi_date d;

	cr_assert_eq(h->config_date(&ctx, "d_day", 0, &d), 0, "%s",
	             diag_text());
	cr_assert_eq(d.year, 2011);
	cr_assert_eq(d.month, 9);
	cr_assert_eq(d.day, 1);
	cr_assert_eq(h->config_date(&ctx, "d_month", KPI_DATE_MONTH, &d), 0);
	cr_assert_eq(d.year, 2011);
	cr_assert_eq(d.month, 9);
	cr_assert_eq(d.day, 0);
	/* a month is not a date unless the flags allow it */
	cr_assert_eq(h->config_date(&ctx, "d_month", 0, &d), KPI_ECONFIG);
	cr_assert(strstr(diag_text(), "conf.ini:18: [area site] d_month: "),
	          "%s", diag_text());
	cr_assert(strstr(diag_text(), ", found '2011-09'\n"), "%s",
	          diag_text());
	cr_assert_eq(h->config_date(&ctx, "d_bad", 0, &d), KPI_ECONFIG);
	cr_assert(strstr(diag_text(), "conf.ini:19: [area site] d_bad: "),
	          "%s", diag_text());
	cr_assert(strstr(diag_text(), ", found '2011-02-30'\n"), "%s",
	          diag_text());
	cr_assert_eq(h->config_date(&ctx, "n_bad", 0, &d), KPI_ECONFIG);
	cr_assert(strstr(diag_text(), "conf.ini:11: [area site] n_bad: "),
	          "%s", diag_text());
	cr_assert_eq(d.month, 9, "*out written on error");
}

Test(confval, lists_trimmed_and_kept_until_release)
{
	const char *const *a = NULL, *const *b = NULL;
	size_t na = 0, nb = 0;

	cr_assert_eq(h->config_list(&ctx, "l_three", &na, &a), 0, "%s",
	             diag_text());
	cr_assert_eq(h->config_list(&ctx, "l_one", &nb, &b), 0);
	/* the first list is still valid after the second call */
	cr_assert_eq(na, 3);
	cr_assert_str_eq(a[0], "elderly_care");
	cr_assert_str_eq(a[1], "preschool");
	cr_assert_str_eq(a[2], "other");
	cr_assert_eq(nb, 1);
	cr_assert_str_eq(b[0], "depreciation");
}

Test(confval, lists_with_empty_items_are_refused)
{
	const char *const *a = NULL;
	size_t n = 7;

	cr_assert_eq(h->config_list(&ctx, "l_empty_item", &n, &a), KPI_ECONFIG);
	assert_said("22: [area site] l_empty_item: expected a comma-separated "
	            "list without empty items, found 'a,,b'");
	cr_assert_eq(h->config_list(&ctx, "l_trailing", &n, &a), KPI_ECONFIG);
	assert_said("23: [area site] l_trailing: expected a comma-separated "
	            "list without empty items, found 'a, b,'");
	cr_assert_eq(h->config_list(&ctx, "n_empty", &n, &a), KPI_ECONFIG);
	assert_said("24: [area site] n_empty: expected a comma-separated "
	            "list without empty items, found ''");
	cr_assert_eq(n, 0);
	cr_assert_null(a);
	cr_assert_null(ctx.lists, "a refused list is not kept");
}
