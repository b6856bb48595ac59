/*
 * sandbox.h - running one area's plugin in a child process, so that a
 * plugin that crashes, exits or hangs costs only its own area.
 *
 * The child runs init, compute and shutdown against the ordinary host
 * table (in its copy of the registry), then sends what the area declared
 * and emitted back over a pipe as plain data; the parent applies it to its
 * registry.  The parent enforces a deadline and kills a child that
 * overruns it.
 */
#ifndef KPI_SANDBOX_H
#define KPI_SANDBOX_H

#include "config.h"
#include "kpi/plugin.h"

struct kpi_area_result {
	int failed;              /* enum kpi_exit of the failure, 0 if none */
	char reason[256];        /* why, for the report ("crashed (...)") */
};

/* Run plugin p for `area` of cfg in a child with a deadline of timeout_s
 * seconds and apply its declarations and results to cfg.  The
 * descriptor's static indicators must already be declared.  Never fails
 * itself: every problem ends up in *res (and on stderr). */
void kpi_sandbox_run(struct kpi_config *cfg, const struct kpi_area *area,
                     const struct kpi_plugin *p, int timeout_s,
                     struct kpi_area_result *res);

#endif
