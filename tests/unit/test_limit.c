/*
 * test_limit.c - the core's fixed limits (core/limit.h): each one refused
 * with a message naming it (and file:line where there is one) when it is
 * reached, and what used to be cut or dropped silently now kept whole.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "csv.h"
#include "diag.h"
#include "host.h"
#include "kpirun_exec.h"
#include "limit.h"

static char dir[256];
static char *diag_buf;
static size_t diag_len;
static FILE *diag_mem;

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/kpi_test_limit_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	diag_mem = open_memstream(&diag_buf, &diag_len);
	kpi_diag_set_stream(diag_mem);
}

static void teardown(void)
{
	static const char *const files[] = {
		"conf.ini", "data.csv", "data/site.csv", NULL
	};
	char p[512];

	kpi_diag_set_stream(NULL);
	fclose(diag_mem);
	free(diag_buf);
	diag_buf = NULL;
	for (const char *const *f = files; *f; f++) {
		snprintf(p, sizeof p, "%s/%s", dir, *f);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/data", dir);
	rmdir(p);
	rmdir(dir);
}

TestSuite(limit, .init = setup, .fini = teardown);

static const char *diag_text(void)
{
	fflush(diag_mem);
	return diag_buf ? diag_buf : "";
}

/* Write `name` in the test's directory; returns its path (static). */
static const char *put(const char *name, const char *text)
{
	static char p[4][512];
	static int i;
	FILE *f;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
	f = fopen(p[i], "w");
	cr_assert_not_null(f, "%s", p[i]);
	cr_assert_geq(fputs(text, f), 0);
	cr_assert_eq(fclose(f), 0);
	return p[i];
}

