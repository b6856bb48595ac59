/*
 * measurements.c - the generic area plugin: indicators that no dedicated
 * plugin computes (electricity, incidents, complaints, ...).  The config
 * declares each indicator; measurements.csv gives its monthly values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin.h"

#define MAX_INDICATORS 64

struct meas_indicator {
	char id[64];
	int aggregation;
};

struct meas_state {
	const char *file;
	size_t n;
	struct meas_indicator ind[MAX_INDICATORS];
};

static const char *const config_keys[] = {
	"file", "indicators", "*.name_sv", "*.name_en", "*.unit",
	"*.aggregation", "*.direction", "*.scale", "*.decimals", NULL
};

/* Value of "<id>.<key>" in the area's section, or NULL. */
static const char *ind_key(const struct kpi_host *host, struct kpi_ctx *ctx,
                           const char *id, const char *key, char *buf,
                           size_t n)
{
	int len = snprintf(buf, n, "%s.%s", id, key);

	if (len < 0 || (size_t)len >= n)
		return NULL;
	return host->config_get(ctx, buf);
}

/* The optional whole number "<id>.<key>" into *out, lo..hi.  Returns 0,
 * KPI_MISSING if absent, or KPI_ECONFIG (reported). */
static int ind_integer(const struct kpi_host *host, struct kpi_ctx *ctx,
                       const char *id, const char *key, long lo, long hi,
                       long *out)
{
	char name[128];
	int len = snprintf(name, sizeof name, "%s.%s", id, key), rc;

	if (len < 0 || (size_t)len >= sizeof name)
		return KPI_MISSING;
	rc = host->config_integer(ctx, name, KPI_NUM_OPTIONAL, out);
	if (rc == 0 && (*out < lo || *out > hi))
		return host->config_error(ctx, name, "expected a whole number "
		                          "%ld..%ld, found %ld", lo, hi, *out);
	return rc;
}

static int parse_aggregation(const char *v)
{
	if (strcmp(v, "sum") == 0)
		return KPI_AGG_SUM;
	if (strcmp(v, "ratio") == 0)
		return KPI_AGG_RATIO;
	if (strcmp(v, "last") == 0)
		return KPI_AGG_LAST;
	if (strcmp(v, "rolling12") == 0)
		return KPI_AGG_ROLLING12;
	return 0;
}

/* Declare one configured indicator. */
static int declare_one(const struct kpi_host *host, struct kpi_ctx *ctx,
                       struct meas_state *st, const char *id)
{
	struct kpi_indicator_def d = { .size = sizeof d };
	char key[128];
	const char *v;
	long n;
	int rc;

	d.id = id;
	d.name_sv = ind_key(host, ctx, id, "name_sv", key, sizeof key);
	d.name_en = ind_key(host, ctx, id, "name_en", key, sizeof key);
	v = ind_key(host, ctx, id, "unit", key, sizeof key);
	d.unit = v ? v : "";
	d.aggregation = KPI_AGG_SUM;
	d.scale = 1;
	v = ind_key(host, ctx, id, "aggregation", key, sizeof key);
	if (v && !(d.aggregation = parse_aggregation(v)))
		return host->config_error(ctx, key, "'%s' is not an aggregation "
		                          "(expected sum, ratio, last or "
		                          "rolling12)", v);
	v = ind_key(host, ctx, id, "direction", key, sizeof key);
	if (v) {
		if (strcmp(v, "higher") == 0)
			d.direction = KPI_DIR_HIGHER;
		else if (strcmp(v, "lower") == 0)
			d.direction = KPI_DIR_LOWER;
		else if (strcmp(v, "none") == 0)
			d.direction = KPI_DIR_NONE;
		else
			return host->config_error(ctx, key, "'%s' is not a "
			                          "direction (expected higher, "
			                          "lower or none)", v);
	}
	rc = ind_integer(host, ctx, id, "scale", 1, 1000000, &n);
	if (rc == 0)
		d.scale = (double)n;
	else if (rc != KPI_MISSING)
		return rc;
	rc = ind_integer(host, ctx, id, "decimals", 0, 6, &n);
	if (rc == 0)
		d.decimals = (int)n;
	else if (rc != KPI_MISSING)
		return rc;
	if (strlen(id) >= sizeof st->ind[0].id || st->n == MAX_INDICATORS)
		return host->config_error(ctx, "indicators", "too many or too "
		                          "long indicator names (at most %d)",
		                          MAX_INDICATORS);
	memcpy(st->ind[st->n].id, id, strlen(id) + 1);
	st->ind[st->n].aggregation = d.aggregation;
	st->n++;
	return host->declare(ctx, &d);
}

