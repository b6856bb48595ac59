/*
 * budget.c - the budget area plugin: the operating-budget follow-up
 * (budget.csv) with deviations, net result before and after the result
 * fund, budget adherence and investments, and the optional balance-sheet
 * check (balance.csv).  Format, formulas and config keys: README.md.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

/* Local indicator ids, in descriptor order. */
#define ID_NET_BEFORE "net_result_before"
#define ID_NET_AFTER  "net_result_after"
#define ID_ADH_BEFORE "adherence_before"
#define ID_ADH_AFTER  "adherence_after"

#define BUD_MAX_ROWS    64     /* rows of budget.csv (a summary export) */
#define BUD_AREA_MAX    64     /* bytes of an area id, NUL included */
#define BUD_LABEL_MAX   160    /* bytes of a row label */
#define BUD_MAX_CAPITAL 8      /* areas named by capital_costs */
#define BUD_COLS        6      /* columns of the widest budget table */
#define BUD_TABLE_ROWS  (BUD_MAX_ROWS + 16)
#define BAL_MAX_ITEMS   128    /* rows of balance.csv */
#define BAL_ITEM_MAX    96     /* bytes of an item name, NUL included */
#define BAL_COLS        5
#define UNITS_LIMIT     1e12   /* largest amount in smallest units */
#define AMOUNT_BUF      48     /* bytes for fmt_amount() */

/* Sums are kept as integers of the smallest unit shown: tenths of the
 * budget unit, öre in the balance sheet.  Amounts arrive as the nearest
 * double of the decimal written; scaling and rounding that double is exact
 * below UNITS_LIMIT, and a residue above 0.001 means more decimals were
 * written than the unit has. */
#define TENTHS 10
#define ORE    100

static const struct kpi_indicator_def budget_indicators[] = {
	KPI_LAST(ID_NET_BEFORE,
	         "Nettoresultat före resultatdisposition",
	         "Net result before disposition of the result fund",
	         "mnkr", 1, KPI_DIR_HIGHER, 1),
	KPI_LAST(ID_NET_AFTER,
	         "Nettoresultat efter resultatdisposition",
	         "Net result after disposition of the result fund",
	         "mnkr", 1, KPI_DIR_HIGHER, 1),
	KPI_LAST(ID_ADH_BEFORE,
	         "Nämndens budgetföljsamhet före resultatöverföringar",
	         "The committee's budget adherence before transfers of "
	         "results",
	         "%", 1, KPI_DIR_HIGHER, 0),
	KPI_LAST(ID_ADH_AFTER,
	         "Nämndens budgetföljsamhet efter resultatöverföringar",
	         "The committee's budget adherence after transfers of results",
	         "%", 1, KPI_DIR_HIGHER, 0),
};

/* Rows and columns of the computed figures a config may state. */
enum fig_row { FR_COSTS, FR_REVENUES, FR_NET, FR_FUND_IN, FR_FUND_OUT,
               FR_NET_AFTER, FR_CAPITAL, FR_INVEST, N_FR };
enum fig_col { FC_BUDGET, FC_BOOKED, FC_FORECAST, FC_DEVIATION,
               FC_PREVIOUS, N_FC };

/* Every `stated.<figure>` key: name, row, column. */
#define STATED_FIGURES(X) \
	X(costs_budget, FR_COSTS, FC_BUDGET) \
	X(costs_booked, FR_COSTS, FC_BOOKED) \
	X(costs_forecast, FR_COSTS, FC_FORECAST) \
	X(costs_deviation, FR_COSTS, FC_DEVIATION) \
	X(costs_previous, FR_COSTS, FC_PREVIOUS) \
	X(revenues_budget, FR_REVENUES, FC_BUDGET) \
	X(revenues_booked, FR_REVENUES, FC_BOOKED) \
	X(revenues_forecast, FR_REVENUES, FC_FORECAST) \
	X(revenues_deviation, FR_REVENUES, FC_DEVIATION) \
	X(revenues_previous, FR_REVENUES, FC_PREVIOUS) \
	X(net_result_budget, FR_NET, FC_BUDGET) \
	X(net_result_booked, FR_NET, FC_BOOKED) \
	X(net_result_forecast, FR_NET, FC_FORECAST) \
	X(net_result_deviation, FR_NET, FC_DEVIATION) \
	X(net_result_previous, FR_NET, FC_PREVIOUS) \
	X(fund_in, FR_FUND_IN, FC_FORECAST) \
	X(fund_out, FR_FUND_OUT, FC_FORECAST) \
	X(net_result_after_budget, FR_NET_AFTER, FC_BUDGET) \
	X(net_result_after_forecast, FR_NET_AFTER, FC_FORECAST) \
	X(net_result_after_deviation, FR_NET_AFTER, FC_DEVIATION) \
	X(capital_costs_budget, FR_CAPITAL, FC_BUDGET) \
	X(capital_costs_booked, FR_CAPITAL, FC_BOOKED) \
	X(capital_costs_forecast, FR_CAPITAL, FC_FORECAST) \
	X(capital_costs_deviation, FR_CAPITAL, FC_DEVIATION) \
	X(investments_budget, FR_INVEST, FC_BUDGET) \
	X(investments_booked, FR_INVEST, FC_BOOKED) \
	X(investments_forecast, FR_INVEST, FC_FORECAST)

#define STATED_KEY(name, row, col) "stated." #name,
#define STATED_DEF(name, row, col) { "stated." #name, row, col },

static const char *const budget_config_keys[] = {
	"file", "balance_file", "unit", "fund_in", "fund_used",
	"capital_costs", "name.*",
	STATED_FIGURES(STATED_KEY)
	NULL
};

struct figure_def {
	const char *key;
	int row, col;
};

static const struct figure_def figure_defs[] = {
	STATED_FIGURES(STATED_DEF)
};

#define N_STATED (sizeof figure_defs / sizeof figure_defs[0])

/* Top-level balance items a message names; more are counted ("and 3
 * more"). */
#define BAL_ROOTS_SHOWN 4
/* Bytes of one sentence of a note (a stated figure that differs, a
 * balance check; the longest names BAL_ROOTS_SHOWN items), and of a whole
 * note: a sentence per stated figure, or per balance item and two more,
 * so that a note is never cut. */
#define NOTE_MSG_MAX    (BAL_ROOTS_SHOWN * (BAL_ITEM_MAX + 4) + 512)
#define NOTE_SENTENCES  (N_STATED > BAL_MAX_ITEMS + 2 ? N_STATED : \
                         BAL_MAX_ITEMS + 2)
#define NOTE_MAX        (NOTE_SENTENCES * NOTE_MSG_MAX)

/* How the note under a table names a figure. */
static const char *const fig_row_sv[N_FR] = {
	"summa kostnader", "summa intäkter",
	"nettoresultat före resultatdisposition", "ingående resultatfond",
	"utgående resultatfond", "nettoresultat efter resultatdisposition",
	"avskrivningar och internränta", "summa investeringar",
};
static const char *const fig_row_en[N_FR] = {
	"total costs", "total revenues",
	"net result before disposition", "result fund brought forward",
	"result fund carried forward", "net result after disposition",
	"depreciation and internal interest", "total investments",
};
static const char *const fig_col_sv[N_FC] = {
	"budget", "bokfört", "årsprognos", "avvikelse", "bokslut",
};
static const char *const fig_col_en[N_FC] = {
	"budget", "booked", "forecast", "deviation", "outcome",
};

