/*
 * hr.c - the hr area plugin: sick leave (total, long-term, short-term;
 * rolling twelve months), internships as a share of employees and summer
 * jobs, from the HR system's monthly export.  Format and formulas:
 * README.md.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"
#include "../common/export.h"

/* Local indicator ids, in descriptor order. */
#define ID_SICK       "sick_leave"
#define ID_SICK_LONG  "sick_leave_long"
#define ID_SICK_SHORT "sick_leave_short"
#define ID_INTERNS    "internship_share"
#define ID_SUMMER     "summer_jobs"

static const struct kpi_indicator_def hr_indicators[] = {
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_SICK,
		.name_sv = "Sjukfrånvaro (alla nämnder/bolag)",
		.name_en = "Sick leave (all committees and companies)",
		.unit = "%",
		.aggregation = KPI_AGG_ROLLING12,
		.scale = 100,
		.direction = KPI_DIR_LOWER,
		.decimals = 1,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_SICK_LONG,
		.name_sv = "Långtidssjukfrånvaro (mer än 14 dagar)",
		.name_en = "Long-term sick leave (more than 14 days)",
		.unit = "%",
		.aggregation = KPI_AGG_ROLLING12,
		.scale = 100,
		.direction = KPI_DIR_LOWER,
		.decimals = 1,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_SICK_SHORT,
		.name_sv = "Korttidssjukfrånvaro (högst 14 dagar)",
		.name_en = "Short-term sick leave (14 days or less)",
		.unit = "%",
		.aggregation = KPI_AGG_ROLLING12,
		.scale = 100,
		.direction = KPI_DIR_LOWER,
		.decimals = 1,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_INTERNS,
		.name_sv = "Andel praktikplatser som kan tillhandahållas för de "
		           "aspiranter som Jobbtorg Stockholm kan matcha i "
		           "förhållande till antal anställda (alla "
		           "nämnder/bolag)",
		.name_en = "Internships offered to candidates matched by "
		           "Jobbtorg Stockholm, as a share of employees (all "
		           "committees and companies)",
		.unit = "%",
		.aggregation = KPI_AGG_LAST,
		.scale = 100,
		.direction = KPI_DIR_HIGHER,
		.decimals = 1,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_SUMMER,
		.name_sv = "Antal ungdomar som fått sommarjobb i stadens regi "
		           "(alla nämnder/bolag)",
		.name_en = "Young people given a summer job by the city (all "
		           "committees and companies)",
		.unit = "st",
		.aggregation = KPI_AGG_SUM,
		.scale = 0,
		.direction = KPI_DIR_HIGHER,
		.decimals = 0,
	},
};

static const char *const hr_config_keys[] = { "file", NULL };

/* Columns of hr.csv, all required in the header. */
enum { COL_MONTH, COL_SCHEDULED, COL_SICK, COL_SICK_LONG, COL_EMPLOYEES,
       COL_INTERNS, COL_SUMMER, N_COLS };

static const char *const hr_columns[N_COLS] = {
	"month", "scheduled_hours", "sick_hours", "sick_hours_long",
	"employees", "interns", "summer_jobs",
};

/* One month of the export as read. */
struct hr_month {
	double scheduled, sick, sick_long;
	double employees, interns, summer;
};

/* Per-area state: the monthly driver's part (file, months read) and the
 * row being read. */
struct hr_state {
	struct kpi_pc_monthly m;   /* first: the driver's part */
	struct hr_month cur;   /* the row being read */
};

/* Report that column col of the current row exceeds `limit`, the value of
 * column `what`.  Returns KPI_EDATA. */
static int too_large(const struct kpi_host *host, struct kpi_csv *csv,
                     int col, const char *what, double limit)
{
	return host->csv_expected(csv, col, "expected at most %s (%.10g)",
	                          what, limit);
}

/*
 * Read the current row into its month of st: hours are non-negative
 * numbers, counts non-negative integers; sick hours may not exceed the
 * scheduled hours, long-term sick hours not the sick hours, interns not
 * the employees.  Returns 0 or a negative code (reported).
 */
