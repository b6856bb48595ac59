/*
 * test_budget.c - the budget plugin through the real host: every figure of
 * the seed's budget tables (seed-2011.md), the flagged stated figure, the
 * balance sheet to the öre and broken ones, bad exports with their exact
 * file:line:column, the Swedish Excel form of both exports, and the
 * English cells (cells_en) of every table.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugintest.h"

#define DATA KPI_SOURCE_DIR "/plugins/budget/tests/data"
#define SHIPPED KPI_SOURCE_DIR "/data/2011"
#define EPS 1e-9

static const char *const table_ids[] = {
	"budget_summary", "budget_by_area", "budget_net_deviation",
	"investments", "balance",
};
static const char *const value_ids[] = {
	"net_result_before", "net_result_after", "adherence_before",
	"adherence_after",
};

/* The area config of plugins/budget/2011.ini, without the files. */
static const char *const seed_config[][2] = {
	{ "unit", "mnkr" },
	{ "fund_in", "7,6" },
	{ "fund_used", "2,0" },
	{ "capital_costs", "depreciation, internal_interest" },
	{ "name.committee", "Nämnd och administration | Committee and "
	                    "administration" },
	{ "name.payroll", "Löneadministration | Payroll administration" },
	{ "name.procurement", "Upphandling | Procurement" },
	{ "name.contact_centre", "Kontaktcenter | Contact centre" },
	{ "name.contact_centre.aldre_direkt", "Äldre Direkt | Äldre Direkt" },
	{ "name.financial_administration", "Ekonomiadministration | "
	                                   "Financial administration" },
	{ "name.it_telephony", "IT och telefoni | IT and telephony" },
	{ "name.depreciation", "Avskrivningar | Depreciation" },
	{ "name.internal_interest", "Internränta | Internal interest" },
	{ "name.equipment", "Inventarier och maskiner | Equipment and "
	                    "machinery" },
};

/* A host for area "budget" of a T2 2011 run over `dir`, configured as
 * the seed (unless bare), with the given files (NULL: not set). */
static struct test_host *host(const char *dir, const char *file,
                              const char *balance, int bare)
{
	struct test_host *fh = test_host_new("budget", 2011, 8, dir);

	if (!bare)
		for (size_t i = 0; i < sizeof seed_config / sizeof seed_config[0];
		     i++)
			test_host_set(fh, seed_config[i][0], seed_config[i][1]);
	if (file)
		test_host_set(fh, "file", file);
	if (balance)
		test_host_set(fh, "balance_file", balance);
	return fh;
}

/* Load the plugin and run it on fh; returns the run's code. */
static int run(struct test_host *fh)
{
	return plugin_test_load_run(fh, "budget");
}

/* Number of tables and values emitted. */
static int n_emitted(const struct test_host *fh)
{
	int n = 0;

	for (size_t i = 0; i < sizeof table_ids / sizeof table_ids[0]; i++)
		n += test_host_table(fh, table_ids[i]) != NULL;
	for (size_t i = 0; i < sizeof value_ids / sizeof value_ids[0]; i++)
		for (int y = 2010; y <= 2011; y++)
			n += test_host_value(fh, value_ids[i], y) != NULL;
	return n;
}

/* The first row at or after `from` whose first cell is the text `label`;
 * fails the test if there is none. */
static size_t row_of(const struct kpi_table *t, const char *label,
                     size_t from)
{
	for (size_t r = from; r < t->n_rows; r++) {
		const struct kpi_cell *c = &t->cells[r * t->n_columns];

		if (c->kind == KPI_CELL_TEXT && strcmp(c->text, label) == 0)
			return r;
	}
	cr_assert_fail("table %s: no row '%s' from row %zu", t->id, label,
	               from);
	return 0;
}

/* The cell at row r, column c. */
static const struct kpi_cell *cell(const struct kpi_table *t, size_t r,
                                   size_t c)
{
	cr_assert_lt(c, t->n_columns);
	return &t->cells[r * t->n_columns + c];
}

/* Expect row r of t to hold the numbers want[0..n) in columns 1..n, NAN
 * standing for an empty cell. */
static void expect_row(const struct kpi_table *t, size_t r,
                       const double *want, size_t n, int decimals)
{
	const char *label = cell(t, r, 0)->text;

	for (size_t c = 0; c < n; c++) {
		const struct kpi_cell *k = cell(t, r, c + 1);

		if (isnan(want[c])) {
			cr_expect_eq(k->kind, KPI_CELL_EMPTY, "%s '%s' col %zu: "
			             "expected empty", t->id, label, c + 1);
			continue;
		}
		cr_expect_eq(k->kind, KPI_CELL_NUMBER, "%s '%s' col %zu",
		             t->id, label, c + 1);
		cr_expect_float_eq(k->number, want[c], EPS, "%s '%s' col %zu: "
		                   "%.2f, expected %.2f", t->id, label, c + 1,
		                   k->number, want[c]);
		cr_expect_eq(k->decimals, decimals, "%s '%s' col %zu", t->id,
		             label, c + 1);
	}
}

/* Expect n cells x[] and y[] of table `id` to be identical. */
static void expect_same_cells(const char *id, const struct kpi_cell *x,
                              const struct kpi_cell *y, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cr_expect_eq(x[i].kind, y[i].kind, "%s cell %zu", id, i);
		if (x[i].kind == KPI_CELL_NUMBER)
			cr_expect_float_eq(x[i].number, y[i].number, EPS,
			                   "%s cell %zu", id, i);
		if (x[i].kind == KPI_CELL_TEXT)
			cr_expect_str_eq(x[i].text, y[i].text, "%s cell %zu",
			                 id, i);
	}
}

/* Expect the cells of two tables, Swedish and English, to be identical. */
static void expect_same_table(const struct kpi_table *a,
                              const struct kpi_table *b)
{
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_eq(a->n_rows, b->n_rows, "%s", a->id);
	cr_assert_eq(a->n_columns, b->n_columns, "%s", a->id);
	expect_same_cells(a->id, a->cells, b->cells, a->n_rows * a->n_columns);
	cr_assert_not_null(a->cells_en, "%s", a->id);
	cr_assert_not_null(b->cells_en, "%s", b->id);
	expect_same_cells(a->id, a->cells_en, b->cells_en,
	                  a->n_rows * a->n_columns);
}

/* Expect t to have English cells of the same shape as its cells: every
 * number cell the same number with the same decimals, every empty cell
 * empty, every text cell text. */
static void expect_en_shape(const struct kpi_table *t)
{
	cr_assert_not_null(t);
	cr_assert_not_null(t->cells_en, "%s: no cells_en", t->id);
	for (size_t i = 0; i < t->n_rows * t->n_columns; i++) {
		const struct kpi_cell *x = &t->cells[i], *y = &t->cells_en[i];

		cr_expect_eq(y->kind, x->kind, "%s cell %zu", t->id, i);
		if (x->kind == KPI_CELL_NUMBER && y->kind == KPI_CELL_NUMBER) {
			cr_expect_eq(y->number, x->number, "%s cell %zu: %f "
			             "vs %f", t->id, i, y->number, x->number);
			cr_expect_eq(y->decimals, x->decimals, "%s cell %zu",
			             t->id, i);
		}
		if (y->kind == KPI_CELL_TEXT)
			cr_expect_not_null(y->text, "%s cell %zu", t->id, i);
	}
}