static const char *const month_sv[12] = {
	"januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december",
};
static const char *const month_en[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* Columns of budget.csv and balance.csv, all required in the header. */
enum { BC_AREA, BC_TYPE, BC_BUDGET, BC_BOOKED, BC_FORECAST, BC_PREVIOUS,
       N_BC };
static const char *const budget_columns[N_BC] = {
	"area", "type", "budget", "booked", "forecast", "previous_outcome",
};
enum { LC_ITEM, LC_PARENT, LC_AMOUNT, N_LC };
static const char *const balance_columns[N_LC] = {
	"item", "parent", "amount",
};
/* The optional column of balance.csv: the item's English name. */
#define BALANCE_NAME_EN "name_en"

enum bud_type { T_COST, T_REVENUE, T_INVEST, N_TYPES };
static const char *const type_names[N_TYPES] = {
	"cost", "revenue", "investment",
};

/* Amounts of a row or a total, in tenths of the unit. */
struct amounts {
	int64_t budget, booked, forecast, prev;
	int has_prev;
};

/* One row of budget.csv. */
struct bud_row {
	char area[BUD_AREA_MAX];
	char label[BUD_LABEL_MAX];   /* display text, "Varav ..." for a part */
	char label_en[BUD_LABEL_MAX]; /* English, "Of which ..." for a part */
	int type;                    /* enum bud_type */
	int parent;                  /* row index of the whole, -1 = none */
	int is_part;                 /* area written parent/child */
	long line;
	struct amounts a;
};

/* One row of balance.csv. */
struct bal_item {
	char name[BAL_ITEM_MAX];
	char name_en[BAL_ITEM_MAX];  /* the name_en column, else name */
	char parent_name[BAL_ITEM_MAX];
	int parent;                  /* item index, -1 for a top-level item */
	long line;
	int64_t amount;              /* öre */
	int64_t children;            /* sum of the sub-items, öre */
	int n_children;
};

/* A computed figure (tenths) and whether it exists. */
struct fig {
	int64_t v;
	int has;
};

/* A config `stated.*` figure. */
struct stated {
	int has;
	int64_t v;                   /* tenths */
};

/* A table being filled: row-major cells of n_cols columns, and the
 * cells of the English report (same shape: only their text cells are
 * set while filling; emit_tbl copies every other cell from `cells`). */
struct tbl {
	struct kpi_cell *cells, *cells_en;
	size_t cap_rows, n_cols, n_rows;
};

/* Per-area state: config read at init, scratch for compute.  Allocated
 * once by init, freed by shutdown. */
struct budget_state {
	const char *file;            /* config strings: owned by the host */
	const char *balance_file;
	const char *unit;
	int has_fund;
	int64_t fund_in, fund_used;  /* tenths */
	char capital[BUD_MAX_CAPITAL][BUD_AREA_MAX];
	size_t n_capital;
	struct stated stated[N_STATED];

	int run_year, run_month;
	struct bud_row rows[BUD_MAX_ROWS];
	size_t n_rows;
	struct amounts total[N_TYPES];
	struct fig fig[N_FR][N_FC];
	int64_t net_after_booked;

	struct bal_item items[BAL_MAX_ITEMS];
	size_t n_items;
	int order[BAL_MAX_ITEMS];    /* items in tree order */
	size_t n_order;

	struct kpi_cell cells[BAL_MAX_ITEMS + BUD_TABLE_ROWS][BUD_COLS];
	struct kpi_cell cells_en[BAL_MAX_ITEMS + BUD_TABLE_ROWS][BUD_COLS];
	char col_sv[BUD_COLS][64], col_en[BUD_COLS][64];
	const char *colp_sv[BUD_COLS], *colp_en[BUD_COLS];
	char title_sv[128], title_en[128];
	char note_sv[NOTE_MAX], note_en[NOTE_MAX];
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

/* True if s is an id: one or more of [a-z0-9_]. */
static int is_id(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/*
 * Format v, an amount in 1/den units, into buf (AMOUNT_BUF bytes) with
 * `dec` decimals (den 10 with dec 1, den 100 with dec 2, or dec 0):
 * Swedish with a space between thousands and a decimal comma (lang 0),
 * English with commas and a decimal point (lang 1).  Returns buf.
 */
static char *fmt_amount(char *buf, size_t size, int64_t v, int64_t den,
                        int dec, int lang)
{
	char digits[24], out[32];
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t ip = mag / (uint64_t)den, fp = mag % (uint64_t)den;
	size_t n, k = 0;

	snprintf(digits, sizeof digits, "%llu", (unsigned long long)ip);
	n = strlen(digits);
	if (v < 0)
		out[k++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[k++] = lang ? ',' : ' ';
		out[k++] = digits[i];
	}
	out[k] = '\0';
	if (dec == 2)
		snprintf(buf, size, "%s%c%02u", out, lang ? '.' : ',',
		         (unsigned)(fp % 100));
	else if (dec == 1)
		snprintf(buf, size, "%s%c%u", out, lang ? '.' : ',',
		         (unsigned)(fp % 10));
	else
		snprintf(buf, size, "%s", out);
	return buf;
}

/*
 * Read field `col` of the current row as an amount in 1/den units (den
 * TENTHS or ORE) into *out; `flags` as for csv_number.  More decimals than
 * the unit has is a data error.  Returns 0, KPI_MISSING (optional and
 * empty), or a negative code (reported).
 */
static int read_amount(const struct kpi_host *host, struct kpi_csv *csv,
                       int col, int flags, int64_t den, int64_t *out)
{
	double d, x, r;
	int rc;

	rc = host->csv_number(csv, col, flags, &d);
	if (rc != KPI_OK)
		return rc;
	x = d * (double)den;
	if (!(fabs(x) < UNITS_LIMIT))
		return host->csv_expected(csv, col, "expected an amount "
		                          "below %.0f", UNITS_LIMIT / den);
	r = round(x);
	if (fabs(x - r) > 1e-3)
		return host->csv_expected(csv, col, "expected at most %d "
		                          "decimal%s", den == TENTHS ? 1 : 2,
		                          den == TENTHS ? "" : "s");
	*out = (int64_t)r;
	return KPI_OK;
}

/* Start an empty table of n_cols columns on the state's cell buffer. */
static void tbl_init(struct tbl *t, struct budget_state *st, size_t n_cols)
{
	t->cells = &st->cells[0][0];
	t->cells_en = &st->cells_en[0][0];
	t->cap_rows = sizeof st->cells / sizeof st->cells[0] * BUD_COLS /
	              n_cols;
	t->n_cols = n_cols;
	t->n_rows = 0;
}

/* Append a row of empty cells; returns its first cell (never NULL: the
 * buffer holds more rows than any table the bounded inputs give). */
static struct kpi_cell *tbl_row(struct tbl *t)
{
	struct kpi_cell *c;

	if (t->n_rows == t->cap_rows)
		abort();
	c = &t->cells[t->n_rows * t->n_cols];
	memset(c, 0, t->n_cols * sizeof *c);
	memset(&t->cells_en[t->n_rows * t->n_cols], 0, t->n_cols * sizeof *c);
	t->n_rows++;
	return c;
}

/* Make c a text cell showing s (not copied: s must live until the table
 * is emitted). */
static void cell_text(struct kpi_cell *c, const char *s)
{
	c->kind = KPI_CELL_TEXT;
	c->text = s;
}

/* Make c, a cell of t's Swedish cells, the text sv and its English
 * counterpart the text en (sv when en is NULL).  Neither is copied. */
static void cell_label(const struct tbl *t, struct kpi_cell *c,
                       const char *sv, const char *en)
{
	cell_text(c, sv);
	cell_text(&t->cells_en[c - t->cells], en ? en : sv);
}

/* A number cell of v in 1/den units shown with `dec` decimals. */
static void cell_amount(struct kpi_cell *c, int64_t v, int64_t den, int dec)
{
	c->kind = KPI_CELL_NUMBER;
	c->number = (double)v / (double)den;
	c->decimals = dec;
}

/* A number cell for a figure, empty when the figure does not exist. */
static void cell_fig(struct kpi_cell *c, const struct fig *f)
{
	if (f->has)
		cell_amount(c, f->v, TENTHS, 1);
}

/* Point the column-header arrays at the first n header buffers (filled
 * by the caller). */
static void set_columns(struct budget_state *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		st->colp_sv[i] = st->col_sv[i];
		st->colp_en[i] = st->col_en[i];
	}
}

/* Emit table `id` from t with the state's titles, columns and notes (an
 * empty note is passed as NULL).  The English cells are the Swedish ones
 * with their own text where cell_label set one, so every number is the
 * same in both.  Returns the host's code. */
static int emit_tbl(const struct kpi_host *host, struct kpi_ctx *ctx,
                    struct budget_state *st, const char *id,
                    const struct tbl *t)
{
	struct kpi_table kt = {
		.size = sizeof kt,
		.id = id,
		.title_sv = st->title_sv,
		.title_en = st->title_en,
		.n_columns = t->n_cols,
		.columns_sv = st->colp_sv,
		.columns_en = st->colp_en,
		.n_rows = t->n_rows,
		.cells = t->cells,
		.note_sv = st->note_sv[0] ? st->note_sv : NULL,
		.note_en = st->note_en[0] ? st->note_en : NULL,
		.cells_en = t->cells_en,
	};

	for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
		if (t->cells_en[i].kind != KPI_CELL_TEXT)
			t->cells_en[i] = t->cells[i];
	return host->emit_table(ctx, &kt);
}

/* Append a sentence (at most NOTE_MSG_MAX bytes) to a note: NOTE_MAX
 * holds every sentence a note can get. */
static void note_add(char *note, const char *s)
{
	size_t n = strlen(note);

	snprintf(note + n, NOTE_MAX - n, "%s%s", n ? " " : "", s);
}

/* ------------------------------------------------------------------ */
/* init                                                                */

/* Largest amount a key may give, in its unit: tenths of it stay exact in
 * a double and an int64_t. */
#define BUD_MAX_AMOUNT 1e14

/* Read an optional amount key (a number the host reads, Swedish or
 * English form, "7,6", "-13.3", "2,00") with at most one significant
 * decimal into tenths.  Returns 1 if set, 0 if absent, KPI_ECONFIG
 * (reported) if malformed. */
static int config_tenths(const struct kpi_host *host, struct kpi_ctx *ctx,
                         const char *key, int64_t *out)
{
	double d, t;
	int64_t v;
	int rc = host->config_number(ctx, key, KPI_NUM_OPTIONAL, &d);

	if (rc == KPI_MISSING)
		return 0;
	if (rc != 0)
		return rc;
	t = d * 10;
	v = (int64_t)(t < 0 ? t - 0.5 : t + 0.5);
	/* 7,6 is 76 tenths up to the last bit of the double */
	if (d > BUD_MAX_AMOUNT || d < -BUD_MAX_AMOUNT ||
	    (double)v - t > 1e-6 || t - (double)v > 1e-6)
		return host->config_error(ctx, key, "expected an amount with "
		                          "at most one decimal, found '%s'",
		                          host->config_get(ctx, key));
	*out = v;
	return 1;
}

/* Read capital_costs ("depreciation, internal_interest", a list the host
 * splits) into st.  Returns 0, KPI_ENOMEM or KPI_ECONFIG (reported). */
static int config_capital(const struct kpi_host *host, struct kpi_ctx *ctx,
                          struct budget_state *st)
{
	const char *const *areas;
	size_t n;
	int rc = host->config_list(ctx, "capital_costs", &n, &areas);

	if (rc == KPI_MISSING)
		return KPI_OK;
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(areas[i]);

		if (!is_id(areas[i], len) || len >= BUD_AREA_MAX)
			return host->config_error(ctx, "capital_costs",
			                          "expected a comma-separated "
			                          "list of areas such as "
			                          "'depreciation', found '%s'",
			                          host->config_get(ctx,
			                                           "capital_costs"));
		if (st->n_capital == BUD_MAX_CAPITAL)
			return host->config_error(ctx, "capital_costs",
			                          "expected at most %d areas",
			                          BUD_MAX_CAPITAL);
		memcpy(st->capital[st->n_capital++], areas[i], len + 1);
	}
	return KPI_OK;
}

/* Read every key but the display names (read in compute, once the areas
 * are known).  Returns 0 or KPI_ECONFIG (reported). */
static int read_config(const struct kpi_host *host, struct kpi_ctx *ctx,
                       struct budget_state *st)
{
	int rc, has_in, has_used;

	rc = host->config_file(ctx, "file", "budget.csv", &st->file);
	if (rc)
		return rc;
	st->balance_file = host->config_get(ctx, "balance_file");
	if (st->balance_file && !*st->balance_file)
		return host->config_error(ctx, "balance_file", "expected a "
		                          "file name, found ''");
	st->unit = host->config_get(ctx, "unit");
	if (!st->unit)
		st->unit = "mnkr";
	if (!*st->unit || strlen(st->unit) > 16)
		return host->config_error(ctx, "unit", "expected a unit such "
		                          "as 'mnkr', found '%s'", st->unit);
	has_in = config_tenths(host, ctx, "fund_in", &st->fund_in);
	if (has_in < 0)
		return has_in;
	has_used = config_tenths(host, ctx, "fund_used", &st->fund_used);
	if (has_used < 0)
		return has_used;
	if (has_used && !has_in)
		return host->config_error(ctx, "fund_used", "needs fund_in, "
		                          "the incoming result fund");
	if (has_used && (st->fund_used < 0 || st->fund_used > st->fund_in))
		return host->config_error(ctx, "fund_used", "expected an "
		                          "amount from 0 to fund_in");
	st->has_fund = has_in;
	rc = config_capital(host, ctx, st);
	if (rc)
		return rc;
	for (size_t i = 0; i < N_STATED; i++) {
		rc = config_tenths(host, ctx, figure_defs[i].key,
		                   &st->stated[i].v);
		if (rc < 0)
			return rc;
		st->stated[i].has = rc;
	}
	return KPI_OK;
}

/* init: read the config.  On success *state owns a struct budget_state
 * freed by budget_shutdown; on failure nothing is left allocated. */
static int budget_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                       void **state)
{
	struct budget_state *st = calloc(1, sizeof *st);
	int rc;

	if (!st)
		return KPI_ENOMEM;
	rc = read_config(host, ctx, st);
	if (rc) {
		free(st);
		return rc;
	}
	*state = st;
	return KPI_OK;
}

