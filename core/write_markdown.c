/*
 * write_markdown.c - the report as Markdown for pasting into documents:
 * headings per goal, pipe tables, the notes under each table as a list,
 * the other indicators, the plugins' tables and the summary.  Text is
 * escaped for Markdown (escape.h), control characters made visible.
 */
#include "writer.h"

#include <stdlib.h>

#include "escape.h"

static void put(FILE *out, const char *s)
{
	kpi_escape(out, KPI_ESC_MARKDOWN, s);
}

static void heading(FILE *out, int level, const char *title)
{
	if (level > 1)
		fputc('\n', out);
	for (int i = 0; i < level; i++)
		fputc('#', out);
	fputc(' ', out);
	put(out, title);
	fputc('\n', out);
}

static void table(FILE *out, size_t ncols, size_t nrows,
                  const char *const *cells)
{
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			fputs(c ? " | " : "| ", out);
			put(out, cells[r * ncols + c]);
		}
		fputs(" |\n", out);
		if (r == 0) {
			for (size_t c = 0; c < ncols; c++)
				fputs("|---", out);
			fputs("|\n", out);
		}
	}
}

static void paragraph(FILE *out, const char *text)
{
	fputc('\n', out);
	put(out, text);
	fputc('\n', out);
}

/* Sub-period values, group rows and stated-vs-computed notes under a
 * table, as a list (nothing when there are none). */
static void notes(FILE *out, int lang, struct kpi_report_indicator *const *inds,
                  size_t n)
{
	int first = 1;

	for (size_t i = 0; i < n; i++) {
		const struct kpi_report_indicator *ri = inds[i];

		for (size_t k = 0; k < ri->n_subperiods; k++) {
			fputs(first ? "\n- " : "- ", out);
			first = 0;
			put(out, KPI_TEXT(ri->subperiods[k].line, lang));
			fputc('\n', out);
		}
		if (ri->has_interval) {
			fputs(first ? "\n- " : "- ", out);
			first = 0;
			put(out, KPI_TEXT(ri->odds_line, lang));
			fputc('\n', out);
		}
		for (size_t k = 0; ri->breakdown && k < ri->n_groups; k++) {
			fputs(first ? "\n- " : "- ", out);
			first = 0;
			put(out, KPI_TEXT(ri->name, lang));
			fputs(", ", out);
			put(out, ri->groups[k].name);
			fputs(": ", out);
			put(out, KPI_TEXT(ri->groups[k].outcome.text, lang));
			fputc('\n', out);
		}
		if (ri->differs) {
			fputs(first ? "\n- ! " : "- ! ", out);
			first = 0;
			put(out, KPI_TEXT(ri->note, lang));
			fputc('\n', out);
		}
	}
}

static int indicators(FILE *out, int lang,
                      struct kpi_report_indicator *const *inds, size_t n)
{
	const char **cells = calloc((n + 1) * KPI_ROW_COLUMNS, sizeof *cells);
	char (*marks)[128] = calloc(n + 1, sizeof *marks);

	if (!cells || !marks) {
		free(cells);
		free(marks);
		return KPI_EIO;
	}
	int cols[KPI_ROW_COLUMNS];
	size_t nc = kpi_writer_row_columns(inds, n, cols);

	kpi_writer_row_header(KPI_L_INDICATOR, lang, cells);
	for (size_t i = 0; i < n; i++)
		kpi_writer_row(inds[i], lang, &cells[(i + 1) * KPI_ROW_COLUMNS],
		               marks[i], sizeof marks[i]);
	kpi_writer_rows_pick(cells, n + 1, cols, nc);
	fputc('\n', out);
	table(out, nc, n + 1, cells);
	free(cells);
	free(marks);
	notes(out, lang, inds, n);
	return 0;
}

