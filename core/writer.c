/*
 * writer.c - the table of writers (by --format name, by file extension)
 * and the labels and indicator row every tabular writer shares, so the
 * formats say the same thing in the same words.
 */
#include "writer.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "run.h"

const struct kpi_writer kpi_writers[] = {
	{ "text",     KPI_FORMAT_TEXT,     { "txt", NULL, NULL },
	  kpi_write_text },
	{ "markdown", KPI_FORMAT_MARKDOWN, { "md", "markdown", NULL },
	  kpi_write_markdown },
	{ "html",     KPI_FORMAT_HTML,     { "html", "htm", NULL },
	  kpi_write_html },
	{ "csv",      KPI_FORMAT_CSV,      { "csv", NULL, NULL },
	  kpi_write_csv },
	{ "json",     KPI_FORMAT_JSON,     { "json", NULL, NULL },
	  kpi_write_json },
	{ "junit",    KPI_FORMAT_JUNIT,    { "xml", NULL, NULL },
	  kpi_write_junit },
	{ "xlsx",     KPI_FORMAT_XLSX,     { "xlsx", NULL, NULL },
	  kpi_write_xlsx },
	{ NULL, 0, { NULL, NULL, NULL }, NULL }
};

const struct kpi_writer *kpi_writer_by_name(const char *name)
{
	for (const struct kpi_writer *w = kpi_writers; name && w->name; w++)
		if (strcmp(w->name, name) == 0)
			return w;
	return NULL;
}

const struct kpi_writer *kpi_writer_by_extension(const char *path)
{
	const char *base, *dot;

	if (!path)
		return NULL;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || dot == base || !dot[1])
		return NULL;
	for (const struct kpi_writer *w = kpi_writers; w->name; w++)
		for (const char *const *e = w->exts; *e; e++)
			if (strcasecmp(*e, dot + 1) == 0)
				return w;
	return NULL;
}

const struct kpi_writer *kpi_writer_by_format(int format)
{
	for (const struct kpi_writer *w = kpi_writers; w->name; w++)
		if (w->format == format)
			return w;
	return kpi_writers;            /* text */
}

const char *kpi_label(int label, int lang)
{
	static const char *const l[KPI_L_COUNT][2] = {
		[KPI_L_INDICATOR] = { "Indikator", "Indicator" },
		[KPI_L_COUNCIL_INDICATORS] = { "KF:s indikatorer",
		                               "Council's indicators" },
		[KPI_L_COMMITTEE_INDICATORS] = { "Nämndens indikatorer",
		                                 "Committee's indicators" },
		[KPI_L_OUTCOME] = { "Periodens utfall", "Outcome" },
		[KPI_L_FORECAST] = { "Prognos helår", "Forecast" },
		[KPI_L_TARGET] = { "Årsmål", "Target" },
		[KPI_L_COUNCIL_TARGET] = { "KF:s årsmål", "Council target" },
		[KPI_L_PERIOD] = { "Period", "Period" },
		[KPI_L_ASSESSMENT] = { "Bedömning", "Assessment" },
		[KPI_L_ACTIVITY] = { "Aktivitet", "Activity" },
		[KPI_L_COUNCIL_ACTIVITIES] = { "KF:s aktiviteter",
		                               "Council's activities" },
		[KPI_L_COMMITTEE_ACTIVITIES] = { "Nämndens aktiviteter",
		                                 "Committee's activities" },
		[KPI_L_START] = { "Startdatum", "Start" },
		[KPI_L_END] = { "Slutdatum", "End" },
		[KPI_L_DEVIATION] = { "Avvikelse", "Deviation" },
		[KPI_L_SUMMARY] = { "Sammanfattning", "Summary" },
		[KPI_L_BASELINE] = { "Jämförelsevärde", "Baseline" },
		[KPI_L_RULE] = { "Regel", "Rule" },
		[KPI_L_GROUP] = { "Grupp", "Group" },
		[KPI_L_NOTES] = { "Anmärkningar", "Notes" },
		[KPI_L_FAILURES] = { "Fel", "Errors" },
		[KPI_L_LAST_YEAR] = { "Samma period föregående år",
		                      "Same period last year" },
		[KPI_L_CHANCE] = { "Sannolikhet att nå årsmålet",
		                   "Chance of meeting the target" },
		[KPI_L_PACE] = { "Takt", "Pace" },
	};

	if (label < 0 || label >= KPI_L_COUNT || !l[label][0])
		return "";
	return l[label][lang == KPI_LANG_EN];
}

