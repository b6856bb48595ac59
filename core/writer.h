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
	                            "junit" (the --format value) */
	const char *ext;         /* file name extension without the dot:
	                            "txt", "md", "html", "csv", "json", "xml" */
	/* Render r to out.  Returns 0, or KPI_EIO when a write to out failed
	 * (the caller discards what was written). */
	int (*write)(FILE *out, const struct kpi_report *r,
	             const struct kpi_writer_opts *opts);
};

/* The writers, in --help order, ending with a NULL name. */
extern const struct kpi_writer kpi_writers[];

/* The writer for a --format name, or NULL.  Static storage. */
const struct kpi_writer *kpi_writer_by_name(const char *name);

/* The writer for an output path's extension ("r.html", "junit.xml";
 * case-insensitive, ".htm" and ".markdown" too), or NULL when the
 * extension names no format.  Static storage. */
const struct kpi_writer *kpi_writer_by_extension(const char *path);

/* The writer for an enum kpi_format value (the text writer for an
 * unknown one).  Static storage. */
const struct kpi_writer *kpi_writer_by_format(int format);

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

#endif
