/*
 * fakehost.h - a host table for testing a plugin without the kpirun core
 * driving it: config from the test, CSV through the core reader, and every
 * emitted measurement, value and table recorded for inspection.
 */
#ifndef KPI_FAKEHOST_H
#define KPI_FAKEHOST_H

#include <stddef.h>

#include "kpi/plugin.h"

struct fake_host;

/* A host for area `area` of a run ending in `month` of `year`, reading
 * exports from `data_dir`.  Caller frees with fake_host_free. */
struct fake_host *fake_host_new(const char *area, int year, int month,
                                const char *data_dir);
void fake_host_free(struct fake_host *fh);

/* Set a config key of the area (copied). */
void fake_host_set(struct fake_host *fh, const char *key, const char *value);

/* dlopen a built plugin (KPI_PLUGIN_BUILD_DIR/<name>.so) and return its
 * descriptor; the handle is closed by fake_host_free.  NULL on failure. */
const struct kpi_plugin *fake_host_load(struct fake_host *fh,
                                        const char *name);

/* init, compute and shutdown the plugin for this area.  Returns the first
 * non-zero code. */
int fake_host_run(struct fake_host *fh, const struct kpi_plugin *p);

/* Sum the measurements emitted for indicator `id` (local id) and group
 * (NULL = the indicator itself) over months from..to of `year`.  Returns
 * the number of measurements summed. */
int fake_host_sum(const struct fake_host *fh, const char *id,
                  const char *group, int year, int from, int to,
                  double *num, double *den);

/* The latest month (1..12) of `year` with a measurement of id, or 0. */
int fake_host_last_month(const struct fake_host *fh, const char *id, int year);

/* The period value emitted for id and year, or NULL. */
const struct kpi_value *fake_host_value(const struct fake_host *fh,
                                        const char *id, int year);

/* The table emitted with this id, or NULL.  Cells and strings are copies
 * owned by fh. */
const struct kpi_table *fake_host_table(const struct fake_host *fh,
                                        const char *id);

/* Indicators declared at init (besides the descriptor's). */
size_t fake_host_ndeclared(const struct fake_host *fh);
const struct kpi_indicator_def *fake_host_declared(const struct fake_host *fh,
                                                   size_t i);

/* Diagnostics printed during fake_host_run, as one string (owned by fh). */
const char *fake_host_diag(const struct fake_host *fh);

#endif