/* The English text of row r, column c (a text cell). */
static const char *en_text(const struct kpi_table *t, size_t r, size_t c)
{
	const struct kpi_cell *k;

	cr_assert_lt(c, t->n_columns);
	cr_assert_lt(r, t->n_rows);
	k = &t->cells_en[r * t->n_columns + c];
	cr_assert_eq(k->kind, KPI_CELL_TEXT, "%s row %zu col %zu", t->id, r,
	             c);
	return k->text;
}

/* Expect t's English cells to be shaped as its cells, with the first
 * column labels sv[i] in cells and en[i] in cells_en, row by row. */
static void expect_labels(const struct kpi_table *t, const char *const *sv,
                          const char *const *en, size_t n)
{
	expect_en_shape(t);
	cr_assert_eq(t->n_rows, n, "%s: %zu rows", t->id, t->n_rows);
	for (size_t i = 0; i < n; i++) {
		cr_expect_str_eq(cell(t, i, 0)->text, sv[i], "%s row %zu",
		                 t->id, i);
		cr_expect_str_eq(en_text(t, i, 0), en[i], "%s row %zu", t->id,
		                 i);
	}
}

/* Run over a bad budget export and expect exactly the diagnostic
 * "budget: DATA/file:where_what" and nothing emitted. */
static void expect_error(const char *file, const char *balance,
                         const char *where_what)
{
	struct test_host *fh = host(DATA, file, balance, 0);
	int rc = run(fh);

	plugin_test_expect_data_error(fh, rc, "budget", DATA,
	                              balance ? balance : file, where_what);
	if (!balance)
		cr_expect_eq(n_emitted(fh), 0, "%s: emitted", file);
	plugin_test_free(fh);
}

#define E NAN   /* an empty cell */

Test(budget, descriptor)
{
	struct test_host *fh = test_host_new("budget", 2011, 8, DATA);
	const struct kpi_plugin *p = test_host_load(fh, "budget");
	int has_stated = 0, has_name = 0;

	cr_assert_not_null(p);
	cr_expect_eq(p->size, sizeof(struct kpi_plugin));
	cr_expect_eq(p->abi_major, KPI_ABI_MAJOR);
	cr_expect_str_eq(p->name, "budget");
	cr_expect_str_eq(p->version, "1.0.0");
	cr_expect_str_eq(p->license, "MIT");
	cr_assert_eq(p->n_indicators, 4);
	for (size_t i = 0; i < 4; i++) {
		cr_expect_str_eq(p->indicators[i].id, value_ids[i]);
		cr_expect_eq(p->indicators[i].direction, KPI_DIR_HIGHER);
	}
	cr_expect_str_eq(p->indicators[0].unit, "mnkr");
	cr_expect_eq(p->indicators[0].decimals, 1);
	cr_expect_str_eq(p->indicators[3].unit, "%");
	cr_expect_eq(p->indicators[3].decimals, 0);
	for (size_t i = 0; p->config_keys[i]; i++) {
		has_stated |= strcmp(p->config_keys[i],
		                     "stated.net_result_previous") == 0;
		has_name |= strcmp(p->config_keys[i], "name.*") == 0;
	}
	cr_expect(has_stated && has_name);
	test_host_free(fh);
}

/* "Uppföljning per verksamhet": every row of seed-2011.md. */
Test(budget, seed_table_per_area)
{
	static const struct {
		const char *label;
		double v[5];   /* budget, booked, forecast, deviation, 2010 */
	} costs[] = {
		{ "Nämnd och administration", { 25.5, 18.4, 28.1, -2.6, 23.9 } },
		{ "Löneadministration", { 35.6, 23.2, 34.5, 1.1, 36.2 } },
		{ "Upphandling", { 9.5, 5.3, 8.6, 0.9, 6.3 } },
		{ "Kontaktcenter", { 33.7, 20.9, 33.0, 0.7, 28.2 } },
		{ "Varav Äldre Direkt", { 14.2, 7.1, 13.5, 0.7, 15.4 } },
		{ "Ekonomiadministration", { 42.8, 27.2, 42.3, 0.5, 41.6 } },
		{ "IT och telefoni", { 12.0, 6.6, 11.4, 0.6, 10.2 } },
		{ "Avskrivningar", { 0.7, 0.5, 0.7, 0.0, 0.7 } },
		{ "Internränta", { 0.2, 0.1, 0.2, 0.0, 0.2 } },
		{ "Summa kostnader", { 160.0, 102.2, 158.8, 1.2, 147.3 } },
	}, revenues[] = {
		{ "Nämnd och administration", { 0.0, 0.0, 0.0, 0.0, 0.0 } },
		{ "Löneadministration", { 45.0, 29.5, 43.4, -1.6, 47.1 } },
		{ "Upphandling", { 10.9, 6.6, 9.1, -1.8, 7.1 } },
		{ "Kontaktcenter", { 36.4, 25.1, 36.7, 0.3, 15.1 } },
		{ "Varav Äldre Direkt", { 15.4, 11.1, 15.9, 0.5, 0.0 } },
		{ "Ekonomiadministration", { 54.1, 34.7, 54.1, 0.0, 53.8 } },
		{ "IT och telefoni", { 13.6, 8.9, 13.5, -0.1, 10.9 } },
		{ "Summa intäkter", { 160.0, 104.8, 156.8, -3.2, 134.0 } },
		{ "Nettoresultat före resultatdisposition",
		  { 0.0, 2.6, -2.0, -2.0, -13.3 } },
		{ "Ingående resultatfond", { E, E, 7.6, 7.6, E } },
		{ "Utgående resultatfond", { E, E, -5.6, -5.6, E } },
		{ "Nettoresultat efter resultatdisposition",
		  { 0.0, E, 0.0, 0.0, E } },
	};
	struct test_host *fh = host(DATA, NULL, NULL, 0);
	const struct kpi_table *t;
	size_t r = 0;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "budget_by_area");
	cr_assert_not_null(t);
	cr_expect_eq(t->n_columns, 6);
	cr_expect_eq(t->n_rows, 22);
	cr_expect_str_eq(t->title_sv, "Uppföljning per verksamhet");
	cr_expect_str_eq(t->columns_sv[0], "Verksamhet (mnkr)");
	cr_expect_str_eq(t->columns_sv[1], "Justerad budget 2011");
	cr_expect_str_eq(t->columns_sv[2], "Bokfört tom augusti");
	cr_expect_str_eq(t->columns_en[2], "Booked to end of August");
	cr_expect_str_eq(t->columns_sv[5], "Bokslut 2010");
	for (size_t i = 0; i < sizeof costs / sizeof costs[0]; i++) {
		cr_expect_eq(row_of(t, costs[i].label, r), i, "%s",
		             costs[i].label);
		r = row_of(t, costs[i].label, r);
		expect_row(t, r, costs[i].v, 5, 1);
		r++;
	}
	for (size_t i = 0; i < sizeof revenues / sizeof revenues[0]; i++) {
		r = row_of(t, revenues[i].label, r);
		expect_row(t, r, revenues[i].v, 5, 1);
		r++;
	}
	cr_expect_null(t->note_sv, "no stated figure, no note");
	cr_expect_str_eq(test_host_diag(fh), "");
	test_host_free(fh);
	LEAK_CHECK();
}

