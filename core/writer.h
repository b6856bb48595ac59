/*
 * writer.h - the one interface every output format implements: render a
 * built struct kpi_report (report.h) to a stream.  One file per format
 * (write_text.c, write_markdown.c, ...); a writer only renders, escaping
 * through escape.h, and never evaluates.
 */
#ifndef KPI_WRITER_H
#define KPI_WRITER_H

#include <stdio.h>

#include "report.h"

/* What a run asks of every writer. */
struct kpi_writer_opts {
	int lang;                /* enum kpi_lang to render in */
	int fail_on;             /* enum kpi_fail_on (run.h): which
	                            assessments fail the run (JUnit) */
};

struct kpi_writer {
	const char *name;        /* "text", "markdown", "html", "csv", "json",
	                            "junit", "xlsx" (the --format value) */
	int format;              /* enum kpi_format */
	const char *exts[3];     /* file name extensions without the dot that
	                            choose it, the usual one first ("html",
	                            "htm"), NULL-ended */
	/* Render r to out.  Returns 0, or KPI_EIO when a write to out failed
	 * (the caller discards what was written). */
	int (*write)(FILE *out, const struct kpi_report *r,
	             const struct kpi_writer_opts *opts);
};

/* The writers, in --help order, ending with a NULL name. */
extern const struct kpi_writer kpi_writers[];

/* The writer for a --format name, or NULL.  Static storage. */
const struct kpi_writer *kpi_writer_by_name(const char *name);

/* The writer for the extension ending the last component of path
 * ("r.html", "junit.xml"; ASCII case ignored, ".htm" and ".markdown"
 * too), or NULL when there is none (".profile" and "report." have none)
 * or it names no format.  Static storage. */
const struct kpi_writer *kpi_writer_by_extension(const char *path);

/* The --format values as numbers (struct kpi_options). */
enum kpi_format { KPI_FORMAT_TEXT = 0, KPI_FORMAT_JSON = 1,
                  KPI_FORMAT_JUNIT = 2, KPI_FORMAT_MARKDOWN = 3,
                  KPI_FORMAT_HTML = 4, KPI_FORMAT_CSV = 5,
                  KPI_FORMAT_XLSX = 6 };

/* The writer for an enum kpi_format value (the text writer for an
 * unknown one).  Static storage. */
const struct kpi_writer *kpi_writer_by_format(int format);

/* Words every format uses for the same thing (kpi_label). */
enum kpi_label_id {
	KPI_L_INDICATOR, KPI_L_COUNCIL_INDICATORS, KPI_L_COMMITTEE_INDICATORS,
	KPI_L_OUTCOME, KPI_L_FORECAST, KPI_L_TARGET, KPI_L_COUNCIL_TARGET,
	KPI_L_PERIOD, KPI_L_ASSESSMENT, KPI_L_ACTIVITY,
	KPI_L_COUNCIL_ACTIVITIES, KPI_L_COMMITTEE_ACTIVITIES, KPI_L_START,
	KPI_L_END, KPI_L_DEVIATION, KPI_L_SUMMARY, KPI_L_BASELINE, KPI_L_RULE,
	KPI_L_GROUP, KPI_L_NOTES, KPI_L_FAILURES, KPI_L_LAST_YEAR,
	KPI_L_CHANCE, KPI_L_PACE,
	KPI_L_COUNT
};

/* A label in a language ("Periodens utfall" / "Outcome"); static. */
const char *kpi_label(int label, int lang);

/* The indicator table's columns: name, outcome, last year (same period
 * or previous year), forecast, chance of meeting the target, target,
 * council target, period, pace, assessment. */
#define KPI_ROW_COLUMNS 10
/* The columns only some rows fill (a writer may leave out such a column
 * where no row of a table has a value: kpi_writer_row_shows). */
#define KPI_ROW_CHANCE 4
#define KPI_ROW_PACE 8
/* The column of the assessment (the last). */
#define KPI_ROW_ASSESSMENT (KPI_ROW_COLUMNS - 1)

/* The cells of ri's row in lang.  The assessment cell (the last) has
 * " !" when the stated one differs, written into buf (n bytes); the
 * others point into ri.  Nothing to free. */
void kpi_writer_row(const struct kpi_report_indicator *ri, int lang,
                    const char *cells[KPI_ROW_COLUMNS], char *buf, size_t n);

/* The header row, `first` (a kpi_label_id) titling the name column.
 * Static strings. */
void kpi_writer_row_header(int first, int lang,
                           const char *cells[KPI_ROW_COLUMNS]);

/* Predicate: an indicator with this assessment fails a run under
 * fail_on (enum kpi_fail_on). */
int kpi_writer_fails(int assessment, int fail_on);

/* Predicate: column `col` (KPI_ROW_CHANCE, KPI_ROW_PACE; any other is
 * always shown) has a value in some of the n rows, so a table of them
 * shows it. */
int kpi_writer_row_shows(struct kpi_report_indicator *const *inds,
                         size_t n, int col);

/* The columns a table of these n rows shows, in order, into cols (room
 * for KPI_ROW_COLUMNS): every column but the chance and the pace where no
 * row has one.  Returns how many. */
size_t kpi_writer_row_columns(struct kpi_report_indicator *const *inds,
                              size_t n, int cols[KPI_ROW_COLUMNS]);

/* Keep only columns cols[0..ncols-1] of the nrows rows of cells (rows of
 * KPI_ROW_COLUMNS, made by kpi_writer_row), in place: afterwards the rows
 * are ncols wide. */
void kpi_writer_rows_pick(const char **cells, size_t nrows, const int *cols,
                          size_t ncols);

/* Every writer's own entry point (the same as kpi_writers[i].write). */
int kpi_write_text(FILE *out, const struct kpi_report *r,
                   const struct kpi_writer_opts *opts);
int kpi_write_markdown(FILE *out, const struct kpi_report *r,
                       const struct kpi_writer_opts *opts);
int kpi_write_html(FILE *out, const struct kpi_report *r,
                   const struct kpi_writer_opts *opts);
int kpi_write_csv(FILE *out, const struct kpi_report *r,
                  const struct kpi_writer_opts *opts);
int kpi_write_json(FILE *out, const struct kpi_report *r,
                   const struct kpi_writer_opts *opts);
int kpi_write_junit(FILE *out, const struct kpi_report *r,
                    const struct kpi_writer_opts *opts);
int kpi_write_xlsx(FILE *out, const struct kpi_report *r,
                   const struct kpi_writer_opts *opts);

#endif
