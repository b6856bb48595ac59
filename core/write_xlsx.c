/*
 * write_xlsx.c - the report as an Excel workbook (libxlsxwriter): one
 * sheet of indicators, sheets for sub-periods, groups, goals, activities,
 * errors and the summary, then one sheet per plugin table.
 *
 * Figures are numeric cells holding the raw value, shown through a number
 * format built from the indicator's decimals and unit: 78.5 with
 * `#,##0.0" %"` (never 0.785 with a percent format), so the cell is the
 * figure the report prints and sums and charts work.  Periods, ids and
 * labels are text cells, never dates; months are separate integer cells.
 * libxlsxwriter writes to a file name: the workbook goes to a memfd
 * (reopened through /proc/self/fd) or, failing that, to an unlinked temp
 * file in $TMPDIR, and its bytes are then copied to the output stream.
 * Debian's libxlsxwriter 1.1.4 has no in-memory output and keeps each XML
 * part in a temp file of its own ($TMPDIR, else /tmp) while packaging.
 */
#define _GNU_SOURCE
#include "writer.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "diag.h"
#include "escape.h"

#define N_FORMATS 64        /* number formats kept for reuse */
#define CELL_TEXT_MAX 32767 /* Excel's longest cell text, in characters */
#define SHEET_NAME_MAX 31   /* Excel's longest sheet name, in characters */
#define MAX_DECIMALS 10

/* One workbook being written. */
struct xl {
	lxw_workbook *wb;
	int lang;
	lxw_error err;                 /* the first libxlsxwriter error */
	lxw_format *bold, *integer;
	struct { char code[160]; lxw_format *f; } fmts[N_FORMATS];
	size_t n_fmts;
	char (*names)[SHEET_NAME_MAX * 4 + 1];  /* sheet names used, folded */
	size_t n_names, cap_names;
};

/* A word in both languages. */
struct word { const char *sv, *en; };

#define W(x, l) ((l) == KPI_LANG_EN ? (x).en : (x).sv)

static void note_err(struct xl *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
		x->err = e;
}

/* The number format code for `decimals` places and `unit`: "#,##0.0" and
 * a quoted unit after a space.  A '"' or '\' in the unit is left out (the
 * unit has a column of its own). */
static const char *format_code(char *buf, size_t n, int decimals,
                               const char *unit)
{
	size_t k = 0;

	if (decimals < 0)
		decimals = 0;
	if (decimals > MAX_DECIMALS)
		decimals = MAX_DECIMALS;
	k = (size_t)snprintf(buf, n, "#,##0%s%.*s", decimals ? "." : "",
	                     decimals, "0000000000");
	if (unit && *unit) {
		size_t start = k;

		buf[k++] = '"';
		buf[k++] = ' ';
		for (; *unit && k + 2 < n; unit++)
			if (*unit != '"' && *unit != '\\')
				buf[k++] = *unit;
		/* a unit cut short is cut between characters */
		if (*unit) {
			while (k > start + 2 &&
			       ((unsigned char)buf[k - 1] & 0xC0) == 0x80)
				k--;
			if (k > start + 2 &&
			    ((unsigned char)buf[k - 1] & 0xC0) == 0xC0)
				k--;
		}
		buf[k++] = '"';
		buf[k] = '\0';
	}
	return buf;
}

/* The cell format for a number shown with `decimals` places and `unit`;
 * owned by the workbook. */
