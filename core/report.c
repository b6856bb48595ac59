/*
 * report.c - the follow-up report: goals in the registry's order with
 * their indicator tables, activities and assessments, the plugins' tables,
 * and a summary; as aligned text, Markdown, JSON or JUnit XML.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "fmt.h"

#define DASH "\xe2\x80\x93"   /* U+2013, the seed's empty cell */

/* Out of memory while building a table's cells: the table is not written
 * and kpi_report_write returns KPI_ENOMEM (docs/errors.md). */
static int report_nomem;
#define NAME_WIDTH 46         /* the indicator column wraps here */

static const char *L(int lang, const char *sv, const char *en)
{
	return lang == KPI_LANG_EN ? en : sv;
}

/* Prefer the language asked for, fall back to the other. */
static const char *pick(int lang, const char *sv, const char *en)
{
	const char *s = lang == KPI_LANG_EN ? en : sv;

	if (s && *s)
		return s;
	s = lang == KPI_LANG_EN ? sv : en;
	return s ? s : "";
}

const char *kpi_assessment_label(int a, int lang)
{
	switch (a) {
	case KPI_ASSESS_MET:
		return L(lang, "uppfylls helt", "met");
	case KPI_ASSESS_PARTIAL:
		return L(lang, "uppfylls delvis", "partially met");
	case KPI_ASSESS_NOT_MET:
		return L(lang, "uppfylls ej", "not met");
	default:
		return L(lang, "ej bedömd", "not assessed");
	}
}

/* Display width of UTF-8 text: code points (the report's text has no
 * wide characters). */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

/* Byte length of the longest prefix of s that is at most w wide and ends
 * at a space if possible. */
static size_t wrap_at(const char *s, size_t w)
{
	size_t bytes = 0, cols = 0, last_space = 0;

	while (s[bytes]) {
		if (((unsigned char)s[bytes] & 0xC0) != 0x80) {
			if (cols == w)
				break;
			cols++;
			if (s[bytes] == ' ')
				last_space = bytes;
		}
		bytes++;
	}
	if (!s[bytes])
		return bytes;
	return last_space ? last_space : bytes;
}

/* Print wrapped paragraph text at an indent. */
static void paragraph(FILE *out, int indent, const char *text, size_t w)
{
	while (*text) {
		size_t n = wrap_at(text, w);

		pad(out, (size_t)indent);
		fwrite(text, 1, n, out);
		fputc('\n', out);
		text += n;
		while (*text == ' ')
			text++;
	}
}

/* A table of strings: cells[r * ncols + c]; row 0 is the header.  The
 * first column wraps at NAME_WIDTH; the others are as wide as their
 * widest cell.  Cells after a row's last non-empty one are not padded. */
static void text_table(FILE *out, int indent, size_t ncols, size_t nrows,
                       char **cells)
{
	size_t *w = cells ? calloc(ncols ? ncols : 1, sizeof *w) : NULL;

	if (!w) {
		report_nomem = 1;
		return;
	}

	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncols; c++) {
			size_t cw = width(cells[r * ncols + c]);

			if (c == 0 && cw > NAME_WIDTH)
				cw = NAME_WIDTH;
			if (cw > w[c])
				w[c] = cw;
		}
	for (size_t r = 0; r < nrows; r++) {
		const char *first = cells[r * ncols];
		int line = 0;

		do {
			size_t n = wrap_at(first, w[0]);

			pad(out, (size_t)indent);
			fwrite(first, 1, n, out);
			first += n;
			while (*first == ' ')
				first++;
			if (line == 0) {
				size_t used = 0;

				/* width of what was printed of column 0 */
				for (size_t i = 0; i < n; i++)
					if (((unsigned char)cells[r * ncols][i] & 0xC0) !=
					    0x80)
						used++;
				size_t last = ncols;

				while (last > 1 && !*cells[r * ncols + last - 1])
					last--;
				for (size_t c = 1; c < last; c++) {
					const char *cell = cells[r * ncols + c];
					size_t prev = c == 1 ? used : width(cells[r * ncols + c - 1]);

					pad(out, w[c - 1] - prev + 2);
					fputs(cell, out);
				}
			}
			fputc('\n', out);
			line++;
		} while (*first);
		if (r == 0) {
			size_t total = 0;

			for (size_t c = 0; c < ncols; c++)
				total += w[c] + (c ? 2 : 0);
			pad(out, (size_t)indent);
			for (size_t i = 0; i < total; i++)
				fputc('-', out);
			fputc('\n', out);
		}
	}
	free(w);
}

/* A copy of s ("" for NULL), or NULL with report_nomem set. */
static char *xstrdup(const char *s)
{
	char *c = strdup(s ? s : "");

	if (!c)
		report_nomem = 1;
	return c;
}

/* A unit as the report writes it in `lang`: Swedish units in the config
 * get their English form ("st" is dropped). */
static const char *unit_in(const char *unit, int lang)
{
	static const char *const en[][2] = {
		{ "st", "" }, { "kWh/kvm", "kWh/m²" }, { "kr", "SEK" },
		{ "mnkr", "SEK m" }, { "kvm", "m²" },
	};

	if (!unit || lang != KPI_LANG_EN)
		return unit;
	for (size_t i = 0; i < sizeof en / sizeof en[0]; i++)
		if (strcmp(unit, en[i][0]) == 0)
			return en[i][1];
	return unit;
}

