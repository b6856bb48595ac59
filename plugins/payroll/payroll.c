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

/* Per-area state: the export's name (owned by the host until shutdown),
 * which months were read (and from which line), and the months,
 * [0] the previous year and [1] the run year. */
struct payroll_state {
	const char *file;
	struct kpi_pc_months seen;
	struct payroll_month months[2][12];
};

/*
 * Read the current row into its month of st: counts are non-negative
 * integers, the FTE a non-negative number, self-service payslips may be
 * empty (the month then has no self-service share) but never exceed the
 * month's payslips.  Returns 0 or a negative code (reported).
 */
static int read_row(const struct kpi_host *host, struct kpi_csv *csv,
                    const int cols[N_COLS], int run_year,
                    struct payroll_state *st)
{
	const int count = KPI_NUM_NONNEG | KPI_NUM_INTEGER;
	struct payroll_month row = { 0 };
	int yi, mi, rc;

	rc = kpi_pc_read_month(host, csv, cols[COL_MONTH], run_year, &st->seen,
	                       &yi, &mi);
	if (!rc)
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
	st->months[yi][mi] = row;
	return KPI_OK;
}

/* Emit the measurements of month `month` of `year` read into mo.  Returns
 * 0 or the host's first error. */
static int emit_month(const struct kpi_host *host, struct kpi_ctx *ctx,
                      int year, int month, const struct payroll_month *mo)
{
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

/* Emit the measurements of every month read, oldest first.  Returns 0 or
 * the host's first error. */
static int emit_months(const struct kpi_host *host, struct kpi_ctx *ctx,
                       int run_year, const struct payroll_state *st)
{
	int rc = KPI_OK;

	for (int yi = 0; yi < 2 && !rc; yi++)
		for (int m = 1; m <= 12 && !rc; m++)
			if (st->seen.line[yi][m - 1])
				rc = emit_month(host, ctx, run_year - 1 + yi, m,
				                &st->months[yi][m - 1]);
	return rc;
}

/* init: read the `file` key (default "payroll.csv").  On success *state
 * owns a struct payroll_state freed by payroll_shutdown. */
static int payroll_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                        void **state)
{
	struct payroll_state *st;
	const char *file;
	int rc = kpi_pc_file_key(host, ctx, "payroll.csv", &file);

	if (rc)
		return rc;
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
static int payroll_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                           void *state)
{
	struct payroll_state *st = state;
	struct kpi_csv *csv = NULL;
	int cols[N_COLS];
	int run_year = host->run_year(ctx);
	int rc;

	memset(&st->seen, 0, sizeof st->seen);
	rc = kpi_pc_open_export(host, ctx, st->file, payroll_columns, N_COLS,
	                        cols, &csv);
	if (rc)
		return rc;
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