/* n copies of c, NUL-terminated; the caller frees. */
static char *rep(char c, size_t n)
{
	char *s = malloc(n + 1);

	cr_assert_not_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* The text printf would write; the caller frees. */
__attribute__((format(printf, 1, 2)))
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	s = malloc((size_t)n + 1);
	cr_assert_not_null(s);
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

#define HEAD "[kpirun]\nyear = 2011\nperiod = T2\ndata_dir = data\n"

/* Load text as conf.ini: expect it refused with `want` in the
 * diagnostics (want NULL: expect it loaded, and return it). */
static struct kpi_config *load(const char *text, const char *want)
{
	struct kpi_config *cfg = NULL;
	const char *p = put("conf.ini", text);
	int rc = kpi_config_load(p, &cfg);

	if (!want) {
		cr_assert_eq(rc, 0, "%s", diag_text());
		return cfg;
	}
	cr_assert_eq(rc, KPI_ECONFIG, "accepted; diagnostics: %s", diag_text());
	cr_assert(strstr(diag_text(), want) != NULL, "expected\n%s\nin\n%s",
	          want, diag_text());
	return NULL;
}

/* ---- the config ------------------------------------------------------ */

Test(limit, area_name)
{
	char *ok = rep('a', KPI_MAX_NAME), *big = rep('a', KPI_MAX_NAME + 1);
	char *text = fmt(HEAD "[area %s]\nplugin = p\n", ok);
	char *want;

	kpi_config_free(load(text, NULL));
	free(text);
	text = fmt(HEAD "[area %s]\nplugin = p\n", big);
	want = fmt("conf.ini:5: [area %s] area name is 128 bytes, limit 127\n",
	           big);
	load(text, want);
	free(want);
	free(text);
	free(big);
	free(ok);
}

Test(limit, indicator_id_in_a_goal)
{
	/* "a." + 254 bytes is 256 */
	char *name = rep('x', KPI_MAX_ID - 1);
	char *text = fmt(HEAD "[area a]\nplugin = p\n[goal 1]\nkind = direction\n"
	                 "title_sv = M\nindicators = a.%s\n", name);

	load(text, "conf.ini:10: [goal 1] indicators: 'a.xxxxxxxxxxxxxxxxxxxx"
	     "xxxxxxxxxxxxxxxxxx...' is 256 bytes, limit 255\n");
	free(text);
	free(name);
}

Test(limit, goal_depth)
{
	/* g0 is a directional goal, g1..gN each under the one before: gN is
	 * N levels deep.  Beyond the limit the goal used to be loaded and
	 * then left unassessed by the evaluation, without a word. */
	size_t cap = 1 << 16, n = 0;
	char *text = malloc(cap);
	long line;
	char *want;

	cr_assert_not_null(text);
	n += (size_t)snprintf(text + n, cap - n, HEAD "[area a]\nplugin = p\n"
	                      "[goal g0]\nkind = direction\ntitle_sv = M\n");
	line = 9;
	for (int i = 1; i <= KPI_MAX_GOAL_DEPTH + 1; i++) {
		n += (size_t)snprintf(text + n, cap - n, "[goal g%d]\nkind = "
		                      "committee\ntitle_sv = M\nparent = g%d\n",
		                      i, i - 1);
		line += 4;
	}
	/* the last goal's parent key is the file's last line */
	want = fmt("conf.ini:%ld: [goal g65] parent: goal 'g65' would be 65 "
	           "levels deep, limit 64\n", line);
	load(text, want);
	free(want);
	/* one level less loads */
	text[n - strlen("[goal g65]\nkind = committee\ntitle_sv = M\n"
	                "parent = g64\n")] = '\0';
	kpi_config_free(load(text, NULL));
	free(text);
}

/* Found by fuzz_config: a goal naming itself as parent, then a goal under
 * it - counting the levels must not follow the refused parent round in a
 * circle. */
Test(limit, goal_depth_after_a_goal_that_is_its_own_parent, .timeout = 10)
{
	load(HEAD "[goal 1]\nkind = council\ntitle_sv = M\nparent = 1\n"
	     "[goal 2]\nkind = committee\ntitle_sv = M\nparent = 1\n",
	     "conf.ini:8: [goal 1] parent: no goal '1' defined above this "
	     "one\n");
}

Test(limit, subperiods)
{
	load(HEAD "[area a]\nplugin = p\n[indicator a.x]\n"
	     "subperiods = 1-1, 2-2, 3-3, 4-4, 5-5, 6-6, 7-7\n",
	     "conf.ini:8: [indicator a.x] subperiods: at most 6 sub-periods\n");
}

Test(limit, unit)
{
	char *ok = rep('u', KPI_MAX_UNIT), *big = rep('u', KPI_MAX_UNIT + 1);
	char *text = fmt(HEAD "[area a]\nplugin = p\n[indicator a.x]\n"
	                 "unit = %s\n", ok);

	kpi_config_free(load(text, NULL));
	free(text);
	text = fmt(HEAD "[area a]\nplugin = p\n[indicator a.x]\nunit = %s\n",
	           big);
	load(text, "conf.ini:8: [indicator a.x] unit: 'uuuuuuuuuuuuuuuuuuuuuuu"
	     "uuuuuuuuuuuuuuuuu...' is 65 bytes, limit 64\n");
	free(text);
	free(big);
	free(ok);
}

Test(limit, target_number_text_is_never_cut)
{
	/* a target written with 150 digits, within the line limit: its
	 * number used to be cut at 127 bytes and read as another number */
	char *zeros = rep('0', 149);
	char *text = fmt(HEAD "[area a]\nplugin = p\n[indicator a.x]\n"
	                 "target = 0.%s5 st\n", zeros);
	struct kpi_config *cfg = load(text, NULL);
	struct kpi_indicator *ind = kpi_config_indicator(cfg, "a.x");

	cr_assert_not_null(ind);
	cr_assert_eq(ind->target.kind, KPI_TARGET_NUMBER);
	cr_assert(ind->target.value == 5e-150, "%g", ind->target.value);
	cr_assert_str_eq(ind->target.unit, "st");
	kpi_config_free(cfg);
	free(text);
	free(zeros);
}

/* ---- what plugins hand to the host ------------------------------------ */

/* A config with [area site] and a context for its compute phase. */
static struct kpi_config *area_ctx(struct kpi_ctx *ctx)
{
	struct kpi_config *cfg = load(HEAD "[area site]\nplugin = p\n", NULL);

	kpi_host_ctx_init(ctx, cfg, &cfg->areas[0]);
	return cfg;
}

static struct kpi_indicator_def def_of(const char *id, const char *unit)
{
	struct kpi_indicator_def d;

	memset(&d, 0, sizeof d);
	d.size = sizeof d;
	d.id = id;
	d.unit = unit;
	d.aggregation = KPI_AGG_SUM;
	return d;
}

Test(limit, declared_id_and_unit)
{
	struct kpi_ctx ctx;
	struct kpi_config *cfg = area_ctx(&ctx);
	const struct kpi_host *h = kpi_host_table();
	/* "site." is 5 bytes: 250 more make the limit */
	char *ok = rep('i', KPI_MAX_ID - 5), *big = rep('j', KPI_MAX_ID - 4);
	char *unit = rep('u', KPI_MAX_UNIT + 1);
	struct kpi_indicator_def d = def_of(ok, NULL);
	char *want;

	cr_assert_eq(h->declare(&ctx, &d), 0, "%s", diag_text());
	d = def_of(big, NULL);
	cr_assert_eq(h->declare(&ctx, &d), KPI_EINVAL);
	/* it used to be cut to 255 bytes and declared under that id */
	cr_assert_eq(cfg->n_indicators, 1);
	want = fmt("site: indicator '%.40s...': its id 'site.<id>' is 256 "
	           "bytes, limit 255\n", big);
	cr_assert(strstr(diag_text(), want), "%s", diag_text());
	free(want);
	d = def_of("short", unit);
	cr_assert_eq(h->declare(&ctx, &d), KPI_EINVAL);
	cr_assert(strstr(diag_text(), "site: indicator 'short': unit 'uuuuuuuu"
	                 "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu...' is 65 bytes, "
	                 "limit 64\n"), "%s", diag_text());
	kpi_config_free(cfg);
	free(ok);
	free(big);
	free(unit);
}

Test(limit, emit_for_an_id_longer_than_any_declared_one)
{
	struct kpi_ctx ctx;
	struct kpi_config *cfg = area_ctx(&ctx);
	const struct kpi_host *h = kpi_host_table();
	char *ok = rep('i', KPI_MAX_ID - 5), *longer = fmt("%sX", ok);
	struct kpi_indicator_def d = def_of(ok, NULL);
	struct kpi_measurement m;
	struct kpi_indicator *ind;

	cr_assert_eq(h->declare(&ctx, &d), 0, "%s", diag_text());
	ctx.phase = KPI_PHASE_COMPUTE;
	memset(&m, 0, sizeof m);
	m.size = sizeof m;
	m.indicator = longer;
	m.year = 2011;
	m.month = 3;
	m.num = 7;
	/* cut to 255 bytes, this id used to land in the declared one */
	cr_assert_eq(h->emit(&ctx, &m), KPI_EINVAL);
	cr_assert_eq(ctx.bad_calls, 1);
	ind = cfg->indicators[0];
	for (size_t k = 0; k < KPI_WINDOW_MONTHS; k++)
		cr_assert_eq(ind->main.m[k].has, 0);
	cr_assert(strstr(diag_text(), "emitted a result for undeclared "
	                 "indicator"), "%s", diag_text());
	kpi_config_free(cfg);
	free(ok);
	free(longer);
}

Test(limit, config_error_message_is_whole)
{
	struct kpi_ctx ctx;
	struct kpi_config *cfg = area_ctx(&ctx);
	char *msg = rep('m', 3000), *want = fmt("conf.ini:6: [area site] plugin: "
	                                        "%s\n", msg);

	cr_assert_eq(kpi_host_table()->config_error(&ctx, "plugin", "%s", msg),
	             KPI_ECONFIG);
	cr_assert(strstr(diag_text(), want), "message cut: %zu bytes printed",
	          strlen(diag_text()));
	kpi_config_free(cfg);
	free(msg);
	free(want);
}

Test(limit, csv_expected_message_is_whole)
{
	const char *p = put("data.csv", "a\nx\n");
	struct kpi_csv *c = NULL;
	char *msg = rep('e', 1500), *want = fmt("data.csv:2:1: %s, found 'x'\n",
	                                        msg);

	cr_assert_eq(kpi_csv_open(p, "data.csv", NULL, NULL, &c), 0);
	cr_assert_eq(kpi_csv_next(c), 1);
	cr_assert_eq(kpi_csv_expected(c, 0, "%s", msg), KPI_EDATA);
	cr_assert(strstr(diag_text(), want), "%s", diag_text());
	kpi_csv_close(c);
	free(msg);
	free(want);
}

/* A table of `cols` columns and one row of cells (all text "t" but the
 * last, which is *last). */
static int emit_table(struct kpi_ctx *ctx, size_t cols,
                      const struct kpi_cell *last)
{
	const char **names = calloc(cols, sizeof *names);
	struct kpi_cell *cells = calloc(cols, sizeof *cells);
	struct kpi_table t;
	int rc;

	cr_assert(names && cells);
	for (size_t i = 0; i < cols; i++) {
		names[i] = "c";
		cells[i].kind = KPI_CELL_TEXT;
		cells[i].text = "t";
	}
	cells[cols - 1] = *last;
	memset(&t, 0, sizeof t);
	t.size = sizeof t;
	t.id = "tbl";
	t.n_columns = cols;
	t.columns_sv = names;
	t.n_rows = 1;
	t.cells = cells;
	rc = kpi_host_table()->emit_table(ctx, &t);
	free(names);
	free(cells);
	return rc;
}

Test(limit, table_columns_and_cells)
{
	struct kpi_ctx ctx;
	struct kpi_config *cfg = area_ctx(&ctx);
	char *text = rep('t', KPI_MAX_CELL_TEXT + 1);
	struct kpi_cell text_ok = { KPI_CELL_TEXT, "ok", 0, 0 };
	struct kpi_cell text_big = { KPI_CELL_TEXT, text, 0, 0 };
	struct kpi_cell nan_cell = { KPI_CELL_NUMBER, NULL, NAN, 1 };
	struct kpi_cell dec_cell = { KPI_CELL_NUMBER, NULL, 1.5, 7 };

	ctx.phase = KPI_PHASE_COMPUTE;
	cr_assert_eq(emit_table(&ctx, KPI_MAX_TABLE_COLUMNS, &text_ok), 0, "%s",
	             diag_text());
	cr_assert_eq(cfg->n_tables, 1);
	cr_assert_eq(emit_table(&ctx, KPI_MAX_TABLE_COLUMNS + 1, &text_ok),
	             KPI_EINVAL);
	cr_assert(strstr(diag_text(), "site: emit_table() 'tbl' with 65 "
	                 "columns, limit 64\n"), "%s", diag_text());
	cr_assert_eq(emit_table(&ctx, 3, &text_big), KPI_EINVAL);
	cr_assert(strstr(diag_text(), "site: emit_table() 'tbl': the text of "
	                 "row 1 column 3 is 1023 bytes, limit 1022\n"), "%s",
	          diag_text());
	/* a number that is not finite used to become an empty cell */
	cr_assert_eq(emit_table(&ctx, 2, &nan_cell), KPI_EINVAL);
	cr_assert(strstr(diag_text(), "site: emit_table() 'tbl': row 1 column "
	                 "2 is not a finite number with 0..6 decimals\n"), "%s",
	          diag_text());
	/* more decimals than the report shows used to be cut silently */
	cr_assert_eq(emit_table(&ctx, 2, &dec_cell), KPI_EINVAL);
	cr_assert_eq(cfg->n_tables, 1);
	cr_assert_eq(ctx.bad_calls, 4);
	kpi_config_free(cfg);
	free(text);
}

/* ---- the report: nothing cut or blanked -------------------------------- */

/* A run over data/site.csv: `visitors` with January's value `value`, its
 * [indicator] section with `extra` keys; kpirun with args after the
 * config. */
static void report(const char *value, const char *extra, const char *format,
                   struct kpirun_result *r)
{
	char data[600], *text;
	const char *conf;

	snprintf(data, sizeof data, "%s/data", dir);
	cr_assert(mkdir(data, 0700) == 0 || access(data, W_OK) == 0);
	text = fmt("indicator,month,value,denominator\nvisitors,2011-01,%s,\n",
	           value);
	put("data/site.csv", text);
	free(text);
	text = fmt(HEAD "[area site]\nplugin = measurements\nfile = site.csv\n"
	           "indicators = visitors\nvisitors.unit = st\n"
	           "visitors.direction = lower\n\n[goal 1]\nkind = direction\n"
	           "title_sv = M\nindicators = site.visitors\n\n"
	           "[indicator site.visitors]\n%s\n", extra);
	conf = put("conf.ini", text);
	free(text);
	KPIRUN(r, "--format", format, conf);
	cr_assert_eq(r->status, 0, "%s", r->err);
}

Test(limit, report_shows_a_huge_value_whole)
{
	/* 10^249, grouped: "1" and 83 groups of " 000", then " st"; the
	 * cell, and JUnit's failure message, used to be left empty */
	char *zeros = rep('0', 249), *digits = fmt("1%s", zeros);
	char *shown = malloc(1 + 83 * 4 + 1);
	char *want;
	struct kpirun_result r;

	cr_assert_not_null(shown);
	shown[0] = '1';
	for (int i = 0; i < 83; i++)
		memcpy(shown + 1 + 4 * i, " 000", 4);
	shown[1 + 83 * 4] = '\0';
	report(digits, "target = 5 st", "text", &r);
	want = fmt("visitors          %s st  ", shown);
	cr_assert(strstr(r.out, want), "%s", r.out);
	free(want);
	kpirun_result_free(&r);
	report(digits, "target = 5 st", "junit", &r);
	want = fmt("Periodens utfall: %s st&#10;", shown);
	cr_assert(strstr(r.out, want), "%s", r.out);
	free(want);
	kpirun_result_free(&r);
	free(shown);
	free(digits);
	free(zeros);
}

Test(limit, report_shows_long_texts_whole)
{
	/* a 990-byte text target (it used to be cut to fit a fixed buffer)
	 * and a 200-byte period label */
	char *target = rep('T', 990), *label = rep('L', 200);
	char *extra = fmt("target = text:%s\nperiod_label = %s", target, label);
	struct kpirun_result r;

	report("5", extra, "text", &r);
	cr_assert(strstr(r.out, target), "%s", r.out);
	cr_assert(strstr(r.out, label), "%s", r.out);
	kpirun_result_free(&r);
	report("5", extra, "json", &r);
	cr_assert(strstr(r.out, label), "%s", r.out);
	kpirun_result_free(&r);
	free(extra);
	free(target);
	free(label);
}