/* ------------------------------------------------------------------ */
/* budget.csv                                                          */

/* Parse the area field into row->area and row->is_part: an id, or
 * "parent/child".  Returns 0 or KPI_EDATA (reported). */
static int read_area(const struct kpi_host *host, struct kpi_csv *csv,
                     int col, struct bud_row *row)
{
	size_t len = 0;
	const char *s = host->csv_field(csv, col, &len);
	const char *slash = s ? memchr(s, '/', len) : NULL;
	int ok;

	if (slash)
		ok = is_id(s, (size_t)(slash - s)) &&
		     is_id(slash + 1, len - (size_t)(slash - s) - 1);
	else
		ok = s && is_id(s, len);
	if (!ok || len >= BUD_AREA_MAX)
		return host->csv_expected(csv, col, "expected an area such "
		                          "as 'payroll' or 'contact_centre/"
		                          "aldre_direkt' ([a-z0-9_], at most "
		                          "%d bytes)", BUD_AREA_MAX - 1);
	memcpy(row->area, s, len);
	row->area[len] = '\0';
	row->is_part = slash != NULL;
	return KPI_OK;
}

/* Parse the type field.  Returns 0 or KPI_EDATA (reported). */
static int read_type(const struct kpi_host *host, struct kpi_csv *csv,
                     int col, struct bud_row *row)
{
	const char *s = host->csv_field(csv, col, NULL);

	for (int t = 0; t < N_TYPES; t++)
		if (s && strcmp(s, type_names[t]) == 0) {
			row->type = t;
			return KPI_OK;
		}
	return host->csv_expected(csv, col, "expected 'cost', 'revenue' or "
	                          "'investment'");
}

/* Read the current row of budget.csv into st->rows.  Returns 0 or a
 * negative code (reported). */
static int read_budget_row(const struct kpi_host *host, struct kpi_csv *csv,
                           const int *cols, struct budget_state *st)
{
	struct bud_row *row;
	int rc;

	if (st->n_rows == BUD_MAX_ROWS)
		return host->csv_error(csv, -1, "expected at most %d rows (the "
		                       "export is a summary per area)",
		                       BUD_MAX_ROWS);
	row = &st->rows[st->n_rows];
	memset(row, 0, sizeof *row);
	row->parent = -1;
	rc = read_area(host, csv, cols[BC_AREA], row);
	if (!rc)
		rc = read_type(host, csv, cols[BC_TYPE], row);
	if (rc)
		return rc;
	for (size_t i = 0; i < st->n_rows; i++)
		if (st->rows[i].type == row->type &&
		    strcmp(st->rows[i].area, row->area) == 0)
			return host->csv_error(csv, cols[BC_AREA], "duplicate "
			                       "%s row for '%s' (first at line "
			                       "%ld)", type_names[row->type],
			                       row->area, st->rows[i].line);
	rc = read_amount(host, csv, cols[BC_BUDGET], 0, TENTHS,
	                 &row->a.budget);
	if (!rc)
		rc = read_amount(host, csv, cols[BC_BOOKED], 0, TENTHS,
		                 &row->a.booked);
	if (!rc)
		rc = read_amount(host, csv, cols[BC_FORECAST], 0, TENTHS,
		                 &row->a.forecast);
	if (rc)
		return rc < 0 ? rc : KPI_EDATA;
	rc = read_amount(host, csv, cols[BC_PREVIOUS], KPI_NUM_OPTIONAL,
	                 TENTHS, &row->a.prev);
	if (rc < 0)
		return rc;
	row->a.has_prev = rc == KPI_OK;
	row->line = host->csv_line(csv);
	st->n_rows++;
	return KPI_OK;
}

