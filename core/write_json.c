/*
 * write_json.c - the report as JSON for programs, described by
 * docs/report.schema.json (bump KPI_REPORT_SCHEMA_VERSION with it).
 *
 * A small emitter of our own: the layout is one line, `"key": value`
 * pairs separated by ", ".  Numbers read back to the same double and are
 * written without exponent for ordinary amounts (kpi_fmt_roundtrip);
 * strings are always valid UTF-8 (escape.h replaces invalid bytes).
 * Texts are in the language asked for; raw figures sit beside them.
 */
#include "writer.h"

#include "escape.h"
#include "fmt.h"

#define JSON_MAX_DEPTH 64

struct json {
	FILE *out;
	int depth;
	int first[JSON_MAX_DEPTH];
};

/* Separator and key before a value (key NULL inside an array). */
static void jkey(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputs(", ", j->out);
	j->first[j->depth] = 0;
	if (key) {
		fputc('"', j->out);
		kpi_escape(j->out, KPI_ESC_JSON, key);
		fputs("\": ", j->out);
	}
}

static void jopen(struct json *j, const char *key, char c)
{
	if (j->depth > 0)
		jkey(j, key);
	fputc(c, j->out);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = 1;
}

static void jclose(struct json *j, char c)
{
	fputc(c, j->out);
	if (j->depth > 0)
		j->depth--;
}

static void jstr(struct json *j, const char *key, const char *s)
{
	jkey(j, key);
	if (!s) {
		fputs("null", j->out);
		return;
	}
	fputc('"', j->out);
	kpi_escape(j->out, KPI_ESC_JSON, s);
	fputc('"', j->out);
}

static void jnum(struct json *j, const char *key, int has, double v)
{
	char buf[64];

	jkey(j, key);
	kpi_fmt_roundtrip(buf, sizeof buf, v);
	fputs(has && *buf ? buf : "null", j->out);
}

static void jint(struct json *j, const char *key, long v)
{
	jkey(j, key);
	fprintf(j->out, "%ld", v);
}

static void jbool(struct json *j, const char *key, int v)
{
	jkey(j, key);
	fputs(v ? "true" : "false", j->out);
}

static void jnull(struct json *j, const char *key)
{
	jkey(j, key);
	fputs("null", j->out);
}

/* {"year": 2011, "month": 1} */
static void jmonth(struct json *j, const char *key, int year, int month)
{
	jopen(j, key, '{');
	jint(j, "year", year);
	jint(j, "month", month);
	jclose(j, '}');
}

/* Months covered: {"from": ..., "to": ..., "label": ...}, or null. */
static void jspan(struct json *j, const char *key, const struct kpi_span *s,
                  int lang)
{
	if (!s->from_year) {
		jnull(j, key);
		return;
	}
	jopen(j, key, '{');
	jmonth(j, "from", s->from_year, s->from_month);
	jmonth(j, "to", s->to_year, s->to_month);
	jstr(j, "label", KPI_TEXT(s->label, lang));
	jclose(j, '}');
}

static void jfigure_text(struct json *j, const char *key,
                         const struct kpi_figure *f, int lang)
{
	if (f->has)
		jstr(j, key, KPI_TEXT(f->text, lang));
	else
		jnull(j, key);
}

static void jtarget(struct json *j, const char *key,
                    const struct kpi_report_target *t, int lang)
{
	jopen(j, key, '{');
	jstr(j, "kind", t->kind_key);
	if (t->has_value)
		jnum(j, "value", 1, t->value);
	if (t->has_width)
		jnum(j, "width", 1, t->width);
	if (t->has_value) {
		jint(j, "decimals", t->decimals);
		jstr(j, "unit", KPI_TEXT(t->unit, lang));
	}
	if (t->kind == KPI_TARGET_TEXT)
		jstr(j, "text", KPI_TEXT(t->text, lang));
	jstr(j, "display", KPI_TEXT(t->display, lang));
	jclose(j, '}');
}

/* Only the months with data: [{"year", "month", "numerator",
 * "denominator", "value"}, ...]. */
