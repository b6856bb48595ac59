/*
 * testhost.h - a plugin run for a test through kpirun's own host: the
 * test's config keys written into a real config file and loaded with the
 * core's config reader, the plugin opened and checked by the loader and
 * run by the code an area's child runs (kpi_sandbox_run_here), every
 * service the core's (core/host.c).  Every call the host accepted is
 * also recorded for the test to inspect, even a result the host then
 * drops because its month lies outside the run's window.
 */
#ifndef KPI_TESTHOST_H
#define KPI_TESTHOST_H

#include <stddef.h>

#include "kpi/plugin.h"

struct test_host;

/* A run for area `area` ending in `month` of `year`, reading exports
 * from `data_dir` (NULL: a temporary directory; exports are then named
 * by absolute paths).  Caller frees with test_host_free. */
struct test_host *test_host_new(const char *area, int year, int month,
                                const char *data_dir);
/* Free th, its config, its temporary directory and the loaded plugin. */
void test_host_free(struct test_host *th);

/* Set a key of the area's config section (copied; the last value set
 * wins).  Written into the config file in the order first set. */
void test_host_set(struct test_host *th, const char *key, const char *value);

/* Open the built plugin KPI_PLUGIN_BUILD_DIR/<name>.so through the
 * core's loader (path, ABI and descriptor checks) and return its
 * descriptor, owned by the plugin and valid until test_host_free.  NULL
 * (the loader's message printed) if it was refused. */
const struct kpi_plugin *test_host_load(struct test_host *th,
                                        const char *name);
/* test_host_load of <dir>/<name>.so (fixture plugins). */
const struct kpi_plugin *test_host_load_from(struct test_host *th,
                                             const char *dir,
                                             const char *name);

/* Run plugin p (from test_host_load) for the area as kpirun's child
 * does: config file loaded and checked, the area's keys checked against
 * p's config_keys, static indicators declared, init, compute, shutdown.
 * Returns what init or compute returned; KPI_EPLUGIN if they returned 0
 * but the host refused a call (an undeclared indicator, a value that is
 * not finite, a service called in the wrong phase); KPI_ECONFIG if the
 * config or its keys were refused before the plugin ran.  Diagnostics go
 * to test_host_diag. */
int test_host_run(struct test_host *th, const struct kpi_plugin *p);

/* Sum the measurements the host accepted for indicator `id` (local id)
 * and group (NULL = the indicator itself) over months from..to of
 * `year`.  Returns the number of measurements summed. */
int test_host_sum(const struct test_host *th, const char *id,
                  const char *group, int year, int from, int to,
                  double *num, double *den);

/* The latest month (1..12) of `year` with an accepted measurement of
 * id, or 0. */
int test_host_last_month(const struct test_host *th, const char *id,
                         int year);

/* The period value accepted for id and year, or NULL. */
const struct kpi_value *test_host_value(const struct test_host *th,
                                        const char *id, int year);

/* The table accepted with this id, or NULL.  Cells and strings are
 * copies owned by th. */
const struct kpi_table *test_host_table(const struct test_host *th,
                                        const char *id);

/* Indicators declared at init (besides the descriptor's). */
size_t test_host_ndeclared(const struct test_host *th);
const struct kpi_indicator_def *test_host_declared(const struct test_host *th,
                                                   size_t i);

/* The area's name, as given to test_host_new (owned by th). */
const char *test_host_area(const struct test_host *th);

/* Diagnostics printed during test_host_run, as one string (owned by th). */
const char *test_host_diag(const struct test_host *th);

/* Where the host names config key `key` of the area in a diagnostic:
 * "<config file>:<line>: [area <area>] <key>", at the key's line, or the
 * section's if the key is not set (owned by th; valid after
 * test_host_run). */
const char *test_host_where(struct test_host *th, const char *key);

#endif