/* "Uppföljning av driftbudget avseende perioden samt årsprognos". */
Test(budget, seed_summary)
{
	static const struct {
		const char *label;
		double v[4];   /* budget, booked, forecast, deviation */
	} rows[] = {
		{ "Kostnader", { 160.0, 102.2, 158.8, 1.2 } },
		{ "Varav avskrivningar och internränta", { 0.9, 0.6, 0.9, 0.0 } },
		{ "Intäkter", { 160.0, 104.8, 156.8, -3.2 } },
		{ "Nettoresultat före resultatdisposition",
		  { 0.0, 2.6, -2.0, -2.0 } },
		{ "Ingående resultatfond", { E, E, 7.6, 7.6 } },
		{ "Utgående resultatfond", { E, E, -5.6, -5.6 } },
		{ "Budget och resultat efter resultatdisposition",
		  { 0.0, E, 0.0, 0.0 } },
	};
	struct test_host *fh = host(DATA, NULL, NULL, 0);
	const struct kpi_table *t;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "budget_summary");
	cr_assert_not_null(t);
	cr_assert_eq(t->n_rows, sizeof rows / sizeof rows[0]);
	cr_expect_eq(t->n_columns, 5);
	cr_expect_str_eq(t->columns_sv[0], "(mnkr)");
	cr_expect_str_eq(t->columns_sv[3], "Årsprognos");
	for (size_t i = 0; i < t->n_rows; i++) {
		cr_expect_str_eq(cell(t, i, 0)->text, rows[i].label);
		expect_row(t, i, rows[i].v, 4, 1);
	}
	test_host_free(fh);
	LEAK_CHECK();
}

/* Net deviation per area as the seed's text states it: committee -2,6;
 * payroll -0,5; procurement -0,9; contact centre +1,0; financial
 * administration +0,5; IT and telephony +0,5; in total -2,0. */
Test(budget, seed_net_deviation)
{
	static const struct {
		const char *label;
		double v[3];   /* cost deviation, revenue deviation, net */
	} rows[] = {
		{ "Nämnd och administration", { -2.6, 0.0, -2.6 } },
		{ "Löneadministration", { 1.1, -1.6, -0.5 } },
		{ "Upphandling", { 0.9, -1.8, -0.9 } },
		{ "Kontaktcenter", { 0.7, 0.3, 1.0 } },
		{ "Varav Äldre Direkt", { 0.7, 0.5, 1.2 } },
		{ "Ekonomiadministration", { 0.5, 0.0, 0.5 } },
		{ "IT och telefoni", { 0.6, -0.1, 0.5 } },
		{ "Avskrivningar", { 0.0, E, 0.0 } },
		{ "Internränta", { 0.0, E, 0.0 } },
		{ "Summa", { 1.2, -3.2, -2.0 } },
	};
	struct test_host *fh = host(DATA, NULL, NULL, 0);
	const struct kpi_table *t;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "budget_net_deviation");
	cr_assert_not_null(t);
	cr_assert_eq(t->n_rows, sizeof rows / sizeof rows[0]);
	for (size_t i = 0; i < t->n_rows; i++) {
		cr_expect_str_eq(cell(t, i, 0)->text, rows[i].label);
		expect_row(t, i, rows[i].v, 3, 1);
	}
	test_host_free(fh);
	LEAK_CHECK();
}

/* Investments: plan 1,0, spent to August 0,2, forecast 0,5; one row, so
 * no total row. */
Test(budget, seed_investments)
{
	static const double want[] = { 1.0, 0.2, 0.5 };
	struct test_host *fh = host(DATA, NULL, NULL, 0);
	const struct kpi_table *t;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "investments");
	cr_assert_not_null(t);
	cr_assert_eq(t->n_rows, 1);
	cr_expect_eq(t->n_columns, 4);
	cr_expect_str_eq(cell(t, 0, 0)->text, "Inventarier och maskiner");
	cr_expect_str_eq(t->columns_sv[2], "Utgifter tom augusti");
	expect_row(t, 0, want, 3, 1);
	test_host_free(fh);
	LEAK_CHECK();
}

/*
 * The indicators: net result before (booked 104,8 - 102,2 = 2,6; forecast
 * 156,8 - 158,8 = -2,0; 2010 134,0 - 147,3 = -13,3), after (booked 2,6 +
 * 2,0 = 4,6; forecast -2,0 + 2,0 = 0,0), adherence before (booked 100;
 * forecast 100 x (1 - 2,0 / 160,0) = 98,75) and after (100, 100).
 */
Test(budget, seed_values)
{
	struct test_host *fh = host(DATA, NULL, NULL, 0);
	const struct kpi_value *v;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	v = test_host_value(fh, "net_result_before", 2011);
	cr_assert_not_null(v);
	cr_expect_eq(v->month_from, 1);
	cr_expect_eq(v->month_to, 8);
	cr_expect(v->has_outcome && v->has_forecast);
	cr_expect_float_eq(v->outcome, 2.6, EPS);
	cr_expect_float_eq(v->forecast, -2.0, EPS);
	v = test_host_value(fh, "net_result_before", 2010);
	cr_assert_not_null(v);
	cr_expect_eq(v->month_to, 12);
	cr_expect(v->has_outcome && !v->has_forecast);
	cr_expect_float_eq(v->outcome, -13.3, EPS);
	v = test_host_value(fh, "net_result_after", 2011);
	cr_assert_not_null(v);
	cr_expect_float_eq(v->outcome, 4.6, EPS);
	cr_expect_float_eq(v->forecast, 0.0, EPS);
	v = test_host_value(fh, "adherence_before", 2011);
	cr_assert_not_null(v);
	cr_expect(v->has_outcome && v->has_forecast);
	cr_expect_float_eq(v->outcome, 100.0, EPS);
	cr_expect_float_eq(v->forecast, 98.75, EPS);
	v = test_host_value(fh, "adherence_after", 2011);
	cr_assert_not_null(v);
	cr_expect_float_eq(v->outcome, 100.0, EPS);
	cr_expect_float_eq(v->forecast, 100.0, EPS);
	cr_expect_null(test_host_value(fh, "adherence_before", 2010));
	cr_expect_null(test_host_value(fh, "net_result_after", 2010));
	test_host_free(fh);
	LEAK_CHECK();
}

/* The seed prints the 2010 net result as 13,3; computed it is -13,3: the
 * note under the table and a warning say so. */
Test(budget, stated_figure_flagged)
{
	struct test_host *fh = host(DATA, NULL, NULL, 0);
	const struct kpi_table *t;

	test_host_set(fh, "stated.net_result_previous", "13,3");
	test_host_set(fh, "stated.costs_budget", "160,0");
	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "budget_by_area");
	cr_assert_not_null(t);
	cr_assert_not_null(t->note_sv);
	cr_expect_str_eq(t->note_sv, "Rapporten anger 13,3 för "
	                 "nettoresultat före resultatdisposition, bokslut "
	                 "2010; beräknat -13,3.");
	cr_expect_str_eq(t->note_en, "The report states 13.3 for net result "
	                 "before disposition, outcome 2010; computed -13.3.");
	cr_expect_str_eq(test_host_diag(fh), "budget: warning: "
	                 "stated.net_result_previous: the report states 13.3 "
	                 "for net result before disposition, outcome 2010; "
	                 "computed -13.3\n");
	t = test_host_table(fh, "budget_summary");
	cr_assert_not_null(t);
	cr_expect_null(t->note_sv);
	/* the table still shows the computed figure */
	t = test_host_table(fh, "budget_by_area");
	cr_expect_float_eq(cell(t, row_of(t, "Nettoresultat före "
	                                  "resultatdisposition", 0), 5)->number,
	                   -13.3, EPS);
	test_host_free(fh);
	LEAK_CHECK();
}

/* A stated figure that agrees gives no note; one under the summary or
 * the investment table goes there. */
