/*
 * payroll.c - the payroll area: payslips per administrator, the share of
 * payslips registered through self-service, and payslips per month, from
 * the payroll system's monthly export.  Format and formulas: README.md.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"
#include "../common/export.h"

/* Local indicator ids, in descriptor order. */
#define ID_PER_ADMIN    "payslips_per_admin"
#define ID_SELF_SERVICE "self_service_share"
#define ID_PER_MONTH    "payslips_per_month"

static const struct kpi_indicator_def payroll_indicators[] = {
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_PER_ADMIN,
		.name_sv = "Antal löner per månad och administratör/heltid, "
		           "genomsnitt",
		.name_en = "Payslips per month and full-time administrator, "
		           "average",
		.unit = "",
		.aggregation = KPI_AGG_RATIO,
		.scale = 1,
		.direction = KPI_DIR_HIGHER,
		.decimals = 0,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_SELF_SERVICE,
		.name_sv = "Andel löner som registreras via LISA självservice "
		           "eller LISA tid",
		.name_en = "Share of payslips registered through LISA "
		           "self-service or LISA time",
		.unit = "%",
		.aggregation = KPI_AGG_RATIO,
		.scale = 100,
		.direction = KPI_DIR_HIGHER,
		.decimals = 0,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_PER_MONTH,
		.name_sv = "Antal administrerade löner per månad, genomsnitt",
		.name_en = "Payslips administered per month, average",
		.unit = "st",
		.aggregation = KPI_AGG_RATIO,
		.scale = 1,
		.direction = KPI_DIR_NONE,
		.decimals = 0,
	},
};

static const char *const payroll_config_keys[] = { "file", NULL };

/* Columns of payroll.csv, all required in the header. */
enum { COL_MONTH, COL_PAYSLIPS, COL_SELF_SERVICE, COL_FTE, N_COLS };

static const char *const payroll_columns[N_COLS] = {
	"month", "payslips", "self_service_payslips", "administrator_fte",
};

/* One month of the export as read. */
struct payroll_month {
	double payslips;
	double self_service;
	int has_self_service;
	double fte;
};

/* Per-area state: the monthly driver's part (file, months read) and the
 * row being read. */
struct payroll_state {
	struct kpi_pc_monthly m;   /* first: the driver's part */
	struct payroll_month cur;   /* the row being read */
};

/*
 * Read the current row into its month of st: counts are non-negative
 * integers, the FTE a non-negative number, self-service payslips may be
 * empty (the month then has no self-service share) but never exceed the
 * month's payslips.  Returns 0 or a negative code (reported).
 */
static int read_row(const struct kpi_host *host, struct kpi_csv *csv,
                    const int *cols, void *state)
{
	const int count = KPI_NUM_NONNEG | KPI_NUM_INTEGER;
	struct payroll_month row = { 0 };
	struct payroll_state *st = state;
	int rc;

	rc = kpi_pc_read_number(host, csv, cols[COL_PAYSLIPS], count,
	                        &row.payslips);
	if (rc)
		return rc;
	rc = host->csv_number(csv, cols[COL_SELF_SERVICE],
	                      count | KPI_NUM_OPTIONAL, &row.self_service);
	if (rc < 0)
		return rc;
	row.has_self_service = rc == KPI_OK;
	if (row.has_self_service && row.self_service > row.payslips)
		return host->csv_expected(csv, cols[COL_SELF_SERVICE],
		                          "expected at most the month's "
		                          "payslips (%.0f)", row.payslips);
	rc = kpi_pc_read_number(host, csv, cols[COL_FTE], KPI_NUM_NONNEG,
	                        &row.fte);
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
	const struct payroll_state *st = state;
	const struct payroll_month *mo = &st->cur;
	int rc;

	rc = kpi_pc_emit(host, ctx, ID_PER_ADMIN, year, month, mo->payslips,
	                 mo->fte, NULL);
	if (!rc && mo->has_self_service)
		rc = kpi_pc_emit(host, ctx, ID_SELF_SERVICE, year, month,
		                 mo->self_service, mo->payslips, NULL);
	if (!rc)
		rc = kpi_pc_emit(host, ctx, ID_PER_MONTH, year, month,
		                 mo->payslips, 1, NULL);
	return rc;
}

static const struct kpi_pc_monthly_ops payroll_ops = {
	.default_file = "payroll.csv",
	.columns = payroll_columns,
	.n_columns = N_COLS,
	.state_size = sizeof(struct payroll_state),
	.row = read_row,
	.emit = emit_month,
};

/* init: read the `file` key (default "payroll.csv").  On success *state
 * owns a struct payroll_state freed by payroll_shutdown. */
static int payroll_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                        void **state)
{
	return kpi_pc_monthly_init(host, ctx, &payroll_ops, state);
}

/* compute: read the whole export, emitting every month as it is read
 * (the host keeps the months the run aggregates). */
static int payroll_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                           void *state)
{
	return kpi_pc_monthly_compute(host, ctx, &payroll_ops, state);
}

/* shutdown: free what payroll_init allocated. */
static void payroll_shutdown(void *state)
{
	free(state);
}

static const struct kpi_plugin payroll_plugin = {
	KPI_PLUGIN_HEADER,
	.name = "payroll",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Payroll administration: payslips per administrator, "
	               "self-service share and monthly volume from "
	               "payroll.csv",
	.indicators = payroll_indicators,
	.n_indicators = sizeof payroll_indicators /
	                sizeof payroll_indicators[0],
	.config_keys = payroll_config_keys,
	.init = payroll_init,
	.compute = payroll_compute,
	.shutdown = payroll_shutdown,
};

/* The plugin's one exported symbol: its descriptor, valid while loaded. */
KPI_EXPORT const struct kpi_plugin *kpi_plugin_entry(void)
{
	return &payroll_plugin;
}
