/*
 * procurement.c - the procurement area: completed central and agency
 * procurements, ongoing procurements and the share taken to court, from
 * the register of procurement assignments (one row each; README.md).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

/* Local indicator ids, in descriptor order. */
#define ID_COMPLETED_CENTRAL "completed_central"
#define ID_COMPLETED_AGENCY  "completed_agency"
#define ID_ONGOING           "ongoing"
#define ID_REVIEW_SHARE      "review_share"

/* Slots of the table of ids seen (a power of two).  Duplicate ids are
 * checked for the first three quarters of it, 12 288 assignments. */
#define ID_SLOTS 16384u
#define ID_CHECKED (ID_SLOTS / 4 * 3)

static const struct kpi_indicator_def procurement_indicators[] = {
	KPI_SUM(ID_COMPLETED_CENTRAL,
	        "Antal avslutade centrala och gemensamma upphandlingar",
	        "Completed central and joint procurements",
	        "st", KPI_DIR_HIGHER, 0),
	KPI_SUM(ID_COMPLETED_AGENCY,
	        "Antal avslutade upphandlingsuppdrag åt enskilda "
	        "förvaltningar och bolag",
	        "Completed procurement assignments for individual "
	        "administrations and companies",
	        "st", KPI_DIR_HIGHER, 0),
	KPI_LAST(ID_ONGOING,
	         "Antal pågående upphandlingar vid periodens slut",
	         "Ongoing procurements at the end of the period",
	         "st", 1, KPI_DIR_NONE, 0),
	KPI_RATIO(ID_REVIEW_SHARE,
	          "Andel avslutade upphandlingar som överprövats",
	          "Share of completed procurements taken to court for review",
	          "%", 100, KPI_DIR_LOWER, 0),
};

static const char *const procurement_config_keys[] = { "file", NULL };

/* Required columns of procurement.csv; `title` is informational and not
 * read. */
enum { COL_ID, COL_TYPE, COL_OPENED, COL_CLOSED, COL_REVIEWED, N_COLS };

static const char *const procurement_columns[N_COLS] = {
	"id", "type", "opened", "closed", "reviewed",
};

/* A slot of the id table: FNV-1a hash of the id and the line it was on;
 * line 0 = free. */
struct id_slot {
	uint64_t hash;
	long line;
};

/* Counts per month of the run year. */
struct procurement_counts {
	long rows;                  /* data rows read */
	double completed_central[12];
	double completed_agency[12];
	double reviewed[12];        /* completed and taken to court */
	double ongoing[12];         /* 1..run_month only */
};

/* Per-area state: the export's name (owned by the host until shutdown),
 * the counts, and the ids seen. */
struct procurement_state {
	const char *file;
	struct procurement_counts c;
	unsigned n_ids;
	int ids_warned;
	struct id_slot ids[ID_SLOTS];
};

/* One row of the register, parsed. */
struct assignment {
	int agency;                 /* type agency (else central or joint) */
	long opened;                /* YYYYMMDD */
	long closed;                /* YYYYMMDD, 0 while ongoing */
	int closed_year, closed_month;
	int reviewed;
};

/* Field `col` of the current row without leading and trailing ASCII
 * spaces; its length in *len.  The pointer is the reader's. */
static const char *trimmed(const struct kpi_host *host, struct kpi_csv *csv,
                           int col, size_t *len)
{
	size_t n = 0;
	const char *s = host->csv_field(csv, col, &n);

	if (!s) {
		*len = 0;
		return "";
	}
	while (n > 0 && *s == ' ') {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	*len = n;
	return s;
}

/* Report that the current row's id (column col) was already on line
 * `first`, the id quoted as the reader quotes fields.  Returns
 * KPI_EDATA. */
static int duplicate_id(const struct kpi_host *host, struct kpi_csv *csv,
                        int col, long first)
{
	char buf[KPI_QUOTE_SIZE];
	size_t len = 0;
	const char *s = host->csv_field(csv, col, &len);

	if (!s)
		len = 0;
	return host->csv_error(csv, col, "duplicate id '%s' (first at line "
	                       "%ld)", host->quote(s, len, buf), first);
}

/*
 * Check the current row's id: not empty, and not on an earlier line.  The
 * first ID_CHECKED ids are remembered by a 64-bit hash (a false duplicate
 * needs two different ids with the same hash); past that a warning says
 * the check stopped.  Returns 0 or KPI_EDATA (reported).
 */
static int check_id(const struct kpi_host *host, struct kpi_ctx *ctx,
                    struct kpi_csv *csv, int col,
                    struct procurement_state *st)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t len, i;
	const char *s = trimmed(host, csv, col, &len);
	unsigned slot;

	if (len == 0)
		return host->csv_expected(csv, col,
		                          "expected an assignment id");
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	if (st->n_ids >= ID_CHECKED) {
		if (!st->ids_warned)
			host->log(ctx, KPI_LOG_WARN,
			          "%s: more than %u assignments, ids from line "
			          "%ld on are not checked for duplicates",
			          st->file, ID_CHECKED, host->csv_line(csv));
		st->ids_warned = 1;
		return KPI_OK;
	}
	for (slot = (unsigned)h & (ID_SLOTS - 1); st->ids[slot].line;
	     slot = (slot + 1) & (ID_SLOTS - 1))
		if (st->ids[slot].hash == h)
			return duplicate_id(host, csv, col,
			                    st->ids[slot].line);
	st->ids[slot].hash = h;
	st->ids[slot].line = host->csv_line(csv);
	st->n_ids++;
	return KPI_OK;
}

