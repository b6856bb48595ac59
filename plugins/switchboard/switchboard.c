/*
 * switchboard.c - the switchboard area plugin: calls answered, share of
 * offered calls answered, service level and average talk time, from the
 * telephony platform's call log or its interval summary (told by header).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

#define SB_DEFAULT_THRESHOLD 25   /* seconds, "besvarats inom 25 sekunder" */
#define SB_MAX_THRESHOLD 3600
#define SHOW_CHARS 40             /* characters of a field quoted in errors */
#define SHOW_BUF (4 * SHOW_CHARS + 8)

/* Local indicator ids, in descriptor order. */
#define ID_ANSWERED       "answered"
#define ID_ANSWERED_SHARE "answered_share"
#define ID_SERVICE_LEVEL  "service_level"
#define ID_AVG_TALK       "avg_talk_s"

/* One calendar month of calls. */
struct sb_month {
	double offered;
	double answered;
	double in_sl;      /* answered with wait_s <= threshold */
	double talk;       /* seconds of talk time of the answered calls */
	int has;           /* some row fell in this month */
};

/* Per-area state, owned by the plugin (init allocates, shutdown frees). */
struct sb_state {
	const char *file;  /* owned by the host, valid until shutdown */
	long threshold;    /* seconds; the call log only */
	int run_year;
	struct sb_month m[2][12];  /* [0] run_year - 1, [1] run_year */
};

/* Column indexes of the two formats. */
struct sb_log_cols { int start, result, wait, talk; };
struct sb_sum_cols { int date, offered, answered, in_sl, talk; };

static const struct kpi_indicator_def sb_indicators[] = {
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_ANSWERED,
		.name_sv = "Besvarade samtal",
		.name_en = "Calls answered",
		.unit = "st",
		.aggregation = KPI_AGG_SUM,
		.scale = 0,
		.direction = KPI_DIR_NONE,
		.decimals = 0,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_ANSWERED_SHARE,
		.name_sv = "Andel besvarade av inkommande samtal",
		.name_en = "Share of offered calls answered",
		.unit = "%",
		.aggregation = KPI_AGG_RATIO,
		.scale = 100,
		.direction = KPI_DIR_HIGHER,
		.decimals = 1,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_SERVICE_LEVEL,
		.name_sv = "Andel besvarade samtal inom svarstidsmålet",
		.name_en = "Share of answered calls answered within the "
		           "service-level threshold",
		.unit = "%",
		.aggregation = KPI_AGG_RATIO,
		.scale = 100,
		.direction = KPI_DIR_HIGHER,
		.decimals = 1,
	},
	{
		.size = sizeof(struct kpi_indicator_def),
		.id = ID_AVG_TALK,
		.name_sv = "Genomsnittlig samtalstid",
		.name_en = "Average talk time",
		.unit = "s",
		.aggregation = KPI_AGG_RATIO,
		.scale = 1,
		.direction = KPI_DIR_NONE,
		.decimals = 0,
	},
};

static const char *const sb_config_keys[] = {
	"file",
	"service_level_s",
	NULL
};

/* True if s[0..len) equals the lowercase ASCII word w, ignoring ASCII
 * case. */
static int word_is(const char *s, size_t len, const char *w)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (w[i] == '\0' || c != (unsigned char)w[i])
			return 0;
	}
	return w[len] == '\0';
}

/* Write field s[0..len) for a diagnostic into out (SHOW_BUF bytes), quoted
 * the way the core's CSV reader quotes fields: control characters
 * escaped, at most SHOW_CHARS characters, a longer field cut to
 * SHOW_CHARS - 3 characters followed by "...".  Returns out. */
static const char *show(const char *s, size_t len, char *out)
{
	size_t i, chars = 0, k = 0, total = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			total++;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch & 0xC0) != 0x80) {
			if (total > SHOW_CHARS && chars == SHOW_CHARS - 3)
				break;
			chars++;
		}
		if (ch == '\n' || ch == '\r' || ch == '\t') {
			out[k++] = '\\';
			out[k++] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : 't';
		} else if (ch < 0x20 || ch == 0x7F) {
			out[k++] = '?';
		} else {
			out[k++] = (char)ch;
		}
	}
	if (i < len) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
	return out;
}