/* Read the whole of budget.csv into st->rows.  Returns 0 or a negative
 * code (reported); the reader is closed on every path. */
static int read_budget(const struct kpi_host *host, struct kpi_ctx *ctx,
                       struct budget_state *st)
{
	struct kpi_csv *csv = NULL;
	int cols[N_BC];
	int rc;

	rc = host->csv_open_export(ctx, st->file, budget_columns, N_BC,
	                           cols, &csv);
	if (rc)
		return rc;
	while ((rc = host->csv_next(csv)) == 1) {
		rc = read_budget_row(host, csv, cols, st);
		if (rc)
			goto out_close;
	}
out_close:
	host->csv_close(csv);
	return rc;
}

/*
 * Link every "of which" row to the row of its whole (same type), which
 * must exist and must not itself be a part.  Returns 0 or KPI_EDATA
 * (reported as file:line).
 */
static int link_parts(const struct kpi_host *host, struct kpi_ctx *ctx,
                      struct budget_state *st)
{
	for (size_t i = 0; i < st->n_rows; i++) {
		struct bud_row *r = &st->rows[i];
		size_t plen;

		if (!r->is_part)
			continue;
		plen = (size_t)(strchr(r->area, '/') - r->area);
		for (size_t j = 0; j < st->n_rows; j++) {
			const struct bud_row *w = &st->rows[j];

			if (!w->is_part && w->type == r->type &&
			    strlen(w->area) == plen &&
			    strncmp(w->area, r->area, plen) == 0)
				r->parent = (int)j;
		}
		if (r->parent < 0) {
			host->log(ctx, KPI_LOG_ERROR, "%s:%ld: '%s' is a part "
			          "of '%.*s', which has no %s row", st->file,
			          r->line, r->area, (int)plen, r->area,
			          type_names[r->type]);
			return KPI_EDATA;
		}
	}
	return KPI_OK;
}

/* The text s[0..len) without leading and trailing spaces: its start,
 * length in *len. */
static const char *trim(const char *s, size_t *len)
{
	while (*len > 0 && *s == ' ') {
		s++;
		(*len)--;
	}
	while (*len > 0 && s[*len - 1] == ' ')
		(*len)--;
	return s;
}

/*
 * Look up the display names of `area` (key name.<area> with '/' written
 * as '.'; value "Svenskt namn | English name", the English part optional)
 * and store the Swedish text in sv and the English in en (the Swedish
 * when there is no English part), both `size` bytes; the area id in both
 * when the key is absent.  Returns 0 or KPI_ECONFIG (reported).
 */
static int display_name(const struct kpi_host *host, struct kpi_ctx *ctx,
                        const char *area, char *sv, char *en, size_t size)
{
	char key[BUD_AREA_MAX + 8];
	const char *v, *bar, *p, *q = NULL;
	size_t len, qlen = 0;

	snprintf(key, sizeof key, "name.%s", area);
	for (char *k = key; *k; k++)
		if (*k == '/')
			*k = '.';
	v = host->config_get(ctx, key);
	if (!v) {
		snprintf(sv, size, "%s", area);
		snprintf(en, size, "%s", area);
		return KPI_OK;
	}
	bar = strchr(v, '|');
	len = bar ? (size_t)(bar - v) : strlen(v);
	p = trim(v, &len);
	if (bar) {
		qlen = strlen(bar + 1);
		q = trim(bar + 1, &qlen);
	}
	if (len >= size || (bar && qlen >= size))
		return host->config_error(ctx, key, "a name is %zu bytes, limit "
		                          "%zu", len >= size ? len : qlen,
		                          size - 1);
	if (len == 0 || (bar && qlen == 0) || (bar && strchr(bar + 1, '|')))
		return host->config_error(ctx, key, "expected 'Svenskt namn "
		                          "| English name', found '%s'", v);
	memcpy(sv, p, len);
	sv[len] = '\0';
	if (bar) {
		memcpy(en, q, qlen);
		en[qlen] = '\0';
	} else {
		memcpy(en, p, len);
		en[len] = '\0';
	}
	return KPI_OK;
}

/* Give every row its labels: the area's display names, "Varav <name>" /
 * "Of which <name>" for a part.  Returns 0 or KPI_ECONFIG (reported). */
static int label_rows(const struct kpi_host *host, struct kpi_ctx *ctx,
                      struct budget_state *st)
{
	char sv[BUD_LABEL_MAX - 10], en[BUD_LABEL_MAX - 10];

	for (size_t i = 0; i < st->n_rows; i++) {
		struct bud_row *r = &st->rows[i];
		int rc = display_name(host, ctx, r->area, sv, en, sizeof sv);

		if (rc)
			return rc;
		snprintf(r->label, sizeof r->label, "%s%s",
		         r->is_part ? "Varav " : "", sv);
		snprintf(r->label_en, sizeof r->label_en, "%s%s",
		         r->is_part ? "Of which " : "", en);
	}
	return KPI_OK;
}

/* Deviation of a row: costs and investments budget - forecast, revenues
 * forecast - budget (positive = better than budget). */
static int64_t deviation(int type, const struct amounts *a)
{
	return type == T_REVENUE ? a->forecast - a->budget
	                         : a->budget - a->forecast;
}

/* True if area is listed in capital_costs. */
static int is_capital(const struct budget_state *st, const char *area)
{
	for (size_t i = 0; i < st->n_capital; i++)
		if (strcmp(st->capital[i], area) == 0)
			return 1;
	return 0;
}

/* Store v (tenths) as an existing figure. */
static void set_fig(struct fig *f, int64_t v)
{
	f->v = v;
	f->has = 1;
}

/* Fill the four figures budget..deviation (and previous if known) of row
 * r of st->fig from a total of type `type`. */
static void fig_from_total(struct budget_state *st, int r, int type,
                           const struct amounts *a)
{
	set_fig(&st->fig[r][FC_BUDGET], a->budget);
	set_fig(&st->fig[r][FC_BOOKED], a->booked);
	set_fig(&st->fig[r][FC_FORECAST], a->forecast);
	set_fig(&st->fig[r][FC_DEVIATION], deviation(type, a));
	if (a->has_prev)
		set_fig(&st->fig[r][FC_PREVIOUS], a->prev);
}

/*
 * Compute the totals (top-level rows only; parts are shown, not added)
 * and every figure: net result (revenues - costs), result fund, net
 * result after disposition, capital costs, investments.
 */
static void compute_figures(struct budget_state *st)
{
	struct amounts cap = { 0, 0, 0, 0, 1 }, *c, *r;
	int has_cap = 0;

	memset(st->total, 0, sizeof st->total);
	memset(st->fig, 0, sizeof st->fig);
	for (int t = 0; t < N_TYPES; t++)
		st->total[t].has_prev = 1;
	for (size_t i = 0; i < st->n_rows; i++) {
		const struct bud_row *row = &st->rows[i];
		struct amounts *tot = &st->total[row->type];

		if (row->is_part)
			continue;
		tot->budget += row->a.budget;
		tot->booked += row->a.booked;
		tot->forecast += row->a.forecast;
		tot->prev += row->a.prev;
		tot->has_prev &= row->a.has_prev;
		if (row->type == T_COST && is_capital(st, row->area)) {
			cap.budget += row->a.budget;
			cap.booked += row->a.booked;
			cap.forecast += row->a.forecast;
			cap.prev += row->a.prev;
			cap.has_prev &= row->a.has_prev;
			has_cap = 1;
		}
	}
	c = &st->total[T_COST];
	r = &st->total[T_REVENUE];
	fig_from_total(st, FR_COSTS, T_COST, c);
	fig_from_total(st, FR_REVENUES, T_REVENUE, r);
	fig_from_total(st, FR_INVEST, T_INVEST, &st->total[T_INVEST]);
	if (has_cap)
		fig_from_total(st, FR_CAPITAL, T_COST, &cap);
	set_fig(&st->fig[FR_NET][FC_BUDGET], r->budget - c->budget);
	set_fig(&st->fig[FR_NET][FC_BOOKED], r->booked - c->booked);
	set_fig(&st->fig[FR_NET][FC_FORECAST], r->forecast - c->forecast);
	set_fig(&st->fig[FR_NET][FC_DEVIATION],
	        deviation(T_REVENUE, r) + deviation(T_COST, c));
	if (c->has_prev && r->has_prev)
		set_fig(&st->fig[FR_NET][FC_PREVIOUS], r->prev - c->prev);
	if (st->has_fund) {
		int64_t out = st->fund_in - st->fund_used;

		set_fig(&st->fig[FR_FUND_IN][FC_FORECAST], st->fund_in);
		set_fig(&st->fig[FR_FUND_IN][FC_DEVIATION], st->fund_in);
		set_fig(&st->fig[FR_FUND_OUT][FC_FORECAST], -out);
		set_fig(&st->fig[FR_FUND_OUT][FC_DEVIATION], -out);
	}
	set_fig(&st->fig[FR_NET_AFTER][FC_BUDGET],
	        st->fig[FR_NET][FC_BUDGET].v);
	set_fig(&st->fig[FR_NET_AFTER][FC_FORECAST],
	        st->fig[FR_NET][FC_FORECAST].v + st->fund_used);
	set_fig(&st->fig[FR_NET_AFTER][FC_DEVIATION],
	        st->fig[FR_NET_AFTER][FC_FORECAST].v -
	        st->fig[FR_NET_AFTER][FC_BUDGET].v);
	st->net_after_booked = st->fig[FR_NET][FC_BOOKED].v + st->fund_used;
}

