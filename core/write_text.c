/*
 * write_text.c - the report as aligned text for a terminal, in the seed's
 * order: goals with their indicator tables, notes and activities, the
 * other indicators, the plugins' tables and the summary.  Every string
 * passes through the terminal escape (escape.h) before it is measured.
 */
#include "writer.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

#define NAME_WIDTH 46         /* the indicator column wraps here */
#define LINE_WIDTH 78         /* paragraphs wrap here */

/* Display width of escaped UTF-8 text: code points (the report's text
 * has no wide characters). */
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

/* Out of memory while writing is reported as a failed write (KPI_EIO):
 * the caller discards the output and exits with its output status. */

static void put(FILE *out, const char *s)
{
	kpi_escape(out, KPI_ESC_TERM, s);
}

/* Print wrapped paragraph text at an indent.  Returns 0 or KPI_EIO. */
static int paragraph(FILE *out, int indent, const char *raw, size_t w)
{
	char *e = kpi_escape_dup(KPI_ESC_TERM, raw), *text = e;

	if (!e)
		return KPI_EIO;
	while (*text) {
		size_t n = wrap_at(text, w);

		pad(out, (size_t)indent);
		fwrite(text, 1, n, out);
		fputc('\n', out);
		text += n;
		while (*text == ' ')
			text++;
	}
	free(e);
	return 0;
}

/* A table of raw strings: cells[r * ncols + c]; row 0 is the header.  The
 * first column wraps at NAME_WIDTH; the others are as wide as their
 * widest cell.  Cells after a row's last non-empty one are not padded.
 * Returns 0 or KPI_EIO (out of memory). */