static void fmt_target(char *buf, size_t n, const struct kpi_target *t,
                       const struct kpi_indicator *ind, int lang)
{
	char num[64], w[64];
	const char *unit = unit_in(t->unit ? t->unit : ind->unit, lang);

	switch (t->kind) {
	case KPI_TARGET_NUMBER:
		kpi_fmt_value(buf, n, t->value, t->decimals, unit, lang);
		break;
	case KPI_TARGET_RANGE:
		kpi_fmt_number(num, sizeof num, t->value, t->decimals, lang, 1);
		kpi_fmt_value(w, sizeof w, t->width,
		              t->width == floor(t->width) ? 0 : 1, unit, lang);
		snprintf(buf, n, "%s +/- %s", num, w);
		break;
	case KPI_TARGET_INCREASE:
		snprintf(buf, n, "%s", L(lang, "öka", "increase"));
		break;
	case KPI_TARGET_DECREASE:
		snprintf(buf, n, "%s", L(lang, "minska", "decrease"));
		break;
	case KPI_TARGET_TEXT:
		snprintf(buf, n, "%s", pick(lang, t->text_sv, t->text_en));
		break;
	default:
		snprintf(buf, n, "%s", DASH);
	}
}

static void fmt_period(char *buf, size_t n, const struct kpi_indicator *ind,
                       const struct kpi_config *cfg, int lang)
{
	const struct kpi_result *r = &ind->res;

	if (ind->period_label)
		snprintf(buf, n, "%s", ind->period_label);
	else if (r->from_year)
		kpi_period_label(buf, n, lang, r->from_year, r->from_month,
		                 r->to_year, r->to_month);
	else
		snprintf(buf, n, "%d", cfg->year);
}

static const char *ind_name(const struct kpi_indicator *ind, int lang)
{
	const char *s = pick(lang, ind->name_sv, ind->name_en);

	return *s ? s : ind->id;
}

/* A stated assessment is flagged when the computed one is a real
 * assessment that differs from it; "not assessed" (no data yet) is not. */
static int differs(int stated, int computed)
{
	return stated >= 0 && computed != KPI_ASSESS_NONE && stated != computed;
}

/* Fill the seven display strings of an indicator row. */
static void indicator_cells(char **row, const struct kpi_indicator *ind,
                            const struct kpi_config *cfg, int lang)
{
	char buf[256];
	const struct kpi_result *r = &ind->res;

	row[0] = xstrdup(ind_name(ind, lang));
	if (r->has_outcome)
		kpi_fmt_value(buf, sizeof buf, r->outcome, ind->decimals,
		              unit_in(ind->unit, lang), lang);
	else
		snprintf(buf, sizeof buf, DASH);
	row[1] = xstrdup(buf);
	if (r->has_forecast)
		kpi_fmt_value(buf, sizeof buf, r->forecast,
		              ind->forecast_kind == KPI_FORECAST_MANUAL &&
		              ind->forecast_decimals > ind->decimals ?
		              ind->forecast_decimals : ind->decimals,
		              unit_in(ind->unit, lang), lang);
	else
		snprintf(buf, sizeof buf, DASH);
	row[2] = xstrdup(buf);
	fmt_target(buf, sizeof buf, &ind->target, ind, lang);
	row[3] = xstrdup(buf);
	fmt_target(buf, sizeof buf, &ind->council, ind, lang);
	row[4] = xstrdup(buf);
	fmt_period(buf, sizeof buf, ind, cfg, lang);
	row[5] = xstrdup(buf);
	snprintf(buf, sizeof buf, "%s%s", kpi_assessment_label(r->assessment, lang),
	         differs(ind->stated, r->assessment) ? " !" : "");
	row[6] = xstrdup(buf);
}