/* The table whose note reports a stated figure of row r: 0 the summary
 * (capital costs), 2 investments, 1 the table per area (the rest). */
static int note_table(int r)
{
	return r == FR_CAPITAL ? 0 : r == FR_INVEST ? 2 : 1;
}

/*
 * Compare every stated figure with the computed one.  A difference is
 * logged as a warning and appended to the note of table `table` (see
 * note_table) in st->note_sv/en; figures of other tables are skipped.
 */
static void check_stated(const struct kpi_host *host, struct kpi_ctx *ctx,
                         struct budget_state *st, int table)
{
	char a[AMOUNT_BUF], b[AMOUNT_BUF], msg[NOTE_MSG_MAX];

	st->note_sv[0] = st->note_en[0] = '\0';
	for (size_t i = 0; i < N_STATED; i++) {
		const struct figure_def *d = &figure_defs[i];
		const struct fig *f = &st->fig[d->row][d->col];
		int year = d->col == FC_PREVIOUS ? st->run_year - 1
		                                 : st->run_year;

		if (!st->stated[i].has || note_table(d->row) != table)
			continue;
		if (!f->has) {
			host->log(ctx, KPI_LOG_WARN, "%s: nothing computed to "
			          "compare with (no such rows or no fund)",
			          d->key);
			continue;
		}
		if (f->v == st->stated[i].v)
			continue;
		host->log(ctx, KPI_LOG_WARN, "%s: the report states %s for "
		          "%s, %s %d; computed %s", d->key,
		          fmt_amount(a, sizeof a, st->stated[i].v, TENTHS, 1, 1),
		          fig_row_en[d->row], fig_col_en[d->col], year,
		          fmt_amount(b, sizeof b, f->v, TENTHS, 1, 1));
		snprintf(msg, sizeof msg, "Rapporten anger %s för %s, %s %d; "
		         "beräknat %s.",
		         fmt_amount(a, sizeof a, st->stated[i].v, TENTHS, 1, 0),
		         fig_row_sv[d->row], fig_col_sv[d->col], year,
		         fmt_amount(b, sizeof b, f->v, TENTHS, 1, 0));
		note_add(st->note_sv, msg);
		snprintf(msg, sizeof msg, "The report states %s for %s, %s "
		         "%d; computed %s.",
		         fmt_amount(a, sizeof a, st->stated[i].v, TENTHS, 1, 1),
		         fig_row_en[d->row], fig_col_en[d->col], year,
		         fmt_amount(b, sizeof b, f->v, TENTHS, 1, 1));
		note_add(st->note_en, msg);
	}
}

/* Append a row to t for budget row r: label, budget, booked, forecast,
 * deviation and, when with_prev, the previous year's outcome. */
static void row_cells(struct tbl *t, const struct bud_row *r, int with_prev)
{
	struct kpi_cell *c = tbl_row(t);

	cell_label(t, &c[0], r->label, r->label_en);
	cell_amount(&c[1], r->a.budget, TENTHS, 1);
	cell_amount(&c[2], r->a.booked, TENTHS, 1);
	cell_amount(&c[3], r->a.forecast, TENTHS, 1);
	if (r->type != T_INVEST)
		cell_amount(&c[4], deviation(r->type, &r->a), TENTHS, 1);
	if (with_prev && r->a.has_prev)
		cell_amount(&c[5], r->a.prev, TENTHS, 1);
}

/* Append a row to t from figure row fr of st->fig under the labels sv
 * and en. */
static void fig_cells(struct tbl *t, const struct budget_state *st, int fr,
                      const char *sv, const char *en, int n_fig_cols)
{
	struct kpi_cell *c = tbl_row(t);

	cell_label(t, &c[0], sv, en);
	for (int k = 0; k < n_fig_cols; k++)
		cell_fig(&c[1 + k], &st->fig[fr][k]);
}

/* Append the rows of type `type` in tree order: each top-level row, then
 * its parts. */
static void type_rows(struct tbl *t, const struct budget_state *st,
                      int type, int with_prev)
{
	for (size_t i = 0; i < st->n_rows; i++) {
		const struct bud_row *r = &st->rows[i];

		if (r->type != type || r->is_part)
			continue;
		row_cells(t, r, with_prev);
		for (size_t j = 0; j < st->n_rows; j++)
			if (st->rows[j].parent == (int)i)
				row_cells(t, &st->rows[j], with_prev);
	}
}

/* Set the column headers shared by the budget tables: first label, then
 * budget, booked to the run month, forecast, deviation, outcome of the
 * previous year (n = 5 or 6 columns). */
static void budget_columns_text(struct budget_state *st, const char *first_sv,
                                const char *first_en, size_t n)
{
	int m = st->run_month - 1;

	snprintf(st->col_sv[0], 64, "%s (%s)", first_sv, st->unit);
	snprintf(st->col_en[0], 64, "%s (%s)", first_en, st->unit);
	snprintf(st->col_sv[1], 64, "Justerad budget %d", st->run_year);
	snprintf(st->col_en[1], 64, "Adjusted budget %d", st->run_year);
	snprintf(st->col_sv[2], 64, "Bokfört tom %s", month_sv[m]);
	snprintf(st->col_en[2], 64, "Booked to end of %s", month_en[m]);
	snprintf(st->col_sv[3], 64, "Årsprognos");
	snprintf(st->col_en[3], 64, "Full-year forecast");
	snprintf(st->col_sv[4], 64, "Avvikelse");
	snprintf(st->col_en[4], 64, "Deviation");
	snprintf(st->col_sv[5], 64, "Bokslut %d", st->run_year - 1);
	snprintf(st->col_en[5], 64, "Outcome %d", st->run_year - 1);
	set_columns(st, n);
}

/* The label of the net result before disposition in both tables. */
#define LABEL_NET_SV "Nettoresultat före resultatdisposition"
#define LABEL_NET_EN "Net result before disposition of the result fund"

/* Append the incoming and outgoing result fund rows, when a fund is
 * configured. */
static void fund_rows(struct tbl *t, const struct budget_state *st,
                      int n_fig_cols)
{
	if (st->has_fund) {
		fig_cells(t, st, FR_FUND_IN, "Ingående resultatfond",
		          "Result fund brought forward", n_fig_cols);
		fig_cells(t, st, FR_FUND_OUT, "Utgående resultatfond",
		          "Result fund carried forward", n_fig_cols);
	}
}

/* Emit the summary table ("Uppföljning av driftbudget avseende perioden
 * samt årsprognos med avvikelse").  Returns the host's code. */
static int emit_summary(const struct kpi_host *host, struct kpi_ctx *ctx,
                        struct budget_state *st)
{
	struct tbl t;

	tbl_init(&t, st, 5);
	budget_columns_text(st, "", "", 5);
	snprintf(st->col_sv[0], 64, "(%s)", st->unit);
	snprintf(st->col_en[0], 64, "(%s)", st->unit);
	snprintf(st->title_sv, sizeof st->title_sv, "Uppföljning av "
	         "driftbudget avseende perioden samt årsprognos med "
	         "avvikelse");
	snprintf(st->title_en, sizeof st->title_en, "Operating budget: "
	         "the period and the full-year forecast with deviation");
	fig_cells(&t, st, FR_COSTS, "Kostnader", "Costs", 4);
	if (st->fig[FR_CAPITAL][FC_BUDGET].has)
		fig_cells(&t, st, FR_CAPITAL,
		          "Varav avskrivningar och internränta",
		          "Of which depreciation and internal interest", 4);
	fig_cells(&t, st, FR_REVENUES, "Intäkter", "Revenues", 4);
	fig_cells(&t, st, FR_NET, LABEL_NET_SV, LABEL_NET_EN, 4);
	fund_rows(&t, st, 4);
	fig_cells(&t, st, FR_NET_AFTER,
	          "Budget och resultat efter resultatdisposition",
	          "Budget and result after disposition of the result fund",
	          4);
	check_stated(host, ctx, st, 0);
	return emit_tbl(host, ctx, st, "budget_summary", &t);
}