static int text_table(FILE *out, int indent, size_t ncols, size_t nrows,
                      const char *const *raw)
{
	size_t *w = calloc(ncols ? ncols : 1, sizeof *w);
	char **cells = calloc(ncols * nrows + 1, sizeof *cells);
	int rc = 0;

	if (!w || !cells) {
		rc = KPI_EIO;
		goto out_free;
	}
	for (size_t i = 0; i < ncols * nrows; i++)
		if (!(cells[i] = kpi_escape_dup(KPI_ESC_TERM, raw[i]))) {
			rc = KPI_EIO;
			goto out_free;
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
				size_t used = 0, last = ncols;

				/* width of what was printed of column 0 */
				for (size_t i = 0; i < n; i++)
					if (((unsigned char)cells[r * ncols][i] & 0xC0) !=
					    0x80)
						used++;
				while (last > 1 && !*cells[r * ncols + last - 1])
					last--;
				for (size_t c = 1; c < last; c++) {
					const char *cell = cells[r * ncols + c];
					size_t prev = c == 1 ? used
					                     : width(cells[r * ncols + c - 1]);

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
out_free:
	for (size_t i = 0; cells && i < ncols * nrows; i++)
		free(cells[i]);
	free(cells);
	free(w);
	return rc;
}

/* An indicator table and the notes under it: sub-periods, group rows
 * when asked for, stated assessments that differ.  Returns 0 or KPI_EIO. */
static int indicators(FILE *out, int lang, int first,
                      struct kpi_report_indicator *const *inds, size_t n,
                      int indent)
{
	const char **cells = calloc((n + 1) * KPI_ROW_COLUMNS, sizeof *cells);
	char (*marks)[128] = calloc(n + 1, sizeof *marks);
	int rc = KPI_EIO;

	if (cells && marks) {
		int cols[KPI_ROW_COLUMNS];
		size_t nc = kpi_writer_row_columns(inds, n, cols);

		kpi_writer_row_header(first, lang, cells);
		for (size_t i = 0; i < n; i++)
			kpi_writer_row(inds[i], lang,
			               &cells[(i + 1) * KPI_ROW_COLUMNS], marks[i],
			               sizeof marks[i]);
		kpi_writer_rows_pick(cells, n + 1, cols, nc);
		rc = text_table(out, indent, nc, n + 1, cells);
	}
	free(cells);
	free(marks);
	if (rc)
		return rc;

	for (size_t i = 0; i < n; i++) {
		const struct kpi_report_indicator *ri = inds[i];

		for (size_t k = 0; k < ri->n_subperiods; k++) {
			pad(out, (size_t)indent + 2);
			put(out, KPI_TEXT(ri->subperiods[k].line, lang));
			fputc('\n', out);
		}
		if (ri->has_interval) {
			pad(out, (size_t)indent + 2);
			put(out, KPI_TEXT(ri->odds_line, lang));
			fputc('\n', out);
		}
		for (size_t k = 0; ri->breakdown && k < ri->n_groups; k++) {
			pad(out, (size_t)indent + 2);
			put(out, KPI_TEXT(ri->name, lang));
			fputs(", ", out);
			put(out, ri->groups[k].name);
			fputs(": ", out);
			put(out, KPI_TEXT(ri->groups[k].outcome.text, lang));
			fputc('\n', out);
		}
		if (ri->differs) {
			pad(out, (size_t)indent + 2);
			fputs("! ", out);
			put(out, KPI_TEXT(ri->note, lang));
			fputc('\n', out);
		}
	}
	return 0;
}

static int activities(FILE *out, int lang, const struct kpi_report_goal *g,
                      int indent)
{
	size_t n = g->n_activities;
	const char **cells = calloc((n + 1) * 4, sizeof *cells);
	int rc;

	if (!cells)
		return KPI_EIO;
	cells[0] = kpi_label(g->kind == KPI_GOAL_COMMITTEE ?
	                     KPI_L_COMMITTEE_ACTIVITIES :
	                     KPI_L_COUNCIL_ACTIVITIES, lang);
	cells[1] = kpi_label(KPI_L_START, lang);
	cells[2] = kpi_label(KPI_L_END, lang);
	cells[3] = kpi_label(KPI_L_DEVIATION, lang);
	for (size_t i = 0; i < n; i++) {
		const struct kpi_report_activity *a = &g->activities[i];
		const char **row = &cells[(i + 1) * 4];

		row[0] = KPI_TEXT(a->text, lang);
		row[1] = a->start_text;
		row[2] = a->end_text;
		row[3] = KPI_TEXT(a->deviation, lang);
	}
	rc = text_table(out, indent, 4, n + 1, cells);
	free(cells);
	return rc;
}

static int goal(FILE *out, int lang, const struct kpi_report_goal *g,
                int indent)
{
	const char *text = KPI_TEXT(g->text, lang);
	int rc = 0;

	pad(out, (size_t)indent);
	put(out, KPI_TEXT(g->heading, lang));
	fputc('\n', out);
	pad(out, (size_t)indent);
	fprintf(out, "%s: ", kpi_label(KPI_L_ASSESSMENT, lang));
	put(out, KPI_TEXT(g->assessment.label, lang));
	if (g->differs) {
		fputs(" ! ", out);
		put(out, KPI_TEXT(g->note, lang));
	}
	fputc('\n', out);
	if (*text) {
		fputc('\n', out);
		rc = paragraph(out, indent, text, LINE_WIDTH - (size_t)indent);
	}
	if (g->n_indicators && !rc) {
		fputc('\n', out);
		rc = indicators(out, lang, g->kind == KPI_GOAL_COMMITTEE ?
		                KPI_L_COMMITTEE_INDICATORS :
		                KPI_L_COUNCIL_INDICATORS,
		                g->indicators, g->n_indicators, indent);
	}
	if (g->n_activities && !rc) {
		fputc('\n', out);
		rc = activities(out, lang, g, indent);
	}
	for (size_t i = 0; i < g->n_children && !rc; i++) {
		fputc('\n', out);
		rc = goal(out, lang, g->children[i], indent + 2);
	}
	return rc;
}

static int plugin_table(FILE *out, int lang, const struct kpi_report_table *t)
{
	const char *note = KPI_TEXT(t->note, lang);
	size_t nc = t->n_columns, nr = t->n_rows + 1;
	const char **cells;
	int rc;

	if (nc == 0)
		return 0;
	put(out, KPI_TEXT(t->title, lang));
	fputs("\n\n", out);
	cells = calloc(nc * nr, sizeof *cells);
	if (!cells)
		return KPI_EIO;
	for (size_t c = 0; c < nc; c++)
		cells[c] = KPI_TEXT(t->columns[c], lang);
	for (size_t i = 0; i < t->n_rows * nc; i++)
		cells[nc + i] = t->cells[lang == KPI_LANG_EN][i].text;
	rc = text_table(out, 0, nc, nr, cells);
	free(cells);
	if (*note && !rc) {
		fputc('\n', out);
		rc = paragraph(out, 0, note, LINE_WIDTH);
	}
	fputc('\n', out);
	return rc;
}

int kpi_write_text(FILE *out, const struct kpi_report *r,
                   const struct kpi_writer_opts *opts)
{
	int lang = opts->lang, rc = 0;

	put(out, KPI_TEXT(r->title, lang));
	fputc('\n', out);
	fprintf(out, "%s: ", kpi_label(KPI_L_PERIOD, lang));
	put(out, KPI_TEXT(r->period.label, lang));
	fputc('\n', out);
	for (size_t i = 0; i < r->n_failures; i++) {
		put(out, KPI_TEXT(r->failures[i].text, lang));
		fputc('\n', out);
	}
	for (size_t i = 0; i < r->n_roots && !rc; i++) {
		fputc('\n', out);
		rc = goal(out, lang, r->roots[i], 0);
	}
	if (r->n_other && !rc) {
		fputc('\n', out);
		put(out, KPI_TEXT(r->other_heading, lang));
		fputs("\n\n", out);
		rc = indicators(out, lang, KPI_L_INDICATOR, r->other, r->n_other,
		                0);
	}
	for (size_t i = 0; i < r->n_tables && !rc; i++) {
		fputc('\n', out);
		rc = plugin_table(out, lang, &r->tables[i]);
	}
	fprintf(out, "\n%s\n", kpi_label(KPI_L_SUMMARY, lang));
	put(out, KPI_TEXT(r->summary.text, lang));
	fputc('\n', out);
	if (r->summary.differ) {
		put(out, KPI_TEXT(r->summary.differ_text, lang));
		fputc('\n', out);
	}
	return rc || ferror(out) ? KPI_EIO : 0;
}