static void jseries(struct json *j, const char *key,
                    const struct kpi_report_series *s)
{
	jopen(j, key, '[');
	for (int i = 0; i < 24; i++) {
		const struct kpi_report_month *m = &s->m[i];

		if (!m->has)
			continue;
		jopen(j, NULL, '{');
		jint(j, "year", m->year);
		jint(j, "month", m->month);
		jnum(j, "numerator", 1, m->num);
		jnum(j, "denominator", 1, m->den);
		jnum(j, "value", m->has_value, m->value);
		jclose(j, '}');
	}
	jclose(j, ']');
}

static void jgrade(struct json *j, const char *key, const char *label_key,
                   const struct kpi_grade *g, int lang)
{
	jstr(j, key, g->key);
	jstr(j, label_key, KPI_TEXT(g->label, lang));
}

static void jindicator(struct json *j, const struct kpi_report_indicator *ri,
                       int lang)
{
	jopen(j, NULL, '{');
	jstr(j, "id", ri->id);
	jstr(j, "name", KPI_TEXT(ri->name, lang));
	jstr(j, "unit", ri->unit_raw);
	jnum(j, "outcome", ri->outcome.has, ri->outcome.value);
	jnum(j, "forecast", ri->forecast.has, ri->forecast.value);
	jstr(j, "area", ri->area);
	jstr(j, "unit_text", KPI_TEXT(ri->unit, lang));
	jint(j, "decimals", ri->decimals);
	jstr(j, "direction", ri->direction_key);
	jstr(j, "aggregation", ri->aggregation_key);
	jfigure_text(j, "outcome_text", &ri->outcome, lang);
	jbool(j, "outcome_stated", ri->outcome_stated);
	if (ri->outcome.has) {
		jnull(j, "no_outcome");
	} else {
		jopen(j, "no_outcome", '{');
		jstr(j, "key", ri->why_key);
		jstr(j, "text", KPI_TEXT(ri->why, lang));
		jclose(j, '}');
	}
	jfigure_text(j, "forecast_text", &ri->forecast, lang);
	jstr(j, "forecast_method", ri->forecast_method_key);
	jnum(j, "baseline", ri->baseline.has, ri->baseline.value);
	jstr(j, "baseline_source", ri->baseline.has ?
	     (ri->baseline_configured ? "config" : "last_year") : NULL);
	jopen(j, "last_year", '{');
	jstr(j, "compare", ri->compare_key);
	jstr(j, "label", KPI_TEXT(ri->compare_label, lang));
	jnum(j, "value", ri->last_year.has, ri->last_year.value);
	jfigure_text(j, "value_text", &ri->last_year, lang);
	jbool(j, "stated", ri->last_year_stated);
	jspan(j, "months_asked", &ri->last_year_asked, lang);
	jspan(j, "months_covered", &ri->last_year_covered, lang);
	jclose(j, '}');
	jtarget(j, "target", &ri->target, lang);
	jtarget(j, "council_target", &ri->council, lang);
	jstr(j, "council_scope", ri->council_citywide ? "city" : "committee");
	jopen(j, "tolerance", '{');
	jnum(j, "value", 1, ri->tolerance);
	jbool(j, "relative", ri->tolerance_relative);
	jclose(j, '}');
	jstr(j, "period", KPI_TEXT(ri->period, lang));
	jspan(j, "months_covered", &ri->covered, lang);
	jseries(j, "months", &ri->series);
	jopen(j, "subperiods", '[');
	for (size_t k = 0; k < ri->n_subperiods; k++) {
		const struct kpi_report_subperiod *sp = &ri->subperiods[k];

		jopen(j, NULL, '{');
		jint(j, "from_month", sp->from_month);
		jint(j, "to_month", sp->to_month);
		jspan(j, "months_asked", &sp->asked, lang);
		jstr(j, "label", KPI_TEXT(sp->asked.label, lang));
		jnum(j, "value", sp->value.has, sp->value.value);
		jfigure_text(j, "value_text", &sp->value, lang);
		jspan(j, "months_covered", &sp->covered, lang);
		jstr(j, "text", KPI_TEXT(sp->line, lang));
		jclose(j, '}');
	}
	jclose(j, ']');
	jbool(j, "breakdown", ri->breakdown);
	jopen(j, "groups", '[');
	for (size_t k = 0; k < ri->n_groups; k++) {
		const struct kpi_report_group *g = &ri->groups[k];

		jopen(j, NULL, '{');
		jstr(j, "name", g->name);
		jnum(j, "outcome", g->outcome.has, g->outcome.value);
		jfigure_text(j, "outcome_text", &g->outcome, lang);
		jspan(j, "months_covered", &g->covered, lang);
		jseries(j, "months", &g->series);
		jclose(j, '}');
	}
	jclose(j, ']');
	jgrade(j, "assessment", "assessment_text", &ri->assessment, lang);
	if (ri->has_stated)
		jgrade(j, "stated", "stated_text", &ri->stated, lang);
	else {
		jnull(j, "stated");
		jnull(j, "stated_text");
	}
	jbool(j, "differs", ri->differs);
	if (ri->differs)
		jstr(j, "note", KPI_TEXT(ri->note, lang));
	else
		jnull(j, "note");
	jopen(j, "rule", '{');
	jstr(j, "id", ri->rule.id);
	jstr(j, "text", KPI_TEXT(ri->rule.text, lang));
	jstr(j, "compared", ri->assessed_on_forecast ? "forecast" : "outcome");
	jclose(j, '}');
	jopen(j, "assessment_state", '{');
	jstr(j, "state", ri->state_key);
	jstr(j, "reason", ri->state_reason_key);
	jstr(j, "reason_text", ri->state_reason_key ?
	     KPI_TEXT(ri->state_reason, lang) : NULL);
	jclose(j, '}');
	jopen(j, "chance", '{');
	jnum(j, "probability", ri->has_chance, ri->chance);
	jstr(j, "text", KPI_TEXT(ri->chance_text, lang));
	if (ri->has_interval) {
		jopen(j, "interval", '{');
		jnum(j, "level", 1, ri->interval_level);
		jnum(j, "low", 1, ri->interval_lo.value);
		jnum(j, "high", 1, ri->interval_hi.value);
		jfigure_text(j, "low_text", &ri->interval_lo, lang);
		jfigure_text(j, "high_text", &ri->interval_hi, lang);
		jnum(j, "sd", 1, ri->year_sd);
		jint(j, "months", ri->odds_months);
		jclose(j, '}');
		jstr(j, "line", KPI_TEXT(ri->odds_line, lang));
	} else {
		jnull(j, "interval");
		jnull(j, "line");
	}
	jstr(j, "omitted", ri->odds_why_key);
	jclose(j, '}');
	jopen(j, "pace", '{');
	jstr(j, "state", ri->pace ? ri->pace_key : NULL);
	jstr(j, "label", KPI_TEXT(ri->pace_label, lang));
	jnum(j, "expected", ri->pace_expected.has, ri->pace_expected.value);
	jnum(j, "actual", ri->pace_actual.has, ri->pace_actual.value);
	jint(j, "months", ri->pace_months);
	jstr(j, "omitted", ri->pace_why_key);
	jclose(j, '}');
	jclose(j, '}');
}

