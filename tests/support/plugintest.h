/*
 * plugintest.h - what the plugin tests (plugins/<name>/tests) share on top
 * of the real host (testhost.h): run a plugin for an area over an export, count what it
 * emitted, compare two runs month by month, expect a data error with its
 * exact message, and fail a test that leaks under AddressSanitizer.
 */
#ifndef KPI_PLUGINTEST_H
#define KPI_PLUGINTEST_H

#include <stddef.h>

#include <criterion/criterion.h>

#include "testhost.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* Under AddressSanitizer a leak only prints: make it fail the test. */
#define LEAK_CHECK() cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, \
                                  "memory leaked")
#else
#define LEAK_CHECK() ((void)0)
#endif

/*
 * The plugin a test file drives, as the helpers below need it; one static
 * const instance per test file, e.g.
 *   static const struct plugin_test pt = {
 *           .name = "payroll", .year = 2011, .month = 8, .data_dir = DATA,
 *           .ids = ids, .n_ids = 3, .first_year = 2010, .last_year = 2011,
 *   };
 */
struct plugin_test {
	const char *name;         /* the plugin (<name>.so), also the area */
	int year, month;          /* the run: year and last month (T2 2011:
	                             2011 and 8) */
	const char *data_dir;     /* the test's fixtures, where
	                             plugin_test_expect_error reads */
	const char *const *ids;   /* local ids of the indicators it emits */
	size_t n_ids;
	int first_year, last_year; /* the years plugin_test_count looks at */
};

/* test_host_load(fh, name), failing the test ("<name>.so did not load")
 * when it returns NULL.  The descriptor belongs to the plugin. */
const struct kpi_plugin *plugin_test_load(struct test_host *fh,
                                          const char *name);

/* Load plugin `name` into fh (as plugin_test_load) and run it; returns
 * the run's code (test_host_run). */
int plugin_test_load_run(struct test_host *fh, const char *name);

/*
 * Run pt's plugin as area pt->name of a run ending in `month` of
 * pt->year over the export `file` in `dir` (NULL file: the `file` key is
 * not set, so the plugin's default is read).  Stores the run's code in
 * *rc.  The caller frees the returned host with test_host_free.
 */
struct test_host *plugin_test_run_to(const struct plugin_test *pt, int month,
                                     const char *dir, const char *file,
                                     int *rc);

/* plugin_test_run_to for pt's own month (pt->month). */
struct test_host *plugin_test_run(const struct plugin_test *pt,
                                  const char *dir, const char *file, int *rc);

/* The number of measurements fh holds for pt's indicators (no group) in
 * every month of pt->first_year..pt->last_year. */
int plugin_test_count(const struct plugin_test *pt,
                      const struct test_host *fh);

/* Expect a and b to have emitted the same measurements (count, Σnum and
 * Σden, compared exactly) for id (no group) in month m of year. */
void plugin_test_expect_same_month(const struct test_host *a,
                                   const struct test_host *b, const char *id,
                                   int year, int m);

/*
 * Run pt's plugin (plugin_test_run) over file_a and over file_b in dir,
 * assert that both succeed, and expect them to have emitted the same
 * measurements (plugin_test_expect_same_month) for every indicator of pt
 * in every month of first_year..last_year; then free both hosts and
 * LEAK_CHECK.  For an export and its Swedish Excel form.
 */
void plugin_test_expect_same_exports(const struct plugin_test *pt,
                                     const char *dir, const char *file_a,
                                     const char *file_b, int first_year,
                                     int last_year);

/* Run pt's plugin over `file` in dir (an export without rows) and expect
 * success, no diagnostic and nothing emitted (plugin_test_count is 0);
 * then free the host and LEAK_CHECK. */
void plugin_test_expect_no_data(const struct plugin_test *pt, const char *dir,
                                const char *file);

/*
 * Expect the run of fh, which returned rc, to have failed with a data
 * error (KPI_EDATA) printed as exactly "<name>: <dir>/<file>:<where_what>"
 * and a newline, and nothing else.  Says nothing about what was emitted.
 */
void plugin_test_expect_data_error(const struct test_host *fh, int rc,
                                   const char *name, const char *dir,
                                   const char *file, const char *where_what);

/*
 * Run pt's plugin (plugin_test_run) over `file` in pt->data_dir and
 * expect a data error printed as exactly
 * "<name>: <data_dir>/<file>:<where_what>" (plugin_test_expect_data_error)
 * (rows before the bad one may have been emitted: the host discards a
 * failed area's results); then free the host and
 * LEAK_CHECK.
 */
void plugin_test_expect_error(const struct plugin_test *pt, const char *file,
                              const char *where_what);

/* For each of columns[0..n): expect the export "missing_<column>.csv" in
 * pt->data_dir to fail with "1: missing required column '<column>'"
 * (plugin_test_expect_error). */
void plugin_test_expect_missing_columns(const struct plugin_test *pt,
                                        const char *const *columns, size_t n);

/*
 * The text the real host prints for a config error of the area's key:
 * key_msg is "<key>: <message>", the result
 * "<config file>:<line>: [area <area>] <key>: <message>" and a newline
 * (test_host_where), then, when the plugin's init returned the error
 * (in_init), the line "<area>: init failed: configuration error" that an
 * area's child adds.  Owned by fh, valid until the next call.
 */
const char *plugin_test_config_message(struct test_host *fh,
                                       const char *key_msg, int in_init);

/* test_host_free(fh), then LEAK_CHECK. */
void plugin_test_free(struct test_host *fh);

/* Make an empty temporary file "/tmp/kpi_test_<name>_XXXXXX" (unique to
 * this test worker) and write its name into buf (n bytes); fails the test
 * if it cannot.  The caller removes the file. */
void plugin_test_temp_name(const char *name, char *buf, size_t n);

/* Write text to path, replacing it; fails the test if it cannot. */
void plugin_test_write_file(const char *path, const char *text);

/* Write the comma-separated header without its column `drop` (0-based),
 * and a newline, into out (n bytes). */
void plugin_test_header_without(const char *header, int drop, char *out,
                                size_t n);

#endif