/* Parse `type`: central or joint (a->agency = 0) or agency (1), in any
 * case.  Returns 0 or KPI_EDATA (reported). */
static int read_type(const struct kpi_host *host, struct kpi_csv *csv,
                     int col, struct assignment *a)
{
	size_t len;
	const char *s = trimmed(host, csv, col, &len);

	if (kpi_word_is(s, len, "central") ||
	    kpi_word_is(s, len, "joint"))
		a->agency = 0;
	else if (kpi_word_is(s, len, "agency"))
		a->agency = 1;
	else
		return host->csv_expected(csv, col, "expected central, joint "
		                          "or agency");
	return KPI_OK;
}

/*
 * Parse the date of column `col` (flags as csv_date), of any year: the
 * register is read whole and what the run's year counts is decided in
 * count().  Stores YYYYMMDD in *ymd, or 0 for an empty optional field.
 * Returns 0 or a negative code (reported).
 */
static int read_date(const struct kpi_host *host, struct kpi_csv *csv,
                     int col, int flags, long *ymd, struct kpi_date *d)
{
	int rc = host->csv_date(csv, col, flags, d);

	*ymd = 0;
	if (rc == KPI_MISSING && (flags & KPI_DATE_OPTIONAL))
		return KPI_OK;
	if (rc != KPI_OK)
		return rc < 0 ? rc : KPI_EDATA;
	*ymd = d->year * 10000L + d->month * 100L + d->day;
	return KPI_OK;
}

/* Parse `reviewed`: exactly 0 or 1.  Returns 0 or KPI_EDATA (reported). */
static int read_reviewed(const struct kpi_host *host, struct kpi_csv *csv,
                         int col, struct assignment *a)
{
	size_t len;
	const char *s = trimmed(host, csv, col, &len);

	if (len == 1 && (s[0] == '0' || s[0] == '1')) {
		a->reviewed = s[0] == '1';
		return KPI_OK;
	}
	return host->csv_expected(csv, col, "expected 0 or 1");
}

/*
 * Parse the current row into *a: id (checked for duplicates), type,
 * opened (a date of any year), closed (empty, or a date not before
 * opened) and reviewed.  Returns 0 or a negative code (reported).
 */
static int read_row(const struct kpi_host *host, struct kpi_ctx *ctx,
                    struct kpi_csv *csv, const int cols[N_COLS],
                    struct procurement_state *st, struct assignment *a)
{
	struct kpi_date opened, closed;
	int rc;

	memset(a, 0, sizeof *a);
	rc = check_id(host, ctx, csv, cols[COL_ID], st);
	if (!rc)
		rc = read_type(host, csv, cols[COL_TYPE], a);
	if (!rc)
		rc = read_date(host, csv, cols[COL_OPENED], 0, &a->opened,
		               &opened);
	if (!rc)
		rc = read_date(host, csv, cols[COL_CLOSED], KPI_DATE_OPTIONAL,
		               &a->closed, &closed);
	if (rc)
		return rc;
	if (a->closed && a->closed < a->opened)
		return host->csv_expected(csv, cols[COL_CLOSED],
		                          "expected a date on or after opened "
		                          "(%04d-%02d-%02d)", opened.year,
		                          opened.month, opened.day);
	if (a->closed) {
		a->closed_year = closed.year;
		a->closed_month = closed.month;
	}
	return read_reviewed(host, csv, cols[COL_REVIEWED], a);
}

