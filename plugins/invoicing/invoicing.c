/*
 * invoicing.c - the financial administration area: customer and supplier
 * invoices per administrator and the share of supplier invoices received
 * as e-invoices, from the invoice register's monthly export (README.md).
 */
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

/* Local indicator ids, in descriptor order. */
#define ID_CUSTOMER_PER_ADMIN "customer_invoices_per_admin"
#define ID_SUPPLIER_PER_ADMIN "supplier_invoices_per_admin"
#define ID_E_INVOICE_SHARE    "supplier_e_invoice_share"

/* Characters of a field quoted in a message (as the CSV reader quotes
 * them), and the buffer that holds one. */
#define SHOWN_CHARS 40
#define SHOWN_SIZE (4 * SHOWN_CHARS + 8)

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

/* One month of the export as read; line 0 = no row for the month yet. */
struct invoicing_month {
	long line;
	double customer, customer_fte;
	double supplier, supplier_fte;
	double e_invoices;
	int has_e_invoices;
};

/* Per-area state: the export's name (owned by the host until shutdown)
 * and the months read, [0] the previous year and [1] the run year. */
struct invoicing_state {
	const char *file;
	struct invoicing_month months[2][12];
};

/*
 * Copy field `col` of the current row into buf (SHOWN_SIZE bytes) for
 * quoting in a message, the way the CSV reader quotes fields: at most
 * SHOWN_CHARS characters (a longer field is cut to SHOWN_CHARS - 3 and
 * ends in "..."), LF, CR and TAB written as \n, \r and \t, other control
 * characters as '?'.  Returns buf.
 */
static const char *shown(const struct kpi_host *host, struct kpi_csv *csv,
                         int col, char *buf)
{
	size_t len = 0, i, k = 0, chars = 0, total = 0;
	const char *s = host->csv_field(csv, col, &len);

	if (!s)
		len = 0;
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			total++;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch & 0xC0) != 0x80) {
			if (total > SHOWN_CHARS && chars == SHOWN_CHARS - 3)
				break;
			chars++;
		}
		if (ch == '\n' || ch == '\r' || ch == '\t') {
			buf[k++] = '\\';
			buf[k++] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : 't';
		} else if (ch < 0x20 || ch == 0x7F) {
			buf[k++] = '?';
		} else {
			buf[k++] = (char)ch;
		}
	}
	if (i < len) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

/*
 * Map every column of invoicing_columns into cols.  Each missing column is
 * reported by the reader ("missing required column"), so the user sees all
 * of them at once.  Returns 0 or the first error code.
 */
static int map_columns(const struct kpi_host *host, struct kpi_csv *csv,
                       int cols[N_COLS])
{
	int rc = KPI_OK;

	for (int i = 0; i < N_COLS; i++) {
		cols[i] = host->csv_column(csv, invoicing_columns[i], 1);
		if (cols[i] < 0 && rc == KPI_OK)
			rc = cols[i];
	}
	return rc;
}

/*
 * Parse the current row's month into the slot *out of st->months.  A month
 * outside the run year and the year before, or one already read, is a data
 * error (reported; returns KPI_EDATA).  Returns 0 or a negative code.
 */
static int read_month(const struct kpi_host *host, struct kpi_csv *csv,
                      int col, int run_year, struct invoicing_state *st,
                      struct invoicing_month **out)
{
	struct kpi_date d;
	struct invoicing_month *mo;
	char buf[SHOWN_SIZE];
	int rc;

	rc = host->csv_date(csv, col, KPI_DATE_MONTH, &d);
	if (rc != KPI_OK)
		return rc < 0 ? rc : KPI_EDATA;
	if (d.year < run_year - 1 || d.year > run_year)
		return host->csv_error(csv, col,
		                       "expected a month in %d..%d, found '%s'",
		                       run_year - 1, run_year,
		                       shown(host, csv, col, buf));
	mo = &st->months[d.year - run_year + 1][d.month - 1];
	if (mo->line)
		return host->csv_error(csv, col,
		                       "duplicate month '%04d-%02d' "
		                       "(first at line %ld)",
		                       d.year, d.month, mo->line);
	*out = mo;
	return KPI_OK;
}

