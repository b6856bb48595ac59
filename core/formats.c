/*
 * formats.c - the table of report formats: the name --format takes, the
 * writer (enum kpi_format) and the file extensions that choose it.
 */
#include "formats.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "writer.h"

static const struct kpi_format_info formats[] = {
	{ "text",     KPI_FORMAT_TEXT,        { "txt", NULL } },
	{ "markdown", KPI_FORMAT_MARKDOWN,    { "md", "markdown", NULL } },
	{ "html",     KPI_FORMAT_HTML,        { "html", "htm", NULL } },
	{ "csv",      KPI_FORMAT_CSV,         { "csv", NULL } },
	{ "json",     KPI_FORMAT_JSON,        { "json", NULL } },
	{ "junit",    KPI_FORMAT_JUNIT,       { "xml", NULL } },
	{ "xlsx",     KPI_FORMAT_UNAVAILABLE, { "xlsx", NULL } },
};

#define N_FORMATS (sizeof formats / sizeof formats[0])

const struct kpi_format_info *kpi_format_by_name(const char *name)
{
	for (size_t i = 0; i < N_FORMATS; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

const struct kpi_format_info *kpi_format_by_extension(const char *path,
                                                      int *has_ext)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	*has_ext = dot && dot != base && dot[1] != '\0';
	if (!*has_ext)
		return NULL;
	for (size_t i = 0; i < N_FORMATS; i++)
		for (const char *const *e = formats[i].exts; *e; e++)
			if (strcasecmp(*e, dot + 1) == 0)
				return &formats[i];
	return NULL;
}

/* Join the table's names (exts 0) or extensions (1) into buf, the last
 * pair with " or ". */
static const char *join(char *buf, size_t size, int exts)
{
	const char *items[N_FORMATS * 3];
	size_t n = 0, used = 0;

	for (size_t i = 0; i < N_FORMATS; i++) {
		if (!exts) {
			items[n++] = formats[i].name;
			continue;
		}
		for (const char *const *e = formats[i].exts; *e; e++)
			items[n++] = *e;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++) {
		int w = snprintf(buf + used, size - used, "%s%s%s",
		                 i == 0 ? "" : i + 1 == n ? " or " : ", ",
		                 exts ? "." : "", items[i]);

		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

const char *kpi_format_names(void)
{
	static char buf[256];

	return buf[0] ? buf : join(buf, sizeof buf, 0);
}

const char *kpi_format_extensions(void)
{
	static char buf[256];

	return buf[0] ? buf : join(buf, sizeof buf, 1);
}
