/*
 * payroll.c - the payroll area: payslips per administrator, the share of
 * payslips registered through self-service, and payslips per month, from
 * the payroll system's monthly export.  Format and formulas: README.md.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

/* Local indicator ids, in descriptor order. */
#define ID_PER_ADMIN    "payslips_per_admin"
#define ID_SELF_SERVICE "self_service_share"
#define ID_PER_MONTH    "payslips_per_month"

/* Characters of a field quoted in a message (as the CSV reader quotes
 * them), and the buffer that holds one. */
#define SHOWN_CHARS 40
#define SHOWN_SIZE (4 * SHOWN_CHARS + 8)

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

/* One month of the export as read; line 0 = no row for the month yet. */
struct payroll_month {
	long line;
	double payslips;
	double self_service;
	int has_self_service;
	double fte;
};

/* Per-area state: the export's name (owned by the host until shutdown)
 * and the months read, [0] the previous year and [1] the run year. */
struct payroll_state {
	const char *file;
	struct payroll_month months[2][12];
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
 * Map every column of payroll_columns into cols.  Each missing column is
 * reported by the reader ("missing required column"), so the user sees all
 * of them at once.  Returns 0 or the first error code.
 */
static int map_columns(const struct kpi_host *host, struct kpi_csv *csv,
                       int cols[N_COLS])
{
	int rc = KPI_OK;

	for (int i = 0; i < N_COLS; i++) {
		cols[i] = host->csv_column(csv, payroll_columns[i], 1);
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
                      int col, int run_year, struct payroll_state *st,
                      struct payroll_month **out)
{
	struct kpi_date d;
	struct payroll_month *mo;
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
	struct payroll_month *mo = NULL, row = { 0 };
	char buf[SHOWN_SIZE];
	int rc;

	rc = read_month(host, csv, cols[COL_MONTH], run_year, st, &mo);
	if (!rc)
		rc = read_number(host, csv, cols[COL_PAYSLIPS], count,
		                 &row.payslips);
	if (rc)
		return rc;
	rc = host->csv_number(csv, cols[COL_SELF_SERVICE],
	                      count | KPI_NUM_OPTIONAL, &row.self_service);
	if (rc < 0)
		return rc;
	row.has_self_service = rc == KPI_OK;
	if (row.has_self_service && row.self_service > row.payslips)
		return host->csv_error(csv, cols[COL_SELF_SERVICE],
		                       "expected at most the month's payslips "
		                       "(%.0f), found '%s'", row.payslips,
		                       shown(host, csv, cols[COL_SELF_SERVICE],
		                             buf));
	rc = read_number(host, csv, cols[COL_FTE], KPI_NUM_NONNEG, &row.fte);
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

/* Emit the measurements of month `month` of `year` read into mo.  Returns
 * 0 or the host's first error. */
static int emit_month(const struct kpi_host *host, struct kpi_ctx *ctx,
                      int year, int month, const struct payroll_month *mo)
{
	int rc;

	rc = emit(host, ctx, ID_PER_ADMIN, year, month, mo->payslips, mo->fte);
	if (!rc && mo->has_self_service)
		rc = emit(host, ctx, ID_SELF_SERVICE, year, month,
		          mo->self_service, mo->payslips);
	if (!rc)
		rc = emit(host, ctx, ID_PER_MONTH, year, month, mo->payslips,
		          1);
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
			if (st->months[yi][m - 1].line)
				rc = emit_month(host, ctx, run_year - 1 + yi, m,
				                &st->months[yi][m - 1]);
	return rc;
}

/* init: read the `file` key (default "payroll.csv").  On success *state
 * owns a struct payroll_state freed by payroll_shutdown. */
static int payroll_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                        void **state)
{
	const char *file = host->config_get(ctx, "file");
	struct payroll_state *st;

	if (!file)
		file = "payroll.csv";
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
static int payroll_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                           void *state)
{
	struct payroll_state *st = state;
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
