/*
 * test_newyear.c - figures written for a period ("forecast = 870 @ T2"):
 * the '@' syntax and its errors, which figures a run of another period
 * sets aside and the warnings naming file:line, the --check list; and
 * kpi_newyear_text, next year's config as text (dropped lines,
 * continuation lines, CRLF, a byte-order mark, the year rewritten).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "ini.h"
#include "newyear.h"

static char path[256];
static char *diag_buf;
static size_t diag_len;
static FILE *diag_mem;

/* Write text (n bytes) to a per-test config file and capture
 * diagnostics. */
static void write_config_n(const char *name, const char *text, size_t n)
{
	FILE *f;

	snprintf(path, sizeof path, "/tmp/kpi_ny_%s_%d.ini", name, getpid());
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, n, f), n);
	fclose(f);
	diag_mem = open_memstream(&diag_buf, &diag_len);
	kpi_diag_set_stream(diag_mem);
}

static void write_config(const char *name, const char *text)
{
	write_config_n(name, text, strlen(text));
}

static const char *diag_text(void)
{
	fflush(diag_mem);
	return diag_buf ? diag_buf : "";
}

static void done(void)
{
	kpi_diag_set_stream(NULL);
	fclose(diag_mem);
	free(diag_buf);
	diag_buf = NULL;
	unlink(path);
}

/* Load path, expecting success. */
static struct kpi_config *load(void)
{
	struct kpi_config *cfg = NULL;

	cr_assert_eq(kpi_config_load(path, &cfg), 0, "%s", diag_text());
	return cfg;
}

/* Load path, expecting a config error whose message contains `want`. */
static void load_fails(const char *want)
{
	struct kpi_config *cfg = NULL;

	cr_assert_eq(kpi_config_load(path, &cfg), KPI_ECONFIG, "%s",
	             diag_text());
	cr_assert_null(cfg);
	cr_assert(strstr(diag_text(), want), "want '%s' in: %s", want,
	          diag_text());
}

#define HEAD \
	"[kpirun]\nyear = 2011\nperiod = T2\ndata_dir = data\n" \
	"[area inv]\nplugin = invoicing\n"

/* Lines of HEAD: [kpirun] 1, year 2, period 3, data_dir 4, [area inv] 5,
 * plugin 6; what follows starts at line 7. */
#define FIGURES HEAD \
	"[goal 1]\nkind = direction\ntitle_en = One\nstated = met\n" \
	"[indicator inv.a]\ntarget = 3 000\nforecast = 3000\nstated = met\n" \
	"[indicator inv.b]\nforecast = 2,5 @ T3\nstated = partial @ 2011-T2\n" \
	"[indicator inv.c]\nforecast = 900 @ 2012-08\nstated = met @ 2010-year\n"
/* line 10 goal stated; 13 a forecast, 14 a stated; 16 b forecast (T3),
 * 17 b stated (T2 2011); 19 c forecast (2012-08), 20 c stated (2010) */

Test(figures, written_for_periods)
{
	struct kpi_config *cfg;
	struct kpi_indicator *a, *b, *c;

	write_config("parse", FIGURES);
	cfg = load();
	a = kpi_config_indicator(cfg, "inv.a");
	b = kpi_config_indicator(cfg, "inv.b");
	c = kpi_config_indicator(cfg, "inv.c");
	cr_assert(a && b && c);
	cr_assert_eq(cfg->n_figures, 7);
	/* in file order, each with the period it was written for */
	const long lines[] = { 10, 13, 14, 16, 17, 19, 20 };
	const int years[] = { 2011, 2011, 2011, 2011, 2011, 2012, 2010 };
	const int months[] = { 8, 8, 8, 12, 8, 8, 12 };
	const int at[] = { 0, 0, 0, 1, 1, 1, 1 };
	for (size_t i = 0; i < 7; i++) {
		cr_assert_eq(cfg->figures[i].line, lines[i], "figure %zu", i);
		/* January to that month of that year */
		cr_assert_eq(cfg->figures[i].period.from_year, years[i],
		             "figure %zu", i);
		cr_assert_eq(cfg->figures[i].period.from_month, 1,
		             "figure %zu", i);
		cr_assert_eq(cfg->figures[i].period.to_year, years[i],
		             "figure %zu", i);
		cr_assert_eq(cfg->figures[i].period.to_month, months[i],
		             "figure %zu", i);
		cr_assert_eq(cfg->figures[i].with_at, at[i], "figure %zu", i);
	}
	cr_assert_eq(cfg->figures[0].kind, KPI_BOUND_GOAL_STATED);
	cr_assert_eq(cfg->figures[1].kind, KPI_BOUND_FORECAST);
	cr_assert_eq(cfg->figures[2].kind, KPI_BOUND_STATED);
	/* the value before '@' is parsed as without it */
	cr_assert_eq(b->forecast_kind, KPI_FORECAST_MANUAL);
	cr_assert_float_eq(b->forecast_value, 2.5, 1e-12);
	cr_assert_eq(b->forecast_decimals, 1);
	cr_assert_eq(b->stated, KPI_ASSESS_PARTIAL);
	cr_assert_float_eq(c->forecast_value, 900, 1e-12);
	cr_assert_eq(c->stated, KPI_ASSESS_MET);
	kpi_config_free(cfg);
	done();
}

