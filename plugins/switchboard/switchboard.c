/*
 * switchboard.c - the switchboard area plugin: calls answered, share of
 * offered calls answered, service level and average talk time, from the
 * telephony platform's call log or its interval summary (told by header).
 */
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

#define SB_DEFAULT_THRESHOLD 25   /* seconds, "besvarats inom 25 sekunder" */
#define SB_MAX_THRESHOLD 3600

/* Local indicator ids, in descriptor order. */
#define ID_ANSWERED       "answered"
#define ID_ANSWERED_SHARE "answered_share"
#define ID_SERVICE_LEVEL  "service_level"
#define ID_AVG_TALK       "avg_talk_s"

/* The calls of one row: a call of the log, or a month of the summary. */
struct sb_month {
	double offered;
	double answered;
	double in_sl;      /* answered with wait_s <= threshold */
	double talk;       /* seconds of talk time of the answered calls */
};

/* Per-area state, owned by the plugin (init allocates, shutdown frees). */
struct sb_state {
	const char *file;  /* owned by the host, valid until shutdown */
	long threshold;    /* seconds; the call log only */
};

/* Column indexes of the two formats. */
struct sb_log_cols { int start, result, wait, talk; };
struct sb_sum_cols { int date, offered, answered, in_sl, talk; };

static const struct kpi_indicator_def sb_indicators[] = {
	KPI_SUM(ID_ANSWERED,
	        "Besvarade samtal",
	        "Calls answered",
	        "st", KPI_DIR_NONE, 0),
	KPI_RATIO(ID_ANSWERED_SHARE,
	          "Andel besvarade av inkommande samtal",
	          "Share of offered calls answered",
	          "%", 100, KPI_DIR_HIGHER, 1),
	KPI_RATIO(ID_SERVICE_LEVEL,
	          "Andel besvarade samtal inom svarstidsmålet",
	          "Share of answered calls answered within the service-level "
	          "threshold",
	          "%", 100, KPI_DIR_HIGHER, 1),
	KPI_RATIO(ID_AVG_TALK,
	          "Genomsnittlig samtalstid",
	          "Average talk time",
	          "s", 1, KPI_DIR_NONE, 0),
};

static const char *const sb_config_keys[] = {
	"file",
	"service_level_s",
	NULL
};

/* init: read `file` (required) and `service_level_s` (optional, default
 * 25).  On success *state owns a zeroed sb_state freed by sb_shutdown. */
static int sb_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                   void **state)
{
	struct sb_state *st;
	long threshold;
	int rc;

	st = calloc(1, sizeof *st);
	if (!st)
		return KPI_ENOMEM;
	st->threshold = SB_DEFAULT_THRESHOLD;
	st->file = host->config_get(ctx, "file");
	if (!st->file || st->file[0] == '\0') {
		free(st);
		return host->config_error(ctx, "file",
			"expected the name of the call log or the summary "
			"export, found nothing");
	}
	rc = host->config_integer(ctx, "service_level_s",
	                          KPI_NUM_OPTIONAL | KPI_NUM_NONNEG, &threshold);
	if (rc == 0 && threshold > SB_MAX_THRESHOLD)
		rc = host->config_error(ctx, "service_level_s", "expected a "
		                        "whole number of seconds 0..%d, found "
		                        "%ld", SB_MAX_THRESHOLD, threshold);
	if (rc == 0)
		st->threshold = threshold;
	else if (rc != KPI_MISSING) {
		free(st);
		return rc;
	}
	*state = st;
	return KPI_OK;
}

/* Emit row x of month d (any year: the host keeps the months the run
 * aggregates): the count always, a ratio only when the row adds to it,
 * so a month without answered calls has no service level rather than
 * 0 %.  The host sums a month's rows (talk time on a summary row without
 * answered calls still adds to its month's average).  Returns 0 or the
 * host's code. */
