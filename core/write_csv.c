/*
 * write_csv.c - the report as CSV for spreadsheets and scripts: RFC 4180
 * quoting, a UTF-8 byte-order mark, and in Swedish `;` between fields and
 * a decimal comma (what a spreadsheet set to Swedish reads), in English
 * `,` and a decimal point.
 *
 * The first block is one row per record, the kind in the first column:
 * "indicator" (every row of every goal's table, then the other
 * indicators with an empty goal), "subperiod" and "group" (the notes
 * under a table, naming their indicator), "failure" (an area that could
 * not be computed, its reason in "note"), "summary" (the counts as a
 * sentence in "note").  A number cell holds a bare number that reads
 * back to the same double (kpi_fmt_roundtrip), never its unit (the
 * "unit" and "*_unit" columns) or a percent sign: "78,5" in Swedish, not
 * "78,5 %", which a spreadsheet would read as 0.785.  A target's number
 * is apart from its words ("target" / "target_text").  Nothing is
 * written that a spreadsheet reads as a date: the months are integer
 * columns, and a period label of one month ("jul 2011", which
 * LibreOffice makes 2011-07-01) is written as the range "jul–jul 2011".
 * Each plugin table follows after an empty line: its title, its header,
 * its rows.  Text is quoted and formula-neutralised (escape.h).
 */
#include "writer.h"

#include <string.h>

#include "escape.h"
#include "fmt.h"

static void field(FILE *out, const char *s)
{
	kpi_escape(out, KPI_ESC_CSV, s);
}

static int lang_sep;             /* the field separator of the run */

static void sep(FILE *out)
{
	fputc(lang_sep, out);
}

/* A bare number, with a decimal comma when the separator is ';'. */
static void number(FILE *out, int has, double v)
{
	char buf[64];

	if (!has)
		return;
	kpi_fmt_roundtrip(buf, sizeof buf, v);
	if (lang_sep == ';')
		for (char *p = buf; *p; p++)
			if (*p == '.')
				*p = ',';
	fputs(buf, out);
}

static void integer(FILE *out, int has, long v)
{
	if (has)
		fprintf(out, "%ld", v);
}

