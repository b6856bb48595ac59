/*
 * test_export.c - the month loop services of ABI 1.3 (config_file,
 * csv_open_export, csv_month, csv_claim_month, quote) through the core's
 * host table on a config and exports written to a temporary directory:
 * each value worked out from the file by hand, each error refused with
 * its code and its exact file:line[:column] message.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Lines 1..4 are the head, 5 the area section, 6 its plugin; keys start
 * at line 7. */
static const char conf[] =
	"[kpirun]\nyear = 2011\nperiod = T2\ndata_dir = data\n"
	"[area site]\nplugin = p\n"
	"file =\n"                          /* 7 */
	"other = visits.csv\n";             /* 8 */

/* month;visits;calls, one row a line from line 2; line 5 repeats the
 * month of line 3. */
static const char months_csv[] =
	"month;visits;calls\n"
	"2010-12;10;4\n"                    /* 2 */
	"2011-01;20;5\n"                    /* 3 */
	"2011-02;30;6\n"                    /* 4 */
	"2011-01;40;7\n"                    /* 5 */
	"2011-13;1;1\n";                    /* 6 */

static void write_file(const char *name, const char *text)
{
	char p[600];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	cr_assert_not_null(f);
	cr_assert_geq(fputs(text, f), 0);
	cr_assert_eq(fclose(f), 0);
}

static void setup(void)
{
	char data[300];

	snprintf(dir, sizeof dir, "/tmp/kpi_test_export_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/conf.ini", dir);
	snprintf(data, sizeof data, "%s/data", dir);
	cr_assert_eq(mkdir(data, 0700), 0);
	write_file("conf.ini", conf);
	write_file("data/months.csv", months_csv);
	diag_mem = open_memstream(&diag_buf, &diag_len);
	kpi_diag_set_stream(diag_mem);
	cr_assert_eq(kpi_config_load(path, &cfg), 0);
	kpi_host_ctx_init(&ctx, cfg, &cfg->areas[0]);
	ctx.phase = KPI_PHASE_COMPUTE;
	h = kpi_host_table();
}