Test(budget, stated_figures_per_table)
{
	struct test_host *fh = host(DATA, NULL, NULL, 0);
	const struct kpi_table *t;

	test_host_set(fh, "stated.net_result_previous", "-13,3");
	test_host_set(fh, "stated.capital_costs_budget", "1,0");
	test_host_set(fh, "stated.investments_forecast", "0,5");
	test_host_set(fh, "stated.fund_out", "-5,6");
	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "budget_by_area");
	cr_expect_null(t->note_sv);
	t = test_host_table(fh, "investments");
	cr_expect_null(t->note_sv);
	t = test_host_table(fh, "budget_summary");
	cr_assert_not_null(t->note_sv);
	cr_expect_str_eq(t->note_sv, "Rapporten anger 1,0 för "
	                 "avskrivningar och internränta, budget 2011; "
	                 "beräknat 0,9.");
	test_host_free(fh);
	LEAK_CHECK();
}

/* Forecast deficit 10,0 on budgeted costs 100,0: adherence before
 * 100 x (1 - 10/100) = 90; with 5,0 of the fund used the net result after
 * is -5,0 and adherence after 95.  No 2010 revenue: no 2010 net result. */
Test(budget, adherence_rule)
{
	struct test_host *fh = host(DATA, "budget_deficit.csv", NULL, 1);
	const struct kpi_value *v;
	const struct kpi_table *t;

	test_host_set(fh, "fund_in", "5");
	test_host_set(fh, "fund_used", "5,0");
	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	v = test_host_value(fh, "adherence_before", 2011);
	cr_assert_not_null(v);
	cr_expect_float_eq(v->outcome, 100.0, EPS);
	cr_expect_float_eq(v->forecast, 90.0, EPS);
	v = test_host_value(fh, "adherence_after", 2011);
	cr_assert_not_null(v);
	cr_expect_float_eq(v->outcome, 100.0, EPS);
	cr_expect_float_eq(v->forecast, 95.0, EPS);
	v = test_host_value(fh, "net_result_after", 2011);
	cr_expect_float_eq(v->forecast, -5.0, EPS);
	cr_expect_null(test_host_value(fh, "net_result_before", 2010));
	t = test_host_table(fh, "budget_by_area");
	cr_assert_not_null(t);
	/* without name keys the area id is the label; no 2010 total */
	cr_expect_str_eq(cell(t, 0, 0)->text, "office");
	cr_expect_eq(cell(t, row_of(t, "Summa intäkter", 0), 5)->kind,
	             KPI_CELL_EMPTY);
	cr_expect_eq(cell(t, row_of(t, "Summa kostnader", 0), 5)->kind,
	             KPI_CELL_NUMBER);
	cr_expect_null(test_host_table(fh, "investments"));
	test_host_free(fh);
	LEAK_CHECK();
}

/* Booked costs ahead of revenues: the outcome follows the rule too
 * (booked -20 / 100 -> 80, forecast -40 / 100 -> 60). */
Test(budget, adherence_booked_negative)
{
	struct test_host *fh = host(DATA, "budget_overrun.csv", NULL, 1);
	const struct kpi_value *v;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	v = test_host_value(fh, "adherence_before", 2011);
	cr_assert_not_null(v);
	cr_expect_float_eq(v->outcome, 80.0, EPS);
	cr_expect_float_eq(v->forecast, 60.0, EPS);
	v = test_host_value(fh, "adherence_after", 2011);
	cr_expect_float_eq(v->outcome, 80.0, EPS, "no fund: after = before");
	v = test_host_value(fh, "net_result_before", 2010);
	cr_assert_not_null(v);
	cr_expect_float_eq(v->outcome, -5.0, EPS);
	test_host_free(fh);
	LEAK_CHECK();
}

/* The balance sheet at 2011-08-31 adds up to the öre. */
Test(budget, balance_seed)
{
	static const struct {
		const char *item;
		double amount, children;   /* NAN: no sub-items */
	} rows[] = {
		{ "Tillgångar", 44076696.94, 44076696.94 },
		{ "Omsättningstillgångar", 38549828.67, 38549828.67 },
		{ "Kundfordringar", 23663302.00, 23663302.00 },
		{ "Kundfordringar inom staden", 23414974.00, E },
		{ "Kundfordringar utom staden", 248328.00, E },
		{ "Förutbetalda kostnader", 1658806.05, E },
		{ "Upplupna intäkter", 8260467.00, E },
		{ "Kortfristiga fordringar", 4967253.62, 4967253.62 },
		{ "Bokförd moms", 4931939.61, E },
		{ "Fordringar på anställda", 31828.01, E },
		{ "Övriga kortfristiga fordringar", 3486.00, E },
		{ "Anläggningstillgångar", 5526868.27, E },
		{ "Eget kapital och skulder", -44076696.94, -44076696.94 },
		{ "Eget kapital", -41018403.52, E },
		{ "Kortfristiga skulder", -3058293.42, -3058293.42 },
		{ "Leverantörsskulder", -1989253.74, E },
		{ "Övriga kortfristiga skulder", -3421.00, E },
		{ "Moms och punktskatter", -183372.00, E },
		{ "Upplupna kostnader", -882246.68, E },
	};
	struct test_host *fh = host(DATA, NULL, "balance.csv", 0);
	const struct kpi_table *t;
	size_t n = sizeof rows / sizeof rows[0];

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");
	t = test_host_table(fh, "balance");
	cr_assert_not_null(t);
	cr_assert_eq(t->n_rows, n + 1);
	cr_expect_eq(t->n_columns, 5);
	for (size_t i = 0; i < n; i++) {
		double want[4] = { rows[i].amount, rows[i].children,
		                   isnan(rows[i].children) ? E : 0.0 };

		cr_expect_str_eq(cell(t, i, 0)->text, rows[i].item);
		cr_expect_eq(cell(t, i, 2)->kind, KPI_CELL_NUMBER);
		cr_expect_float_eq(cell(t, i, 2)->number, want[0], 1e-6,
		                   "%s", rows[i].item);
		cr_expect_eq(cell(t, i, 2)->decimals, 2);
		if (isnan(want[1])) {
			cr_expect_eq(cell(t, i, 3)->kind, KPI_CELL_EMPTY);
		} else {
			cr_expect_float_eq(cell(t, i, 3)->number, want[1], 1e-6,
			                   "%s", rows[i].item);
			cr_expect_float_eq(cell(t, i, 4)->number, 0.0, 1e-9);
		}
	}
	cr_expect_str_eq(cell(t, 1, 1)->text, "Tillgångar");
	cr_expect_eq(cell(t, 0, 1)->kind, KPI_CELL_EMPTY);
	cr_expect_str_eq(cell(t, n, 0)->text,
	                 "Tillgångar + skulder och eget kapital");
	cr_expect_float_eq(cell(t, n, 2)->number, 0.0, 1e-9);
	cr_expect_float_eq(cell(t, n, 4)->number, 0.0, 1e-9);
	cr_expect_str_eq(t->note_en, "Every sum is right to the öre and "
	                 "assets equal liabilities plus equity.");
	/* the budget tables are still there */
	cr_expect_not_null(test_host_table(fh, "budget_by_area"));
	test_host_free(fh);
	LEAK_CHECK();
}

/* VAT one öre too high: the difference is not a failure but is visible,
 * naming the item whose sub-items no longer add up. */
