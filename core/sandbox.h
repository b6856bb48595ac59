/*
 * sandbox.h - running one area's plugin in a child process, so that no
 * plugin code runs in kpirun itself and a plugin that crashes, exits,
 * hangs or forks costs only its own area.
 *
 * Everything of the plugin happens in the child, under the area's
 * deadline and resource limits: the checked open and dlopen, its
 * constructors, kpi_plugin_entry(), the descriptor checks, the config key
 * check, init, compute and shutdown.  The child records every host call
 * that was accepted (wire.h) and the parent replays them through the same
 * host functions into its registry.  The child leads its own process
 * group, killed whole when the area ends.
 *
 * Areas run concurrently, at most `at_once` children at a time (run.c
 * takes plugin_jobs from the config, by default the number of online
 * CPUs), each with its own deadline from its own start.  What they write
 * on stderr and what comes back is taken in config order, so that the
 * report and every message are the same as one after another: the child's
 * stderr is a pipe to kpirun; the first unfinished area passes its output
 * on as it comes, a later one holds it (at most KPI_SANDBOX_MAX_HOLD
 * bytes, then its pipes are not read and it waits) until every area
 * before it is concluded, and its results are replayed and its failure
 * reported only then.
 */
#ifndef KPI_SANDBOX_H
#define KPI_SANDBOX_H

#include <stdio.h>

#include "config.h"
#include "kpi/plugin.h"

/* Most of a plugin's standard output passed on to stderr per area; the
 * rest is dropped (and that is said). */
#define KPI_SANDBOX_MAX_RELAY (1u << 20)
/* Output an area holds back while an area before it still runs; beyond
 * it the area's pipes are left to fill. */
#define KPI_SANDBOX_MAX_HOLD (1u << 20)
/* Most children running at once, whatever the config asks. */
#define KPI_SANDBOX_MAX_JOBS 64
/* Deadline for loading one plugin to describe it (--list-plugins). */
#define KPI_SANDBOX_LIST_TIMEOUT 10

struct kpi_area_result {
	int failed;              /* enum kpi_exit of the failure, 0 if none */
	int nomem;               /* kpirun itself (the parent) ran out of
	                            memory taking in the area's results: the
	                            run must stop with KPI_EXIT_NOMEM, nothing
	                            printed yet (docs/errors.md) */
	int code;                /* the plugin's own result code: what
	                            init or compute returned, KPI_EPLUGIN
	                            for invalid calls; 0 if it ran none or
	                            succeeded (kpi_sandbox_run_here only) */
	char reason[256];        /* why, for the report ("crashed (...)") */
};

/* What an area's child may use. */
struct kpi_sandbox_limits {
	int timeout_s;           /* wall-clock deadline, seconds */
	long memory_mb;          /* address space (RLIMIT_AS), 0 = none */
	long processes;          /* RLIMIT_NPROC for the child, 0 = none */
};

/* Load the plugin at `path` for `area` of cfg in a child under `lim`,
 * run it, and replay what it declared and emitted into cfg.  An area that
 * fails keeps its indicators' declarations but no results.  Never fails
 * itself: every problem ends up in *res (and on stderr). */
void kpi_sandbox_run(struct kpi_config *cfg, const struct kpi_area *area,
                     const char *path, const struct kpi_sandbox_limits *lim,
                     struct kpi_area_result *res);

struct kpi_host;
struct kpi_lib;
struct kpi_wire_out;

/* What an area's child does, in THIS process: open and check the plugin
 * at `path` (loader.h), check the area's config keys, declare its
 * static indicators, init, compute and shutdown it for `area` of cfg
 * through `host` (kpi_host_table(), or a table whose services call
 * it), recording the calls the host accepted into w (NULL: not
 * recorded).  The outcome in *res (failed, code, reason; diagnostics
 * printed).  *lib is the loaded plugin, or NULL if it did not load:
 * kpirun's child never closes it; another caller may kpi_loader_close
 * it once done with the results.  The plugin tests and nothing else
 * run it outside a child. */
void kpi_sandbox_run_here(struct kpi_config *cfg, const struct kpi_area *area,
                          const char *path, const struct kpi_host *host,
                          struct kpi_wire_out *w, struct kpi_lib **lib,
                          struct kpi_area_result *res);

/* One area for kpi_sandbox_run_areas: the plugin file found for it
 * (NULL: the area is not run, res stays zeroed) and, out, its result. */
struct kpi_sandbox_area {
	const struct kpi_area *area;
	const char *path;
	struct kpi_area_result res;
};

/* Run the plugins of areas[0..n) of cfg under `lim`, at most `at_once`
 * (1..KPI_SANDBOX_MAX_JOBS, clamped) children at a time, and replay into
 * cfg in the order of `areas`, as kpi_sandbox_run does for one; stderr
 * and the registry end up as for n calls of kpi_sandbox_run in order.
 * When kpirun runs out of memory taking in an area's results (its
 * res.nomem), the areas after it are killed or never started and their
 * output is dropped, as if never run. */
void kpi_sandbox_run_areas(struct kpi_config *cfg,
                           struct kpi_sandbox_area *areas, size_t n,
                           const struct kpi_sandbox_limits *lim, int at_once);

/* --list-plugins: load the plugin at path in a child and copy its
 * description (kpi_loader_describe) to out.  0 if it loaded, KPI_EPLUGIN
 * otherwise (the reason is in the description). */
int kpi_sandbox_describe(const char *path, FILE *out);

#endif