static void teardown(void)
{
	char p[600];

	kpi_host_ctx_release(&ctx);
	kpi_config_free(cfg);
	kpi_diag_set_stream(NULL);
	fclose(diag_mem);
	free(diag_buf);
	diag_buf = NULL;
	snprintf(p, sizeof p, "%s/data/months.csv", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/data", dir);
	rmdir(p);
	unlink(path);
	rmdir(dir);
}

TestSuite(export, .init = setup, .fini = teardown);

static const char *diag_text(void)
{
	fflush(diag_mem);
	return diag_buf ? diag_buf : "";
}

/* The diagnostics hold "<tail>\n" right after some "conf.ini:" or
 * "months.csv:". */
static void assert_said(const char *file, const char *tail)
{
	char line[512];

	snprintf(line, sizeof line, "%s:%s\n", file, tail);
	cr_assert(strstr(diag_text(), line), "expected\n%s\nin\n%s", line,
	          diag_text());
}

/* Open data/months.csv with the columns month, visits, calls. */
static struct kpi_csv *open_months(int cols[3])
{
	static const char *const names[] = { "month", "visits", "calls" };
	struct kpi_csv *csv = NULL;

	cr_assert_eq(h->csv_open_export(&ctx, "months.csv", names, 3, cols,
	                                &csv), 0, "%s", diag_text());
	cr_assert_not_null(csv);
	return csv;
}

Test(export, the_host_table_has_the_services)
{
	cr_assert_eq(h->abi_minor, 3);
	cr_assert(KPI_HOST_HAS(h, config_file));
	cr_assert(KPI_HOST_HAS(h, csv_open_export));
	cr_assert(KPI_HOST_HAS(h, csv_month));
	cr_assert(KPI_HOST_HAS(h, csv_claim_month));
	cr_assert(KPI_HOST_HAS(h, quote));
}

Test(export, config_file_default_value_and_errors)
{
	const char *file = "untouched";

	cr_assert_eq(h->config_file(&ctx, "other", "x.csv", &file), 0);
	cr_assert_str_eq(file, "visits.csv");
	cr_assert_eq(h->config_file(&ctx, "absent", "x.csv", &file), 0);
	cr_assert_str_eq(file, "x.csv");
	cr_assert_str_eq(diag_text(), "");
	file = "untouched";
	cr_assert_eq(h->config_file(&ctx, "file", "x.csv", &file), KPI_ECONFIG);
	assert_said("conf.ini", "7: [area site] file: expected a file name, "
	            "found ''");
	cr_assert_eq(h->config_file(&ctx, "absent", NULL, &file), KPI_ECONFIG);
	/* an absent key is reported at its section, line 5 */
	assert_said("conf.ini", "5: [area site] absent: missing required key");
	cr_assert_str_eq(file, "untouched");
	cr_assert_eq(h->config_file(&ctx, NULL, "x.csv", &file), KPI_EINVAL);
}

Test(export, open_export_maps_columns_in_any_order)
{
	static const char *const names[] = { "calls", "MONTH" };
	struct kpi_csv *csv = NULL;
	int cols[2] = { -9, -9 };

	cr_assert_eq(h->csv_open_export(&ctx, "months.csv", names, 2, cols,
	                                &csv), 0, "%s", diag_text());
	/* header month;visits;calls: calls is column 2, month column 0 */
	cr_assert_eq(cols[0], 2);
	cr_assert_eq(cols[1], 0);
	h->csv_close(csv);
	cr_assert_str_eq(diag_text(), "");
}

Test(export, open_export_reports_every_missing_column)
{
	static const char *const names[] = { "month", "fte", "visits",
	                                     "payslips" };
	struct kpi_csv *csv = (struct kpi_csv *)&csv;
	int cols[4];

	cr_assert_eq(h->csv_open_export(&ctx, "months.csv", names, 4, cols,
	                                &csv), KPI_EDATA);
	cr_assert_null(csv);
	assert_said("months.csv", "1: missing required column 'fte'");
	assert_said("months.csv", "1: missing required column 'payslips'");
	cr_assert_null(strstr(diag_text(), "'visits'"));
	cr_assert_eq(h->csv_open_export(&ctx, "none.csv", names, 4, cols,
	                                &csv), KPI_EIO);
	cr_assert_null(csv);
}

Test(export, a_repeated_month_is_an_error_with_the_first_line)
{
	int cols[3], y = 0, m = 0;
	struct kpi_csv *csv = open_months(cols);
	/* lines 2..4: 2010-12, 2011-01, 2011-02, every year read */
	static const int want[3][2] = { { 2010, 12 }, { 2011, 1 }, { 2011, 2 } };

	for (int i = 0; i < 3; i++) {
		cr_assert_eq(h->csv_next(csv), 1);
		cr_assert_eq(h->csv_month(csv, cols[0], KPI_MONTH_UNIQUE, &y,
		                          &m), 0, "%s", diag_text());
		cr_assert_eq(y, want[i][0]);
		cr_assert_eq(m, want[i][1]);
	}
	cr_assert_eq(h->csv_next(csv), 1);
	y = m = -1;
	cr_assert_eq(h->csv_month(csv, cols[0], KPI_MONTH_UNIQUE, &y, &m),
	             KPI_EDATA);
	cr_assert_eq(y, -1);
	assert_said("months.csv", "5:1: duplicate month '2011-01' (first at "
	            "line 3)");
	h->csv_close(csv);
}

Test(export, without_unique_a_month_may_repeat_and_a_bad_one_is_refused)
{
	int cols[3], y = 0, m = 0, rc = 0;
	struct kpi_csv *csv = open_months(cols);

	for (int line = 2; line <= 5; line++) {
		cr_assert_eq(h->csv_next(csv), 1);
		rc = h->csv_month(csv, cols[0], 0, &y, &m);
		cr_assert_eq(rc, 0, "line %d: %s", line, diag_text());
	}
	cr_assert_eq(y, 2011);
	cr_assert_eq(m, 1);
	cr_assert_eq(h->csv_next(csv), 1);
	cr_assert_lt(h->csv_month(csv, cols[0], KPI_MONTH_UNIQUE, &y, &m), 0);
	cr_assert(strstr(diag_text(), "months.csv:6:1: "), "%s", diag_text());
	cr_assert(strstr(diag_text(), "'2011-13'"), "%s", diag_text());
	cr_assert_eq(h->csv_month(csv, cols[0], 0x80, &y, &m), KPI_EINVAL);
	h->csv_close(csv);
}

Test(export, months_are_kept_per_reader)
{
	int cols[3], y, m;
	struct kpi_csv *csv = open_months(cols);

	cr_assert_eq(h->csv_next(csv), 1);
	cr_assert_eq(h->csv_month(csv, cols[0], KPI_MONTH_UNIQUE, &y, &m), 0);
	h->csv_close(csv);
	/* a second reader of the same file starts with no months */
	csv = open_months(cols);
	cr_assert_eq(h->csv_next(csv), 1);
	cr_assert_eq(h->csv_month(csv, cols[0], KPI_MONTH_UNIQUE, &y, &m), 0,
	             "%s", diag_text());
	h->csv_close(csv);
	cr_assert_str_eq(diag_text(), "");
}

Test(export, claim_month_per_group)
{
	int cols[3];
	struct kpi_csv *csv = open_months(cols);

	cr_assert_eq(h->csv_next(csv), 1);              /* line 2 */
	cr_assert_eq(h->csv_claim_month(csv, 0, 2011, 5), 0);
	cr_assert_eq(h->csv_claim_month(csv, 7, 2011, 5), 0);
	cr_assert_eq(h->csv_next(csv), 1);              /* line 3 */
	cr_assert_eq(h->csv_claim_month(csv, 7, 2011, 5), 2);
	cr_assert_eq(h->csv_claim_month(csv, 7, 2012, 5), 0);
	cr_assert_eq(h->csv_claim_month(csv, 0, 2011, 5), 2);
	cr_assert_eq(h->csv_claim_month(csv, -1, 2011, 5), KPI_EINVAL);
	cr_assert_eq(h->csv_claim_month(csv, 0, 2011, 13), KPI_EINVAL);
	cr_assert_eq(h->csv_claim_month(csv, 0, 0, 1), KPI_EINVAL);
	/* 300 months of 4 groups: the set grows past its first table */
	for (int g = 1; g <= 4; g++)
		for (int i = 0; i < 300; i++)
			cr_assert_eq(h->csv_claim_month(csv, 100 + g,
			                                1990 + i / 12,
			                                i % 12 + 1), 0);
	cr_assert_eq(h->csv_next(csv), 1);              /* line 4 */
	for (int g = 1; g <= 4; g++)
		for (int i = 0; i < 300; i++)
			cr_assert_eq(h->csv_claim_month(csv, 100 + g,
			                                1990 + i / 12,
			                                i % 12 + 1), 3);
	h->csv_close(csv);
	cr_assert_str_eq(diag_text(), "");
}

Test(export, quote_as_the_reader_quotes)
{
	char out[KPI_QUOTE_SIZE];
	/* 45 characters: cut to 37 and "..." */
	const char *longer = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHI";

	cr_assert_str_eq(h->quote("a\tb\nc\x01", 6, out), "a\\tb\\nc?");
	cr_assert_str_eq(h->quote(longer, strlen(longer), out),
	                 "abcdefghijklmnopqrstuvwxyz0123456789A...");
	/* 40 characters fit whole; å is one character of two bytes */
	cr_assert_str_eq(h->quote("åbcdefghijklmnopqrstuvwxyz0123456789ABC",
	                          40, out),
	                 "åbcdefghijklmnopqrstuvwxyz0123456789ABC");
}