Test(budget, balance_broken_parent)
{
	struct test_host *fh = host(DATA, NULL, "balance_broken.csv", 0);
	const struct kpi_table *t;
	char want[512];
	size_t r;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	snprintf(want, sizeof want, "budget: warning: balance_broken.csv:9: "
	         "'Kortfristiga fordringar' is 4,967,253.62 kr but its "
	         "sub-items sum to 4,967,253.63 kr (difference -0.01 kr)\n");
	cr_expect_str_eq(test_host_diag(fh), want);
	t = test_host_table(fh, "balance");
	cr_assert_not_null(t);
	r = row_of(t, "Kortfristiga fordringar", 0);
	cr_expect_float_eq(cell(t, r, 3)->number, 4967253.63, 1e-6);
	cr_expect_float_eq(cell(t, r, 4)->number, -0.01, 1e-9);
	r = row_of(t, "Omsättningstillgångar", 0);
	cr_expect_float_eq(cell(t, r, 4)->number, 0.0, 1e-9);
	cr_expect_str_eq(t->note_sv, "'Kortfristiga fordringar' skiljer sig "
	                 "från summan av underposterna med -0,01 kr.");
	test_host_free(fh);
	LEAK_CHECK();
}

/* Every parent adds up but equity is ten öre short: assets no longer
 * equal liabilities plus equity. */
Test(budget, balance_unbalanced)
{
	struct test_host *fh = host(DATA, NULL, "balance_unbalanced.csv", 0);
	const struct kpi_table *t;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "budget: warning: "
	                 "balance_unbalanced.csv: assets do not equal "
	                 "liabilities plus equity: the top-level items "
	                 "('Tillgångar', 'Eget kapital och skulder') sum to "
	                 "0.10 kr, expected 0\n");
	t = test_host_table(fh, "balance");
	cr_assert_not_null(t);
	cr_expect_float_eq(cell(t, t->n_rows - 1, 4)->number, 0.10, 1e-9);
	test_host_free(fh);
	LEAK_CHECK();
}

Test(budget, balance_structure_errors)
{
	expect_error(NULL, "balance_dup.csv", "4:1: duplicate item 'Kassa' "
	             "(first at line 3)");
	expect_error(NULL, "balance_ore.csv", "3:18: expected at most 2 "
	             "decimals, found '100.005'");
}

Test(budget, balance_unknown_parent)
{
	struct test_host *fh = host(DATA, NULL, "balance_orphan.csv", 0);

	cr_expect_eq(run(fh), KPI_EDATA);
	cr_expect_str_eq(test_host_diag(fh), "budget: balance_orphan.csv:5: "
	                 "parent 'Tilgångar' of 'Skulder' is not an item of "
	                 "the file\n");
	cr_expect_null(test_host_table(fh, "balance"));
	test_host_free(fh);
	LEAK_CHECK();
}

Test(budget, bad_rows)
{
	expect_error("budget_bad_type.csv", NULL, "4:9: expected 'cost', "
	             "'revenue' or 'investment', found 'kostnad'");
	expect_error("budget_bad_decimals.csv", NULL, "3:19: expected at most "
	             "1 decimal, found '23.25'");
	expect_error("budget_bad_area.csv", NULL, "3:1: expected an area such "
	             "as 'payroll' or 'contact_centre/aldre_direkt' "
	             "([a-z0-9_], at most 63 bytes), found 'Contact Centre'");
	expect_error("budget_bad_dup.csv", NULL, "5:1: duplicate cost row for "
	             "'payroll' (first at line 3)");
}

/* Errors the core's reader words: the file, line and column must still
 * point at the field (a blank line before it counts). */
Test(budget, bad_numbers)
{
	struct test_host *fh = host(DATA, "budget_bad_number.csv", NULL, 0);
	char want[256];

	cr_expect_eq(run(fh), KPI_EDATA);
	snprintf(want, sizeof want, "budget: %s/budget_bad_number.csv:4:27: ",
	         DATA);
	cr_expect(strncmp(test_host_diag(fh), want, strlen(want)) == 0,
	          "got: %s", test_host_diag(fh));
	cr_expect_eq(n_emitted(fh), 0);
	test_host_free(fh);
	fh = host(DATA, "budget_bad_empty_amount.csv", NULL, 0);
	cr_expect_eq(run(fh), KPI_EDATA);
	snprintf(want, sizeof want, "budget: %s/budget_bad_empty_amount.csv:"
	         "2:21: ", DATA);
	cr_expect(strncmp(test_host_diag(fh), want, strlen(want)) == 0,
	          "got: %s", test_host_diag(fh));
	test_host_free(fh);
	LEAK_CHECK();
}

/* An "of which" row needs its whole of the same type. */
Test(budget, part_without_whole)
{
	struct test_host *fh = host(DATA, "budget_bad_part.csv", NULL, 0);

	cr_expect_eq(run(fh), KPI_EDATA);
	cr_expect_str_eq(test_host_diag(fh), "budget: budget_bad_part.csv:3: "
	                 "'contact_centre/aldre_direkt' is a part of "
	                 "'contact_centre', which has no revenue row\n");
	cr_expect_eq(n_emitted(fh), 0);
	test_host_free(fh);
	LEAK_CHECK();
}

/* Write `text` as `name` in a fresh directory, its path in path; returns
 * the directory (a static buffer: one at a time; caller removes both with
 * cleanup()). */
static char *write_temp(const char *name, const char *text, char *path,
                        size_t size)
{
	static char dir[64];
	FILE *f;

	snprintf(dir, sizeof dir, "/tmp/test_budget.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, size, "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	return dir;
}

/* Remove the file and the directory write_temp() made. */
static void cleanup(const char *dir, const char *path)
{
	unlink(path);
	rmdir(dir);
}

/* Copy the comma-separated `line` (header or row) to out without field
 * `skip`. */
static void drop_column(const char *line, int skip, char *out, size_t size)
{
	const char *p = line;
	size_t k = 0;
	int col = 0, kept = 0;

	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (col != skip) {
			cr_assert_lt(k + len + 2, size);
			if (kept++ > 0)
				out[k++] = ',';
			memcpy(out + k, p, len);
			k += len;
		}
		col++;
		if (!e)
			break;
		p = e + 1;
	}
	out[k] = '\0';
}

/* Every required column missing in turn, in both exports. */
Test(budget, missing_columns)
{
	static const char *const bcols[] = {
		"area", "type", "budget", "booked", "forecast",
		"previous_outcome",
	};
	static const char *const lcols[] = { "item", "parent", "amount" };
	const char *bhead = "area,type,budget,booked,forecast,previous_outcome";
	const char *brow = "payroll,cost,35.6,23.2,34.5,36.2";
	const char *lhead = "item,parent,amount";
	const char *lrow = "Tillgångar,,1.00";

	for (int pass = 0; pass < 2; pass++) {
		const char *const *cols = pass ? lcols : bcols;
		int n = pass ? 3 : 6;

		for (int i = 0; i < n; i++) {
			char h[256], r[256], text[600], path[256], want[512];
			struct test_host *fh;
			char *dir;

			drop_column(pass ? lhead : bhead, i, h, sizeof h);
			drop_column(pass ? lrow : brow, i, r, sizeof r);
			snprintf(text, sizeof text, "%s\n%s\n", h, r);
			dir = write_temp(pass ? "balance.csv" : "budget.csv",
			                 text, path, sizeof path);
			fh = pass ? host(DATA, "budget_empty.csv", path, 0)
			          : host(DATA, path, NULL, 0);
			cr_expect_eq(run(fh), KPI_EDATA, "%s", cols[i]);
			snprintf(want, sizeof want, "budget: %s:1: missing "
			         "required column '%s'\n", path, cols[i]);
			cr_expect_str_eq(test_host_diag(fh), want);
			cr_expect_eq(n_emitted(fh), 0);
			test_host_free(fh);
			cleanup(dir, path);
		}
	}
	LEAK_CHECK();
}

