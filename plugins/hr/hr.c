/*
 * hr.c - the hr area plugin: sick leave (total, long-term, short-term;
 * rolling twelve months), internships as a share of employees and summer
 * jobs, from the HR system's monthly export.  Format and formulas:
 * README.md.
 */
#include "kpi/plugin.h"

/* Local indicator ids, in descriptor order. */
#define ID_SICK       "sick_leave"
#define ID_SICK_LONG  "sick_leave_long"
#define ID_SICK_SHORT "sick_leave_short"
#define ID_INTERNS    "internship_share"
#define ID_SUMMER     "summer_jobs"

#define DEFAULT_FILE "hr.csv"

static const struct kpi_indicator_def hr_indicators[] = {
	KPI_ROLLING12(ID_SICK, "Sjukfrånvaro (alla nämnder/bolag)",
	              "Sick leave (all committees and companies)",
	              "%", 100, KPI_DIR_LOWER, 1),
	KPI_ROLLING12(ID_SICK_LONG, "Långtidssjukfrånvaro (mer än 14 dagar)",
	              "Long-term sick leave (more than 14 days)",
	              "%", 100, KPI_DIR_LOWER, 1),
	KPI_ROLLING12(ID_SICK_SHORT, "Korttidssjukfrånvaro (högst 14 dagar)",
	              "Short-term sick leave (14 days or less)",
	              "%", 100, KPI_DIR_LOWER, 1),
	KPI_LAST(ID_INTERNS,
	         "Andel praktikplatser som kan tillhandahållas för de "
	         "aspiranter som Jobbtorg Stockholm kan matcha i förhållande "
	         "till antal anställda (alla nämnder/bolag)",
	         "Internships offered to candidates matched by Jobbtorg "
	         "Stockholm, as a share of employees (all committees and "
	         "companies)",
	         "%", 100, KPI_DIR_HIGHER, 1),
	KPI_SUM(ID_SUMMER,
	        "Antal ungdomar som fått sommarjobb i stadens regi (alla "
	        "nämnder/bolag)",
	        "Young people given a summer job by the city (all committees "
	        "and companies)",
	        "st", KPI_DIR_HIGHER, 0),
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

/* Report that column col of the current row exceeds `limit`, the value of
 * column `what`.  Returns KPI_EDATA. */
static int too_large(const struct kpi_host *host, struct kpi_csv *csv,
                     int col, const char *what, double limit)
{
	return host->csv_expected(csv, col, "expected at most %s (%.10g)",
	                          what, limit);
}

/*
 * Read the current row into *mo: hours are non-negative numbers, counts
 * non-negative integers; sick hours may not exceed the scheduled hours,
 * long-term sick hours not the sick hours, interns not the employees.
 * Returns 0 or a negative code (reported).
 */
static int read_row(const struct kpi_host *host, struct kpi_csv *csv,
                    const int *cols, struct hr_month *mo)
{
	const int hours = KPI_NUM_NONNEG;
	const int count = KPI_NUM_NONNEG | KPI_NUM_INTEGER;
	int rc;

	rc = host->csv_number(csv, cols[COL_SCHEDULED], hours, &mo->scheduled);
	if (!rc)
		rc = host->csv_number(csv, cols[COL_SICK], hours, &mo->sick);
	if (!rc && mo->sick > mo->scheduled)
		rc = too_large(host, csv, cols[COL_SICK], "scheduled_hours",
		               mo->scheduled);
	if (!rc)
		rc = host->csv_number(csv, cols[COL_SICK_LONG], hours,
		                      &mo->sick_long);
	if (!rc && mo->sick_long > mo->sick)
		rc = too_large(host, csv, cols[COL_SICK_LONG], "sick_hours",
		               mo->sick);
	if (!rc)
		rc = host->csv_number(csv, cols[COL_EMPLOYEES], count,
		                      &mo->employees);
	if (!rc)
		rc = host->csv_number(csv, cols[COL_INTERNS], count,
		                      &mo->interns);
	if (!rc && mo->interns > mo->employees)
		rc = too_large(host, csv, cols[COL_INTERNS], "employees",
		               mo->employees);
	if (!rc)
		rc = host->csv_number(csv, cols[COL_SUMMER], count, &mo->summer);
	return rc;
}

/* Emit the measurements of month *mo, read as `year`/`month`.  Returns 0
 * or the host's first error. */
static int emit_month(const struct kpi_host *host, struct kpi_ctx *ctx,
                      const struct hr_month *mo, int year, int month)
{
	int rc;

	rc = kpi_emit(host, ctx, ID_SICK, year, month, mo->sick,
	              mo->scheduled, NULL);
	if (!rc)
		rc = kpi_emit(host, ctx, ID_SICK_LONG, year, month,
		              mo->sick_long, mo->scheduled, NULL);
	if (!rc)
		rc = kpi_emit(host, ctx, ID_SICK_SHORT, year, month,
		              mo->sick - mo->sick_long, mo->scheduled, NULL);
	if (!rc)
		rc = kpi_emit(host, ctx, ID_INTERNS, year, month, mo->interns,
		              mo->employees, NULL);
	if (!rc)
		rc = kpi_emit(host, ctx, ID_SUMMER, year, month, mo->summer, 0,
		              NULL);
	return rc;
}

/* init: check the `file` key (default "hr.csv").  No state. */
static int hr_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                   void **state)
{
	const char *file;

	*state = NULL;
	return host->config_file(ctx, "file", DEFAULT_FILE, &file);
}

/* compute: read the whole export, emitting every month as it is read
 * (the host keeps the months the run aggregates); a month twice is an
 * error. */
static int hr_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                      void *state)
{
	struct kpi_csv *csv;
	struct hr_month mo;
	const char *file;
	int cols[N_COLS], rc, year, month;

	(void)state;
	if ((rc = host->config_file(ctx, "file", DEFAULT_FILE, &file)) ||
	    (rc = host->csv_open_export(ctx, file, hr_columns, N_COLS, cols,
	                                &csv)))
		return rc;
	while ((rc = host->csv_next(csv)) == 1) {
		rc = host->csv_month(csv, cols[COL_MONTH], KPI_MONTH_UNIQUE,
		                     &year, &month);
		if (!rc)
			rc = read_row(host, csv, cols, &mo);
		if (!rc)
			rc = emit_month(host, ctx, &mo, year, month);
		if (rc)
			break;
	}
	host->csv_close(csv);
	return rc;
}

KPI_PLUGIN(hr_indicators,
	.name = "hr",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Human resources: sick leave (rolling twelve months, "
	               "long- and short-term), internships per employee and "
	               "summer jobs from hr.csv",
	.config_keys = hr_config_keys,
	.init = hr_init,
	.compute = hr_compute)