static void free_cells(char **cells, size_t n)
{
	if (!cells)
		return;
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

/* The cells of a table just built, or NULL (freed) if a copy failed. */
static char **cells_or_null(char **cells, size_t n)
{
	if (cells && report_nomem) {
		free_cells(cells, n);
		return NULL;
	}
	return cells;
}

static const char *goal_heading(const struct kpi_goal *g, int lang)
{
	switch (g->kind) {
	case KPI_GOAL_DIRECTION:
		return L(lang, "KF:s inriktningsmål", "Council's directional goal");
	case KPI_GOAL_COUNCIL:
		return L(lang, "KF:s mål för verksamhetsområdet",
		         "Council's goal for the area");
	default:
		return L(lang, "Nämndmål", "Committee goal");
	}
}

/* Cells of a goal's indicator table, the header row first with `first`
 * as the indicator column's title.  7 columns, g->n_indicators + 1 rows;
 * the caller frees with free_cells. */
static char **indicator_table(const struct kpi_report_ctx *rc,
                              const struct kpi_goal *g, const char *first)
{
	int lang = rc->lang;
	size_t nc = 7, nr = g->n_indicators + 1;
	char **cells = calloc(nc * nr, sizeof *cells);
	const char *head[7] = {
		first,
		L(lang, "Periodens utfall", "Outcome"),
		L(lang, "Prognos helår", "Forecast"),
		L(lang, "Årsmål", "Target"),
		L(lang, "KF:s årsmål", "Council target"),
		L(lang, "Period", "Period"),
		L(lang, "Bedömning", "Assessment"),
	};

	if (!cells) {
		report_nomem = 1;
		return NULL;
	}
	for (size_t c = 0; c < nc; c++)
		cells[c] = xstrdup(head[c]);
	for (size_t i = 0; i < g->n_indicators; i++)
		indicator_cells(&cells[(i + 1) * nc], g->indicators[i], rc->cfg,
		                lang);
	return cells_or_null(cells, nc * nr);
}

static void fmt_date(char *buf, size_t n, const struct kpi_date *d)
{
	snprintf(buf, n, "%04d-%02d-%02d", d->year, d->month, d->day);
}

/* Cells of a goal's activity table (4 columns, g->n_activities + 1 rows),
 * `first` titling the activity column.  The caller frees with
 * free_cells. */
static char **activity_table(const struct kpi_report_ctx *rc,
                             const struct kpi_goal *g, const char *first)
{
	int lang = rc->lang;
	size_t nc = 4, nr = g->n_activities + 1;
	char **cells = calloc(nc * nr, sizeof *cells);
	char buf[32];

	if (!cells) {
		report_nomem = 1;
		return NULL;
	}
	cells[0] = xstrdup(first);
	cells[1] = xstrdup(L(lang, "Startdatum", "Start"));
	cells[2] = xstrdup(L(lang, "Slutdatum", "End"));
	cells[3] = xstrdup(L(lang, "Avvikelse", "Deviation"));
	for (size_t i = 0; i < g->n_activities; i++) {
		const struct kpi_activity *a = g->activities[i];
		char **row = &cells[(i + 1) * nc];

		row[0] = xstrdup(pick(lang, a->text_sv, a->text_en));
		fmt_date(buf, sizeof buf, &a->start);
		row[1] = xstrdup(buf);
		fmt_date(buf, sizeof buf, &a->end);
		row[2] = xstrdup(buf);
		row[3] = xstrdup(pick(lang, a->deviation_sv, a->deviation_en));
	}
	return cells_or_null(cells, nc * nr);
}

static void fmt_cell(char *buf, size_t n, const struct kpi_cell *c, int lang)
{
	if (c->kind == KPI_CELL_NUMBER)
		kpi_fmt_number(buf, n, c->number, c->decimals, lang, 1);
	else if (c->kind == KPI_CELL_TEXT && c->text)
		snprintf(buf, n, "%s", c->text);
	else
		snprintf(buf, n, "%s", "");
}

/* Cells of a plugin's table as strings in rc->lang (English row labels
 * where the plugin gave them): t->n_columns columns, t->n_rows + 1 rows
 * with the header first.  The caller frees with free_cells. */
static char **plugin_table(const struct kpi_report_ctx *rc,
                           const struct kpi_table *t)
{
	int lang = rc->lang;
	size_t nc = t->n_columns, nr = t->n_rows + 1;
	const struct kpi_cell *src = lang == KPI_LANG_EN && t->cells_en ?
	                             t->cells_en : t->cells;
	char **cells = calloc(nc * nr + 1, sizeof *cells);
	char buf[256];

	if (!cells) {
		report_nomem = 1;
		return NULL;
	}
	for (size_t c = 0; c < nc; c++)
		cells[c] = xstrdup(pick(lang,
		                        t->columns_sv ? t->columns_sv[c] : NULL,
		                        t->columns_en ? t->columns_en[c] : NULL));
	for (size_t r = 0; r < t->n_rows; r++)
		for (size_t c = 0; c < nc; c++) {
			fmt_cell(buf, sizeof buf, &src[r * nc + c], lang);
			cells[(r + 1) * nc + c] = xstrdup(buf);
		}
	return cells_or_null(cells, nc * nr);
}

static void text_indicators(FILE *out, const struct kpi_report_ctx *rc,
                            const struct kpi_goal *g, int indent)
{
	int lang = rc->lang;
	char **cells = indicator_table(rc, g, g->kind == KPI_GOAL_COMMITTEE ?
		L(lang, "Nämndens indikatorer", "Committee's indicators") :
		L(lang, "KF:s indikatorer", "Council's indicators"));

	text_table(out, indent, 7, g->n_indicators + 1, cells);
	free_cells(cells, 7 * (g->n_indicators + 1));

	/* notes under the table: sub-periods, stated assessments, reasons */
	for (size_t i = 0; i < g->n_indicators; i++) {
		const struct kpi_indicator *ind = g->indicators[i];
		char buf[256], per[64], val[64];

		for (int k = 0; k < ind->n_subperiods; k++) {
			double v;
			int fy, fm, ty, tm;
			const char *why = NULL;

			if (kpi_eval_aggregate(ind, &ind->main, rc->cfg->year,
			                       ind->subperiods[k][0],
			                       ind->subperiods[k][1], &v, &fy, &fm,
			                       &ty, &tm, &why) == 0) {
				kpi_fmt_value(val, sizeof val, v, ind->decimals,
				              unit_in(ind->unit, lang), lang);
				kpi_period_label(per, sizeof per, lang, fy, fm, ty, tm);
			} else {
				kpi_period_label(per, sizeof per, lang, rc->cfg->year,
				                 ind->subperiods[k][0], rc->cfg->year,
				                 ind->subperiods[k][1]);
				snprintf(val, sizeof val, "%s", DASH);
			}
			pad(out, (size_t)indent + 2);
			fprintf(out, "%s, %s: %s\n", ind_name(ind, lang), per, val);
		}
		if (differs(ind->stated, ind->res.assessment)) {
			snprintf(buf, sizeof buf, "%s",
			         kpi_assessment_label(ind->stated, lang));
			pad(out, (size_t)indent + 2);
			fprintf(out, L(lang, "! %s: angiven bedömning \"%s\", "
			                     "beräknad \"%s\"\n",
			               "! %s: stated assessment \"%s\", "
			               "computed \"%s\"\n"),
			        ind_name(ind, lang), buf,
			        kpi_assessment_label(ind->res.assessment, lang));
		}
	}
}

static void text_activities(FILE *out, const struct kpi_report_ctx *rc,
                            const struct kpi_goal *g, int indent)
{
	int lang = rc->lang;
	char **cells = activity_table(rc, g, g->kind == KPI_GOAL_COMMITTEE ?
		L(lang, "Nämndens aktiviteter", "Committee's activities") :
		L(lang, "KF:s aktiviteter", "Council's activities"));

	text_table(out, indent, 4, g->n_activities + 1, cells);
	free_cells(cells, 4 * (g->n_activities + 1));
}

static void text_goal(FILE *out, const struct kpi_report_ctx *rc,
                      const struct kpi_goal *g, int indent)
{
	int lang = rc->lang;
	const char *text = pick(lang, g->text_sv, g->text_en);

	pad(out, (size_t)indent);
	if (g->kind == KPI_GOAL_COMMITTEE)
		fprintf(out, "%s: %s\n", goal_heading(g, lang),
		        pick(lang, g->title_sv, g->title_en));
	else
		fprintf(out, "%s %s: %s\n", goal_heading(g, lang), g->id,
		        pick(lang, g->title_sv, g->title_en));
	pad(out, (size_t)indent);
	fprintf(out, "%s: %s", L(lang, "Bedömning", "Assessment"),
	        kpi_assessment_label(g->assessment, lang));
	if (differs(g->stated, g->assessment))
		fprintf(out, L(lang, " ! angiven: %s", " ! stated: %s"),
		        kpi_assessment_label(g->stated, lang));
	fputc('\n', out);
	if (*text) {
		fputc('\n', out);
		paragraph(out, indent, text, 78 - (size_t)indent);
	}
	if (g->n_indicators) {
		fputc('\n', out);
		text_indicators(out, rc, g, indent);
	}
	if (g->n_activities) {
		fputc('\n', out);
		text_activities(out, rc, g, indent);
	}
	for (size_t i = 0; i < g->n_children; i++) {
		fputc('\n', out);
		text_goal(out, rc, g->children[i], indent + 2);
	}
}

static void text_plugin_table(FILE *out, const struct kpi_report_ctx *rc,
                              const struct kpi_report_table *rt)
{
	const struct kpi_table *t = &rt->t;
	const char *note = pick(rc->lang, t->note_sv, t->note_en);
	char **cells;

	if (t->n_columns == 0)
		return;
	fprintf(out, "%s\n\n", pick(rc->lang, t->title_sv, t->title_en));
	cells = plugin_table(rc, t);
	text_table(out, 0, t->n_columns, t->n_rows + 1, cells);
	free_cells(cells, t->n_columns * (t->n_rows + 1));
	if (*note) {
		fputc('\n', out);
		paragraph(out, 0, note, 78);
	}
	fputc('\n', out);
}

struct counts {
	unsigned n[4];
	unsigned differ;
};

static void count_indicators(const struct kpi_config *cfg, struct counts *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < cfg->n_goals; i++)
		for (size_t k = 0; k < cfg->goals[i]->n_indicators; k++) {
			const struct kpi_indicator *ind = cfg->goals[i]->indicators[k];

			c->n[ind->res.assessment & 3]++;
			if (differs(ind->stated, ind->res.assessment))
				c->differ++;
		}
}

