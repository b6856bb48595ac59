/*
 * path.c - resolving and confining the paths of exports (path.h).  The
 * check is made on the real paths of both the directory and the file, so
 * symbolic links anywhere on the way are followed before judging; ".." is
 * also judged on the text, so that a path out of the directory is refused
 * even when the file it names does not exist.
 */
#include "path.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

/* True if the ".." components of rel climb above the directory it is
 * relative to ("a/../b" stays inside, "a/../../b" does not). */
static int climbs_out(const char *rel)
{
	long depth = 0;
	const char *p = rel;

	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return 1;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return 0;
}

/* True if path `p` is `dir` or inside it (both real paths). */
static int is_inside(const char *dir, const char *p)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/* base + "/" + rel in a new string, or NULL when out of memory. */
static char *join(const char *base, const char *rel)
{
	size_t n = strlen(base) + strlen(rel) + 2;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s/%s", base, rel);
	return s;
}

int kpi_path_resolve(const char *base, const char *rel, int confine,
                     char **out, const char **why)
{
	char *joined, *real_base, *real_file;

	*out = NULL;
	*why = NULL;
	if (rel[0] == '/') {
		if (confine) {
			*why = "(an absolute path)";
			return KPI_ECONFIG;
		}
		*out = strdup(rel);
		return *out ? 0 : KPI_ENOMEM;
	}
	if (confine && climbs_out(rel)) {
		*why = "('..' leads out of it)";
		return KPI_ECONFIG;
	}
	joined = join(base, rel);
	if (!joined)
		return KPI_ENOMEM;
	if (!confine) {
		*out = joined;
		return 0;
	}
	real_file = realpath(joined, NULL);
	if (!real_file) {
		if (errno == ENOMEM) {
			free(joined);
			return KPI_ENOMEM;
		}
		*out = joined;          /* the open reports what is wrong */
		return 0;
	}
	real_base = realpath(base, NULL);
	if (!real_base) {
		free(real_file);
		if (errno == ENOMEM) {
			free(joined);
			return KPI_ENOMEM;
		}
		*out = joined;
		return 0;
	}
	if (!is_inside(real_base, real_file)) {
		free(real_base);
		free(joined);
		*out = real_file;
		*why = "(a symbolic link leads out of it)";
		return KPI_ECONFIG;
	}
	free(real_base);
	free(joined);
	*out = real_file;
	return 0;
}
