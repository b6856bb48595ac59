/*
 * report.h - writing the follow-up report from an evaluated registry.
 *
 * The text report follows the seed's order: each directional goal, its
 * council goals and the committee's goals beneath, each with its indicator
 * table, activities and assessment; then the plugins' tables and a
 * summary.  JSON carries the same content for machines.
 */
#ifndef KPI_REPORT_H
#define KPI_REPORT_H

#include <stdio.h>

#include "config.h"

enum kpi_format { KPI_FORMAT_TEXT = 0, KPI_FORMAT_JSON = 1,
                  KPI_FORMAT_JUNIT = 2, KPI_FORMAT_MARKDOWN = 3,
                  KPI_FORMAT_HTML = 4, KPI_FORMAT_CSV = 5 };

/* An area whose plugin failed, shown in the report. */
struct kpi_failure {
	const char *area;
	const char *reason;
};

struct kpi_report_ctx {
	const struct kpi_config *cfg;
	int lang;
	const struct kpi_failure *failures;
	size_t n_failures;
};

/* Write the report in `format` to out.  Returns 0, KPI_ENOMEM if memory
 * for a table ran out (what was written is incomplete), or KPI_EIO if a
 * write failed. */
int kpi_report_write(FILE *out, int format, const struct kpi_report_ctx *r);

/* Labels used by the report and its tests (static strings). */
const char *kpi_assessment_label(int assessment, int lang);

#endif