/* Report a data error at column col of the current row: "expected
 * <what>, found '<field>'".  Returns KPI_EDATA. */
static int field_error(const struct kpi_host *host, struct kpi_csv *csv,
                       int col, const char *what)
{
	char shown[SHOW_BUF];
	size_t len;
	const char *f = host->csv_field(csv, col, &len);

	return host->csv_error(csv, col, "expected %s, found '%s'", what,
	                       show(f ? f : "", len, shown));
}

/* Parse a whole number of seconds 0..max from a config value: digits only,
 * surrounding spaces allowed.  Returns 0, or -1 if the text is anything
 * else or out of range. */
static int parse_seconds(const char *s, long max, long *out)
{
	char *end;
	long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || v < 0 || v > max)
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* init: read `file` (required) and `service_level_s` (optional, default
 * 25).  On success *state owns a zeroed sb_state freed by sb_shutdown. */
static int sb_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                   void **state)
{
	struct sb_state *st;
	char shown[SHOW_BUF];
	const char *v;

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
	v = host->config_get(ctx, "service_level_s");
	if (v && parse_seconds(v, SB_MAX_THRESHOLD, &st->threshold) != 0) {
		free(st);
		return host->config_error(ctx, "service_level_s",
			"expected a whole number of seconds 0..%d, found '%s'",
			SB_MAX_THRESHOLD, show(v, strlen(v), shown));
	}
	*state = st;
	return KPI_OK;
}

/* The accumulator month for date d, or NULL after reporting a data error
 * at column col when d is not in run_year - 1 or run_year. */
static struct sb_month *month_of(const struct kpi_host *host,
                                 struct kpi_csv *csv, int col,
                                 struct sb_state *st,
                                 const struct kpi_date *d)
{
	int slot = d->year - (st->run_year - 1);
	char what[48];

	if (slot < 0 || slot > 1) {
		snprintf(what, sizeof what, "a date in %d..%d",
		         st->run_year - 1, st->run_year);
		field_error(host, csv, col, what);
		return NULL;
	}
	return &st->m[slot][d->month - 1];
}