/* Header only: nothing emitted, no error. */
Test(budget, empty_exports)
{
	struct test_host *fh = host(DATA, "budget_empty.csv",
	                            "balance_empty.csv", 0);

	cr_expect_eq(run(fh), 0, "%s", test_host_diag(fh));
	cr_expect_eq(n_emitted(fh), 0);
	cr_expect_str_eq(test_host_diag(fh), "");
	test_host_free(fh);
	LEAK_CHECK();
}

/* Swedish Excel (';', decimal comma, BOM, CRLF, U+00A0 grouping in the
 * balance sheet): the same tables and values. */
Test(budget, excel_export_same_results)
{
	struct test_host *a = host(DATA, NULL, "balance.csv", 0);
	struct test_host *b = host(DATA, "budget_excel.csv",
	                           "balance_excel.csv", 0);

	cr_assert_eq(run(a), 0, "%s", test_host_diag(a));
	cr_assert_eq(run(b), 0, "%s", test_host_diag(b));
	for (size_t i = 0; i < sizeof table_ids / sizeof table_ids[0]; i++)
		expect_same_table(test_host_table(a, table_ids[i]),
		                  test_host_table(b, table_ids[i]));
	for (size_t i = 0; i < sizeof value_ids / sizeof value_ids[0]; i++) {
		const struct kpi_value *x = test_host_value(a, value_ids[i], 2011);
		const struct kpi_value *y = test_host_value(b, value_ids[i], 2011);

		cr_assert(x && y);
		cr_expect_float_eq(x->outcome, y->outcome, EPS);
		cr_expect_float_eq(x->forecast, y->forecast, EPS);
	}
	test_host_free(a);
	test_host_free(b);
	LEAK_CHECK();
}

/* Bad config values are errors naming the key. */
Test(budget, config_errors)
{
	static const struct {
		const char *key, *value, *msg;
	} cases[] = {
		{ "fund_in", "7,65", "fund_in: expected an amount with at most "
		  "one decimal, found '7,65'" },
		{ "fund_in", "7.6 mnkr", "fund_in: expected a number, with "
		  "nothing after it, found '7.6 mnkr'" },
		{ "fund_in", "7,6e1", "fund_in: scientific notation (precision "
		  "lost in Excel?), found '7,6e1'" },
		{ "capital_costs", "depreciation,", "capital_costs: expected a "
		  "comma-separated list without empty items, found "
		  "'depreciation,'" },
		{ "fund_used", "8,0", "fund_used: expected an amount from 0 to "
		  "fund_in" },
		{ "capital_costs", "depreciation; interest", "capital_costs: "
		  "expected a comma-separated list of areas such as "
		  "'depreciation', found 'depreciation; interest'" },
		{ "stated.net_result_previous", "13,3 %", "stated.net_result_"
		  "previous: expected a number, with nothing after it, "
		  "found '13,3 %'" },
		{ "file", "", "file: expected a file name, found ''" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct test_host *fh = host(DATA, NULL, NULL, 0);
		char want[512];

		test_host_set(fh, cases[i].key, cases[i].value);
		cr_expect_eq(run(fh), KPI_ECONFIG, "%s", cases[i].key);
		snprintf(want, sizeof want, "%s",
		         plugin_test_config_message(fh, cases[i].msg, 1));
		cr_expect_str_eq(test_host_diag(fh), want);
		cr_expect_eq(n_emitted(fh), 0);
		test_host_free(fh);
	}
	LEAK_CHECK();
}

/* fund_used needs fund_in; a display name needs its Swedish part. */
Test(budget, config_dependencies)
{
	struct test_host *fh = host(DATA, NULL, NULL, 1);

	test_host_set(fh, "fund_used", "2,0");
	cr_expect_eq(run(fh), KPI_ECONFIG);
	cr_expect_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "fund_used: "
	                 "needs fund_in, the incoming result fund", 1));
	test_host_free(fh);
	fh = host(DATA, NULL, NULL, 0);
	test_host_set(fh, "name.payroll", " | Payroll administration");
	cr_expect_eq(run(fh), KPI_ECONFIG);
	cr_expect_str_eq(test_host_diag(fh), plugin_test_config_message(fh, "name.payroll: expected 'Svenskt namn | English "
	                 "name', found ' | Payroll administration'", 0));
	test_host_free(fh);
	LEAK_CHECK();
}

/* The shipped data/2011 exports give the seed's figures. */
Test(budget, shipped_data)
{
	struct test_host *fh = host(SHIPPED, "budget.csv", "balance.csv", 0);
	const struct kpi_table *t;
	const struct kpi_value *v;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");
	t = test_host_table(fh, "budget_summary");
	cr_assert_not_null(t);
	cr_expect_float_eq(cell(t, row_of(t, "Kostnader", 0), 1)->number,
	                   160.0, EPS);
	v = test_host_value(fh, "net_result_before", 2011);
	cr_assert_not_null(v);
	cr_expect_float_eq(v->forecast, -2.0, EPS);
	v = test_host_value(fh, "adherence_after", 2011);
	cr_assert_not_null(v);
	cr_expect_float_eq(v->outcome, 100.0, EPS);
	cr_expect_float_eq(v->forecast, 100.0, EPS);
	t = test_host_table(fh, "balance");
	cr_assert_not_null(t);
	cr_expect_float_eq(cell(t, 0, 2)->number, 44076696.94, 1e-6);
	test_host_free(fh);
	LEAK_CHECK();
}

/* The seed's areas in table order, Swedish and English (name.<area>). */
#define AREAS_SV \
	"Nämnd och administration", "Löneadministration", "Upphandling", \
	"Kontaktcenter", "Varav Äldre Direkt", "Ekonomiadministration", \
	"IT och telefoni"
#define AREAS_EN \
	"Committee and administration", "Payroll administration", \
	"Procurement", "Contact centre", "Of which Äldre Direkt", \
	"Financial administration", "IT and telephony"

/* Every budget table has English cells: the English half of each
 * name.<area>, "Of which ..." for a part, the fixed labels translated,
 * and the very same numbers as the Swedish cells. */
Test(budget, english_cells)
{
	static const char *const by_area_sv[] = {
		AREAS_SV, "Avskrivningar", "Internränta", "Summa kostnader",
		AREAS_SV, "Summa intäkter",
		"Nettoresultat före resultatdisposition",
		"Ingående resultatfond", "Utgående resultatfond",
		"Nettoresultat efter resultatdisposition",
	};
	static const char *const by_area_en[] = {
		AREAS_EN, "Depreciation", "Internal interest", "Total costs",
		AREAS_EN, "Total revenues",
		"Net result before disposition of the result fund",
		"Result fund brought forward", "Result fund carried forward",
		"Net result after disposition of the result fund",
	};
	static const char *const summary_sv[] = {
		"Kostnader", "Varav avskrivningar och internränta", "Intäkter",
		"Nettoresultat före resultatdisposition",
		"Ingående resultatfond", "Utgående resultatfond",
		"Budget och resultat efter resultatdisposition",
	};
	static const char *const summary_en[] = {
		"Costs", "Of which depreciation and internal interest",
		"Revenues", "Net result before disposition of the result fund",
		"Result fund brought forward", "Result fund carried forward",
		"Budget and result after disposition of the result fund",
	};
	static const char *const net_sv[] = {
		AREAS_SV, "Avskrivningar", "Internränta", "Summa",
	};
	static const char *const net_en[] = {
		AREAS_EN, "Depreciation", "Internal interest", "Total",
	};
	static const char *const inv_sv[] = { "Inventarier och maskiner" };
	static const char *const inv_en[] = { "Equipment and machinery" };
	struct test_host *fh = host(DATA, NULL, NULL, 0);
	const struct kpi_table *t;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "budget_by_area");
	expect_labels(t, by_area_sv, by_area_en,
	              sizeof by_area_en / sizeof by_area_en[0]);
	/* spot checks of the numbers beside English labels */
	cr_expect_float_eq(t->cells_en[9 * 6 + 1].number, 160.0, EPS);
	cr_expect_float_eq(t->cells_en[18 * 6 + 5].number, -13.3, EPS);
	cr_expect_eq(t->cells_en[19 * 6 + 1].kind, KPI_CELL_EMPTY);
	t = test_host_table(fh, "budget_summary");
	expect_labels(t, summary_sv, summary_en,
	              sizeof summary_en / sizeof summary_en[0]);
	t = test_host_table(fh, "budget_net_deviation");
	expect_labels(t, net_sv, net_en, sizeof net_en / sizeof net_en[0]);
	cr_expect_eq(t->cells_en[7 * 4 + 2].kind, KPI_CELL_EMPTY);
	cr_expect_float_eq(t->cells_en[9 * 4 + 3].number, -2.0, EPS);
	t = test_host_table(fh, "investments");
	expect_labels(t, inv_sv, inv_en, 1);
	test_host_free(fh);
	LEAK_CHECK();
}