static void jgoal(struct json *j, const struct kpi_report_goal *g, int lang)
{
	jopen(j, NULL, '{');
	jstr(j, "id", g->id);
	jstr(j, "kind", g->kind_key);
	jstr(j, "title", KPI_TEXT(g->title, lang));
	jstr(j, "heading", KPI_TEXT(g->heading, lang));
	jstr(j, "text", KPI_TEXT(g->text, lang));
	jgrade(j, "assessment", "assessment_text", &g->assessment, lang);
	if (g->has_stated)
		jgrade(j, "stated", "stated_text", &g->stated, lang);
	else {
		jnull(j, "stated");
		jnull(j, "stated_text");
	}
	jbool(j, "differs", g->differs);
	jopen(j, "indicators", '[');
	for (size_t i = 0; i < g->n_indicators; i++)
		jindicator(j, g->indicators[i], lang);
	jclose(j, ']');
	jopen(j, "activities", '[');
	for (size_t i = 0; i < g->n_activities; i++) {
		const struct kpi_report_activity *a = &g->activities[i];

		jopen(j, NULL, '{');
		jstr(j, "text", KPI_TEXT(a->text, lang));
		jstr(j, "start", a->start_text);
		jstr(j, "end", a->end_text);
		jstr(j, "deviation", KPI_TEXT(a->deviation, lang));
		jclose(j, '}');
	}
	jclose(j, ']');
	jopen(j, "goals", '[');
	for (size_t i = 0; i < g->n_children; i++)
		jgoal(j, g->children[i], lang);
	jclose(j, ']');
	jclose(j, '}');
}