/*
 * Count assignment a: completed (and reviewed) in the month it closed if
 * that is in the run year; ongoing at the end of each month 1..run_month
 * it was open by then and not yet closed.
 */
static void count(struct procurement_counts *c, const struct assignment *a,
                  int run_year, int run_month)
{
	c->rows++;
	if (a->closed && a->closed_year == run_year) {
		int i = a->closed_month - 1;

		if (a->agency)
			c->completed_agency[i] += 1;
		else
			c->completed_central[i] += 1;
		c->reviewed[i] += a->reviewed;
	}
	for (int m = 1; m <= run_month; m++) {
		/* Any date in month m is at most YYYYMM31. */
		long end = run_year * 10000L + m * 100L + 31;

		if (a->opened <= end && (!a->closed || a->closed > end))
			c->ongoing[m - 1] += 1;
	}
}

/*
 * Emit the run year's counts: every month 1..run_month (zeros included,
 * since a register with rows that closed nothing in a month is a count of
 * 0, not missing data), and later months only where something closed.
 * An empty register emits nothing.  Returns 0 or the host's first error.
 */
static int emit_counts(const struct kpi_host *host, struct kpi_ctx *ctx,
                       int run_year, int run_month,
                       const struct procurement_counts *c)
{
	int rc = KPI_OK;

	if (c->rows == 0)
		return KPI_OK;
	for (int m = 1; m <= 12 && !rc; m++) {
		double done = c->completed_central[m - 1] +
		              c->completed_agency[m - 1];

		if (m > run_month && done == 0)
			continue;
		rc = kpi_emit(host, ctx, ID_COMPLETED_CENTRAL, run_year, m,
		              c->completed_central[m - 1], 0, NULL);
		if (!rc)
			rc = kpi_emit(host, ctx, ID_COMPLETED_AGENCY,
			              run_year, m,
			              c->completed_agency[m - 1], 0, NULL);
		if (!rc)
			rc = kpi_emit(host, ctx, ID_REVIEW_SHARE, run_year,
			              m, c->reviewed[m - 1], done, NULL);
		if (!rc && m <= run_month)
			rc = kpi_emit(host, ctx, ID_ONGOING, run_year, m,
			              c->ongoing[m - 1], 1, NULL);
	}
	return rc;
}

/* init: read the `file` key (default "procurement.csv").  On success
 * *state owns a struct procurement_state freed by procurement_shutdown. */
static int procurement_init(const struct kpi_host *host,
                            struct kpi_ctx *ctx, void **state)
{
	struct procurement_state *st;
	const char *file;
	int rc = host->config_file(ctx, "file", "procurement.csv", &file);

	if (rc)
		return rc;
	st = calloc(1, sizeof *st);
	if (!st)
		return KPI_ENOMEM;
	st->file = file;
	*state = st;
	return KPI_OK;
}

/* compute: read the whole register, then emit the run year's counts; a
 * data error emits nothing.  The reader is closed on every path. */
static int procurement_compute(const struct kpi_host *host,
                               struct kpi_ctx *ctx, void *state)
{
	struct procurement_state *st = state;
	struct kpi_csv *csv = NULL;
	struct assignment a;
	int cols[N_COLS];
	int run_year = host->run_year(ctx);
	int run_month = host->run_month(ctx);
	int rc;

	memset(&st->c, 0, sizeof st->c);
	memset(st->ids, 0, sizeof st->ids);
	st->n_ids = 0;
	st->ids_warned = 0;
	if (run_month < 1 || run_month > 12)
		run_month = 12;
	rc = host->csv_open_export(ctx, st->file, procurement_columns,
	                           N_COLS, cols, &csv);
	if (rc)
		return rc;
	while ((rc = host->csv_next(csv)) == 1) {
		rc = read_row(host, ctx, csv, cols, st, &a);
		if (rc)
			goto out_close;
		count(&st->c, &a, run_year, run_month);
	}
	if (rc == 0)
		rc = emit_counts(host, ctx, run_year, run_month, &st->c);
out_close:
	host->csv_close(csv);
	return rc;
}

/* shutdown: free what procurement_init allocated. */
static void procurement_shutdown(void *state)
{
	free(state);
}

KPI_PLUGIN(procurement_indicators,
	.name = "procurement",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Procurement: completed central and agency "
	               "procurements, ongoing procurements and the review "
	               "share from the register procurement.csv",
	.config_keys = procurement_config_keys,
	.init = procurement_init,
	.compute = procurement_compute,
	.shutdown = procurement_shutdown)