/* A name without an English half is shown as is in English; an area
 * without a name key is its id in both; more than one investment gives
 * an English total. */
Test(budget, english_names_fallback)
{
	struct test_host *fh = host(DATA, NULL, NULL, 1);
	const struct kpi_table *t;

	test_host_set(fh, "name.payroll", " Löneadministration ");
	test_host_set(fh, "name.contact_centre.aldre_direkt",
	              "Äldre Direkt | Senior Direct");
	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "budget_by_area");
	expect_en_shape(t);
	cr_expect_str_eq(cell(t, 0, 0)->text, "committee");
	cr_expect_str_eq(en_text(t, 0, 0), "committee");
	cr_expect_str_eq(cell(t, 1, 0)->text, "Löneadministration");
	cr_expect_str_eq(en_text(t, 1, 0), "Löneadministration");
	cr_expect_str_eq(cell(t, 4, 0)->text, "Varav Äldre Direkt");
	cr_expect_str_eq(en_text(t, 4, 0), "Of which Senior Direct");
	test_host_free(fh);

	fh = host(DATA, "budget_deficit.csv", NULL, 1);
	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "budget_by_area");
	expect_en_shape(t);
	cr_expect_str_eq(en_text(t, 0, 0), "office");
	test_host_free(fh);
	LEAK_CHECK();
}

/* Two investments: the total row has its English label. */
Test(budget, english_investment_total)
{
	static const char *const sv[] = {
		"Inventarier och maskiner", "Lokaler", "Summa investeringar",
	};
	static const char *const en[] = {
		"Equipment and machinery", "Premises", "Total investments",
	};
	char path[256];
	char *dir = write_temp("budget.csv", "area,type,budget,booked,"
	                       "forecast,previous_outcome\n"
	                       "payroll,cost,10.0,6.0,10.0,\n"
	                       "payroll,revenue,10.0,6.0,10.0,\n"
	                       "equipment,investment,1.0,0.2,0.5,\n"
	                       "premises,investment,2.5,1.0,2.0,\n",
	                       path, sizeof path);
	struct test_host *fh = host(DATA, path, NULL, 0);
	const struct kpi_table *t;

	test_host_set(fh, "name.premises", "Lokaler | Premises");
	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "investments");
	expect_labels(t, sv, en, 3);
	cr_expect_float_eq(t->cells_en[2 * 4 + 1].number, 3.5, EPS);
	test_host_free(fh);
	cleanup(dir, path);
	LEAK_CHECK();
}

/* The shipped balance sheet names every item in English (name_en): the
 * item and "part of" columns are English, the numbers the same. */
Test(budget, english_balance)
{
	static const char *const sv[] = {
		"Tillgångar", "Omsättningstillgångar", "Kundfordringar",
		"Kundfordringar inom staden", "Kundfordringar utom staden",
		"Förutbetalda kostnader", "Upplupna intäkter",
		"Kortfristiga fordringar", "Bokförd moms",
		"Fordringar på anställda", "Övriga kortfristiga fordringar",
		"Anläggningstillgångar", "Eget kapital och skulder",
		"Eget kapital", "Kortfristiga skulder", "Leverantörsskulder",
		"Övriga kortfristiga skulder", "Moms och punktskatter",
		"Upplupna kostnader",
		"Tillgångar + skulder och eget kapital",
	};
	static const char *const en[] = {
		"Assets", "Current assets", "Accounts receivable",
		"Accounts receivable within the city",
		"Accounts receivable outside the city", "Prepaid expenses",
		"Accrued income", "Current receivables", "Recorded VAT",
		"Receivables from employees", "Other current receivables",
		"Fixed assets", "Equity and liabilities", "Equity",
		"Current liabilities", "Accounts payable",
		"Other current liabilities", "VAT and excise duties",
		"Accrued expenses", "Assets + liabilities and equity",
	};
	struct test_host *fh = host(SHIPPED, "budget.csv", "balance.csv", 0);
	const struct kpi_table *t;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");
	t = test_host_table(fh, "balance");
	expect_labels(t, sv, en, sizeof en / sizeof en[0]);
	cr_expect_str_eq(cell(t, 1, 1)->text, "Tillgångar");
	cr_expect_str_eq(en_text(t, 1, 1), "Assets");
	cr_expect_str_eq(cell(t, 8, 1)->text, "Kortfristiga fordringar");
	cr_expect_str_eq(en_text(t, 8, 1), "Current receivables");
	cr_expect_str_eq(en_text(t, 18, 1), "Current liabilities");
	cr_expect_eq(t->cells_en[0 * 5 + 1].kind, KPI_CELL_EMPTY);
	cr_expect_float_eq(t->cells_en[0 * 5 + 2].number, 44076696.94, 1e-6);
	cr_expect_str_eq(t->note_en, "Every sum is right to the öre and "
	                 "assets equal liabilities plus equity.");
	test_host_free(fh);
	LEAK_CHECK();
}

/* A balance sheet without the name_en column: the English cells show the
 * items as the file names them; only the fixed label is translated. */
Test(budget, english_balance_without_name_en)
{
	struct test_host *fh = host(DATA, NULL, "balance.csv", 0);
	const struct kpi_table *t;

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");
	t = test_host_table(fh, "balance");
	expect_en_shape(t);
	cr_assert_eq(t->n_rows, 20);
	for (size_t r = 0; r + 1 < t->n_rows; r++) {
		cr_expect_str_eq(en_text(t, r, 0), cell(t, r, 0)->text);
		if (cell(t, r, 1)->kind == KPI_CELL_TEXT)
			cr_expect_str_eq(en_text(t, r, 1), cell(t, r, 1)->text);
	}
	cr_expect_str_eq(en_text(t, 3, 0), "Kundfordringar inom staden");
	cr_expect_str_eq(en_text(t, 3, 1), "Kundfordringar");
	cr_expect_str_eq(en_text(t, 19, 0), "Assets + liabilities and equity");
	test_host_free(fh);
	LEAK_CHECK();
}

/* name_en in any column position, empty for some items (they fall back
 * to the item); the English note names the items in English, the
 * warnings name them as the file's item column does. */
