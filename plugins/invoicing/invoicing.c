/*
 * invoicing.c - the financial administration area: customer and supplier
 * invoices per administrator and the share of supplier invoices received
 * as e-invoices, from the invoice register's monthly export (README.md).
 */
#include "kpi/plugin.h"

/* Local indicator ids, in descriptor order. */
#define ID_CUSTOMER_PER_ADMIN "customer_invoices_per_admin"
#define ID_SUPPLIER_PER_ADMIN "supplier_invoices_per_admin"
#define ID_E_INVOICE_SHARE    "supplier_e_invoice_share"

#define DEFAULT_FILE "invoicing.csv"

static const struct kpi_indicator_def invoicing_indicators[] = {
	KPI_RATIO(ID_CUSTOMER_PER_ADMIN,
	          "Antal kundfakturor per månad och administratör/heltid, "
	          "genomsnitt",
	          "Customer invoices per month and full-time administrator, "
	          "average",
	          "", 1, KPI_DIR_HIGHER, 0),
	KPI_RATIO(ID_SUPPLIER_PER_ADMIN,
	          "Antal leverantörsfakturor per månad och "
	          "administratör/heltid, genomsnitt",
	          "Supplier invoices per month and full-time administrator, "
	          "average",
	          "", 1, KPI_DIR_HIGHER, 0),
	KPI_RATIO(ID_E_INVOICE_SHARE,
	          "Andel leverantörsfakturor som tas emot som e-faktura",
	          "Share of supplier invoices received as e-invoices",
	          "%", 100, KPI_DIR_HIGHER, 0),
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

/*
 * Read the current row and emit its month `year`/`month`: invoice counts
 * are non-negative integers, FTEs non-negative numbers; supplier
 * e-invoices may be empty (the month then has no e-invoice share) but
 * never exceed the month's supplier invoices.  Returns 0 or a negative
 * code (reported).
 */
static int invoicing_row(const struct kpi_host *host, struct kpi_ctx *ctx,
                         struct kpi_csv *csv, const int *cols, int year,
                         int month)
{
	const int count = KPI_NUM_NONNEG | KPI_NUM_INTEGER;
	double customer, customer_fte, supplier, supplier_fte, e_invoices;
	int rc, has_e_invoices;

	if ((rc = host->csv_number(csv, cols[COL_CUSTOMER], count,
	                           &customer)) ||
	    (rc = host->csv_number(csv, cols[COL_CUSTOMER_FTE],
	                           KPI_NUM_NONNEG, &customer_fte)) ||
	    (rc = host->csv_number(csv, cols[COL_SUPPLIER], count,
	                           &supplier)) ||
	    (rc = host->csv_number(csv, cols[COL_SUPPLIER_FTE],
	                           KPI_NUM_NONNEG, &supplier_fte)))
		return rc;
	rc = host->csv_number(csv, cols[COL_E_INVOICES],
	                      count | KPI_NUM_OPTIONAL, &e_invoices);
	if (rc < 0)
		return rc;
	has_e_invoices = rc == KPI_OK;
	if (has_e_invoices && e_invoices > supplier)
		return host->csv_expected(csv, cols[COL_E_INVOICES],
		                          "expected at most the month's "
		                          "supplier invoices (%.0f)", supplier);
	rc = kpi_emit(host, ctx, ID_CUSTOMER_PER_ADMIN, year, month, customer,
	              customer_fte, NULL);
	if (!rc)
		rc = kpi_emit(host, ctx, ID_SUPPLIER_PER_ADMIN, year, month,
		              supplier, supplier_fte, NULL);
	if (!rc && has_e_invoices)
		rc = kpi_emit(host, ctx, ID_E_INVOICE_SHARE, year, month,
		              e_invoices, supplier, NULL);
	return rc;
}

/* init: check the `file` key (default "invoicing.csv").  No state. */
static int invoicing_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                          void **state)
{
	const char *file;

	*state = NULL;
	return host->config_file(ctx, "file", DEFAULT_FILE, &file);
}

/* compute: read the whole export, emitting every month as it is read
 * (the host keeps the months the run aggregates); a month twice is an
 * error. */
static int invoicing_compute(const struct kpi_host *host,
                             struct kpi_ctx *ctx, void *state)
{
	struct kpi_csv *csv;
	const char *file;
	int cols[N_COLS], rc, year, month;

	(void)state;
	if ((rc = host->config_file(ctx, "file", DEFAULT_FILE, &file)) ||
	    (rc = host->csv_open_export(ctx, file, invoicing_columns, N_COLS,
	                                cols, &csv)))
		return rc;
	while ((rc = host->csv_next(csv)) == 1) {
		rc = host->csv_month(csv, cols[COL_MONTH], KPI_MONTH_UNIQUE,
		                     &year, &month);
		if (!rc)
			rc = invoicing_row(host, ctx, csv, cols, year, month);
		if (rc)
			break;
	}
	host->csv_close(csv);
	return rc;
}

KPI_PLUGIN(invoicing_indicators,
	.name = "invoicing",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Financial administration: customer and supplier "
	               "invoices per administrator and the supplier "
	               "e-invoice share from invoicing.csv",
	.config_keys = invoicing_config_keys,
	.init = invoicing_init,
	.compute = invoicing_compute)