/* Emit the table per area ("Uppföljning per verksamhet").  Returns the
 * host's code. */
static int emit_by_area(const struct kpi_host *host, struct kpi_ctx *ctx,
                        struct budget_state *st)
{
	struct tbl t;

	tbl_init(&t, st, 6);
	budget_columns_text(st, "Verksamhet", "Area", 6);
	snprintf(st->title_sv, sizeof st->title_sv,
	         "Uppföljning per verksamhet");
	snprintf(st->title_en, sizeof st->title_en, "Follow-up per area");
	type_rows(&t, st, T_COST, 1);
	fig_cells(&t, st, FR_COSTS, "Summa kostnader", "Total costs", 5);
	type_rows(&t, st, T_REVENUE, 1);
	fig_cells(&t, st, FR_REVENUES, "Summa intäkter", "Total revenues",
	          5);
	fig_cells(&t, st, FR_NET, LABEL_NET_SV, LABEL_NET_EN, 5);
	fund_rows(&t, st, 5);
	fig_cells(&t, st, FR_NET_AFTER,
	          "Nettoresultat efter resultatdisposition",
	          "Net result after disposition of the result fund", 5);
	check_stated(host, ctx, st, 1);
	return emit_tbl(host, ctx, st, "budget_by_area", &t);
}

/* The row of type `type` for area, or NULL. */
static const struct bud_row *find_row(const struct budget_state *st,
                                      const char *area, int type)
{
	for (size_t i = 0; i < st->n_rows; i++)
		if (st->rows[i].type == type &&
		    strcmp(st->rows[i].area, area) == 0)
			return &st->rows[i];
	return NULL;
}

/* Append the net-deviation row of `area` (labelled as row r). */
static void net_row(struct tbl *t, const struct budget_state *st,
                    const struct bud_row *r)
{
	const struct bud_row *c = find_row(st, r->area, T_COST);
	const struct bud_row *v = find_row(st, r->area, T_REVENUE);
	struct kpi_cell *cell = tbl_row(t);
	int64_t net = 0;

	cell_label(t, &cell[0], r->label, r->label_en);
	if (c) {
		net += deviation(T_COST, &c->a);
		cell_amount(&cell[1], deviation(T_COST, &c->a), TENTHS, 1);
	}
	if (v) {
		net += deviation(T_REVENUE, &v->a);
		cell_amount(&cell[2], deviation(T_REVENUE, &v->a), TENTHS, 1);
	}
	cell_amount(&cell[3], net, TENTHS, 1);
}

/* True if an earlier cost or revenue row (before index i) has the same
 * area as row i. */
static int area_seen(const struct budget_state *st, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (st->rows[j].type != T_INVEST &&
		    strcmp(st->rows[j].area, st->rows[i].area) == 0)
			return 1;
	return 0;
}

/* Emit the net deviation per area: cost deviation + revenue deviation,
 * areas in the order they first appear, parts under their whole.
 * Returns the host's code. */
static int emit_net_deviation(const struct kpi_host *host,
                              struct kpi_ctx *ctx, struct budget_state *st)
{
	struct tbl t;
	struct kpi_cell *c;

	tbl_init(&t, st, 4);
	snprintf(st->col_sv[0], 64, "Verksamhet (%s)", st->unit);
	snprintf(st->col_en[0], 64, "Area (%s)", st->unit);
	snprintf(st->col_sv[1], 64, "Avvikelse kostnader");
	snprintf(st->col_en[1], 64, "Cost deviation");
	snprintf(st->col_sv[2], 64, "Avvikelse intäkter");
	snprintf(st->col_en[2], 64, "Revenue deviation");
	snprintf(st->col_sv[3], 64, "Nettoavvikelse");
	snprintf(st->col_en[3], 64, "Net deviation");
	set_columns(st, 4);
	snprintf(st->title_sv, sizeof st->title_sv, "Nettoavvikelse mot "
	         "budget per verksamhet, årsprognos");
	snprintf(st->title_en, sizeof st->title_en, "Net deviation from "
	         "budget per area, full-year forecast");
	for (size_t i = 0; i < st->n_rows; i++) {
		const struct bud_row *r = &st->rows[i];

		if (r->type == T_INVEST || r->is_part || area_seen(st, i))
			continue;
		net_row(&t, st, r);
		for (size_t j = 0; j < st->n_rows; j++) {
			const struct bud_row *p = &st->rows[j];

			if (p->type != T_INVEST && p->is_part &&
			    !area_seen(st, j) &&
			    strncmp(p->area, r->area, strlen(r->area)) == 0 &&
			    p->area[strlen(r->area)] == '/')
				net_row(&t, st, p);
		}
	}
	c = tbl_row(&t);
	cell_label(&t, &c[0], "Summa", "Total");
	cell_fig(&c[1], &st->fig[FR_COSTS][FC_DEVIATION]);
	cell_fig(&c[2], &st->fig[FR_REVENUES][FC_DEVIATION]);
	cell_fig(&c[3], &st->fig[FR_NET][FC_DEVIATION]);
	st->note_sv[0] = st->note_en[0] = '\0';
	return emit_tbl(host, ctx, st, "budget_net_deviation", &t);
}

/* Emit the investment table (plan, spent to the run month, forecast),
 * with a total row when there is more than one investment.  Returns the
 * host's code. */
static int emit_investments(const struct kpi_host *host, struct kpi_ctx *ctx,
                            struct budget_state *st)
{
	struct tbl t;
	size_t top = 0;
	int m = st->run_month - 1;

	tbl_init(&t, st, 4);
	snprintf(st->col_sv[0], 64, "(%s)", st->unit);
	snprintf(st->col_en[0], 64, "(%s)", st->unit);
	snprintf(st->col_sv[1], 64, "Investeringsplan");
	snprintf(st->col_en[1], 64, "Investment plan");
	snprintf(st->col_sv[2], 64, "Utgifter tom %s", month_sv[m]);
	snprintf(st->col_en[2], 64, "Spent to end of %s", month_en[m]);
	snprintf(st->col_sv[3], 64, "Prognos");
	snprintf(st->col_en[3], 64, "Forecast");
	set_columns(st, 4);
	snprintf(st->title_sv, sizeof st->title_sv, "Investeringar");
	snprintf(st->title_en, sizeof st->title_en, "Investments");
	type_rows(&t, st, T_INVEST, 0);
	for (size_t i = 0; i < st->n_rows; i++)
		top += st->rows[i].type == T_INVEST && !st->rows[i].is_part;
	if (top > 1)
		fig_cells(&t, st, FR_INVEST, "Summa investeringar",
		          "Total investments", 3);
	check_stated(host, ctx, st, 2);
	return emit_tbl(host, ctx, st, "investments", &t);
}

/*
 * Budget adherence: 100 when the net result is not negative, otherwise
 * 100 * (1 + net / budgeted costs), not below 0.  Returns 0 and stores the
 * percentage, or -1 when the result is negative and there are no
 * budgeted costs to relate it to.
 */
static int adherence(int64_t net, int64_t costs, double *out)
{
	double v;

	if (net >= 0) {
		*out = 100;
		return 0;
	}
	if (costs <= 0)
		return -1;
	v = 100.0 * (double)(costs + net) / (double)costs;
	*out = v < 0 ? 0 : v;
	return 0;
}

/* Emit one period value.  Returns the host's code. */
static int emit_val(const struct kpi_host *host, struct kpi_ctx *ctx,
                    const char *id, int year, int to, int has_outcome,
                    double outcome, int has_forecast, double forecast)
{
	struct kpi_value v = {
		.size = sizeof v,
		.indicator = id,
		.year = year,
		.month_from = 1,
		.month_to = to,
		.has_outcome = has_outcome,
		.outcome = outcome,
		.has_forecast = has_forecast,
		.forecast = forecast,
	};

	return host->emit_value(ctx, &v);
}

/* Emit the adherence value `id` for booked net `booked` and forecast net
 * `forecast`.  Returns the host's code. */