Test(figures, bad_written_periods)
{
	write_config("badp", HEAD "[indicator inv.a]\nforecast = 3000 @ T4\n");
	load_fails(":8: [indicator inv.a] forecast: '3000 @ T4': 'T4' is not "
	           "a period");
	done();
	write_config("bady", HEAD "[indicator inv.a]\nstated = met @ 1800-T2\n");
	load_fails(":8: [indicator inv.a] stated: 'met @ 1800-T2': year 1800 "
	           "is out of range (expected 1900..2999)");
	done();
	write_config("badyy", HEAD "[indicator inv.a]\nstated = met @ 20x1-T2\n");
	load_fails("'20x1-T2' is not a period");
	done();
	write_config("badm", HEAD "[indicator inv.a]\nforecast = 1 @ 2011-13\n");
	load_fails("'2011-13' is not a period");
	done();
	write_config("dup", HEAD "[indicator inv.a]\nforecast = 1 @ T1 @ T2\n");
	load_fails(":8: [indicator inv.a] forecast: '1 @ T1 @ T2': more than "
	           "one '@'");
	done();
	write_config("dupkey", HEAD "[indicator inv.a]\nforecast = 1 @ T1\n"
	             "forecast = 2 @ T2\n");
	load_fails(":9: duplicate key");
	done();
	write_config("novalue", HEAD "[goal 1]\nkind = direction\n"
	             "title_en = x\nstated = @ T2\n");
	load_fails(":10: [goal 1] stated: '@ T2': no value before '@'");
	done();
	write_config("noperiod", HEAD "[indicator inv.a]\nforecast = 7 @\n");
	load_fails("no period after '@'");
	done();
	write_config("method", HEAD "[indicator inv.a]\nforecast = linear @ T2\n");
	load_fails("only a number is written for a period");
	done();
	write_config("badstated", HEAD "[indicator inv.a]\nstated = yes @ T2\n");
	load_fails("'yes' is not an assessment");
	done();
	write_config("area", HEAD "stated.x = 1 @ T9\n");
	load_fails(":7: [area inv] stated.x: '1 @ T9': 'T9' is not a period");
	done();
}

/* The run's period is the file's: every figure of T2 2011 is used, the
 * others are set aside with a warning naming their line. */
Test(figures, set_aside_with_warnings)
{
	struct kpi_config *cfg;
	struct kpi_indicator *a, *b, *c;

	write_config("warn", FIGURES);
	cfg = load();
	cr_assert_eq(kpi_config_apply_periods(cfg, NULL), 0);
	a = kpi_config_indicator(cfg, "inv.a");
	b = kpi_config_indicator(cfg, "inv.b");
	c = kpi_config_indicator(cfg, "inv.c");
	cr_assert_eq(kpi_registry_goal(cfg, "1")->stated, KPI_ASSESS_MET);
	cr_assert_eq(a->forecast_kind, KPI_FORECAST_MANUAL);
	cr_assert_eq(a->stated, KPI_ASSESS_MET);
	cr_assert_eq(b->forecast_kind, KPI_FORECAST_NONE);   /* T3 */
	cr_assert_eq(b->stated, KPI_ASSESS_PARTIAL);         /* T2 2011 */
	cr_assert_eq(c->forecast_kind, KPI_FORECAST_NONE);   /* 2012 */
	cr_assert_eq(c->stated, -1);                         /* 2010 */
	char want[2048];
	snprintf(want, sizeof want,
	         "%s:16: warning: [indicator inv.b] forecast: forecast written "
	         "for year 2011, not used in T2 2011\n"
	         "%s:19: warning: [indicator inv.c] forecast: forecast written "
	         "for T2 2012, not used in T2 2011\n"
	         "%s:20: warning: [indicator inv.c] stated: stated assessment "
	         "written for year 2010, not used in T2 2011\n", path, path, path);
	cr_assert_str_eq(diag_text(), want);
	kpi_config_free(cfg);
	done();
}