static int read_row(const struct kpi_host *host, struct kpi_csv *csv,
                    const int *cols, void *state)
{
	const int hours = KPI_NUM_NONNEG;
	const int count = KPI_NUM_NONNEG | KPI_NUM_INTEGER;
	struct hr_month row = { 0 };
	struct hr_state *st = state;
	int rc;

	rc = kpi_pc_read_number(host, csv, cols[COL_SCHEDULED], hours,
	                        &row.scheduled);
	if (!rc)
		rc = kpi_pc_read_number(host, csv, cols[COL_SICK], hours,
		                        &row.sick);
	if (!rc && row.sick > row.scheduled)
		rc = too_large(host, csv, cols[COL_SICK], "scheduled_hours",
		               row.scheduled);
	if (!rc)
		rc = kpi_pc_read_number(host, csv, cols[COL_SICK_LONG], hours,
		                        &row.sick_long);
	if (!rc && row.sick_long > row.sick)
		rc = too_large(host, csv, cols[COL_SICK_LONG], "sick_hours",
		               row.sick);
	if (!rc)
		rc = kpi_pc_read_number(host, csv, cols[COL_EMPLOYEES], count,
		                        &row.employees);
	if (!rc)
		rc = kpi_pc_read_number(host, csv, cols[COL_INTERNS], count,
		                        &row.interns);
	if (!rc && row.interns > row.employees)
		rc = too_large(host, csv, cols[COL_INTERNS], "employees",
		               row.employees);
	if (!rc)
		rc = kpi_pc_read_number(host, csv, cols[COL_SUMMER], count,
		                        &row.summer);
	if (rc)
		return rc;
	st->cur = row;
	return KPI_OK;
}

/* Emit the measurements of the month just read as `year`/`month`.
 * Returns 0 or the host's first error. */
static int emit_month(const struct kpi_host *host, struct kpi_ctx *ctx,
                      const void *state, int year, int month)
{
	const struct hr_state *st = state;
	const struct hr_month *mo = &st->cur;
	int rc;

	rc = kpi_pc_emit(host, ctx, ID_SICK, year, month, mo->sick,
	                 mo->scheduled, NULL);
	if (!rc)
		rc = kpi_pc_emit(host, ctx, ID_SICK_LONG, year, month,
		                 mo->sick_long, mo->scheduled, NULL);
	if (!rc)
		rc = kpi_pc_emit(host, ctx, ID_SICK_SHORT, year, month,
		                 mo->sick - mo->sick_long, mo->scheduled, NULL);
	if (!rc)
		rc = kpi_pc_emit(host, ctx, ID_INTERNS, year, month, mo->interns,
		                 mo->employees, NULL);
	if (!rc)
		rc = kpi_pc_emit(host, ctx, ID_SUMMER, year, month, mo->summer, 0,
		                 NULL);
	return rc;
}

static const struct kpi_pc_monthly_ops hr_ops = {
	.default_file = "hr.csv",
	.columns = hr_columns,
	.n_columns = N_COLS,
	.state_size = sizeof(struct hr_state),
	.row = read_row,
	.emit = emit_month,
};

/* init: read the `file` key (default "hr.csv").  On success *state
 * owns a struct hr_state freed by hr_shutdown. */
static int hr_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                   void **state)
{
	return kpi_pc_monthly_init(host, ctx, &hr_ops, state);
}

/* compute: read the whole export, emitting every month as it is read
 * (the host keeps the months the run aggregates). */
static int hr_compute(const struct kpi_host *host,
                      struct kpi_ctx *ctx, void *state)
{
	return kpi_pc_monthly_compute(host, ctx, &hr_ops, state);
}

/* shutdown: free what hr_init allocated. */
static void hr_shutdown(void *state)
{
	free(state);
}

static const struct kpi_plugin hr_plugin = {
	KPI_PLUGIN_HEADER,
	.name = "hr",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Human resources: sick leave (rolling twelve months, "
	               "long- and short-term), internships per employee and "
	               "summer jobs from hr.csv",
	.indicators = hr_indicators,
	.n_indicators = sizeof hr_indicators / sizeof hr_indicators[0],
	.config_keys = hr_config_keys,
	.init = hr_init,
	.compute = hr_compute,
	.shutdown = hr_shutdown,
};

/* The plugin's one exported symbol: its descriptor, valid while loaded. */
KPI_EXPORT const struct kpi_plugin *kpi_plugin_entry(void)
{
	return &hr_plugin;
}
