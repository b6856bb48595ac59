/*
 * invoicing.c - the financial administration area: customer and supplier
 * invoices per administrator and the share of supplier invoices received
 * as e-invoices, from the invoice register's monthly export (README.md).
 */
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"
#include "../common/export.h"

/* Local indicator ids, in descriptor order. */
#define ID_CUSTOMER_PER_ADMIN "customer_invoices_per_admin"
#define ID_SUPPLIER_PER_ADMIN "supplier_invoices_per_admin"
#define ID_E_INVOICE_SHARE    "supplier_e_invoice_share"

static const struct kpi_indicator_def invoicing_indicators[] = {
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_CUSTOMER_PER_ADMIN,
		.name_sv = "Antal kundfakturor per månad och "
		           "administratör/heltid, genomsnitt",
		.name_en = "Customer invoices per month and full-time "
		           "administrator, average",
		.unit = "",
		.aggregation = KPI_AGG_RATIO,
		.scale = 1,
		.direction = KPI_DIR_HIGHER,
		.decimals = 0,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_SUPPLIER_PER_ADMIN,
		.name_sv = "Antal leverantörsfakturor per månad och "
		           "administratör/heltid, genomsnitt",
		.name_en = "Supplier invoices per month and full-time "
		           "administrator, average",
		.unit = "",
		.aggregation = KPI_AGG_RATIO,
		.scale = 1,
		.direction = KPI_DIR_HIGHER,
		.decimals = 0,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_E_INVOICE_SHARE,
		.name_sv = "Andel leverantörsfakturor som tas emot som "
		           "e-faktura",
		.name_en = "Share of supplier invoices received as e-invoices",
		.unit = "%",
		.aggregation = KPI_AGG_RATIO,
		.scale = 100,
		.direction = KPI_DIR_HIGHER,
		.decimals = 0,
	},
};

static const char *const invoicing_config_keys[] = { "file", NULL };

/* Columns of invoicing.csv, all required in the header. */
enum {
	COL_MONTH, COL_CUSTOMER, COL_CUSTOMER_FTE, COL_SUPPLIER,
	COL_SUPPLIER_FTE, COL_E_INVOICES, N_COLS
};

static const char *const invoicing_columns[N_COLS] = {
	"month", "customer_invoices", "customer_fte", "supplier_invoices",
	"supplier_fte", "supplier_e_invoices",
};

/* One month of the export as read. */
struct invoicing_month {
	double customer, customer_fte;
	double supplier, supplier_fte;
	double e_invoices;
	int has_e_invoices;
};

/* Per-area state: the monthly driver's part (file, months read) and the
 * row being read. */
struct invoicing_state {
	struct kpi_pc_monthly m;   /* first: the driver's part */
	struct invoicing_month cur;   /* the row being read */
};

/*
 * Read the current row into its month of st: invoice counts are
 * non-negative integers, FTEs non-negative numbers; supplier e-invoices may
 * be empty (the month then has no e-invoice share) but never exceed the
 * month's supplier invoices.  Returns 0 or a negative code (reported).
 */
static int read_row(const struct kpi_host *host, struct kpi_csv *csv,
                    const int *cols, void *state)
{
	const int count = KPI_NUM_NONNEG | KPI_NUM_INTEGER;
	struct invoicing_month row = { 0 };
	struct invoicing_state *st = state;
	int rc;

	rc = kpi_pc_read_number(host, csv, cols[COL_CUSTOMER], count,
	                        &row.customer);
	if (!rc)
		rc = kpi_pc_read_number(host, csv, cols[COL_CUSTOMER_FTE],
		                        KPI_NUM_NONNEG, &row.customer_fte);
	if (!rc)
		rc = kpi_pc_read_number(host, csv, cols[COL_SUPPLIER], count,
		                        &row.supplier);
	if (!rc)
		rc = kpi_pc_read_number(host, csv, cols[COL_SUPPLIER_FTE],
		                        KPI_NUM_NONNEG, &row.supplier_fte);
	if (rc)
		return rc;
	rc = host->csv_number(csv, cols[COL_E_INVOICES],
	                      count | KPI_NUM_OPTIONAL, &row.e_invoices);
	if (rc < 0)
		return rc;
	row.has_e_invoices = rc == KPI_OK;
	if (row.has_e_invoices && row.e_invoices > row.supplier)
		return host->csv_expected(csv, cols[COL_E_INVOICES],
		                          "expected at most the month's "
		                          "supplier invoices (%.0f)",
		                          row.supplier);
	st->cur = row;
	return KPI_OK;
}

/* Emit the measurements of the month just read as `year`/`month`.
 * Returns 0 or the host's first error. */
static int emit_month(const struct kpi_host *host, struct kpi_ctx *ctx,
                      const void *state, int year, int month)
{
	const struct invoicing_state *st = state;
	const struct invoicing_month *mo = &st->cur;
	int rc;

	rc = kpi_pc_emit(host, ctx, ID_CUSTOMER_PER_ADMIN, year, month,
	                 mo->customer, mo->customer_fte, NULL);
	if (!rc)
		rc = kpi_pc_emit(host, ctx, ID_SUPPLIER_PER_ADMIN, year, month,
		                 mo->supplier, mo->supplier_fte, NULL);
	if (!rc && mo->has_e_invoices)
		rc = kpi_pc_emit(host, ctx, ID_E_INVOICE_SHARE, year, month,
		                 mo->e_invoices, mo->supplier, NULL);
	return rc;
}

static const struct kpi_pc_monthly_ops invoicing_ops = {
	.default_file = "invoicing.csv",
	.columns = invoicing_columns,
	.n_columns = N_COLS,
	.state_size = sizeof(struct invoicing_state),
	.row = read_row,
	.emit = emit_month,
};

/* init: read the `file` key (default "invoicing.csv").  On success *state
 * owns a struct invoicing_state freed by invoicing_shutdown. */
static int invoicing_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                          void **state)
{
	return kpi_pc_monthly_init(host, ctx, &invoicing_ops, state);
}

/* compute: read the whole export, emitting every month as it is read
 * (the host keeps the months the run aggregates). */
static int invoicing_compute(const struct kpi_host *host,
                             struct kpi_ctx *ctx, void *state)
{
	return kpi_pc_monthly_compute(host, ctx, &invoicing_ops, state);
}

/* shutdown: free what invoicing_init allocated. */
static void invoicing_shutdown(void *state)
{
	free(state);
}

static const struct kpi_plugin invoicing_plugin = {
	KPI_PLUGIN_HEADER,
	.name = "invoicing",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Financial administration: customer and supplier "
	               "invoices per administrator and the supplier "
	               "e-invoice share from invoicing.csv",
	.indicators = invoicing_indicators,
	.n_indicators = sizeof invoicing_indicators /
	                sizeof invoicing_indicators[0],
	.config_keys = invoicing_config_keys,
	.init = invoicing_init,
	.compute = invoicing_compute,
	.shutdown = invoicing_shutdown,
};

/* The plugin's one exported symbol: its descriptor, valid while loaded. */
KPI_EXPORT const struct kpi_plugin *kpi_plugin_entry(void)
{
	return &invoicing_plugin;
}