static lxw_format *number_format(struct xl *x, int decimals,
                                 const char *unit)
{
	char code[160];
	lxw_format *f;

	format_code(code, sizeof code, decimals, unit);
	for (size_t i = 0; i < x->n_fmts; i++)
		if (strcmp(x->fmts[i].code, code) == 0)
			return x->fmts[i].f;
	f = workbook_add_format(x->wb);
	if (!f) {
		note_err(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	format_set_num_format(f, code);
	if (x->n_fmts < N_FORMATS) {
		memcpy(x->fmts[x->n_fmts].code, code, sizeof code);
		x->fmts[x->n_fmts++].f = f;
	}
	return f;
}

/* Length of the longest prefix of s with at most `chars` code points. */
static size_t utf8_prefix(const char *s, size_t chars)
{
	size_t i = 0;

	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars-- == 0)
			break;
	return i;
}

/* A text cell; NULL or "" leaves the cell empty.  Invalid UTF-8 becomes
 * U+FFFD (libxlsxwriter escapes control characters as _xHHHH_); a text
 * longer than Excel's cell limit is cut there. */
static void text(struct xl *x, lxw_worksheet *ws, lxw_row_t row,
                 lxw_col_t col, const char *s, lxw_format *f)
{
	char *fixed;
	size_t cut;

	if (!s || !*s)
		return;
	fixed = kpi_utf8_fix(s);
	if (!fixed) {
		note_err(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	cut = utf8_prefix(fixed, CELL_TEXT_MAX);
	fixed[cut] = '\0';
	note_err(x, worksheet_write_string(ws, row, col, fixed, f));
	free(fixed);
}

static void number(struct xl *x, lxw_worksheet *ws, lxw_row_t row,
                   lxw_col_t col, int has, double v, int decimals,
                   const char *unit)
{
	if (has)
		note_err(x, worksheet_write_number(ws, row, col, v,
		                                   number_format(x, decimals,
		                                                 unit)));
}

static void integer(struct xl *x, lxw_worksheet *ws, lxw_row_t row,
                    lxw_col_t col, int has, long v)
{
	if (has)
		note_err(x, worksheet_write_number(ws, row, col, (double)v,
		                                   x->integer));
}

static void figure(struct xl *x, lxw_worksheet *ws, lxw_row_t row,
                   lxw_col_t col, const struct kpi_figure *fig,
                   const char *unit)
{
	number(x, ws, row, col, fig->has, fig->value, fig->decimals, unit);
}

/* Fold a sheet name for Excel's case-insensitive comparison: ASCII and
 * the Latin-1 letters (U+00C0..U+00DE) to lower case. */
static void fold(char *dst, const char *s)
{
	for (; *s; s++, dst++) {
		unsigned char c = (unsigned char)*s;

		*dst = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		if (c == 0xC3 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] <= 0x9E && (unsigned char)s[1] != 0x97) {
			dst[1] = (char)((unsigned char)s[1] + 0x20);
			dst++, s++;
		}
	}
	*dst = '\0';
}

static int name_used(const struct xl *x, const char *name)
{
	char f[SHEET_NAME_MAX * 4 + 1];

	fold(f, name);
	for (size_t i = 0; i < x->n_names; i++)
		if (strcmp(x->names[i], f) == 0)
			return 1;
	return 0;
}

/*
 * A sheet named after `title`: the characters Excel refuses ([]:*?/\ and
 * controls) become spaces, runs of spaces one space, a leading or trailing apostrophe is dropped,
 * the name is cut at 31 characters and made unique (" (2)", " (3)" ...
 * replacing its end).  Returns the sheet (owned by the workbook) or NULL
 * after noting the error.
 */
static lxw_worksheet *sheet(struct xl *x, const char *title)
{
	char base[SHEET_NAME_MAX * 4 + 1], name[sizeof base];
	char *fixed = kpi_utf8_fix(title ? title : "");
	size_t n = 0;
	lxw_worksheet *ws;

	if (!fixed) {
		note_err(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	for (const char *s = fixed; *s && n + 4 < sizeof base; s++) {
		unsigned char c = (unsigned char)*s;

		if (strchr("[]:*?/\\", c) || c < 0x20 || c == 0x7f)
			c = ' ';
		if (c != ' ' || (n > 0 && base[n - 1] != ' '))
			base[n++] = (char)c;
	}
	base[n] = '\0';
	free(fixed);
	base[utf8_prefix(base, SHEET_NAME_MAX)] = '\0';
	while (base[0] == '\'' || base[0] == ' ')
		memmove(base, base + 1, strlen(base));
	for (n = strlen(base); n > 0 && (base[n - 1] == '\'' ||
	                                 base[n - 1] == ' '); n--)
		base[n - 1] = '\0';
	if (!base[0])
		snprintf(base, sizeof base, "%s", x->lang == KPI_LANG_EN ?
		         "Table" : "Tabell");
	snprintf(name, sizeof name, "%s", base);
	for (unsigned k = 2; name_used(x, name); k++) {
		char suffix[16];
		int w = snprintf(suffix, sizeof suffix, " (%u)", k);
		size_t keep = utf8_prefix(base, SHEET_NAME_MAX - (size_t)w);

		snprintf(name, sizeof name, "%.*s%s", (int)keep, base, suffix);
	}
	if (x->n_names == x->cap_names) {
		size_t cap = x->cap_names ? 2 * x->cap_names : 16;
		void *p = realloc(x->names, cap * sizeof *x->names);

		if (!p) {
			note_err(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return NULL;
		}
		x->names = p;
		x->cap_names = cap;
	}
	fold(x->names[x->n_names++], name);
	note_err(x, workbook_validate_sheet_name(x->wb, name));
	if (x->err != LXW_NO_ERROR)
		return NULL;
	ws = workbook_add_worksheet(x->wb, name);
	if (!ws)
		note_err(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return ws;
}

/* A sheet with a bold, frozen header row of `n` words. */
static lxw_worksheet *table_sheet(struct xl *x, struct word title,
                                  const struct word *head, size_t n)
{
	lxw_worksheet *ws = sheet(x, W(title, x->lang));

	if (!ws)
		return NULL;
	for (size_t c = 0; c < n; c++) {
		text(x, ws, 0, (lxw_col_t)c, W(head[c], x->lang), x->bold);
		note_err(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
		                                 14, NULL));
	}
	worksheet_freeze_panes(ws, 1, 0);
	return ws;
}

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static const struct word ind_head[] = {
	{ "Mål", "Goal" }, { "Målets titel", "Goal title" },
	{ "Indikator-id", "Indicator id" }, { "Indikator", "Indicator" },
	{ "Periodens utfall", "Outcome" }, { "Prognos helår", "Forecast" },
	{ "Prognosmetod", "Forecast method" },
	{ "Jämförelsevärde", "Baseline" }, { "Enhet", "Unit" },
	{ "Decimaler", "Decimals" },
	{ "Årsmål, typ", "Target kind" }, { "Årsmål", "Target" },
	{ "Årsmål, ±", "Target ±" }, { "Årsmål, text", "Target text" },
	{ "KF:s årsmål, typ", "Council target kind" },
	{ "KF:s årsmål", "Council target" },
	{ "KF:s årsmål, ±", "Council target ±" },
	{ "KF:s årsmål, text", "Council target text" },
	{ "Period", "Period" }, { "Från år", "From year" },
	{ "Från månad", "From month" }, { "Till år", "To year" },
	{ "Till månad", "To month" }, { "Bedömning", "Assessment" },
	{ "Angiven bedömning", "Stated assessment" },
	{ "Bedömning, nyckel", "Assessment key" }, { "Regel", "Rule" },
	{ "Regel-id", "Rule id" }, { "Anmärkning", "Note" },
	{ "Utan utfall", "No outcome" },
	{ "Föregående år", "Last year" },
	{ "Jämförelse", "Compared with" },
	{ "Föregående år, från år", "Last year, from year" },
	{ "Föregående år, från månad", "Last year, from month" },
	{ "Föregående år, till år", "Last year, to year" },
	{ "Föregående år, till månad", "Last year, to month" },
	{ "Bedömningsläge", "Assessment state" },
	{ "Kan ej bedömas, skäl", "Cannot be assessed, reason" },
	{ "Sannolikhet att nå årsmålet", "Chance of meeting the target" },
	{ "Helår, 80 % intervall, lägst", "Year, 80 % interval, low" },
	{ "Helår, 80 % intervall, högst", "Year, 80 % interval, high" },
	{ "Takt", "Pace" },
};

enum {
	C_GOAL, C_GOAL_TITLE, C_ID, C_NAME, C_OUTCOME, C_FORECAST, C_METHOD,
	C_BASELINE, C_UNIT, C_DECIMALS, C_T_KIND, C_T_VALUE, C_T_WIDTH,
	C_T_TEXT, C_C_KIND, C_C_VALUE, C_C_WIDTH, C_C_TEXT, C_PERIOD,
	C_FROM_Y, C_FROM_M, C_TO_Y, C_TO_M, C_ASSESS, C_STATED, C_ASSESS_KEY,
	C_RULE, C_RULE_ID, C_NOTE, C_WHY, C_LAST, C_LAST_COMPARE,
	C_LAST_FROM_Y, C_STATE = C_LAST_FROM_Y + 4, C_STATE_REASON, C_CHANCE,
	C_INT_LO, C_INT_HI, C_PACE
};

/* The months of a span in four integer cells from `col`. */
static void span_cells(struct xl *x, lxw_worksheet *ws, lxw_row_t row,
                       lxw_col_t col, const struct kpi_span *s)
{
	int has = s->from_year != 0;

	integer(x, ws, row, col, has, s->from_year);
	integer(x, ws, row, col + 1, has, s->from_month);
	integer(x, ws, row, col + 2, has, s->to_year);
	integer(x, ws, row, col + 3, has, s->to_month);
}

/* A target in four cells from `col`: kind, number, half-width, text (the
 * report's words for a kind without a number: "öka", the target text). */
static void target_cells(struct xl *x, lxw_worksheet *ws, lxw_row_t row,
                         lxw_col_t col, const struct kpi_report_target *t)
{
	const char *unit = KPI_TEXT(t->unit, x->lang);

	text(x, ws, row, col, t->kind_key, NULL);
	number(x, ws, row, col + 1, t->has_value, t->value, t->decimals, unit);
	number(x, ws, row, col + 2, t->has_width, t->width, t->decimals, unit);
	if (t->kind != KPI_TARGET_NONE)
		text(x, ws, row, col + 3, t->has_value ?
		     KPI_TEXT(t->display, x->lang) :
		     t->kind == KPI_TARGET_TEXT ? KPI_TEXT(t->text, x->lang) :
		     KPI_TEXT(t->display, x->lang), NULL);
}

static void indicator_row(struct xl *x, lxw_worksheet *ws, lxw_row_t row,
                          const struct kpi_report_indicator *ri,
                          const char *goal, const char *goal_title)
{
	int l = x->lang;
	const char *unit = KPI_TEXT(ri->unit, l);

	text(x, ws, row, C_GOAL, goal, NULL);
	text(x, ws, row, C_GOAL_TITLE, goal_title, NULL);
	text(x, ws, row, C_ID, ri->id, NULL);
	text(x, ws, row, C_NAME, KPI_TEXT(ri->name, l), NULL);
	figure(x, ws, row, C_OUTCOME, &ri->outcome, unit);
	figure(x, ws, row, C_FORECAST, &ri->forecast, unit);
	text(x, ws, row, C_METHOD, ri->forecast_method_key, NULL);
	figure(x, ws, row, C_BASELINE, &ri->baseline, unit);
	text(x, ws, row, C_UNIT, unit, NULL);
	integer(x, ws, row, C_DECIMALS, 1, ri->decimals);
	target_cells(x, ws, row, C_T_KIND, &ri->target);
	target_cells(x, ws, row, C_C_KIND, &ri->council);
	text(x, ws, row, C_PERIOD, KPI_TEXT(ri->period, l), NULL);
	span_cells(x, ws, row, C_FROM_Y, &ri->covered);
	text(x, ws, row, C_ASSESS, KPI_TEXT(ri->assessment.label, l), NULL);
	if (ri->has_stated)
		text(x, ws, row, C_STATED, KPI_TEXT(ri->stated.label, l), NULL);
	text(x, ws, row, C_ASSESS_KEY, ri->assessment.key, NULL);
	text(x, ws, row, C_RULE, KPI_TEXT(ri->rule.text, l), NULL);
	text(x, ws, row, C_RULE_ID, ri->rule.id, NULL);
	text(x, ws, row, C_NOTE, KPI_TEXT(ri->note, l), NULL);
	text(x, ws, row, C_WHY, KPI_TEXT(ri->why, l), NULL);
	figure(x, ws, row, C_LAST, &ri->last_year, unit);
	text(x, ws, row, C_LAST_COMPARE, KPI_TEXT(ri->compare_label, l), NULL);
	span_cells(x, ws, row, C_LAST_FROM_Y, &ri->last_year_covered);
	text(x, ws, row, C_STATE, ri->state_key, NULL);
	if (ri->state_reason_key)
		text(x, ws, row, C_STATE_REASON, KPI_TEXT(ri->state_reason, l),
		     NULL);
	number(x, ws, row, C_CHANCE, ri->has_chance, ri->chance * 100, 1, "%");
	figure(x, ws, row, C_INT_LO, &ri->interval_lo, unit);
	figure(x, ws, row, C_INT_HI, &ri->interval_hi, unit);
	if (ri->pace)
		text(x, ws, row, C_PACE, KPI_TEXT(ri->pace_label, l), NULL);
}

/* The sheets every report has, filled as the goals are walked. */
struct sheets {
	lxw_worksheet *ind, *sub, *grp, *goal, *act;
	lxw_row_t n_ind, n_sub, n_grp, n_goal, n_act;
};

static const struct word sub_head[] = {
	{ "Indikator-id", "Indicator id" }, { "Indikator", "Indicator" },
	{ "Delperiod", "Sub-period" }, { "Utfall", "Outcome" },
	{ "Enhet", "Unit" }, { "Period med data", "Months with data" },
	{ "Från år", "From year" }, { "Från månad", "From month" },
	{ "Till år", "To year" }, { "Till månad", "To month" },
	{ "Rad i rapporten", "Report line" },
};

static const struct word grp_head[] = {
	{ "Indikator-id", "Indicator id" }, { "Indikator", "Indicator" },
	{ "Grupp", "Group" }, { "Utfall", "Outcome" }, { "Enhet", "Unit" },
	{ "Period", "Period" }, { "Från år", "From year" },
	{ "Från månad", "From month" }, { "Till år", "To year" },
	{ "Till månad", "To month" },
};

static void indicator_rows(struct xl *x, struct sheets *s,
                           const struct kpi_report_indicator *ri,
                           const char *goal, const char *goal_title)
{
	int l = x->lang;
	const char *unit = KPI_TEXT(ri->unit, l);

	indicator_row(x, s->ind, ++s->n_ind, ri, goal, goal_title);
	for (size_t k = 0; k < ri->n_subperiods; k++) {
		const struct kpi_report_subperiod *sp = &ri->subperiods[k];
		lxw_row_t row = ++s->n_sub;

		text(x, s->sub, row, 0, ri->id, NULL);
		text(x, s->sub, row, 1, KPI_TEXT(ri->name, l), NULL);
		text(x, s->sub, row, 2, KPI_TEXT(sp->asked.label, l), NULL);
		figure(x, s->sub, row, 3, &sp->value, unit);
		text(x, s->sub, row, 4, unit, NULL);
		text(x, s->sub, row, 5, KPI_TEXT(sp->covered.label, l), NULL);
		span_cells(x, s->sub, row, 6, &sp->covered);
		text(x, s->sub, row, 10, KPI_TEXT(sp->line, l), NULL);
	}
	for (size_t k = 0; ri->breakdown && k < ri->n_groups; k++) {
		const struct kpi_report_group *g = &ri->groups[k];
		lxw_row_t row = ++s->n_grp;

		text(x, s->grp, row, 0, ri->id, NULL);
		text(x, s->grp, row, 1, KPI_TEXT(ri->name, l), NULL);
		text(x, s->grp, row, 2, g->name, NULL);
		figure(x, s->grp, row, 3, &g->outcome, unit);
		text(x, s->grp, row, 4, unit, NULL);
		text(x, s->grp, row, 5, KPI_TEXT(g->covered.label, l), NULL);
		span_cells(x, s->grp, row, 6, &g->covered);
	}
}

static const struct word goal_head[] = {
	{ "Mål", "Goal" }, { "Typ", "Kind" }, { "Rubrik", "Heading" },
	{ "Titel", "Title" }, { "Överordnat mål", "Parent goal" },
	{ "Bedömning", "Assessment" }, { "Angiven bedömning",
	                                 "Stated assessment" },
	{ "Anmärkning", "Note" }, { "Analys", "Analysis" },
};

static const struct word act_head[] = {
	{ "Mål", "Goal" }, { "Aktivitet", "Activity" },
	{ "Startdatum", "Start" }, { "Slutdatum", "End" },
	{ "Avvikelse", "Deviation" },
};

static void goal_rows(struct xl *x, struct sheets *s,
                      const struct kpi_report_goal *g)
{
	int l = x->lang;
	lxw_row_t row = ++s->n_goal;

	text(x, s->goal, row, 0, g->id, NULL);
	text(x, s->goal, row, 1, KPI_TEXT(g->kind_label, l), NULL);
	text(x, s->goal, row, 2, KPI_TEXT(g->heading, l), NULL);
	text(x, s->goal, row, 3, KPI_TEXT(g->title, l), NULL);
	text(x, s->goal, row, 4, g->parent ? g->parent->id : NULL, NULL);
	text(x, s->goal, row, 5, KPI_TEXT(g->assessment.label, l), NULL);
	if (g->has_stated)
		text(x, s->goal, row, 6, KPI_TEXT(g->stated.label, l), NULL);
	text(x, s->goal, row, 7, KPI_TEXT(g->note, l), NULL);
	text(x, s->goal, row, 8, KPI_TEXT(g->text, l), NULL);
	for (size_t i = 0; i < g->n_activities; i++) {
		const struct kpi_report_activity *a = &g->activities[i];
		lxw_row_t r = ++s->n_act;

		text(x, s->act, r, 0, g->id, NULL);
		text(x, s->act, r, 1, KPI_TEXT(a->text, l), NULL);
		text(x, s->act, r, 2, a->start_text, NULL);
		text(x, s->act, r, 3, a->end_text, NULL);
		text(x, s->act, r, 4, KPI_TEXT(a->deviation, l), NULL);
	}
	for (size_t i = 0; i < g->n_indicators; i++)
		indicator_rows(x, s, g->indicators[i], g->id,
		               KPI_TEXT(g->title, l));
	for (size_t i = 0; i < g->n_children; i++)
		goal_rows(x, s, g->children[i]);
}

static void failures_sheet(struct xl *x, const struct kpi_report *r)
{
	static const struct word head[] = {
		{ "Område", "Area" }, { "Orsak", "Reason" },
		{ "Slutstatus", "Exit status" }, { "Text", "Text" },
	};
	lxw_worksheet *ws = table_sheet(x, (struct word){ "Fel", "Errors" },
	                                head, COUNT(head));

	for (size_t i = 0; ws && i < r->n_failures; i++) {
		const struct kpi_report_failure *f = &r->failures[i];

		text(x, ws, (lxw_row_t)i + 1, 0, f->area, NULL);
		text(x, ws, (lxw_row_t)i + 1, 1, f->reason, NULL);
		integer(x, ws, (lxw_row_t)i + 1, 2, 1, f->status);
		text(x, ws, (lxw_row_t)i + 1, 3, KPI_TEXT(f->text, x->lang),
		     NULL);
	}
}

static void summary_sheet(struct xl *x, const struct kpi_report *r)
{
	static const struct word head[] = { { "Uppgift", "Item" },
	                                    { "Värde", "Value" } };
	const struct kpi_report_summary *s = &r->summary;
	const struct { struct word w; size_t n; } counts[] = {
		{ { "Uppfylls helt", "Met" }, s->met },
		{ { "Uppfylls delvis", "Partially met" }, s->partial },
		{ { "Uppfylls ej", "Not met" }, s->not_met },
		{ { "Ej bedömda", "Not assessed" }, s->not_assessed },
		{ { "Indikatorer", "Indicators" }, s->total },
		{ { "Angiven bedömning avviker", "Stated differs" }, s->differ },
	};
	lxw_worksheet *ws = table_sheet(x, (struct word){ "Sammanfattning",
	                                                  "Summary" },
	                                head, COUNT(head));
	lxw_row_t row = 0;
	int l = x->lang;

	if (!ws)
		return;
	text(x, ws, ++row, 0, l == KPI_LANG_EN ? "Title" : "Rubrik", NULL);
	text(x, ws, row, 1, KPI_TEXT(r->title, l), NULL);
	text(x, ws, ++row, 0, l == KPI_LANG_EN ? "Period" : "Period", NULL);
	text(x, ws, row, 1, KPI_TEXT(r->period.label, l), NULL);
	text(x, ws, ++row, 0, l == KPI_LANG_EN ? "Year" : "År", NULL);
	integer(x, ws, row, 1, 1, r->year);
	for (size_t i = 0; i < COUNT(counts); i++) {
		text(x, ws, ++row, 0, W(counts[i].w, l), NULL);
		integer(x, ws, row, 1, 1, (long)counts[i].n);
	}
	text(x, ws, ++row, 0, kpi_label(KPI_L_SUMMARY, l), NULL);
	text(x, ws, row, 1, KPI_TEXT(s->text, l), NULL);
	if (*KPI_TEXT(s->differ_text, l)) {
		text(x, ws, ++row, 0, kpi_label(KPI_L_NOTES, l), NULL);
		text(x, ws, row, 1, KPI_TEXT(s->differ_text, l), NULL);
	}
	text(x, ws, ++row, 0, l == KPI_LANG_EN ? "Generator" : "Skapad av",
	     NULL);
	text(x, ws, row, 1, r->generator, NULL);
	text(x, ws, ++row, 0, "Version", NULL);
	text(x, ws, row, 1, r->version, NULL);
	note_err(x, worksheet_set_column(ws, 0, 0, 28, NULL));
	note_err(x, worksheet_set_column(ws, 1, 1, 60, NULL));
}

/* A plugin table: its title in A1, the headings in row 2, then the rows;
 * its note under them.  Numbers are numeric cells with the cell's
 * decimals. */
static void plugin_sheet(struct xl *x, const struct kpi_report_table *t)
{
	const struct kpi_report_cell *cells = t->cells[x->lang == KPI_LANG_EN];
	lxw_worksheet *ws;
	lxw_row_t row;

	if (t->n_columns == 0)
		return;
	ws = sheet(x, KPI_TEXT(t->title, x->lang));
	if (!ws)
		return;
	if (t->n_rows + 3 > LXW_ROW_MAX || t->n_columns > LXW_COL_MAX) {
		note_err(x, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
		return;
	}
	text(x, ws, 0, 0, KPI_TEXT(t->title, x->lang), x->bold);
	for (size_t c = 0; c < t->n_columns; c++)
		text(x, ws, 1, (lxw_col_t)c, KPI_TEXT(t->columns[c], x->lang),
		     x->bold);
	note_err(x, worksheet_set_column(ws, 0, 0, 36, NULL));
	if (t->n_columns > 1)
		note_err(x, worksheet_set_column(ws, 1,
		                                 (lxw_col_t)(t->n_columns - 1),
		                                 16, NULL));
	for (size_t r = 0; r < t->n_rows; r++) {
		row = (lxw_row_t)r + 2;
		for (size_t c = 0; c < t->n_columns; c++) {
			const struct kpi_report_cell *cell =
				&cells[r * t->n_columns + c];

			if (cell->kind == KPI_CELL_NUMBER)
				number(x, ws, row, (lxw_col_t)c, 1, cell->number,
				       cell->decimals, NULL);
			else if (cell->kind == KPI_CELL_TEXT)
				text(x, ws, row, (lxw_col_t)c, cell->text, NULL);
		}
	}
	text(x, ws, (lxw_row_t)t->n_rows + 3, 0, KPI_TEXT(t->note, x->lang),
	     NULL);
	worksheet_freeze_panes(ws, 2, 0);
}

static void fill(struct xl *x, const struct kpi_report *r)
{
	struct sheets s = { 0 };
	int l = x->lang;

	s.ind = table_sheet(x, (struct word){ "Indikatorer", "Indicators" },
	                    ind_head, COUNT(ind_head));
	s.sub = table_sheet(x, (struct word){ "Delperioder", "Sub-periods" },
	                    sub_head, COUNT(sub_head));
	s.grp = table_sheet(x, (struct word){ "Grupper", "Groups" },
	                    grp_head, COUNT(grp_head));
	s.goal = table_sheet(x, (struct word){ "Mål", "Goals" }, goal_head,
	                     COUNT(goal_head));
	s.act = table_sheet(x, (struct word){ "Aktiviteter", "Activities" },
	                    act_head, COUNT(act_head));
	if (!s.ind || !s.sub || !s.grp || !s.goal || !s.act)
		return;
	note_err(x, worksheet_set_column(s.ind, C_NAME, C_NAME, 50, NULL));
	note_err(x, worksheet_set_column(s.ind, C_GOAL_TITLE, C_GOAL_TITLE,
	                                 30, NULL));
	for (size_t i = 0; i < r->n_roots; i++)
		goal_rows(x, &s, r->roots[i]);
	for (size_t i = 0; i < r->n_other; i++)
		indicator_rows(x, &s, r->other[i], "",
		               KPI_TEXT(r->other_heading, l));
	failures_sheet(x, r);
	summary_sheet(x, r);
	for (size_t i = 0; i < r->n_tables; i++)
		plugin_sheet(x, &r->tables[i]);
}

/* Copy what fd holds, from its start, to out.  Returns 0 or KPI_EIO. */
static int copy_out(int fd, FILE *out)
{
	char buf[65536];
	ssize_t got;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return KPI_EIO;
	while ((got = read(fd, buf, sizeof buf)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || fwrite(buf, 1, (size_t)got, out) != (size_t)got)
			return KPI_EIO;
	}
	return 0;
}

/* A private file for the workbook: a memfd named through /proc, else an
 * unlinked temp file in $TMPDIR (or /tmp) named through /proc, else the
 * temp file's own name, unlinked by the caller (*unlink_path set).
 * Returns the descriptor or -1. */
static int private_file(char *path, size_t n, int *unlink_path)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	*unlink_path = 0;
	fd = memfd_create("kpirun-xlsx", MFD_CLOEXEC);
	if (fd >= 0) {
		snprintf(path, n, "/proc/self/fd/%d", fd);
		if (access(path, W_OK) == 0)
			return fd;
		close(fd);
	}
	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(path, n, "%s/.kpirun-xlsx.XXXXXX", dir) >= n)
		return -1;
	fd = mkstemp(path);
	if (fd >= 0)
		*unlink_path = 1;
	return fd;
}

int kpi_write_xlsx(FILE *out, const struct kpi_report *r,
                   const struct kpi_writer_opts *opts)
{
	lxw_workbook_options wopts = { 0 };
	struct xl x = { .lang = opts->lang };
	char path[4096];
	int unlink_path, fd, rc = KPI_EIO;
	lxw_error e;

	fd = private_file(path, sizeof path, &unlink_path);
	if (fd < 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "xlsx: cannot create a temporary file: %s",
		         strerror(errno));
		return KPI_EIO;
	}
	wopts.tmpdir = getenv("TMPDIR");
	if (wopts.tmpdir && !*wopts.tmpdir)
		wopts.tmpdir = NULL;
	x.wb = workbook_new_opt(path, &wopts);
	if (!x.wb) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0,
		         "xlsx: cannot start the workbook");
		goto out_close;
	}
	x.bold = workbook_add_format(x.wb);
	x.integer = workbook_add_format(x.wb);
	if (x.bold && x.integer) {
		format_set_bold(x.bold);
		format_set_num_format(x.integer, "0");
		fill(&x, r);
	} else {
		note_err(&x, LXW_ERROR_MEMORY_MALLOC_FAILED);
	}
	e = workbook_close(x.wb);      /* frees the workbook, always */
	note_err(&x, e);
	if (x.err != LXW_NO_ERROR) {
		kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "xlsx: %s",
		         lxw_strerror(x.err));
		goto out_close;
	}
	rc = copy_out(fd, out);
out_close:
	if (unlink_path)
		unlink(path);
	close(fd);
	free(x.names);
	return rc ? rc : ferror(out) ? KPI_EIO : 0;
}