/* Read a required number of column `col` with `flags` into *out.  Returns
 * 0 or a negative code (reported by the reader). */
static int read_number(const struct kpi_host *host, struct kpi_csv *csv,
                       int col, int flags, double *out)
{
	int rc = host->csv_number(csv, col, flags, out);

	return rc > 0 ? KPI_EDATA : rc;
}

/*
 * Read the current row into its month of st: invoice counts are
 * non-negative integers, FTEs non-negative numbers; supplier e-invoices may
 * be empty (the month then has no e-invoice share) but never exceed the
 * month's supplier invoices.  Returns 0 or a negative code (reported).
 */
static int read_row(const struct kpi_host *host, struct kpi_csv *csv,
                    const int cols[N_COLS], int run_year,
                    struct invoicing_state *st)
{
	const int count = KPI_NUM_NONNEG | KPI_NUM_INTEGER;
	struct invoicing_month *mo = NULL, row = { 0 };
	char buf[SHOWN_SIZE];
	int rc;

	rc = read_month(host, csv, cols[COL_MONTH], run_year, st, &mo);
	if (!rc)
		rc = read_number(host, csv, cols[COL_CUSTOMER], count,
		                 &row.customer);
	if (!rc)
		rc = read_number(host, csv, cols[COL_CUSTOMER_FTE],
		                 KPI_NUM_NONNEG, &row.customer_fte);
	if (!rc)
		rc = read_number(host, csv, cols[COL_SUPPLIER], count,
		                 &row.supplier);
	if (!rc)
		rc = read_number(host, csv, cols[COL_SUPPLIER_FTE],
		                 KPI_NUM_NONNEG, &row.supplier_fte);
	if (rc)
		return rc;
	rc = host->csv_number(csv, cols[COL_E_INVOICES],
	                      count | KPI_NUM_OPTIONAL, &row.e_invoices);
	if (rc < 0)
		return rc;
	row.has_e_invoices = rc == KPI_OK;
	if (row.has_e_invoices && row.e_invoices > row.supplier)
		return host->csv_error(csv, cols[COL_E_INVOICES],
		                       "expected at most the month's supplier "
		                       "invoices (%.0f), found '%s'",
		                       row.supplier,
		                       shown(host, csv, cols[COL_E_INVOICES],
		                             buf));
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

/* Emit the measurements of month `month` of `year` read into mo.  Returns
 * 0 or the host's first error. */
static int emit_month(const struct kpi_host *host, struct kpi_ctx *ctx,
                      int year, int month, const struct invoicing_month *mo)
{
	int rc;

	rc = emit(host, ctx, ID_CUSTOMER_PER_ADMIN, year, month, mo->customer,
	          mo->customer_fte);
	if (!rc)
		rc = emit(host, ctx, ID_SUPPLIER_PER_ADMIN, year, month,
		          mo->supplier, mo->supplier_fte);
	if (!rc && mo->has_e_invoices)
		rc = emit(host, ctx, ID_E_INVOICE_SHARE, year, month,
		          mo->e_invoices, mo->supplier);
	return rc;
}

/* Emit the measurements of every month read, oldest first.  Returns 0 or
 * the host's first error. */
static int emit_months(const struct kpi_host *host, struct kpi_ctx *ctx,
                       int run_year, const struct invoicing_state *st)
{
	int rc = KPI_OK;

	for (int yi = 0; yi < 2 && !rc; yi++)
		for (int m = 1; m <= 12 && !rc; m++)
			if (st->months[yi][m - 1].line)
				rc = emit_month(host, ctx, run_year - 1 + yi, m,
				                &st->months[yi][m - 1]);
	return rc;
}

/* init: read the `file` key (default "invoicing.csv").  On success *state
 * owns a struct invoicing_state freed by invoicing_shutdown. */
static int invoicing_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                          void **state)
{
	const char *file = host->config_get(ctx, "file");
	struct invoicing_state *st;

	if (!file)
		file = "invoicing.csv";
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
static int invoicing_compute(const struct kpi_host *host,
                             struct kpi_ctx *ctx, void *state)
{
	struct invoicing_state *st = state;
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
