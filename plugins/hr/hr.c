/*
 * hr.c - the hr area plugin: sick leave (total, long-term, short-term;
 * rolling twelve months), internships as a share of employees and summer
 * jobs, from the HR system's monthly export.  Format and formulas:
 * README.md.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

/* Local indicator ids, in descriptor order. */
#define ID_SICK       "sick_leave"
#define ID_SICK_LONG  "sick_leave_long"
#define ID_SICK_SHORT "sick_leave_short"
#define ID_INTERNS    "internship_share"
#define ID_SUMMER     "summer_jobs"

#define SHOWN_MAX 40   /* bytes of a field quoted in a message */

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

/* One month of the export as read; line 0 = no row for the month yet. */
struct hr_month {
	long line;
	double scheduled, sick, sick_long;
	double employees, interns, summer;
};

/* Per-area state: the export's name (owned by the host until shutdown)
 * and the months read, [0] the previous year and [1] the run year. */
struct hr_state {
	const char *file;
	struct hr_month months[2][12];
};

/*
 * Copy field `col` of the current row into buf for quoting in a message:
 * control characters become '?', a field longer than SHOWN_MAX bytes is cut
 * at a UTF-8 boundary and ends in "...".  buf must hold SHOWN_MAX + 4
 * bytes.  Returns buf.
 */
