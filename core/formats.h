/*
 * formats.h - the report formats the command line can name, by name
 * (--format) and by an output file's extension (-o report.html): one table,
 * so a new writer is one line in formats.c.
 */
#ifndef KPI_FORMATS_H
#define KPI_FORMATS_H

/* A format; id is its enum kpi_format, or KPI_FORMAT_UNAVAILABLE for a
 * format that is known but has no writer in this build. */
struct kpi_format_info {
	const char *name;          /* as --format takes it */
	int id;
	const char *exts[3];       /* extensions without the dot, NULL-ended */
};

#define KPI_FORMAT_UNAVAILABLE (-1)

/* The format called name, or NULL.  Points into a static table. */
const struct kpi_format_info *kpi_format_by_name(const char *name);

/* The format whose extension ends the last component of path (ASCII case
 * ignored), or NULL.  *has_ext tells whether there was an extension at all
 * ("report" and ".profile" have none).  Points into a static table. */
const struct kpi_format_info *kpi_format_by_extension(const char *path,
                                                      int *has_ext);

/* The names, then the extensions, for messages: "text, markdown, ..." and
 * ".txt, .md, ...".  Static strings. */
const char *kpi_format_names(void);
const char *kpi_format_extensions(void);

#endif