static int sb_emit(const struct kpi_host *host, struct kpi_ctx *ctx,
                   const struct kpi_date *d, const struct sb_month *x)
{
	int rc;

	rc = kpi_emit(host, ctx, ID_ANSWERED, d->year, d->month,
	              x->answered, 0, NULL);
	if (rc == 0 && x->offered > 0)
		rc = kpi_emit(host, ctx, ID_ANSWERED_SHARE, d->year,
		              d->month, x->answered, x->offered, NULL);
	if (rc == 0 && x->answered > 0)
		rc = kpi_emit(host, ctx, ID_SERVICE_LEVEL, d->year,
		              d->month, x->in_sl, x->answered, NULL);
	if (rc == 0 && (x->answered > 0 || x->talk > 0))
		rc = kpi_emit(host, ctx, ID_AVG_TALK, d->year, d->month,
		              x->talk, x->answered, NULL);
	return rc;
}

/* Read one call-log row and emit it.  Returns 0 or a negative code
 * (reported). */
static int log_row(const struct kpi_host *host, struct kpi_ctx *ctx,
                   struct kpi_csv *csv, const struct sb_log_cols *c,
                   const struct sb_state *st)
{
	struct kpi_date d;
	struct sb_month mon = { 0, 0, 0, 0 };
	const char *f;
	size_t len;
	double wait = 0, talk = 0;
	int answered, flags, rc;

	rc = host->csv_date(csv, c->start, KPI_DATE_TIME, &d);
	if (rc != 0)
		return rc < 0 ? rc : host->csv_expected(csv, c->start,
		                                        "expected a date");
	f = host->csv_field(csv, c->result, &len);
	if (kpi_word_is(f, len, "answered")) {
		answered = 1;
	} else if (kpi_word_is(f, len, "abandoned")) {
		answered = 0;
	} else {
		return host->csv_expected(csv, c->result, "expected "
		                          "'answered' or 'abandoned'");
	}
	/* wait_s: required for an answered call (it decides the service
	 * level), may be empty for an abandoned one. */
	flags = KPI_NUM_NONNEG | (answered ? 0 : KPI_NUM_OPTIONAL);
	rc = host->csv_number(csv, c->wait, flags, &wait);
	if (rc < 0)
		return rc;
	rc = host->csv_number(csv, c->talk, flags, &talk);
	if (rc < 0)
		return rc;
	if (!answered && rc == 0 && talk != 0)
		return host->csv_expected(csv, c->talk, "expected empty or 0 "
		                          "for an abandoned call");
	mon.offered = 1;
	if (answered) {
		mon.answered = 1;
		mon.talk = talk;
		mon.in_sl = wait <= (double)st->threshold;
	}
	return sb_emit(host, ctx, &d, &mon);
}

/* Report that the count in column col exceeds `limit` (column `name`).
 * Returns KPI_EDATA. */
static int more_than_error(const struct kpi_host *host, struct kpi_csv *csv,
                           int col, const char *name, double limit)
{
	return host->csv_expected(csv, col, "expected at most %s (%.0f)",
	                          name, limit);
}

/* Read one summary row and emit it.  Returns 0 or a negative code
 * (reported). */
static int sum_row(const struct kpi_host *host, struct kpi_ctx *ctx,
                   struct kpi_csv *csv, const struct sb_sum_cols *c)
{
	const int count = KPI_NUM_NONNEG | KPI_NUM_INTEGER;
	struct kpi_date d;
	struct sb_month mon;
	double offered, answered, in_sl, talk;
	int rc;

	rc = host->csv_date(csv, c->date, KPI_DATE_MONTH, &d);
	if (rc != 0)
		return rc < 0 ? rc : host->csv_expected(csv, c->date,
		                                        "expected a date");
	if ((rc = host->csv_number(csv, c->offered, count,
	                           &offered)) ||
	    (rc = host->csv_number(csv, c->answered, count,
	                           &answered)) ||
	    (rc = host->csv_number(csv, c->in_sl, count, &in_sl)) ||
	    (rc = host->csv_number(csv, c->talk, KPI_NUM_NONNEG,
	                           &talk)))
		return rc;
	if (answered > offered)
		return more_than_error(host, csv, c->answered, "offered",
		                       offered);
	if (in_sl > answered)
		return more_than_error(host, csv, c->in_sl, "answered",
		                       answered);
	mon.offered = offered;
	mon.answered = answered;
	mon.in_sl = in_sl;
	mon.talk = talk;
	return sb_emit(host, ctx, &d, &mon);
}

