/*
 * write_csv.c - the report as RFC 4180 CSV for spreadsheets and scripts.
 *
 * The first block is one row per record, the kind in the first column:
 * "indicator" (every row of every goal's table, then the other
 * indicators with an empty goal), "subperiod" and "group" (the notes
 * under a table, naming their indicator), "failure" (an area that could
 * not be computed, its reason in "note"), "summary" (the counts as a
 * sentence in "note").  Numbers are bare and read back
 * to the same double (kpi_fmt_roundtrip); their formatted text is in the
 * *_text columns.  Each plugin table follows after an empty line: its
 * title, its header, its rows.  Text is quoted and formula-neutralised
 * (escape.h).
 */
#include "writer.h"

#include "escape.h"
#include "fmt.h"

static void field(FILE *out, const char *s)
{
	kpi_escape(out, KPI_ESC_CSV, s);
}

static void sep(FILE *out)
{
	fputc(',', out);
}

static void number(FILE *out, int has, double v)
{
	char buf[64];

	if (has)
		fputs(kpi_fmt_roundtrip(buf, sizeof buf, v), out);
}

static const char *const header[] = {
	"record", "goal", "goal_title", "indicator", "name", "unit",
	"outcome", "outcome_text", "forecast", "forecast_text",
	"forecast_method", "baseline", "target_kind", "target_value",
	"target", "council_target_kind", "council_target_value",
	"council_target", "period", "assessment", "stated", "rule", "note",
	NULL
};

/* One record row; NULL strings are empty fields. */
struct row {
	const char *record, *goal, *goal_title, *indicator, *name, *unit;
	const struct kpi_figure *outcome, *forecast, *baseline;
	const char *method;
	const struct kpi_report_target *target, *council;
	const char *period, *assessment, *stated, *rule, *note;
};

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
		field(out, KPI_TEXT(t->display, lang));
	else
		field(out, "");
}

static void row_out(FILE *out, const struct row *r, int lang)
{
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
	field(out, r->unit);
	sep(out);
	if (r->outcome)
		number(out, r->outcome->has, r->outcome->value);
	sep(out);
	field(out, r->outcome && r->outcome->has ?
	      KPI_TEXT(r->outcome->text, lang) : "");
	sep(out);
	if (r->forecast)
		number(out, r->forecast->has, r->forecast->value);
	sep(out);
	field(out, r->forecast && r->forecast->has ?
	      KPI_TEXT(r->forecast->text, lang) : "");
	sep(out);
	fputs(r->method ? r->method : "", out);
	sep(out);
	if (r->baseline)
		number(out, r->baseline->has, r->baseline->value);
	sep(out);
	target_fields(out, r->target, lang);
	sep(out);
	target_fields(out, r->council, lang);
	sep(out);
	field(out, r->period);
	sep(out);
	fputs(r->assessment ? r->assessment : "", out);
	sep(out);
	fputs(r->stated ? r->stated : "", out);
	sep(out);
	fputs(r->rule ? r->rule : "", out);
	sep(out);
	field(out, r->note);
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
		.method = ri->forecast_method_key, .target = &ri->target,
		.council = &ri->council, .period = KPI_TEXT(ri->period, lang),
		.assessment = ri->assessment.key,
		.stated = ri->has_stated ? ri->stated.key : NULL,
		.rule = ri->rule.id,
		.note = ri->differs ? KPI_TEXT(ri->note, lang) : NULL,
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

	for (size_t i = 0; header[i]; i++)
		fprintf(out, "%s%s", i ? "," : "", header[i]);
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