static const char *shown(const struct kpi_host *host, struct kpi_csv *csv,
                         int col, char *buf, size_t size)
{
	size_t len = 0, n, i;
	const char *s = host->csv_field(csv, col, &len);

	if (!s)
		len = 0;
	n = len;
	if (n > SHOWN_MAX) {
		n = SHOWN_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (n + 4 > size)
		n = 0;
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	if (n < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* Map every column of hr_columns into cols; each missing one is reported
 * by the reader, so the user sees all of them at once.  Returns 0 or the
 * first error. */
static int map_columns(const struct kpi_host *host, struct kpi_csv *csv,
                       int cols[N_COLS])
{
	int rc = KPI_OK;

	for (int i = 0; i < N_COLS; i++) {
		cols[i] = host->csv_column(csv, hr_columns[i], 1);
		if (cols[i] < 0 && rc == KPI_OK)
			rc = cols[i];
	}
	return rc;
}

/*
 * Parse the current row's month and point *out at its slot in st->months.
 * A month outside the run year and the year before, or one already read,
 * is a data error.  Returns 0 or a negative code (reported).
 */
static int read_month(const struct kpi_host *host, struct kpi_csv *csv,
                      int col, int run_year, struct hr_state *st,
                      struct hr_month **out)
{
	struct kpi_date d;
	struct hr_month *mo;
	char buf[SHOWN_MAX + 4];
	int rc;

	rc = host->csv_date(csv, col, KPI_DATE_MONTH, &d);
	if (rc != KPI_OK)
		return rc < 0 ? rc : KPI_EDATA;
	if (d.year < run_year - 1 || d.year > run_year)
		return host->csv_error(csv, col,
		                       "expected a month in %d..%d, found '%s'",
		                       run_year - 1, run_year,
		                       shown(host, csv, col, buf, sizeof buf));
	mo = &st->months[d.year - run_year + 1][d.month - 1];
	if (mo->line)
		return host->csv_error(csv, col,
		                       "duplicate month '%04d-%02d' "
		                       "(first at line %ld)",
		                       d.year, d.month, mo->line);
	*out = mo;
	return KPI_OK;
}

/* Read a required non-negative number (an integer when `integer`) from
 * column col.  Returns 0 or a negative code (reported). */
static int read_num(const struct kpi_host *host, struct kpi_csv *csv,
                    int col, int integer, double *out)
{
	int flags = KPI_NUM_NONNEG | (integer ? KPI_NUM_INTEGER : 0);
	int rc = host->csv_number(csv, col, flags, out);

	return rc > 0 ? KPI_EDATA : rc;
}

/* Report that column col of the current row exceeds `limit`, the value of
 * column `what`.  Returns KPI_EDATA. */
static int too_large(const struct kpi_host *host, struct kpi_csv *csv,
                     int col, const char *what, double limit)
{
	char buf[SHOWN_MAX + 4];

	return host->csv_error(csv, col, "expected at most %s (%.10g), found "
	                       "'%s'", what, limit,
	                       shown(host, csv, col, buf, sizeof buf));
}

/*
 * Read the current row into its month of st: hours are non-negative
 * numbers, counts non-negative integers; sick hours may not exceed the
 * scheduled hours, long-term sick hours not the sick hours, interns not
 * the employees.  Returns 0 or a negative code (reported).
 */
static int read_row(const struct kpi_host *host, struct kpi_csv *csv,
                    const int cols[N_COLS], int run_year, struct hr_state *st)
{
	struct hr_month *mo = NULL, row = { 0 };
	int rc;

	rc = read_month(host, csv, cols[COL_MONTH], run_year, st, &mo);
	if (!rc)
		rc = read_num(host, csv, cols[COL_SCHEDULED], 0, &row.scheduled);
	if (!rc)
		rc = read_num(host, csv, cols[COL_SICK], 0, &row.sick);
	if (!rc && row.sick > row.scheduled)
		rc = too_large(host, csv, cols[COL_SICK], "scheduled_hours",
		               row.scheduled);
	if (!rc)
		rc = read_num(host, csv, cols[COL_SICK_LONG], 0, &row.sick_long);
	if (!rc && row.sick_long > row.sick)
		rc = too_large(host, csv, cols[COL_SICK_LONG], "sick_hours",
		               row.sick);
	if (!rc)
		rc = read_num(host, csv, cols[COL_EMPLOYEES], 1, &row.employees);
	if (!rc)
		rc = read_num(host, csv, cols[COL_INTERNS], 1, &row.interns);
	if (!rc && row.interns > row.employees)
		rc = too_large(host, csv, cols[COL_INTERNS], "employees",
		               row.employees);
	if (!rc)
		rc = read_num(host, csv, cols[COL_SUMMER], 1, &row.summer);
	if (rc)
		return rc;
	row.line = host->csv_line(csv);
	*mo = row;
	return KPI_OK;
}

/* Emit one measurement of indicator id for year/month.  Returns the host's
 * code. */
static int emit(const struct kpi_host *host, struct kpi_ctx *ctx,
                const char *id, int year, int month, double num, double den)
{
	struct kpi_measurement m = {
		.size = sizeof m,
		.indicator = id,
		.year = year,
		.month = month,
		.num = num,
		.den = den,
		.group = NULL,
	};

	return host->emit(ctx, &m);
}

/* Emit the five measurements of one month.  Returns the host's first
 * error. */
static int emit_month(const struct kpi_host *host, struct kpi_ctx *ctx,
                      int year, int m, const struct hr_month *mo)
{
	int rc;

	rc = emit(host, ctx, ID_SICK, year, m, mo->sick, mo->scheduled);
	if (!rc)
		rc = emit(host, ctx, ID_SICK_LONG, year, m, mo->sick_long,
		          mo->scheduled);
	if (!rc)
		rc = emit(host, ctx, ID_SICK_SHORT, year, m,
		          mo->sick - mo->sick_long, mo->scheduled);
	if (!rc)
		rc = emit(host, ctx, ID_INTERNS, year, m, mo->interns,
		          mo->employees);
	if (!rc)
		rc = emit(host, ctx, ID_SUMMER, year, m, mo->summer, 0);
	return rc;
}

/* Emit every month read, oldest first.  Returns 0 or the host's first
 * error. */
static int emit_months(const struct kpi_host *host, struct kpi_ctx *ctx,
                       int run_year, const struct hr_state *st)
{
	for (int yi = 0; yi < 2; yi++)
		for (int m = 1; m <= 12; m++) {
			const struct hr_month *mo = &st->months[yi][m - 1];
			int rc;

			if (!mo->line)
				continue;
			rc = emit_month(host, ctx, run_year - 1 + yi, m, mo);
			if (rc)
				return rc;
		}
	return KPI_OK;
}

/* init: read the `file` key (default "hr.csv").  On success *state owns a
 * struct hr_state freed by hr_shutdown. */
static int hr_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                   void **state)
{
	const char *file = host->config_get(ctx, "file");
	struct hr_state *st;

	if (!file)
		file = "hr.csv";
	else if (!*file)
		return host->config_error(ctx, "file",
		                          "expected a file name, found ''");
	st = calloc(1, sizeof *st);
	if (!st)
		return KPI_ENOMEM;
	st->file = file;
	*state = st;
	return KPI_OK;
}

/* compute: read the whole export, then emit every month of the run year
 * and the year before; a data error emits nothing.  The reader is closed
 * on every path. */
static int hr_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                      void *state)
{
	struct hr_state *st = state;
	struct kpi_csv *csv = NULL;
	int cols[N_COLS];
	int run_year = host->run_year(ctx);
	int rc;

	memset(st->months, 0, sizeof st->months);
	rc = host->csv_open(ctx, st->file, &csv);
	if (rc)
		return rc;
	rc = map_columns(host, csv, cols);
	if (rc)
		goto out_close;
	while ((rc = host->csv_next(csv)) == 1) {
		rc = read_row(host, csv, cols, run_year, st);
		if (rc)
			goto out_close;
	}
	if (rc == 0)
		rc = emit_months(host, ctx, run_year, st);
out_close:
	host->csv_close(csv);
	return rc;
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