static void text_report(FILE *out, const struct kpi_report_ctx *rc)
{
	const struct kpi_config *cfg = rc->cfg;
	int lang = rc->lang;
	char per[64];
	struct counts c;
	const char *title = pick(lang, cfg->title_sv, cfg->title_en);

	if (!*title)
		title = L(lang, "Uppföljning", "Follow-up");
	fprintf(out, "%s\n", title);
	kpi_period_label(per, sizeof per, lang, cfg->year, 1, cfg->year,
	                 cfg->period_month);
	fprintf(out, "%s: %s\n", L(lang, "Period", "Period"), per);
	for (size_t i = 0; i < rc->n_failures; i++)
		fprintf(out, L(lang, "FEL: området %s kunde inte beräknas: %s\n",
		               "ERROR: area %s could not be computed: %s\n"),
		        rc->failures[i].area, rc->failures[i].reason);
	for (size_t i = 0; i < cfg->n_goals; i++) {
		if (cfg->goals[i]->parent)
			continue;
		fputs("\n", out);
		text_goal(out, rc, cfg->goals[i], 0);
	}
	for (size_t i = 0; i < cfg->n_tables; i++) {
		fputs("\n", out);
		text_plugin_table(out, rc, &cfg->tables[i]);
	}
	count_indicators(cfg, &c);
	fprintf(out, "\n%s\n", L(lang, "Sammanfattning", "Summary"));
	fprintf(out, L(lang, "Indikatorer: %u uppfylls helt, %u uppfylls delvis, "
	                     "%u uppfylls ej, %u ej bedömda\n",
	               "Indicators: %u met, %u partially met, %u not met, "
	               "%u not assessed\n"),
	        c.n[KPI_ASSESS_MET], c.n[KPI_ASSESS_PARTIAL],
	        c.n[KPI_ASSESS_NOT_MET], c.n[KPI_ASSESS_NONE]);
	if (c.differ)
		fprintf(out, L(lang, "Beräknad bedömning skiljer sig från den "
		                     "angivna för %u indikatorer (!)\n",
		               "Computed assessment differs from the stated one "
		               "for %u indicators (!)\n"), c.differ);
}