/* Predicate: s is a month and a year, "jul 2011" / "Jul 2011". */
static int one_month(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	if (s[3] != ' ')
		return 0;
	for (int i = 4; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[8] == '\0';
}

/* A period label; one month as a range of one month ("jul–jul 2011"),
 * which no spreadsheet reads as a date. */
static void period(FILE *out, const char *label)
{
	char buf[32];

	if (label && one_month(label)) {
		snprintf(buf, sizeof buf, "%.3s\xe2\x80\x93%s", label, label);
		label = buf;
	}
	field(out, label);
}

static const char *const header[] = {
	"record", "goal", "goal_title", "indicator", "name", "outcome",
	"forecast", "baseline", "last_year", "last_year_compare",
	"last_year_from_year", "last_year_from_month", "last_year_to_year",
	"last_year_to_month", "unit", "decimals", "forecast_method",
	"target_kind", "target", "target_width", "target_unit", "target_text",
	"council_target_kind", "council_target", "council_target_width",
	"council_target_unit", "council_target_text", "period", "from_year",
	"from_month", "to_year", "to_month", "assessment", "stated", "rule",
	"note", "state", "state_reason", "chance", "interval_low",
	"interval_high", "pace", NULL
};

/* One record row; NULL strings are empty fields. */
struct row {
	const char *record, *goal, *goal_title, *indicator, *name, *unit;
	const struct kpi_figure *outcome, *forecast, *baseline, *last;
	const char *compare;               /* last year's compare key */
	const struct kpi_span *last_span;  /* its months with data */
	const char *method;
	const struct kpi_report_target *target, *council;
	const char *period;
	const struct kpi_span *span;       /* the months, or NULL */
	int has_decimals, decimals;
	const char *assessment, *stated, *rule, *note;
	/* an indicator record: its state, chance and pace, else NULL */
	const struct kpi_report_indicator *ind;
};

/* kind, number, half-width, unit, words ("öka", a target's text). */
static void target_fields(FILE *out, const struct kpi_report_target *t,
                          int lang)
{
	if (t)
		fputs(t->kind_key, out);
	sep(out);
	if (t)
		number(out, t->has_value, t->value);
	sep(out);
	if (t)
		number(out, t->has_width, t->width);
	sep(out);
	field(out, t && t->has_value ? KPI_TEXT(t->unit, lang) : "");
	sep(out);
	field(out, !t || t->has_value || t->kind == KPI_TARGET_NONE ? "" :
	      t->kind == KPI_TARGET_TEXT ? KPI_TEXT(t->text, lang) :
	      KPI_TEXT(t->display, lang));
}

/* last_year, last_year_compare and the months the figure covers. */
static void last_year_fields(FILE *out, const struct row *r)
{
	const struct kpi_span *sp = r->last_span;
	int months = sp && sp->from_year != 0;

	if (r->last)
		number(out, r->last->has, r->last->value);
	sep(out);
	fputs(r->compare ? r->compare : "", out);
	sep(out);
	integer(out, months, months ? sp->from_year : 0);
	sep(out);
	integer(out, months, months ? sp->from_month : 0);
	sep(out);
	integer(out, months, months ? sp->to_year : 0);
	sep(out);
	integer(out, months, months ? sp->to_month : 0);
}

static void row_out(FILE *out, const struct row *r, int lang)
{
	const struct kpi_span *sp = r->span;
	int months = sp && sp->from_year != 0;

	fputs(r->record, out);
	sep(out);
	field(out, r->goal);
	sep(out);
	field(out, r->goal_title);
	sep(out);
	field(out, r->indicator);
	sep(out);
	field(out, r->name);
	sep(out);
	if (r->outcome)
		number(out, r->outcome->has, r->outcome->value);
	sep(out);
	if (r->forecast)
		number(out, r->forecast->has, r->forecast->value);
	sep(out);
	if (r->baseline)
		number(out, r->baseline->has, r->baseline->value);
	sep(out);
	last_year_fields(out, r);
	sep(out);
	field(out, r->unit);
	sep(out);
	integer(out, r->has_decimals, r->decimals);
	sep(out);
	fputs(r->method ? r->method : "", out);
	sep(out);
	target_fields(out, r->target, lang);
	sep(out);
	target_fields(out, r->council, lang);
	sep(out);
	period(out, r->period);
	sep(out);
	integer(out, months, months ? sp->from_year : 0);
	sep(out);
	integer(out, months, months ? sp->from_month : 0);
	sep(out);
	integer(out, months, months ? sp->to_year : 0);
	sep(out);
	integer(out, months, months ? sp->to_month : 0);
	sep(out);
	fputs(r->assessment ? r->assessment : "", out);
	sep(out);
	fputs(r->stated ? r->stated : "", out);
	sep(out);
	fputs(r->rule ? r->rule : "", out);
	sep(out);
	field(out, r->note);
	sep(out);
	if (r->ind) {
		fputs(r->ind->state_key, out);
		sep(out);
		fputs(r->ind->state_reason_key ? r->ind->state_reason_key : "",
		      out);
		sep(out);
		number(out, r->ind->has_chance, r->ind->chance);
		sep(out);
		number(out, r->ind->has_interval, r->ind->interval_lo.value);
		sep(out);
		number(out, r->ind->has_interval, r->ind->interval_hi.value);
		sep(out);
		fputs(r->ind->pace ? r->ind->pace_key : "", out);
	} else {
		for (int k = 0; k < 5; k++)
			sep(out);
	}
	fputs("\r\n", out);
}

static void indicator_rows(FILE *out, int lang,
                           const struct kpi_report_indicator *ri,
                           const char *goal, const char *goal_title)
{
	struct row r = {
		.record = "indicator", .goal = goal, .goal_title = goal_title,
		.indicator = ri->id, .name = KPI_TEXT(ri->name, lang),
		.unit = KPI_TEXT(ri->unit, lang), .outcome = &ri->outcome,
		.forecast = &ri->forecast, .baseline = &ri->baseline,
		.last = &ri->last_year, .compare = ri->compare_key,
		.last_span = &ri->last_year_covered,
		.method = ri->forecast_method_key, .target = &ri->target,
		.council = &ri->council, .period = KPI_TEXT(ri->period, lang),
		.span = &ri->covered, .has_decimals = 1,
		.decimals = ri->decimals, .assessment = ri->assessment.key,
		.stated = ri->has_stated ? ri->stated.key : NULL,
		.rule = ri->rule.id,
		.note = ri->differs ? KPI_TEXT(ri->note, lang) : NULL,
		.ind = ri,
	};

	row_out(out, &r, lang);
	for (size_t k = 0; k < ri->n_subperiods; k++) {
		const struct kpi_report_subperiod *sp = &ri->subperiods[k];
		struct row s = {
			.record = "subperiod", .goal = goal,
			.goal_title = goal_title, .indicator = ri->id,
			.name = KPI_TEXT(ri->name, lang),
			.unit = KPI_TEXT(ri->unit, lang), .outcome = &sp->value,
			.period = sp->covered.from_year ?
			          KPI_TEXT(sp->covered.label, lang) :
			          KPI_TEXT(sp->asked.label, lang),
			.span = &sp->covered, .has_decimals = 1,
			.decimals = sp->value.decimals,
		};

		row_out(out, &s, lang);
	}
	for (size_t k = 0; ri->breakdown && k < ri->n_groups; k++) {
		const struct kpi_report_group *g = &ri->groups[k];
		struct row s = {
			.record = "group", .goal = goal, .goal_title = goal_title,
			.indicator = ri->id, .name = g->name,
			.unit = KPI_TEXT(ri->unit, lang), .outcome = &g->outcome,
			.period = KPI_TEXT(g->covered.label, lang),
			.span = &g->covered, .has_decimals = 1,
			.decimals = g->outcome.decimals,
		};

		row_out(out, &s, lang);
	}
}

static void goal_rows(FILE *out, int lang, const struct kpi_report_goal *g)
{
	for (size_t i = 0; i < g->n_indicators; i++)
		indicator_rows(out, lang, g->indicators[i], g->id,
		               KPI_TEXT(g->title, lang));
	for (size_t i = 0; i < g->n_children; i++)
		goal_rows(out, lang, g->children[i]);
}

static void plugin_table(FILE *out, int lang, const struct kpi_report_table *t)
{
	const struct kpi_report_cell *cells = t->cells[lang == KPI_LANG_EN];

	if (t->n_columns == 0)
		return;
	fputs("\r\n", out);
	field(out, KPI_TEXT(t->title, lang));
	fputs("\r\n", out);
	for (size_t c = 0; c < t->n_columns; c++) {
		if (c)
			sep(out);
		field(out, KPI_TEXT(t->columns[c], lang));
	}
	fputs("\r\n", out);
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t c = 0; c < t->n_columns; c++) {
			const struct kpi_report_cell *cell = &cells[r * t->n_columns + c];

			if (c)
				sep(out);
			if (cell->kind == KPI_CELL_NUMBER)
				number(out, 1, cell->number);
			else if (cell->kind == KPI_CELL_TEXT)
				field(out, cell->text);
		}
		fputs("\r\n", out);
	}
}

