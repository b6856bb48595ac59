/*
 * formats.c - the report formats as the command line names them: by
 * name, by an output's extension, and the lists for messages, all read
 * from writer.c's table of writers.
 */
#include "formats.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "writer.h"

const struct kpi_writer *kpi_format_by_name(const char *name)
{
	return kpi_writer_by_name(name);
}

const struct kpi_writer *kpi_format_by_extension(const char *path,
                                                 int *has_ext)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	*has_ext = dot && dot != base && dot[1] != '\0';
	return *has_ext ? kpi_writer_by_extension(path) : NULL;
}

/* Join the table's names (exts 0) or extensions (1) into buf, the last
 * pair with " or ". */
static const char *join(char *buf, size_t size, int exts)
{
	const char *items[64];
	size_t n = 0, used = 0;

	for (const struct kpi_writer *w = kpi_writers; w->name; w++) {
		if (!exts) {
			items[n++] = w->name;
			continue;
		}
		for (const char *const *e = w->exts; *e && n < 64; e++)
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