/* Which format the header announces: 1 = call log, 2 = summary, or a
 * negative code after reporting that it is neither or both.  A header
 * with one of a format's other columns but not its key column counts as
 * that format, so the missing key column is reported by name. */
static int detect_format(const struct kpi_host *host, struct kpi_csv *csv)
{
	int is_log = host->csv_column(csv, "call_start", 0) >= 0;
	int is_sum = host->csv_column(csv, "offered", 0) >= 0;

	if (is_log && is_sum)
		return host->csv_error(csv, -1, "expected a call log (column "
		                       "'call_start') or a summary (column "
		                       "'offered'), found both columns");
	if (is_log)
		return 1;
	if (is_sum)
		return 2;
	if (host->csv_column(csv, "answered_in_sl", 0) >= 0 ||
	    host->csv_column(csv, "answered", 0) >= 0)
		return 2;
	if (host->csv_column(csv, "result", 0) >= 0 ||
	    host->csv_column(csv, "wait_s", 0) >= 0)
		return 1;
	return host->csv_error(csv, -1, "expected a call log (column "
	                       "'call_start') or a summary (column 'offered'), "
	                       "found neither");
}

/* Required column `name`: its index, or a negative code (reported). */
static int need(const struct kpi_host *host, struct kpi_csv *csv,
                const char *name, int *col)
{
	*col = host->csv_column(csv, name, 1);
	return *col < 0 ? *col : 0;
}

/* Read the whole export, emitting every row.  Returns 0 or the first
 * error. */
static int sb_read(const struct kpi_host *host, struct kpi_ctx *ctx,
                   struct kpi_csv *csv, const struct sb_state *st)
{
	struct sb_log_cols lc;
	struct sb_sum_cols sc;
	int fmt, rc;

	fmt = detect_format(host, csv);
	if (fmt < 0)
		return fmt;
	if (fmt == 1) {
		if ((rc = need(host, csv, "call_start", &lc.start)) ||
		    (rc = need(host, csv, "result", &lc.result)) ||
		    (rc = need(host, csv, "wait_s", &lc.wait)) ||
		    (rc = need(host, csv, "talk_s", &lc.talk)))
			return rc;
		while ((rc = host->csv_next(csv)) == 1)
			if ((rc = log_row(host, ctx, csv, &lc, st)) != 0)
				return rc;
		return rc;
	}
	if ((rc = need(host, csv, "date", &sc.date)) ||
	    (rc = need(host, csv, "offered", &sc.offered)) ||
	    (rc = need(host, csv, "answered", &sc.answered)) ||
	    (rc = need(host, csv, "answered_in_sl", &sc.in_sl)) ||
	    (rc = need(host, csv, "talk_s", &sc.talk)))
		return rc;
	while ((rc = host->csv_next(csv)) == 1)
		if ((rc = sum_row(host, ctx, csv, &sc)) != 0)
			return rc;
	return rc;
}

/* compute: read the configured export (call log or summary), emitting
 * every row's calls in its month, of any year; the host keeps the months
 * the run aggregates and discards everything if the area fails. */
static int sb_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                      void *state)
{
	struct sb_state *st = state;
	struct kpi_csv *csv;
	int rc;

	rc = host->csv_open(ctx, st->file, &csv);
	if (rc != 0)
		return rc;
	rc = sb_read(host, ctx, csv, st);
	host->csv_close(csv);
	return rc;
}

/* shutdown: free what sb_init allocated. */
static void sb_shutdown(void *state)
{
	free(state);
}

KPI_PLUGIN(sb_indicators,
	.name = "switchboard",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Switchboard: calls answered, answered share, service "
	               "level and talk time from a call log or a summary",
	.config_keys = sb_config_keys,
	.init = sb_init,
	.compute = sb_compute,
	.shutdown = sb_shutdown)
