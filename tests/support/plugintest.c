/*
 * plugintest.c - the helpers the plugin tests share on top of the
 * real host (contracts in plugintest.h).  Failures are Criterion assertions, so
 * these run only inside a test.
 */
#include "plugintest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* See plugintest.h. */
const struct kpi_plugin *plugin_test_load(struct test_host *fh,
                                          const char *name)
{
	const struct kpi_plugin *p = test_host_load(fh, name);

	cr_assert_not_null(p, "%s.so did not load", name);
	return p;
}

/* See plugintest.h. */
int plugin_test_load_run(struct test_host *fh, const char *name)
{
	return test_host_run(fh, plugin_test_load(fh, name));
}

/* See plugintest.h. */
struct test_host *plugin_test_run_to(const struct plugin_test *pt, int month,
                                     const char *dir, const char *file,
                                     int *rc)
{
	struct test_host *fh = test_host_new(pt->name, pt->year, month, dir);

	if (file)
		test_host_set(fh, "file", file);
	*rc = plugin_test_load_run(fh, pt->name);
	return fh;
}

/* See plugintest.h. */
struct test_host *plugin_test_run(const struct plugin_test *pt,
                                  const char *dir, const char *file, int *rc)
{
	return plugin_test_run_to(pt, pt->month, dir, file, rc);
}

/* See plugintest.h. */
int plugin_test_count(const struct plugin_test *pt,
                      const struct test_host *fh)
{
	double num, den;
	int n = 0;

	for (size_t i = 0; i < pt->n_ids; i++)
		for (int year = pt->first_year; year <= pt->last_year; year++)
			n += test_host_sum(fh, pt->ids[i], NULL, year, 1, 12,
			                   &num, &den);
	return n;
}

/* See plugintest.h. */
void plugin_test_expect_same_month(const struct test_host *a,
                                   const struct test_host *b, const char *id,
                                   int year, int m)
{
	double n1, d1, n2, d2;
	int c1 = test_host_sum(a, id, NULL, year, m, m, &n1, &d1);
	int c2 = test_host_sum(b, id, NULL, year, m, m, &n2, &d2);

	cr_expect_eq(c1, c2, "%s %d-%02d", id, year, m);
	cr_expect_eq(n1, n2, "%s %d-%02d", id, year, m);
	cr_expect_eq(d1, d2, "%s %d-%02d", id, year, m);
}

/* See plugintest.h. */
void plugin_test_expect_same_exports(const struct plugin_test *pt,
                                     const char *dir, const char *file_a,
                                     const char *file_b, int first_year,
                                     int last_year)
{
	int rc_a, rc_b;
	struct test_host *a = plugin_test_run(pt, dir, file_a, &rc_a);
	struct test_host *b = plugin_test_run(pt, dir, file_b, &rc_b);

	cr_assert_eq(rc_a, 0);
	cr_assert_eq(rc_b, 0, "%s", test_host_diag(b));
	for (size_t i = 0; i < pt->n_ids; i++)
		for (int year = first_year; year <= last_year; year++)
			for (int m = 1; m <= 12; m++)
				plugin_test_expect_same_month(a, b, pt->ids[i],
				                              year, m);
	test_host_free(a);
	plugin_test_free(b);
}

/* See plugintest.h. */
void plugin_test_expect_no_data(const struct plugin_test *pt, const char *dir,
                                const char *file)
{
	int rc;
	struct test_host *fh = plugin_test_run(pt, dir, file, &rc);

	cr_expect_eq(rc, 0, "%s", test_host_diag(fh));
	cr_expect_str_eq(test_host_diag(fh), "");
	cr_expect_eq(plugin_test_count(pt, fh), 0);
	plugin_test_free(fh);
}

/* See plugintest.h. */
void plugin_test_expect_data_error(const struct test_host *fh, int rc,
                                   const char *name, const char *dir,
                                   const char *file, const char *where_what)
{
	char want[1024];

	snprintf(want, sizeof want, "%s: %s/%s:%s\n", name, dir, file,
	         where_what);
	cr_expect_eq(rc, KPI_EDATA, "%s: rc %d", file, rc);
	cr_expect_str_eq(test_host_diag(fh), want);
}

/* See plugintest.h. */
void plugin_test_expect_error(const struct plugin_test *pt, const char *file,
                              const char *where_what)
{
	int rc;
	struct test_host *fh = plugin_test_run(pt, pt->data_dir, file, &rc);

	/* rows before the bad one may have been emitted: the host discards
	 * the results of an area that failed (sandbox.c) */
	plugin_test_expect_data_error(fh, rc, pt->name, pt->data_dir, file,
	                              where_what);
	plugin_test_free(fh);
}

/* See plugintest.h. */
void plugin_test_expect_missing_columns(const struct plugin_test *pt,
                                        const char *const *columns, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char file[64], what[128];

		snprintf(file, sizeof file, "missing_%s.csv", columns[i]);
		snprintf(what, sizeof what, "1: missing required column '%s'",
		         columns[i]);
		plugin_test_expect_error(pt, file, what);
	}
}

/* See plugintest.h. */
const char *plugin_test_config_message(struct test_host *fh,
                                       const char *key_msg, int in_init)
{
	static char buf[2048];
	const char *colon = strstr(key_msg, ": ");
	char key[256];
	int n;

	cr_assert_not_null(colon, "'%s' names no key", key_msg);
	snprintf(key, sizeof key, "%.*s", (int)(colon - key_msg), key_msg);
	n = snprintf(buf, sizeof buf, "%s%s\n", test_host_where(fh, key),
	             colon);
	if (in_init && n > 0 && (size_t)n < sizeof buf)
		snprintf(buf + n, sizeof buf - (size_t)n,
		         "%s: init failed: configuration error\n",
		         test_host_area(fh));
	return buf;
}

/* See plugintest.h. */
void plugin_test_free(struct test_host *fh)
{
	test_host_free(fh);
	LEAK_CHECK();
}

/* See plugintest.h. */
void plugin_test_temp_name(const char *name, char *buf, size_t n)
{
	int fd;

	snprintf(buf, n, "/tmp/kpi_test_%s_XXXXXX", name);
	fd = mkstemp(buf);
	cr_assert_geq(fd, 0, "mkstemp failed");
	close(fd);
}

/* See plugintest.h. */
void plugin_test_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	cr_assert_eq(fputs(text, f) >= 0, 1);
	cr_assert_eq(fclose(f), 0);
}

/* See plugintest.h. */
void plugin_test_header_without(const char *header, int drop, char *out,
                                size_t n)
{
	const char *s = header;
	size_t k = 0;
	int col = 0;

	while (*s) {
		size_t len = strcspn(s, ",");

		if (col != drop)
			k += (size_t)snprintf(out + k, n - k, "%s%.*s",
			                      k ? "," : "", (int)len, s);
		s += len;
		if (*s == ',')
			s++;
		col++;
	}
	snprintf(out + k, n - k, "\n");
}
