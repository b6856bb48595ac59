/*
 * formats.h - the report formats as the command line names them, by name
 * (--format) and by an output file's extension (-o report.html), with the
 * lists its messages show.  The formats are writer.c's table of writers:
 * a new writer is one line there.
 */
#ifndef KPI_FORMATS_H
#define KPI_FORMATS_H

#include "writer.h"

/* The format called name, or NULL.  Points into kpi_writers[]. */
const struct kpi_writer *kpi_format_by_name(const char *name);

/* The format whose extension ends the last component of path (ASCII case
 * ignored), or NULL.  *has_ext tells whether there was an extension at all
 * ("report" and ".profile" have none).  Points into kpi_writers[]. */
const struct kpi_writer *kpi_format_by_extension(const char *path,
                                                 int *has_ext);

/* The names, then the extensions, for messages: "text, markdown, ..." and
 * ".txt, .md, ...".  Static strings. */
const char *kpi_format_names(void);
const char *kpi_format_extensions(void);

#endif