static const char *assess_key(int a)
{
	static const char *const k[] = { "not_assessed", "met", "partial",
	                                 "not_met" };
	return k[a & 3];
}

/* ---- Markdown and HTML: one document walk, two markups --------------- */

/* How a document format writes text, headings, tables and emphasis. */
struct markup {
	void (*text)(FILE *out, const char *s);
	/* cells[r * ncols + c], row 0 the header */
	void (*table)(FILE *out, size_t ncols, size_t nrows, char **cells);
	const char *h_open[7], *h_close[7];   /* per heading level 1..6 */
	const char *p_open, *p_close;         /* a paragraph */
	const char *b_open, *b_close;         /* emphasis */
	const char *doc_open, *doc_close;
};

static void md_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (strchr("|\\*_<>`[]", *s))
			fputc('\\', out);
		fputc(*s == '\n' ? ' ' : *s, out);
	}
}

static void md_table(FILE *out, size_t ncols, size_t nrows, char **cells)
{
	if (!cells)
		return;         /* out of memory: report_nomem is set */
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			fputs(c ? " | " : "| ", out);
			md_text(out, cells[r * ncols + c]);
		}
		fputs(" |\n", out);
		if (r == 0) {
			for (size_t c = 0; c < ncols; c++)
				fputs("|---", out);
			fputs("|\n", out);
		}
	}
}

/* HTML-escape; C0 control characters other than TAB and LF are dropped. */
static void html_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			if (ch >= 0x20 || ch == '\t' || ch == '\n')
				fputc(ch, out);
		}
	}
}