/* init: declare the indicators listed in `indicators`. */
static int meas_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                     void **state)
{
	struct meas_state *st = calloc(1, sizeof *st);
	const char *const *ids = NULL;
	size_t n = 0;
	int rc;

	if (!st)
		return KPI_ENOMEM;
	rc = host->config_file(ctx, "file", "measurements.csv", &st->file);
	if (rc == KPI_OK)
		rc = host->config_list(ctx, "indicators", &n, &ids);
	if (rc == KPI_MISSING)
		rc = KPI_OK;
	for (size_t i = 0; i < n && rc == KPI_OK; i++)
		rc = declare_one(host, ctx, st, ids[i]);
	if (rc != KPI_OK) {
		free(st);
		return rc;
	}
	*state = st;
	return KPI_OK;
}

static struct meas_indicator *find(struct meas_state *st, const char *id)
{
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->ind[i].id, id) == 0)
			return &st->ind[i];
	return NULL;
}

/* One data row: checked, then emitted as a monthly measurement. */
static int meas_row(const struct kpi_host *host, struct kpi_ctx *ctx,
                    struct kpi_csv *csv, struct meas_state *st,
                    const int col[4])
{
	struct kpi_measurement m = { .size = sizeof m };
	struct meas_indicator *ind;
	struct kpi_date d;
	int rc, ratio;
	const char *id = host->csv_field(csv, col[0], NULL);
	long first;

	ind = find(st, id);
	if (!ind)
		return host->csv_expected(csv, col[0], "expected an indicator "
		                          "listed in the config");
	rc = host->csv_date(csv, col[1], KPI_DATE_MONTH, &d);
	if (rc != KPI_OK)
		return rc;
	/* every year is read; the host keeps the months the run needs.
	 * The indicator's index is its group of the reader's months. */
	first = host->csv_claim_month(csv, (int)(ind - st->ind), d.year,
	                              d.month);
	if (first < 0)
		return (int)first;
	if (first)
		return host->csv_error(csv, -1, "second row for '%s' in "
		                       "%04d-%02d (first at line %ld)", id,
		                       d.year, d.month, first);
	rc = host->csv_number(csv, col[2], 0, &m.num);
	if (rc != KPI_OK)
		return rc;
	ratio = ind->aggregation == KPI_AGG_RATIO ||
	        ind->aggregation == KPI_AGG_ROLLING12;
	m.den = 1;
	if (col[3] >= 0) {
		rc = host->csv_number(csv, col[3], KPI_NUM_OPTIONAL |
		                      KPI_NUM_NONNEG, &m.den);
		if (rc < 0)
			return rc;
		if (rc == KPI_MISSING && ratio)
			return host->csv_error(csv, col[3], "expected a "
			                       "denominator for ratio indicator "
			                       "'%s', found an empty field", id);
		if (rc == KPI_MISSING)
			m.den = 1;
		else if (ind->aggregation == KPI_AGG_SUM)
			return host->csv_error(csv, col[3], "expected an empty "
			                       "denominator for sum indicator "
			                       "'%s'", id);
	} else if (ratio) {
		return host->csv_error(csv, -1, "ratio indicator '%s' needs a "
		                       "'denominator' column", id);
	}
	m.indicator = ind->id;
	m.year = d.year;
	m.month = d.month;
	return host->emit(ctx, &m);
}

/* compute: read measurements.csv and emit every row. */
static int meas_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                        void *state)
{
	static const char *const required[] = { "indicator", "month", "value" };
	struct meas_state *st = state;
	struct kpi_csv *csv;
	int col[4], rc;

	if (st->n == 0)
		return KPI_OK;
	rc = host->csv_open_export(ctx, st->file, required, 3, col, &csv);
	if (rc != KPI_OK)
		return rc;
	col[3] = host->csv_column(csv, "denominator", 0);
	while ((rc = host->csv_next(csv)) == 1) {
		rc = meas_row(host, ctx, csv, st, col);
		if (rc != KPI_OK)
			break;
	}
	host->csv_close(csv);
	return rc < 0 ? rc : KPI_OK;
}

/* shutdown: free what meas_init allocated. */
static void meas_shutdown(void *state)
{
	free(state);
}

/* No static indicators: each is declared from the config at init. */
KPI_PLUGIN_DEFINE(
	.name = "measurements",
	.version = "1.0.0",
	.license = "MIT",
	.description = "generic monthly measurements declared in the config",
	.config_keys = config_keys,
	.init = meas_init,
	.compute = meas_compute,
	.shutdown = meas_shutdown)