/* Read one call-log row into st.  Returns 0 or KPI_EDATA (reported). */
static int log_row(const struct kpi_host *host, struct kpi_csv *csv,
                   const struct sb_log_cols *c, struct sb_state *st)
{
	struct kpi_date d;
	struct sb_month *mon;
	const char *f;
	size_t len;
	double wait = 0, talk = 0;
	int answered, flags, rc;

	rc = host->csv_date(csv, c->start, KPI_DATE_TIME, &d);
	if (rc != 0)
		return rc < 0 ? rc : field_error(host, csv, c->start, "a date");
	mon = month_of(host, csv, c->start, st, &d);
	if (!mon)
		return KPI_EDATA;
	f = host->csv_field(csv, c->result, &len);
	if (word_is(f, len, "answered")) {
		answered = 1;
	} else if (word_is(f, len, "abandoned")) {
		answered = 0;
	} else {
		return field_error(host, csv, c->result,
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
		return field_error(host, csv, c->talk,
		                   "empty or 0 for an abandoned call");
	mon->has = 1;
	mon->offered += 1;
	if (answered) {
		mon->answered += 1;
		mon->talk += talk;
		if (wait <= (double)st->threshold)
			mon->in_sl += 1;
	}
	return 0;
}

/* Report that the count in column col exceeds `limit` (column `name`).
 * Returns KPI_EDATA. */
static int more_than_error(const struct kpi_host *host, struct kpi_csv *csv,
                           int col, const char *name, double limit)
{
	char what[64];

	snprintf(what, sizeof what, "at most %s (%.0f)", name, limit);
	return field_error(host, csv, col, what);
}

/* Read one summary row into st.  Returns 0 or KPI_EDATA (reported). */
static int sum_row(const struct kpi_host *host, struct kpi_csv *csv,
                   const struct sb_sum_cols *c, struct sb_state *st)
{
	const int count = KPI_NUM_NONNEG | KPI_NUM_INTEGER;
	struct kpi_date d;
	struct sb_month *mon;
	double offered, answered, in_sl, talk;
	int rc;

	rc = host->csv_date(csv, c->date, KPI_DATE_MONTH, &d);
	if (rc != 0)
		return rc < 0 ? rc : field_error(host, csv, c->date, "a date");
	mon = month_of(host, csv, c->date, st, &d);
	if (!mon)
		return KPI_EDATA;
	if ((rc = host->csv_number(csv, c->offered, count, &offered)) != 0 ||
	    (rc = host->csv_number(csv, c->answered, count, &answered)) != 0 ||
	    (rc = host->csv_number(csv, c->in_sl, count, &in_sl)) != 0 ||
	    (rc = host->csv_number(csv, c->talk, KPI_NUM_NONNEG, &talk)) != 0)
		return rc < 0 ? rc : KPI_EDATA;
	if (answered > offered)
		return more_than_error(host, csv, c->answered, "offered",
		                       offered);
	if (in_sl > answered)
		return more_than_error(host, csv, c->in_sl, "answered",
		                       answered);
	mon->has = 1;
	mon->offered += offered;
	mon->answered += answered;
	mon->in_sl += in_sl;
	mon->talk += talk;
	return 0;
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

/* Read the whole export into st->m.  Returns 0 or the first error. */
static int sb_read(const struct kpi_host *host, struct kpi_csv *csv,
                   struct sb_state *st)
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
			if ((rc = log_row(host, csv, &lc, st)) != 0)
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
		if ((rc = sum_row(host, csv, &sc, st)) != 0)
			return rc;
	return rc;
}

/* Emit one measurement.  Returns the host's code. */
static int put(const struct kpi_host *host, struct kpi_ctx *ctx,
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

/* Emit every month that had rows: the count always, a ratio only when its
 * denominator is not 0 (a month without answered calls has no service
 * level, rather than 0 %). */
static int sb_emit(const struct kpi_host *host, struct kpi_ctx *ctx,
                   const struct sb_state *st)
{
	int y, m, year, rc = 0;

	for (y = 0; y < 2; y++) {
		year = st->run_year - 1 + y;
		for (m = 0; m < 12 && rc == 0; m++) {
			const struct sb_month *x = &st->m[y][m];

			if (!x->has)
				continue;
			rc = put(host, ctx, ID_ANSWERED, year, m + 1,
			         x->answered, 0);
			if (rc == 0 && x->offered > 0)
				rc = put(host, ctx, ID_ANSWERED_SHARE, year,
				         m + 1, x->answered, x->offered);
			if (rc == 0 && x->answered > 0)
				rc = put(host, ctx, ID_SERVICE_LEVEL, year,
				         m + 1, x->in_sl, x->answered);
			if (rc == 0 && x->answered > 0)
				rc = put(host, ctx, ID_AVG_TALK, year, m + 1,
				         x->talk, x->answered);
		}
	}
	return rc;
}

/* compute: read the configured export (call log or summary) and emit the
 * monthly measurements.  Nothing is emitted if the export has an error. */
static int sb_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                      void *state)
{
	struct sb_state *st = state;
	struct kpi_csv *csv;
	int rc;

	memset(st->m, 0, sizeof st->m);
	st->run_year = host->run_year(ctx);
	rc = host->csv_open(ctx, st->file, &csv);
	if (rc != 0)
		return rc;
	rc = sb_read(host, csv, st);
	host->csv_close(csv);
	if (rc != 0)
		return rc;
	return sb_emit(host, ctx, st);
}

/* shutdown: free what sb_init allocated. */
static void sb_shutdown(void *state)
{
	free(state);
}

static const struct kpi_plugin sb_plugin = {
	KPI_PLUGIN_HEADER,
	.name = "switchboard",
	.version = "1.0.0",
	.license = "MIT",
	.description = "Switchboard: calls answered, answered share, service "
	               "level and talk time from a call log or a summary",
	.indicators = sb_indicators,
	.n_indicators = sizeof sb_indicators / sizeof sb_indicators[0],
	.config_keys = sb_config_keys,
	.init = sb_init,
	.compute = sb_compute,
	.shutdown = sb_shutdown,
};

/* The plugin's one exported symbol: its descriptor (static, never freed). */
KPI_EXPORT const struct kpi_plugin *kpi_plugin_entry(void)
{
	return &sb_plugin;
}