/* --period T3 on a T2 config: the figures without '@' are T2's. */
Test(figures, another_period)
{
	const char *why;
	struct kpi_config *cfg;
	struct kpi_indicator *a, *b;

	write_config("t3", FIGURES);
	cfg = load();
	cr_assert_eq(kpi_period_parse("T3", cfg->year, &cfg->period, NULL, 0,
	                              &why), 0);
	cr_assert_eq(kpi_config_apply_periods(cfg, NULL), 0);
	a = kpi_config_indicator(cfg, "inv.a");
	b = kpi_config_indicator(cfg, "inv.b");
	cr_assert_eq(a->forecast_kind, KPI_FORECAST_NONE);
	cr_assert_eq(a->stated, -1);
	cr_assert_eq(kpi_registry_goal(cfg, "1")->stated, -1);
	cr_assert_eq(b->forecast_kind, KPI_FORECAST_MANUAL);  /* @ T3 */
	cr_assert_float_eq(b->forecast_value, 2.5, 1e-12);
	cr_assert(strstr(diag_text(), ":13: warning: [indicator inv.a] "
	                 "forecast: forecast written for T2 2011, not used in "
	                 "year 2011\n"), "%s", diag_text());
	cr_assert(strstr(diag_text(), ":10: warning: [goal 1] stated: stated "
	                 "assessment written for T2 2011, not used in year "
	                 "2011\n"), "%s", diag_text());
	kpi_config_free(cfg);
	done();
}

/* --check's list: every figure, its period, used or not; no warnings. */
Test(figures, check_list)
{
	struct kpi_config *cfg;
	char *list = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);

	write_config("list", HEAD "stated.x = 1,5 @ 2011-T1\n"
	             "[indicator inv.a]\nforecast = 3000\n");
	cfg = load();
	cr_assert_eq(kpi_config_apply_periods(cfg, f), 0);
	fclose(f);
	char want[2048];
	snprintf(want, sizeof want,
	         "figures written for a period (this run: T2 2011):\n"
	         "  %s:7: [area inv] stated.x: stated figure, written for T1 "
	         "2011: not used\n"
	         "  %s:9: [indicator inv.a] forecast: forecast, written for T2 "
	         "2011 (the config's period): used\n", path, path);
	cr_assert_str_eq(list, want);
	cr_assert_str_eq(diag_text(), "");
	/* the plugin's key: the period cut off, then hidden (T1, not T2) */
	cr_assert_null(kpi_ini_get(cfg->ini, "area inv", "stated.x"));
	free(list);
	kpi_config_free(cfg);
	done();
}

/* A plugin reads its stated.<figure> without the '@' part. */
Test(figures, area_key_cut)
{
	struct kpi_config *cfg;

	write_config("cut", HEAD "stated.x = 13,3 @ T2\nstated.y = 2\n");
	cfg = load();
	cr_assert_eq(kpi_config_apply_periods(cfg, NULL), 0);
	cr_assert_str_eq(kpi_ini_get(cfg->ini, "area inv", "stated.x"), "13,3");
	cr_assert_str_eq(kpi_ini_get(cfg->ini, "area inv", "stated.y"), "2");
	kpi_config_free(cfg);
	done();
}

/* kpi_newyear_text on the file at path, expecting success. */
static char *next_year(size_t *len, size_t *dropped)
{
	struct kpi_config *cfg = load();
	char *text, *out;
	size_t n;

	cr_assert_eq(kpi_ini_read_file(path, &text, &n), 0);
	cr_assert_eq(kpi_newyear_text(cfg, text, n, &out, len, dropped), 0,
	             "%s", diag_text());
	free(text);
	kpi_config_free(cfg);
	return out;
}

