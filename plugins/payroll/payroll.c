/*
 * payroll.c - the payroll area: payslips per administrator, the share of
 * payslips registered through self-service, and payslips per month, from
 * the payroll system's monthly export.  Format and formulas: README.md.
 */
#include "kpi/plugin.h"

/* Local indicator ids, in descriptor order. */
#define ID_PER_ADMIN    "payslips_per_admin"
#define ID_SELF_SERVICE "self_service_share"
#define ID_PER_MONTH    "payslips_per_month"

#define DEFAULT_FILE "payroll.csv"

static const struct kpi_indicator_def payroll_indicators[] = {
	KPI_RATIO(ID_PER_ADMIN,
	          "Antal löner per månad och administratör/heltid, "
	          "genomsnitt",
	          "Payslips per month and full-time administrator, average",
	          "", 1, KPI_DIR_HIGHER, 0),
	KPI_RATIO(ID_SELF_SERVICE,
	          "Andel löner som registreras via LISA självservice "
	          "eller LISA tid",
	          "Share of payslips registered through LISA self-service "
	          "or LISA time",
	          "%", 100, KPI_DIR_HIGHER, 0),
	KPI_RATIO(ID_PER_MONTH,
	          "Antal administrerade löner per månad, genomsnitt",
	          "Payslips administered per month, average",
	          "st", 1, KPI_DIR_NONE, 0),
};

static const char *const payroll_config_keys[] = { "file", NULL };

/* Columns of payroll.csv, all required in the header. */
enum { COL_MONTH, COL_PAYSLIPS, COL_SELF_SERVICE, COL_FTE, N_COLS };

static const char *const payroll_columns[N_COLS] = {
	"month", "payslips", "self_service_payslips", "administrator_fte",
};

/*
 * Read the current row and emit its month `year`/`month`: counts are
 * non-negative integers, the FTE a non-negative number, self-service
 * payslips may be empty (the month then has no self-service share) but
 * never exceed the month's payslips.  Returns 0 or a negative code
 * (reported).
 */
static int payroll_row(const struct kpi_host *host, struct kpi_ctx *ctx,
                       struct kpi_csv *csv, const int *cols, int year,
                       int month)
{
	const int count = KPI_NUM_NONNEG | KPI_NUM_INTEGER;
	double payslips, self_service, fte;
	int rc, has_self_service;

	rc = host->csv_number(csv, cols[COL_PAYSLIPS], count, &payslips);
	if (rc)
		return rc;
	rc = host->csv_number(csv, cols[COL_SELF_SERVICE],
	                      count | KPI_NUM_OPTIONAL, &self_service);
	if (rc < 0)
		return rc;
	has_self_service = rc == KPI_OK;
	if (has_self_service && self_service > payslips)
		return host->csv_expected(csv, cols[COL_SELF_SERVICE],
		                          "expected at most the month's "
		                          "payslips (%.0f)", payslips);
	rc = host->csv_number(csv, cols[COL_FTE], KPI_NUM_NONNEG, &fte);
	if (rc)
		return rc;
	rc = kpi_emit(host, ctx, ID_PER_ADMIN, year, month, payslips, fte,
	              NULL);
	if (!rc && has_self_service)
		rc = kpi_emit(host, ctx, ID_SELF_SERVICE, year, month,
		              self_service, payslips, NULL);
	if (!rc)
		rc = kpi_emit(host, ctx, ID_PER_MONTH, year, month, payslips, 1,
		              NULL);
	return rc;
}

/* init: check the `file` key (default "payroll.csv").  No state. */
static int payroll_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                        void **state)
{
	const char *file;

	*state = NULL;
	return host->config_file(ctx, "file", DEFAULT_FILE, &file);
}

/* compute: read the whole export, emitting every month as it is read
 * (the host keeps the months the run aggregates); a month twice is an
 * error. */
static int payroll_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                           void *state)
{
	struct kpi_csv *csv;
	const char *file;
	int cols[N_COLS], rc, year, month;

	(void)state;
	if ((rc = host->config_file(ctx, "file", DEFAULT_FILE, &file)) ||
	    (rc = host->csv_open_export(ctx, file, payroll_columns, N_COLS,
	                                cols, &csv)))
		return rc;
	while ((rc = host->csv_next(csv)) == 1) {
		rc = host->csv_month(csv, cols[COL_MONTH], KPI_MONTH_UNIQUE,
		                     &year, &month);
		if (!rc)
			rc = payroll_row(host, ctx, csv, cols, year, month);
		if (rc)
			break;
	}
	host->csv_close(csv);
	return rc;
}

KPI_PLUGIN(payroll_indicators,
	.name = "payroll",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Payroll administration: payslips per administrator, "
	               "self-service share and monthly volume from "
	               "payroll.csv",
	.config_keys = payroll_config_keys,
	.init = payroll_init,
	.compute = payroll_compute)