int kpi_write_csv(FILE *out, const struct kpi_report *r,
                  const struct kpi_writer_opts *opts)
{
	int lang = opts->lang;

	lang_sep = lang == KPI_LANG_EN ? ',' : ';';
	fputs("\xef\xbb\xbf", out);          /* BOM: spreadsheets read UTF-8 */
	for (size_t i = 0; header[i]; i++)
		fprintf(out, "%s%s", i ? (lang_sep == ';' ? ";" : ",") : "",
		        header[i]);
	fputs("\r\n", out);
	for (size_t i = 0; i < r->n_roots; i++)
		goal_rows(out, lang, r->roots[i]);
	for (size_t i = 0; i < r->n_other; i++)
		indicator_rows(out, lang, r->other[i], "",
		               KPI_TEXT(r->other_heading, lang));
	for (size_t i = 0; i < r->n_failures; i++) {
		struct row f = {
			.record = "failure", .name = r->failures[i].area,
			.note = r->failures[i].reason,
		};

		row_out(out, &f, lang);
	}
	{
		struct row sum = {
			.record = "summary",
			.name = kpi_label(KPI_L_SUMMARY, lang),
			.note = KPI_TEXT(r->summary.text, lang),
		};

		row_out(out, &sum, lang);
	}
	for (size_t i = 0; i < r->n_tables; i++)
		plugin_table(out, lang, &r->tables[i]);
	return ferror(out) ? KPI_EIO : 0;
}