static void html_table(FILE *out, size_t ncols, size_t nrows, char **cells)
{
	if (!cells)
		return;         /* out of memory: report_nomem is set */
	fputs("<table>\n", out);
	for (size_t r = 0; r < nrows; r++) {
		fputs("<tr>", out);
		for (size_t c = 0; c < ncols; c++) {
			fputs(r ? "<td>" : "<th>", out);
			html_text(out, cells[r * ncols + c]);
			fputs(r ? "</td>" : "</th>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static const struct markup markdown = {
	.text = md_text, .table = md_table,
	.h_open = { "", "# ", "\n## ", "\n### ", "\n#### ", "\n##### ",
	            "\n###### " },
	.h_close = { "", "\n", "\n", "\n", "\n", "\n", "\n" },
	.p_open = "\n", .p_close = "\n",
	.b_open = "**", .b_close = "**",
	.doc_open = "", .doc_close = "",
};

static const struct markup html = {
	.text = html_text, .table = html_table,
	.h_open = { "", "<h1>", "<h2>", "<h3>", "<h4>", "<h5>", "<h6>" },
	.h_close = { "", "</h1>\n", "</h2>\n", "</h3>\n", "</h4>\n",
	             "</h5>\n", "</h6>\n" },
	.p_open = "<p>", .p_close = "</p>\n",
	.b_open = "<strong>", .b_close = "</strong>",
	.doc_open = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
	            "<style>table{border-collapse:collapse}"
	            "td,th{border:1px solid #999;padding:2px 6px;"
	            "text-align:left}</style>\n</head>\n<body>\n",
	.doc_close = "</body>\n</html>\n",
};

static void doc_heading(FILE *out, const struct markup *m, int level,
                        const char *prefix, const char *title)
{
	fputs(m->h_open[level], out);
	m->text(out, prefix);
	m->text(out, title);
	fputs(m->h_close[level], out);
}

static void doc_goal(FILE *out, const struct kpi_report_ctx *rc,
                     const struct markup *m, const struct kpi_goal *g,
                     int level)
{
	int lang = rc->lang;
	const char *text = pick(lang, g->text_sv, g->text_en);
	char prefix[256];

	if (g->kind == KPI_GOAL_COMMITTEE)
		snprintf(prefix, sizeof prefix, "%s: ", goal_heading(g, lang));
	else
		snprintf(prefix, sizeof prefix, "%s %s: ", goal_heading(g, lang),
		         g->id);
	doc_heading(out, m, level, prefix, pick(lang, g->title_sv, g->title_en));
	fprintf(out, "%s%s%s: %s%s", m->p_open, m->b_open,
	        L(lang, "Bedömning", "Assessment"),
	        kpi_assessment_label(g->assessment, lang), m->b_close);
	if (differs(g->stated, g->assessment))
		fprintf(out, L(lang, " (angiven: %s)", " (stated: %s)"),
		        kpi_assessment_label(g->stated, lang));
	fputs(m->p_close, out);
	if (*text) {
		fputs(m->p_open, out);
		m->text(out, text);
		fputs(m->p_close, out);
	}
	if (g->n_indicators) {
		char **cells = indicator_table(rc, g,
		                               L(lang, "Indikator", "Indicator"));

		fputs(m == &markdown ? "\n" : "", out);
		m->table(out, 7, g->n_indicators + 1, cells);
		free_cells(cells, 7 * (g->n_indicators + 1));
	}
	if (g->n_activities) {
		char **cells = activity_table(rc, g,
		                              L(lang, "Aktivitet", "Activity"));

		fputs(m == &markdown ? "\n" : "", out);
		m->table(out, 4, g->n_activities + 1, cells);
		free_cells(cells, 4 * (g->n_activities + 1));
	}
	for (size_t i = 0; i < g->n_children; i++)
		doc_goal(out, rc, m, g->children[i], level < 6 ? level + 1 : 6);
}

static void doc_report(FILE *out, const struct kpi_report_ctx *rc,
                       const struct markup *m)
{
	const struct kpi_config *cfg = rc->cfg;
	int lang = rc->lang;
	char per[64], buf[256];
	const char *title = pick(lang, cfg->title_sv, cfg->title_en);

	fputs(m->doc_open, out);
	doc_heading(out, m, 1, "", *title ? title :
	            L(lang, "Uppföljning", "Follow-up"));
	kpi_period_label(per, sizeof per, lang, cfg->year, 1, cfg->year,
	                 cfg->period_month);
	fprintf(out, "%s%s: %s%s", m->p_open, L(lang, "Period", "Period"), per,
	        m->p_close);
	for (size_t i = 0; i < rc->n_failures; i++) {
		fprintf(out, "%s%s", m->p_open, m->b_open);
		snprintf(buf, sizeof buf,
		         L(lang, "FEL: området %s kunde inte beräknas: %s",
		           "ERROR: area %s could not be computed: %s"),
		         rc->failures[i].area, rc->failures[i].reason);
		m->text(out, buf);
		fprintf(out, "%s%s", m->b_close, m->p_close);
	}
	for (size_t i = 0; i < cfg->n_goals; i++)
		if (!cfg->goals[i]->parent)
			doc_goal(out, rc, m, cfg->goals[i], 2);
	for (size_t i = 0; i < cfg->n_tables; i++) {
		const struct kpi_table *t = &cfg->tables[i].t;
		const char *note = pick(lang, t->note_sv, t->note_en);
		char **cells;

		if (t->n_columns == 0)
			continue;
		doc_heading(out, m, 2, "", pick(lang, t->title_sv, t->title_en));
		fputs(m == &markdown ? "\n" : "", out);
		cells = plugin_table(rc, t);
		m->table(out, t->n_columns, t->n_rows + 1, cells);
		free_cells(cells, t->n_columns * (t->n_rows + 1));
		if (*note) {
			fputs(m->p_open, out);
			m->text(out, note);
			fputs(m->p_close, out);
		}
	}
	fputs(m->doc_close, out);
}

/* ---- CSV: one row per indicator, for spreadsheets ------------------- */

/* An RFC 4180 field; text that a spreadsheet would run as a formula
 * (starting with = + - @ TAB CR) gets a leading apostrophe. */
static void csv_field_out(FILE *out, const char *s)
{
	fputc('"', out);
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' ||
	          *s == '\t' || *s == '\r'))
		fputc('\'', out);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void csv_num_out(FILE *out, int has, double v)
{
	if (has && isfinite(v))
		fprintf(out, "%.10g", v);
}

static void csv_goal(FILE *out, const struct kpi_report_ctx *rc,
                     const struct kpi_goal *g)
{
	static const char *const kinds[] = { "none", "number", "increase",
	                                     "decrease", "range", "text" };
	char buf[256];

	for (size_t i = 0; i < g->n_indicators; i++) {
		const struct kpi_indicator *ind = g->indicators[i];
		const struct kpi_result *r = &ind->res;

		csv_field_out(out, g->id);
		fputc(',', out);
		csv_field_out(out, ind->id);
		fputc(',', out);
		csv_field_out(out, ind_name(ind, rc->lang));
		fputc(',', out);
		csv_field_out(out, unit_in(ind->unit, rc->lang));
		fputc(',', out);
		csv_num_out(out, r->has_outcome, r->outcome);
		fputc(',', out);
		csv_num_out(out, r->has_forecast, r->forecast);
		fprintf(out, ",%s,", kinds[ind->target.kind % 6]);
		fmt_target(buf, sizeof buf, &ind->target, ind, rc->lang);
		csv_field_out(out, buf);
		fprintf(out, ",%s,", kinds[ind->council.kind % 6]);
		fmt_target(buf, sizeof buf, &ind->council, ind, rc->lang);
		csv_field_out(out, buf);
		fputc(',', out);
		fmt_period(buf, sizeof buf, ind, rc->cfg, rc->lang);
		csv_field_out(out, buf);
		fprintf(out, ",%s,%s\r\n", assess_key(r->assessment),
		        ind->stated >= 0 ? assess_key(ind->stated) : "");
	}
	for (size_t i = 0; i < g->n_children; i++)
		csv_goal(out, rc, g->children[i]);
}

static void csv_report(FILE *out, const struct kpi_report_ctx *rc)
{
	fputs("goal,indicator,name,unit,outcome,forecast,target_kind,target,"
	      "council_target_kind,council_target,period,assessment,stated\r\n",
	      out);
	for (size_t i = 0; i < rc->cfg->n_goals; i++)
		if (!rc->cfg->goals[i]->parent)
			csv_goal(out, rc, rc->cfg->goals[i]);
}

/* ---- JSON ------------------------------------------------------------ */

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", out);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static void json_num(FILE *out, int has, double v)
{
	if (has && isfinite(v))
		fprintf(out, "%.10g", v);
	else
		fputs("null", out);
}


static void json_target(FILE *out, const struct kpi_target *t, int lang)
{
	static const char *const kinds[] = { "none", "number", "increase",
	                                     "decrease", "range", "text" };

	fprintf(out, "{\"kind\": \"%s\"", kinds[t->kind % 6]);
	if (t->kind == KPI_TARGET_NUMBER || t->kind == KPI_TARGET_RANGE) {
		fputs(", \"value\": ", out);
		json_num(out, 1, t->value);
	}
	if (t->kind == KPI_TARGET_RANGE) {
		fputs(", \"width\": ", out);
		json_num(out, 1, t->width);
	}
	if (t->kind == KPI_TARGET_TEXT) {
		fputs(", \"text\": ", out);
		json_str(out, pick(lang, t->text_sv, t->text_en));
	}
	if (t->unit) {
		fputs(", \"unit\": ", out);
		json_str(out, t->unit);
	}
	fputc('}', out);
}

static void json_indicator(FILE *out, const struct kpi_report_ctx *rc,
                           const struct kpi_indicator *ind)
{
	char per[64];
	const struct kpi_result *r = &ind->res;

	fmt_period(per, sizeof per, ind, rc->cfg, rc->lang);
	fputs("{\"id\": ", out);
	json_str(out, ind->id);
	fputs(", \"name\": ", out);
	json_str(out, ind_name(ind, rc->lang));
	fputs(", \"unit\": ", out);
	json_str(out, ind->unit);
	fputs(", \"outcome\": ", out);
	json_num(out, r->has_outcome, r->outcome);
	fputs(", \"forecast\": ", out);
	json_num(out, r->has_forecast, r->forecast);
	fputs(", \"target\": ", out);
	json_target(out, &ind->target, rc->lang);
	fputs(", \"council_target\": ", out);
	json_target(out, &ind->council, rc->lang);
	fputs(", \"period\": ", out);
	json_str(out, per);
	fprintf(out, ", \"assessment\": \"%s\"", assess_key(r->assessment));
	if (ind->stated >= 0)
		fprintf(out, ", \"stated\": \"%s\"", assess_key(ind->stated));
	if (r->why) {
		fputs(", \"why\": ", out);
		json_str(out, r->why);
	}
	fputc('}', out);
}

static void json_goal(FILE *out, const struct kpi_report_ctx *rc,
                      const struct kpi_goal *g)
{
	static const char *const kinds[] = { "direction", "council",
	                                     "committee" };

	fputs("{\"id\": ", out);
	json_str(out, g->id);
	fprintf(out, ", \"kind\": \"%s\", \"title\": ", kinds[g->kind % 3]);
	json_str(out, pick(rc->lang, g->title_sv, g->title_en));
	fprintf(out, ", \"assessment\": \"%s\"", assess_key(g->assessment));
	if (g->stated >= 0)
		fprintf(out, ", \"stated\": \"%s\"", assess_key(g->stated));
	fputs(", \"indicators\": [", out);
	for (size_t i = 0; i < g->n_indicators; i++) {
		fputs(i ? ", " : "", out);
		json_indicator(out, rc, g->indicators[i]);
	}
	fputs("], \"activities\": [", out);
	for (size_t i = 0; i < g->n_activities; i++) {
		const struct kpi_activity *a = g->activities[i];
		char s[16], e[16];

		fmt_date(s, sizeof s, &a->start);
		fmt_date(e, sizeof e, &a->end);
		fputs(i ? ", " : "", out);
		fputs("{\"text\": ", out);
		json_str(out, pick(rc->lang, a->text_sv, a->text_en));
		fprintf(out, ", \"start\": \"%s\", \"end\": \"%s\", "
		             "\"deviation\": ", s, e);
		json_str(out, pick(rc->lang, a->deviation_sv, a->deviation_en));
		fputc('}', out);
	}
	fputs("], \"goals\": [", out);
	for (size_t i = 0; i < g->n_children; i++) {
		fputs(i ? ", " : "", out);
		json_goal(out, rc, g->children[i]);
	}
	fputs("]}", out);
}

static void json_report(FILE *out, const struct kpi_report_ctx *rc)
{
	const struct kpi_config *cfg = rc->cfg;
	int first = 1;

	fprintf(out, "{\"year\": %d, \"period_month\": %d, \"lang\": \"%s\", "
	             "\"goals\": [", cfg->year, cfg->period_month,
	        rc->lang == KPI_LANG_EN ? "en" : "sv");
	for (size_t i = 0; i < cfg->n_goals; i++) {
		if (cfg->goals[i]->parent)
			continue;
		fputs(first ? "" : ", ", out);
		first = 0;
		json_goal(out, rc, cfg->goals[i]);
	}
	fputs("], \"tables\": [", out);
	for (size_t i = 0; i < cfg->n_tables; i++) {
		const struct kpi_table *t = &cfg->tables[i].t;

		fputs(i ? ", " : "", out);
		fputs("{\"area\": ", out);
		json_str(out, cfg->tables[i].area);
		fputs(", \"id\": ", out);
		json_str(out, t->id);
		fputs(", \"title\": ", out);
		json_str(out, pick(rc->lang, t->title_sv, t->title_en));
		fputs(", \"columns\": [", out);
		for (size_t c = 0; c < t->n_columns; c++) {
			fputs(c ? ", " : "", out);
			json_str(out, pick(rc->lang,
			                   t->columns_sv ? t->columns_sv[c] : NULL,
			                   t->columns_en ? t->columns_en[c] : NULL));
		}
		fputs("], \"rows\": [", out);
		const struct kpi_cell *src = rc->lang == KPI_LANG_EN &&
		                             t->cells_en ? t->cells_en : t->cells;
		for (size_t r = 0; r < t->n_rows; r++) {
			fputs(r ? ", [" : "[", out);
			for (size_t c = 0; c < t->n_columns; c++) {
				const struct kpi_cell *cell = &src[r * t->n_columns + c];

				fputs(c ? ", " : "", out);
				if (cell->kind == KPI_CELL_NUMBER)
					json_num(out, 1, cell->number);
				else if (cell->kind == KPI_CELL_TEXT)
					json_str(out, cell->text);
				else
					fputs("null", out);
			}
			fputc(']', out);
		}
		fputs("]}", out);
	}
	fputs("], \"failures\": [", out);
	for (size_t i = 0; i < rc->n_failures; i++) {
		fputs(i ? ", " : "", out);
		fputs("{\"area\": ", out);
		json_str(out, rc->failures[i].area);
		fputs(", \"reason\": ", out);
		json_str(out, rc->failures[i].reason);
		fputc('}', out);
	}
	fputs("]}\n", out);
}

/* ---- JUnit XML: one test case per assessed indicator --------------- */

static void xml_str(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			/* C0 controls are invalid in XML 1.0, even escaped */
			if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
				fputc('?', out);
			else
				fputc(ch, out);
		}
	}
}