void kpi_writer_row(const struct kpi_report_indicator *ri, int lang,
                    const char *cells[KPI_ROW_COLUMNS], char *buf, size_t n)
{
	cells[0] = KPI_TEXT(ri->name, lang);
	cells[1] = KPI_TEXT(ri->outcome.text, lang);
	cells[2] = KPI_TEXT(ri->last_year_cell, lang);
	cells[3] = KPI_TEXT(ri->forecast.text, lang);
	cells[KPI_ROW_CHANCE] = KPI_TEXT(ri->chance_text, lang);
	cells[5] = KPI_TEXT(ri->target.display, lang);
	cells[6] = KPI_TEXT(ri->council.display, lang);
	cells[7] = KPI_TEXT(ri->period, lang);
	cells[KPI_ROW_PACE] = KPI_TEXT(ri->pace_label, lang);
	snprintf(buf, n, "%s%s", KPI_TEXT(ri->assessment.label, lang),
	         ri->differs ? " !" : "");
	cells[KPI_ROW_ASSESSMENT] = buf;
}

void kpi_writer_row_header(int first, int lang,
                           const char *cells[KPI_ROW_COLUMNS])
{
	cells[0] = kpi_label(first, lang);
	cells[1] = kpi_label(KPI_L_OUTCOME, lang);
	cells[2] = kpi_label(KPI_L_LAST_YEAR, lang);
	cells[3] = kpi_label(KPI_L_FORECAST, lang);
	cells[KPI_ROW_CHANCE] = kpi_label(KPI_L_CHANCE, lang);
	cells[5] = kpi_label(KPI_L_TARGET, lang);
	cells[6] = kpi_label(KPI_L_COUNCIL_TARGET, lang);
	cells[7] = kpi_label(KPI_L_PERIOD, lang);
	cells[KPI_ROW_PACE] = kpi_label(KPI_L_PACE, lang);
	cells[KPI_ROW_ASSESSMENT] = kpi_label(KPI_L_ASSESSMENT, lang);
}

int kpi_writer_fails(int assessment, int fail_on)
{
	if (fail_on == KPI_FAIL_NEVER)
		return 0;
	return assessment == KPI_ASSESS_NOT_MET ||
	       (fail_on == KPI_FAIL_PARTIAL && assessment == KPI_ASSESS_PARTIAL);
}

int kpi_writer_row_shows(struct kpi_report_indicator *const *inds,
                         size_t n, int col)
{
	for (size_t i = 0; i < n; i++)
		if ((col == KPI_ROW_CHANCE && inds[i]->has_chance) ||
		    (col == KPI_ROW_PACE && inds[i]->pace != KPI_PACE_NONE) ||
		    (col != KPI_ROW_CHANCE && col != KPI_ROW_PACE))
			return 1;
	return 0;
}

size_t kpi_writer_row_columns(struct kpi_report_indicator *const *inds,
                              size_t n, int cols[KPI_ROW_COLUMNS])
{
	size_t k = 0;

	for (int c = 0; c < KPI_ROW_COLUMNS; c++)
		if (kpi_writer_row_shows(inds, n, c))
			cols[k++] = c;
	return k;
}

void kpi_writer_rows_pick(const char **cells, size_t nrows, const int *cols,
                          size_t ncols)
{
	/* each cell moves to an index no larger than its own, so a forward
	 * pass never overwrites a cell still to be read */
	for (size_t r = 0; r < nrows; r++)
		for (size_t j = 0; j < ncols; j++)
			cells[r * ncols + j] = cells[r * KPI_ROW_COLUMNS +
			                             (size_t)cols[j]];
}