Test(newyear, lines_dropped_and_rewritten)
{
	size_t len, dropped;
	char *out;

	write_config("text",
	             "; config for 2011\n"
	             "[kpirun]\n"
	             "year = 2011\n"
	             "period = 2011-08\n"
	             "data_dir = ../data/2011\n"
	             "title_en = Report 2011, not 20110 nor 12011\n"
	             "\n"
	             "[area inv]\nplugin = invoicing\n"
	             "stated.fund_in = 7,6\n"
	             "file = inv2011.csv ; kept: an area's own key\n"
	             "[goal 1]\nkind = direction\ntitle_en = Goal for 2011\n"
	             "stated = met\n"
	             "[indicator inv.a]\n"
	             "target = 3 000   ; kept\n"
	             "forecast = 3000 \\\n"
	             "   @ T2\n"
	             "baseline = 2500\n"
	             "period_label = 2011 (to July)\n"
	             "stated = met @ 2012-T1\n"
	             "; stated = met\n");
	out = next_year(&len, &dropped);
	/* dropped by hand: stated.fund_in, goal stated, the forecast and its
	 * continuation line, baseline, period_label: 6 physical lines; the
	 * 2012 stated stays; comments, the goal's title and the area's file
	 * are not touched */
	cr_assert_eq(dropped, 6);
	cr_assert_str_eq(out,
	                 "; config for 2011\n"
	                 "[kpirun]\n"
	                 "year = 2012\n"
	                 "period = 2012-08\n"
	                 "data_dir = ../data/2012\n"
	                 "title_en = Report 2012, not 20110 nor 12011\n"
	                 "\n"
	                 "[area inv]\nplugin = invoicing\n"
	                 "file = inv2011.csv ; kept: an area's own key\n"
	                 "[goal 1]\nkind = direction\ntitle_en = Goal for 2011\n"
	                 "[indicator inv.a]\n"
	                 "target = 3 000   ; kept\n"
	                 "stated = met @ 2012-T1\n"
	                 "; stated = met\n");
	cr_assert_eq(len, strlen(out));
	free(out);
	done();
}

/* CRLF line ends and a byte-order mark are kept; the last line may lack
 * its line end. */
Test(newyear, crlf_and_bom)
{
	static const char in[] =
		"\xEF\xBB\xBF[kpirun]\r\nyear = 2011\r\nperiod = T2\r\n"
		"data_dir = d\r\n[area inv]\r\nplugin = invoicing\r\n"
		"[indicator inv.a]\r\nforecast = 12\r\ntarget = 1";
	static const char want[] =
		"\xEF\xBB\xBF[kpirun]\r\nyear = 2012\r\nperiod = T2\r\n"
		"data_dir = d\r\n[area inv]\r\nplugin = invoicing\r\n"
		"[indicator inv.a]\r\ntarget = 1";
	size_t len, dropped;
	char *out;

	write_config_n("crlf", in, sizeof in - 1);
	out = next_year(&len, &dropped);
	cr_assert_eq(dropped, 1);
	cr_assert_eq(len, sizeof want - 1);
	cr_assert_eq(memcmp(out, want, len), 0, "got: %s", out);
	free(out);
	done();
}

/* A year split over a continuation line cannot be rewritten safely. */
Test(newyear, year_not_on_its_line)
{
	struct kpi_config *cfg;
	char *text, *out = NULL;
	size_t n, len, dropped;

	write_config("split", "[kpirun]\nyear = 20\\\n11\nperiod = T2\n"
	             "data_dir = d\n");
	cfg = load();
	cr_assert_eq(cfg->year, 2011);
	cr_assert_eq(kpi_ini_read_file(path, &text, &n), 0);
	cr_assert_eq(kpi_newyear_text(cfg, text, n, &out, &len, &dropped),
	             KPI_ECONFIG);
	cr_assert_null(out);
	cr_assert(strstr(diag_text(), ":2: [kpirun] year: cannot find 2011"),
	          "%s", diag_text());
	free(text);
	kpi_config_free(cfg);
	done();
}