static int activities(FILE *out, int lang, const struct kpi_report_goal *g)
{
	size_t n = g->n_activities;
	const char **cells = calloc((n + 1) * 4, sizeof *cells);

	if (!cells)
		return KPI_EIO;
	cells[0] = kpi_label(KPI_L_ACTIVITY, lang);
	cells[1] = kpi_label(KPI_L_START, lang);
	cells[2] = kpi_label(KPI_L_END, lang);
	cells[3] = kpi_label(KPI_L_DEVIATION, lang);
	for (size_t i = 0; i < n; i++) {
		const struct kpi_report_activity *a = &g->activities[i];

		cells[(i + 1) * 4] = KPI_TEXT(a->text, lang);
		cells[(i + 1) * 4 + 1] = a->start_text;
		cells[(i + 1) * 4 + 2] = a->end_text;
		cells[(i + 1) * 4 + 3] = KPI_TEXT(a->deviation, lang);
	}
	fputc('\n', out);
	table(out, 4, n + 1, cells);
	free(cells);
	return 0;
}

static int goal(FILE *out, int lang, const struct kpi_report_goal *g,
                int level)
{
	const char *text = KPI_TEXT(g->text, lang);
	int rc = 0;

	heading(out, level, KPI_TEXT(g->heading, lang));
	fprintf(out, "\n**%s: ", kpi_label(KPI_L_ASSESSMENT, lang));
	put(out, KPI_TEXT(g->assessment.label, lang));
	fputs("**", out);
	if (g->differs) {
		fputs(" (", out);
		put(out, KPI_TEXT(g->note, lang));
		fputc(')', out);
	}
	fputc('\n', out);
	if (*text)
		paragraph(out, text);
	if (g->n_indicators)
		rc = indicators(out, lang, g->indicators, g->n_indicators);
	if (g->n_activities && !rc)
		rc = activities(out, lang, g);
	for (size_t i = 0; i < g->n_children && !rc; i++)
		rc = goal(out, lang, g->children[i], level < 6 ? level + 1 : 6);
	return rc;
}

static int plugin_table(FILE *out, int lang, const struct kpi_report_table *t)
{
	size_t nc = t->n_columns, nr = t->n_rows + 1;
	const char *note = KPI_TEXT(t->note, lang);
	const char **cells;

	if (nc == 0)
		return 0;
	heading(out, 2, KPI_TEXT(t->title, lang));
	cells = calloc(nc * nr, sizeof *cells);
	if (!cells)
		return KPI_EIO;
	for (size_t c = 0; c < nc; c++)
		cells[c] = KPI_TEXT(t->columns[c], lang);
	for (size_t i = 0; i < t->n_rows * nc; i++)
		cells[nc + i] = t->cells[lang == KPI_LANG_EN][i].text;
	fputc('\n', out);
	table(out, nc, nr, cells);
	free(cells);
	if (*note)
		paragraph(out, note);
	return 0;
}

int kpi_write_markdown(FILE *out, const struct kpi_report *r,
                       const struct kpi_writer_opts *opts)
{
	int lang = opts->lang, rc = 0;

	heading(out, 1, KPI_TEXT(r->title, lang));
	fprintf(out, "\n%s: ", kpi_label(KPI_L_PERIOD, lang));
	put(out, KPI_TEXT(r->period.label, lang));
	fputc('\n', out);
	for (size_t i = 0; i < r->n_failures; i++) {
		fputs("\n**", out);
		put(out, KPI_TEXT(r->failures[i].text, lang));
		fputs("**\n", out);
	}
	for (size_t i = 0; i < r->n_roots && !rc; i++)
		rc = goal(out, lang, r->roots[i], 2);
	if (r->n_other && !rc) {
		heading(out, 2, KPI_TEXT(r->other_heading, lang));
		rc = indicators(out, lang, r->other, r->n_other);
	}
	for (size_t i = 0; i < r->n_tables && !rc; i++)
		rc = plugin_table(out, lang, &r->tables[i]);
	heading(out, 2, kpi_label(KPI_L_SUMMARY, lang));
	paragraph(out, KPI_TEXT(r->summary.text, lang));
	if (r->summary.differ)
		paragraph(out, KPI_TEXT(r->summary.differ_text, lang));
	return rc || ferror(out) ? KPI_EIO : 0;
}