static int emit_adherence(const struct kpi_host *host, struct kpi_ctx *ctx,
                          const struct budget_state *st, const char *id,
                          int64_t booked, int64_t forecast)
{
	int64_t costs = st->total[T_COST].budget;
	double o = 0, f = 0;
	int ho = adherence(booked, costs, &o) == 0;
	int hf = adherence(forecast, costs, &f) == 0;

	if (!ho || !hf)
		host->log(ctx, KPI_LOG_WARN, "%s: the net result is negative "
		          "and there are no budgeted costs to relate it to", id);
	if (!ho && !hf)
		return KPI_OK;
	return emit_val(host, ctx, id, st->run_year, st->run_month, ho, o,
	                hf, f);
}

/*
 * Emit the indicators: net result before and after disposition (outcome
 * booked to date, forecast the full year; before also the previous year's
 * outcome as baseline) and the two adherence values.  Returns the host's
 * first error.
 */
static int emit_values(const struct kpi_host *host, struct kpi_ctx *ctx,
                       const struct budget_state *st)
{
	const struct fig *net = st->fig[FR_NET];
	int64_t fc_after = st->fig[FR_NET_AFTER][FC_FORECAST].v;
	int rc;

	rc = emit_val(host, ctx, ID_NET_BEFORE, st->run_year, st->run_month,
	              1, net[FC_BOOKED].v / 10.0, 1, net[FC_FORECAST].v / 10.0);
	if (!rc && net[FC_PREVIOUS].has)
		rc = emit_val(host, ctx, ID_NET_BEFORE, st->run_year - 1, 12,
		              1, net[FC_PREVIOUS].v / 10.0, 0, 0);
	if (!rc)
		rc = emit_val(host, ctx, ID_NET_AFTER, st->run_year,
		              st->run_month, 1, st->net_after_booked / 10.0, 1,
		              fc_after / 10.0);
	if (!rc)
		rc = emit_adherence(host, ctx, st, ID_ADH_BEFORE,
		                    net[FC_BOOKED].v, net[FC_FORECAST].v);
	if (!rc)
		rc = emit_adherence(host, ctx, st, ID_ADH_AFTER,
		                    st->net_after_booked, fc_after);
	return rc;
}

/* Warn about capital_costs areas without a cost row. */
static void check_capital(const struct kpi_host *host, struct kpi_ctx *ctx,
                          const struct budget_state *st)
{
	for (size_t i = 0; i < st->n_capital; i++)
		if (!find_row(st, st->capital[i], T_COST))
			host->log(ctx, KPI_LOG_WARN, "capital_costs: '%s' has "
			          "no cost row in %s", st->capital[i], st->file);
}

/*
 * The budget follow-up: read budget.csv, compute, emit the tables and
 * values.  An export without rows emits nothing.  Returns 0 or a negative
 * code (reported).
 */
static int run_budget(const struct kpi_host *host, struct kpi_ctx *ctx,
                      struct budget_state *st)
{
	int has_op = 0, has_inv = 0;
	int rc;

	st->n_rows = 0;
	rc = read_budget(host, ctx, st);
	if (!rc)
		rc = link_parts(host, ctx, st);
	if (!rc)
		rc = label_rows(host, ctx, st);
	if (rc || st->n_rows == 0)
		return rc;
	for (size_t i = 0; i < st->n_rows; i++) {
		has_op |= st->rows[i].type != T_INVEST;
		has_inv |= st->rows[i].type == T_INVEST;
	}
	compute_figures(st);
	check_capital(host, ctx, st);
	if (has_op) {
		rc = emit_summary(host, ctx, st);
		if (!rc)
			rc = emit_by_area(host, ctx, st);
		if (!rc)
			rc = emit_net_deviation(host, ctx, st);
		if (!rc)
			rc = emit_values(host, ctx, st);
	}
	if (!rc && has_inv)
		rc = emit_investments(host, ctx, st);
	return rc;
}

/* ------------------------------------------------------------------ */
/* balance.csv                                                         */

/* Copy text field `col` (1..max-1 bytes) into out.  Empty is allowed
 * only when `optional`.  Returns 0 or KPI_EDATA (reported). */
static int read_name(const struct kpi_host *host, struct kpi_csv *csv,
                     int col, int optional, char *out, size_t max)
{
	size_t len = 0;
	const char *s = host->csv_field(csv, col, &len);

	if (!s)
		len = 0;
	if ((len == 0 && !optional) || len >= max)
		return host->csv_expected(csv, col, "expected an item name of "
		                          "1 to %zu bytes", max - 1);
	memcpy(out, s ? s : "", len);
	out[len] = '\0';
	return KPI_OK;
}

/* Read the current row of balance.csv into st->items; col_en is the
 * name_en column or < 0 when the file has none.  Returns 0 or a negative
 * code (reported). */
static int read_balance_row(const struct kpi_host *host, struct kpi_csv *csv,
                            const int *cols, int col_en,
                            struct budget_state *st)
{
	struct bal_item *it;
	int rc;

	if (st->n_items == BAL_MAX_ITEMS)
		return host->csv_error(csv, -1, "expected at most %d items",
		                       BAL_MAX_ITEMS);
	it = &st->items[st->n_items];
	memset(it, 0, sizeof *it);
	rc = read_name(host, csv, cols[LC_ITEM], 0, it->name, BAL_ITEM_MAX);
	if (!rc)
		rc = read_name(host, csv, cols[LC_PARENT], 1, it->parent_name,
		               BAL_ITEM_MAX);
	if (!rc && col_en >= 0)
		rc = read_name(host, csv, col_en, 1, it->name_en,
		               BAL_ITEM_MAX);
	if (rc)
		return rc;
	if (!it->name_en[0])
		memcpy(it->name_en, it->name, sizeof it->name_en);
	for (size_t i = 0; i < st->n_items; i++)
		if (strcmp(st->items[i].name, it->name) == 0)
			return host->csv_error(csv, cols[LC_ITEM], "duplicate "
			                       "item '%s' (first at line %ld)",
			                       it->name, st->items[i].line);
	rc = read_amount(host, csv, cols[LC_AMOUNT], 0, ORE, &it->amount);
	if (rc)
		return rc < 0 ? rc : KPI_EDATA;
	it->line = host->csv_line(csv);
	st->n_items++;
	return KPI_OK;
}

/* Read the whole of balance.csv.  Returns 0 or a negative code
 * (reported); the reader is closed on every path. */
static int read_balance(const struct kpi_host *host, struct kpi_ctx *ctx,
                        struct budget_state *st)
{
	struct kpi_csv *csv = NULL;
	int cols[N_LC], col_en;
	int rc;

	rc = host->csv_open_export(ctx, st->balance_file,
	                           balance_columns, N_LC, cols, &csv);
	if (rc)
		return rc;
	col_en = host->csv_column(csv, BALANCE_NAME_EN, 0);
	if (col_en < 0 && col_en != KPI_ENOTFOUND) {
		rc = col_en;
		goto out_close;
	}
	while ((rc = host->csv_next(csv)) == 1) {
		rc = read_balance_row(host, csv, cols, col_en, st);
		if (rc)
			goto out_close;
	}
out_close:
	host->csv_close(csv);
	return rc;
}

/*
 * Resolve every parent name to an item and sum the sub-items of each
 * item.  A parent that is not an item, or an item that is its own
 * ancestor, is a data error (reported as file:line).  Returns 0 or
 * KPI_EDATA.
 */
static int link_items(const struct kpi_host *host, struct kpi_ctx *ctx,
                      struct budget_state *st)
{
	for (size_t i = 0; i < st->n_items; i++) {
		struct bal_item *it = &st->items[i];

		it->parent = -1;
		if (!it->parent_name[0])
			continue;
		for (size_t j = 0; j < st->n_items; j++)
			if (strcmp(st->items[j].name, it->parent_name) == 0)
				it->parent = (int)j;
		if (it->parent < 0) {
			host->log(ctx, KPI_LOG_ERROR, "%s:%ld: parent '%s' of "
			          "'%s' is not an item of the file",
			          st->balance_file, it->line, it->parent_name,
			          it->name);
			return KPI_EDATA;
		}
	}
	for (size_t i = 0; i < st->n_items; i++) {
		int p = st->items[i].parent;
		size_t steps = 0;

		while (p >= 0 && steps++ <= st->n_items)
			p = st->items[p].parent;
		if (p >= 0) {
			host->log(ctx, KPI_LOG_ERROR, "%s:%ld: item '%s' is its "
			          "own ancestor", st->balance_file,
			          st->items[i].line, st->items[i].name);
			return KPI_EDATA;
		}
		p = st->items[i].parent;
		if (p >= 0) {
			st->items[p].children += st->items[i].amount;
			st->items[p].n_children++;
		}
	}
	return KPI_OK;
}