static void junit_report(FILE *out, const struct kpi_report_ctx *rc)
{
	const struct kpi_config *cfg = rc->cfg;
	size_t total = 0, failures = 0;

	for (size_t i = 0; i < cfg->n_indicators; i++) {
		total++;
		if (cfg->indicators[i]->res.assessment == KPI_ASSESS_NOT_MET ||
		    cfg->indicators[i]->res.assessment == KPI_ASSESS_PARTIAL)
			failures++;
	}
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	             "<testsuites><testsuite name=\"kpirun %d\" tests=\"%zu\" "
	             "failures=\"%zu\" errors=\"%zu\">\n", cfg->year, total,
	        failures, rc->n_failures);
	for (size_t i = 0; i < cfg->n_indicators; i++) {
		const struct kpi_indicator *ind = cfg->indicators[i];
		int a = ind->res.assessment;
		char val[64] = "", tgt[128];

		fputs("<testcase classname=\"", out);
		xml_str(out, ind->area);
		fputs("\" name=\"", out);
		xml_str(out, ind->id);
		fputs("\">", out);
		if (a == KPI_ASSESS_NONE)
			fputs("<skipped/>", out);
		else if (a != KPI_ASSESS_MET) {
			double v = ind->res.has_forecast ? ind->res.forecast :
			           ind->res.outcome;

			kpi_fmt_value(val, sizeof val, v, ind->decimals,
			              unit_in(ind->unit, KPI_LANG_EN), KPI_LANG_EN);
			fmt_target(tgt, sizeof tgt, &ind->target, ind, KPI_LANG_EN);
			fprintf(out, "<failure message=\"%s: ", assess_key(a));
			xml_str(out, val);
			fputs(" against target ", out);
			xml_str(out, tgt);
			fputs("\"/>", out);
		}
		fputs("</testcase>\n", out);
	}
	for (size_t i = 0; i < rc->n_failures; i++) {
		fputs("<testcase classname=\"plugin\" name=\"", out);
		xml_str(out, rc->failures[i].area);
		fputs("\"><error message=\"", out);
		xml_str(out, rc->failures[i].reason);
		fputs("\"/></testcase>\n", out);
	}
	fputs("</testsuite></testsuites>\n", out);
}

int kpi_report_write(FILE *out, int format, const struct kpi_report_ctx *rc)
{
	report_nomem = 0;
	switch (format) {
	case KPI_FORMAT_JSON:
		json_report(out, rc);
		break;
	case KPI_FORMAT_JUNIT:
		junit_report(out, rc);
		break;
	case KPI_FORMAT_MARKDOWN:
		doc_report(out, rc, &markdown);
		break;
	case KPI_FORMAT_HTML:
		doc_report(out, rc, &html);
		break;
	case KPI_FORMAT_CSV:
		csv_report(out, rc);
		break;
	default:
		text_report(out, rc);
	}
	if (report_nomem)
		return KPI_ENOMEM;
	return ferror(out) ? KPI_EIO : 0;
}