Test(budget, english_balance_partial_names)
{
	char path[256];
	char *dir = write_temp("balance.csv", "name_en,item,parent,amount\n"
	                       "Assets,Tillgångar,,100.00\n"
	                       ",Kassa,Tillgångar,60.00\n"
	                       "Bank account,Bankkonto,Tillgångar,40.01\n"
	                       "Liabilities,Skulder,,-99.90\n",
	                       path, sizeof path);
	struct test_host *fh = host(DATA, "budget_empty.csv", path, 0);
	const struct kpi_table *t;
	char want[1024];

	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	snprintf(want, sizeof want, "budget: warning: %s:2: 'Tillgångar' is "
	         "100.00 kr but its sub-items sum to 100.01 kr (difference "
	         "-0.01 kr)\nbudget: warning: %s: assets do not equal "
	         "liabilities plus equity: the top-level items ('Tillgångar', "
	         "'Skulder') sum to 0.10 kr, expected 0\n", path, path);
	cr_expect_str_eq(test_host_diag(fh), want);
	t = test_host_table(fh, "balance");
	expect_en_shape(t);
	cr_assert_eq(t->n_rows, 5);
	cr_expect_str_eq(en_text(t, 0, 0), "Assets");
	cr_expect_str_eq(en_text(t, 1, 0), "Kassa");
	cr_expect_str_eq(en_text(t, 1, 1), "Assets");
	cr_expect_str_eq(cell(t, 1, 1)->text, "Tillgångar");
	cr_expect_str_eq(en_text(t, 2, 0), "Bank account");
	cr_expect_str_eq(cell(t, 2, 0)->text, "Bankkonto");
	cr_expect_str_eq(en_text(t, 3, 0), "Liabilities");
	cr_expect_float_eq(t->cells_en[0 * 5 + 4].number, -0.01, 1e-9);
	cr_expect_str_eq(t->note_en, "'Assets' differs from the sum of its "
	                 "sub-items by -0.01 kr. Assets do not equal "
	                 "liabilities plus equity: the top-level items "
	                 "('Assets', 'Liabilities') sum to 0.10 kr.");
	cr_expect_str_eq(t->note_sv, "'Tillgångar' skiljer sig från summan "
	                 "av underposterna med -0,01 kr. Tillgångar är inte "
	                 "lika med skulder och eget kapital: posterna på "
	                 "översta nivån ('Tillgångar', 'Skulder') summerar "
	                 "till 0,10 kr.");
	test_host_free(fh);
	cleanup(dir, path);
	LEAK_CHECK();
}

/* Occurrences of needle in hay. */
static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Every stated figure of the budget table wrong: the note lists each one,
 * as many as the warnings. */
Test(budget, stated_figures_all_in_the_note)
{
	static const char *const keys[] = {
		"costs_budget", "costs_booked", "costs_forecast",
		"costs_deviation", "costs_previous", "revenues_budget",
		"revenues_booked", "revenues_forecast", "revenues_deviation",
		"revenues_previous", "net_result_budget", "net_result_booked",
		"net_result_forecast", "net_result_deviation",
		"net_result_previous", "fund_in", "fund_out",
		"net_result_after_budget", "net_result_after_forecast",
		"net_result_after_deviation",
	};
	struct test_host *fh = host(DATA, NULL, NULL, 0);
	const struct kpi_table *t;
	char key[64];
	size_t n = sizeof keys / sizeof keys[0];

	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof key, "stated.%s", keys[i]);
		test_host_set(fh, key, "999,9");
	}
	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "budget_by_area");
	cr_assert_not_null(t);
	cr_assert_not_null(t->note_sv);
	cr_expect_eq(count_of(test_host_diag(fh), "the report states 999.9"),
	             n, "%s", test_host_diag(fh));
	cr_expect_eq(count_of(t->note_sv, "Rapporten anger 999,9"), n, "%s",
	             t->note_sv);
	cr_expect_eq(count_of(t->note_en, "The report states 999.9"), n, "%s",
	             t->note_en);
	/* the last sentence is whole */
	cr_expect(strstr(t->note_en, "The report states 999.9 for net result "
	                 "after disposition, deviation 2011; computed ") != NULL,
	          "%s", t->note_en);
	test_host_free(fh);
	LEAK_CHECK();
}

/* 24 top-level items that do not sum to 0, each with sub-items that
 * does not add up: the note names the first four top-level items and
 * counts the rest (the list used to be cut at 255 bytes, mid-name), and
 * has a sentence for each sum (the note used to be cut at 2048 bytes). */
Test(budget, balance_many_top_level_items)
{
	char dir[] = "/tmp/kpi_budget_roots_XXXXXX", path[64], bud[64];
	struct test_host *fh;
	const struct kpi_table *t;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/balance.csv", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("item;parent;amount\n", f);
	for (int i = 1; i <= 24; i++)
		fprintf(f, "Post nummer %d med ett ganska långt namn;;%d,00\n",
		        i, i);
	for (int i = 1; i <= 24; i++)
		for (int k = 1; k <= 2; k++)
			fprintf(f, "Underpost %d.%d med ett ganska långt namn;"
			        "Post nummer %d med ett ganska långt namn;%d,00\n",
			        i, k, i, k == 1 ? i + 1 : 0);
	fclose(f);
	snprintf(bud, sizeof bud, "%s/budget.csv", dir);
	f = fopen(bud, "w");
	cr_assert_not_null(f);
	fputs("area,type,budget,booked,forecast,previous_outcome\n"
	      "committee,cost,25.5,18.4,28.1,23.9\n", f);
	fclose(f);
	fh = host(dir, "budget.csv", "balance.csv", 1);
	cr_assert_eq(run(fh), 0, "%s", test_host_diag(fh));
	t = test_host_table(fh, "balance");
	cr_assert_not_null(t);
	cr_assert_not_null(t->note_sv);
	cr_expect(strstr(t->note_sv, "('Post nummer 1 med ett ganska långt "
	                 "namn', 'Post nummer 2 med ett ganska långt namn', "
	                 "'Post nummer 3 med ett ganska långt namn', 'Post "
	                 "nummer 4 med ett ganska långt namn' och 20 till) "
	                 "summerar till 300,00 kr.") != NULL, "%s", t->note_sv);
	cr_expect(strstr(t->note_en, "' and 20 more) sum to 300.00 kr.") !=
	          NULL, "%s", t->note_en);
	/* item i is i kr, its sub-items i + 1 and 0: 1 kr short each */
	cr_expect_eq(count_of(t->note_sv, "med ett ganska långt namn' skiljer "
	                      "sig från summan av underposterna med -1,00 kr."),
	             24, "%s", t->note_sv);
	cr_expect_gt(strlen(t->note_sv), 2048);
	test_host_free(fh);
	unlink(path);
	unlink(bud);
	rmdir(dir);
	LEAK_CHECK();
}

/* A display name longer than a row label holds is refused naming the
 * limit (it used to be told it was not 'Svenskt namn | English name'). */
Test(budget, display_name_limit)
{
	struct test_host *fh = host(DATA, NULL, NULL, 0);

	test_host_set(fh, "name.payroll", "Löneadministration | Payroll "
	              "administration of the whole city, its companies and "
	              "every one of their employees, month after month, year "
	              "after year, since 2008, as decided by the committee");
	cr_expect_eq(run(fh), KPI_ECONFIG);
	cr_expect_str_eq(test_host_diag(fh), plugin_test_config_message(fh,
	                 "name.payroll: a name is 165 bytes, limit 149", 0));
	test_host_free(fh);
	LEAK_CHECK();
}