/* Append item i and its sub-items (file order) to st->order. */
static void order_subtree(struct budget_state *st, int i)
{
	st->order[st->n_order++] = i;
	for (size_t j = 0; j < st->n_items; j++)
		if (st->items[j].parent == i)
			order_subtree(st, (int)j);
}

/*
 * Check the sums: every item with sub-items equals their sum to the öre,
 * and the top-level items (assets positive, liabilities and equity
 * negative) sum to 0.  Each difference is logged as a warning naming the
 * item and listed in the note.  Returns the sum of the top-level items.
 */
static int64_t check_sums(const struct kpi_host *host, struct kpi_ctx *ctx,
                          struct budget_state *st)
{
	char a[AMOUNT_BUF], b[AMOUNT_BUF], d[AMOUNT_BUF], msg[NOTE_MSG_MAX];
	char roots[BAL_ROOTS_SHOWN * (BAL_ITEM_MAX + 4) + 32] = "";
	char roots_en[sizeof roots] = "";
	int64_t sum = 0;
	int bad = 0, n_roots = 0;

	st->note_sv[0] = st->note_en[0] = '\0';
	for (size_t i = 0; i < st->n_items; i++) {
		const struct bal_item *it = &st->items[i];
		int64_t diff = it->amount - it->children;

		if (it->parent < 0 && n_roots++ < BAL_ROOTS_SHOWN) {
			size_t n = strlen(roots), m = strlen(roots_en);

			snprintf(roots + n, sizeof roots - n, "%s'%s'",
			         n ? ", " : "", it->name);
			snprintf(roots_en + m, sizeof roots_en - m, "%s'%s'",
			         m ? ", " : "", it->name_en);
		}
		if (it->parent < 0)
			sum += it->amount;
		if (it->n_children == 0 || diff == 0)
			continue;
		bad = 1;
		host->log(ctx, KPI_LOG_WARN, "%s:%ld: '%s' is %s kr but its "
		          "sub-items sum to %s kr (difference %s kr)",
		          st->balance_file, it->line, it->name,
		          fmt_amount(a, sizeof a, it->amount, ORE, 2, 1),
		          fmt_amount(b, sizeof b, it->children, ORE, 2, 1),
		          fmt_amount(d, sizeof d, diff, ORE, 2, 1));
		snprintf(msg, sizeof msg, "'%s' skiljer sig från summan av "
		         "underposterna med %s kr.", it->name,
		         fmt_amount(d, sizeof d, diff, ORE, 2, 0));
		note_add(st->note_sv, msg);
		snprintf(msg, sizeof msg, "'%s' differs from the sum of its "
		         "sub-items by %s kr.", it->name_en,
		         fmt_amount(d, sizeof d, diff, ORE, 2, 1));
		note_add(st->note_en, msg);
	}
	if (n_roots > BAL_ROOTS_SHOWN) {
		size_t n = strlen(roots), m = strlen(roots_en);

		snprintf(roots + n, sizeof roots - n, " och %d till",
		         n_roots - BAL_ROOTS_SHOWN);
		snprintf(roots_en + m, sizeof roots_en - m, " and %d more",
		         n_roots - BAL_ROOTS_SHOWN);
	}
	if (sum != 0) {
		bad = 1;
		host->log(ctx, KPI_LOG_WARN, "%s: assets do not equal "
		          "liabilities plus equity: the top-level items (%s) "
		          "sum to %s kr, expected 0", st->balance_file, roots,
		          fmt_amount(d, sizeof d, sum, ORE, 2, 1));
		snprintf(msg, sizeof msg, "Tillgångar är inte lika med skulder "
		         "och eget kapital: posterna på översta nivån (%s) "
		         "summerar till %s kr.", roots,
		         fmt_amount(d, sizeof d, sum, ORE, 2, 0));
		note_add(st->note_sv, msg);
		snprintf(msg, sizeof msg, "Assets do not equal liabilities plus "
		         "equity: the top-level items (%s) sum to %s kr.",
		         roots_en,
		         fmt_amount(d, sizeof d, sum, ORE, 2, 1));
		note_add(st->note_en, msg);
	}
	if (!bad) {
		note_add(st->note_sv, "Alla summor stämmer på öret och "
		         "tillgångarna är lika med skulder och eget kapital.");
		note_add(st->note_en, "Every sum is right to the öre and assets "
		         "equal liabilities plus equity.");
	}
	return sum;
}

/* Emit the "balance" table: items in tree order with amount, sum of
 * sub-items and difference, then the sum of the top-level items.
 * Returns the host's code. */
static int emit_balance(const struct kpi_host *host, struct kpi_ctx *ctx,
                        struct budget_state *st, int64_t sum)
{
	struct tbl t;
	struct kpi_cell *c;

	tbl_init(&t, st, BAL_COLS);
	snprintf(st->col_sv[0], 64, "Post");
	snprintf(st->col_en[0], 64, "Item");
	snprintf(st->col_sv[1], 64, "Ingår i");
	snprintf(st->col_en[1], 64, "Part of");
	snprintf(st->col_sv[2], 64, "Belopp (kr)");
	snprintf(st->col_en[2], 64, "Amount (SEK)");
	snprintf(st->col_sv[3], 64, "Summa underposter (kr)");
	snprintf(st->col_en[3], 64, "Sum of sub-items (SEK)");
	snprintf(st->col_sv[4], 64, "Differens (kr)");
	snprintf(st->col_en[4], 64, "Difference (SEK)");
	set_columns(st, BAL_COLS);
	snprintf(st->title_sv, sizeof st->title_sv,
	         "Kontroll av balansräkningen");
	snprintf(st->title_en, sizeof st->title_en, "Balance sheet check");
	for (size_t k = 0; k < st->n_order; k++) {
		const struct bal_item *it = &st->items[st->order[k]];

		c = tbl_row(&t);
		cell_label(&t, &c[0], it->name, it->name_en);
		if (it->parent >= 0)
			cell_label(&t, &c[1], it->parent_name,
			           st->items[it->parent].name_en);
		cell_amount(&c[2], it->amount, ORE, 2);
		if (it->n_children) {
			cell_amount(&c[3], it->children, ORE, 2);
			cell_amount(&c[4], it->amount - it->children, ORE, 2);
		}
	}
	c = tbl_row(&t);
	cell_label(&t, &c[0], "Tillgångar + skulder och eget kapital",
	           "Assets + liabilities and equity");
	cell_amount(&c[2], sum, ORE, 2);
	cell_amount(&c[4], sum, ORE, 2);
	return emit_tbl(host, ctx, st, "balance", &t);
}

/*
 * The balance check: read balance.csv, check the sums, emit the table.
 * Differences are warnings, not errors; a file without rows emits
 * nothing.  Returns 0 or a negative code (reported).
 */
static int run_balance(const struct kpi_host *host, struct kpi_ctx *ctx,
                       struct budget_state *st)
{
	int64_t sum;
	int rc;

	st->n_items = 0;
	st->n_order = 0;
	rc = read_balance(host, ctx, st);
	if (!rc)
		rc = link_items(host, ctx, st);
	if (rc || st->n_items == 0)
		return rc;
	for (size_t i = 0; i < st->n_items; i++)
		if (st->items[i].parent < 0)
			order_subtree(st, (int)i);
	sum = check_sums(host, ctx, st);
	return emit_balance(host, ctx, st, sum);
}

/* compute: the budget follow-up, then the balance check if configured. */
static int budget_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                          void *state)
{
	struct budget_state *st = state;
	int rc;

	st->run_year = host->run_year(ctx);
	st->run_month = host->run_month(ctx);
	if (st->run_month < 1 || st->run_month > 12)
		st->run_month = 12;
	rc = run_budget(host, ctx, st);
	if (!rc && st->balance_file)
		rc = run_balance(host, ctx, st);
	return rc;
}

/* shutdown: free what budget_init allocated. */
static void budget_shutdown(void *state)
{
	free(state);
}

KPI_PLUGIN(budget_indicators,
	.name = "budget",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Operating-budget follow-up: deviations, net result "
	               "before and after the result fund, budget adherence, "
	               "investments, and the balance-sheet check",
	.config_keys = budget_config_keys,
	.init = budget_init,
	.compute = budget_compute,
	.shutdown = budget_shutdown)