static void jtable(struct json *j, const struct kpi_report_table *t, int lang)
{
	const struct kpi_report_cell *cells = t->cells[lang == KPI_LANG_EN];

	jopen(j, NULL, '{');
	jstr(j, "area", t->area);
	jstr(j, "id", t->id);
	jstr(j, "title", KPI_TEXT(t->title, lang));
	jstr(j, "note", KPI_TEXT(t->note, lang));
	jopen(j, "columns", '[');
	for (size_t c = 0; c < t->n_columns; c++)
		jstr(j, NULL, KPI_TEXT(t->columns[c], lang));
	jclose(j, ']');
	jopen(j, "rows", '[');
	for (size_t r = 0; r < t->n_rows; r++) {
		jopen(j, NULL, '[');
		for (size_t c = 0; c < t->n_columns; c++) {
			const struct kpi_report_cell *cell = &cells[r * t->n_columns + c];

			if (cell->kind == KPI_CELL_NUMBER)
				jnum(j, NULL, 1, cell->number);
			else if (cell->kind == KPI_CELL_TEXT)
				jstr(j, NULL, cell->text);
			else
				jnull(j, NULL);
		}
		jclose(j, ']');
	}
	jclose(j, ']');
	jopen(j, "rows_text", '[');
	for (size_t r = 0; r < t->n_rows; r++) {
		jopen(j, NULL, '[');
		for (size_t c = 0; c < t->n_columns; c++)
			jstr(j, NULL, cells[r * t->n_columns + c].text);
		jclose(j, ']');
	}
	jclose(j, ']');
	jclose(j, '}');
}

int kpi_write_json(FILE *out, const struct kpi_report *r,
                   const struct kpi_writer_opts *opts)
{
	struct json j = { .out = out };
	int lang = opts->lang;
	const struct kpi_report_summary *s = &r->summary;

	jopen(&j, NULL, '{');
	jint(&j, "schema_version", r->schema_version);
	jopen(&j, "generator", '{');
	jstr(&j, "name", r->generator);
	jstr(&j, "version", r->version);
	jclose(&j, '}');
	jstr(&j, "lang", lang == KPI_LANG_EN ? "en" : "sv");
	jstr(&j, "title", KPI_TEXT(r->title, lang));
	jstr(&j, "organisation", KPI_TEXT(r->organisation, lang));
	jint(&j, "year", r->year);
	jint(&j, "period_month", r->period.to_month);
	jspan(&j, "period", &r->period, lang);
	jstr(&j, "period_kind", r->period_kind);
	jopen(&j, "goals", '[');
	for (size_t i = 0; i < r->n_roots; i++)
		jgoal(&j, r->roots[i], lang);
	jclose(&j, ']');
	jopen(&j, "other_indicators", '{');
	jstr(&j, "title", KPI_TEXT(r->other_heading, lang));
	jopen(&j, "indicators", '[');
	for (size_t i = 0; i < r->n_other; i++)
		jindicator(&j, r->other[i], lang);
	jclose(&j, ']');
	jclose(&j, '}');
	jopen(&j, "tables", '[');
	for (size_t i = 0; i < r->n_tables; i++)
		jtable(&j, &r->tables[i], lang);
	jclose(&j, ']');
	jopen(&j, "failures", '[');
	for (size_t i = 0; i < r->n_failures; i++) {
		jopen(&j, NULL, '{');
		jstr(&j, "area", r->failures[i].area);
		jstr(&j, "reason", r->failures[i].reason);
		jint(&j, "status", r->failures[i].status);
		jstr(&j, "text", KPI_TEXT(r->failures[i].text, lang));
		jclose(&j, '}');
	}
	jclose(&j, ']');
	jopen(&j, "summary", '{');
	jint(&j, "indicators", (long)s->total);
	jint(&j, "met", (long)s->met);
	jint(&j, "partial", (long)s->partial);
	jint(&j, "not_met", (long)s->not_met);
	jint(&j, "not_assessed", (long)s->not_assessed);
	jint(&j, "differ", (long)s->differ);
	jstr(&j, "text", KPI_TEXT(s->text, lang));
	jclose(&j, '}');
	jclose(&j, '}');
	fputc('\n', out);
	return ferror(out) ? KPI_EIO : 0;
}
