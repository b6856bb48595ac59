/*
 * host.c - the services a plugin gets: config lookup in its own section,
 * logging, the CSV reader, declaring indicators and emitting results into
 * the goal registry.  Everything a plugin passes in is checked and copied.
 */
#include "host.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "diag.h"
#include "ini.h"

static int h_run_year(struct kpi_ctx *ctx)
{
	return ctx->cfg->year;
}

static int h_run_month(struct kpi_ctx *ctx)
{
	return ctx->cfg->period_month;
}

static const char *h_area(struct kpi_ctx *ctx)
{
	return ctx->area->name;
}

static const char *h_config_get(struct kpi_ctx *ctx, const char *key)
{
	if (!key || strcmp(key, "plugin") == 0)
		return NULL;
	return kpi_ini_get(ctx->cfg->ini, ctx->area->section, key);
}

static int h_config_error(struct kpi_ctx *ctx, const char *key,
                          const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return kpi_ini_error(ctx->cfg->ini, ctx->area->section, key, "%s", msg);
}

static void h_log(struct kpi_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;

	if (level < KPI_LOG_ERROR)
		level = KPI_LOG_ERROR;
	va_start(ap, fmt);
	kpi_diagv(level, ctx->area->name, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

static int refuse(struct kpi_ctx *ctx, const char *what)
{
	ctx->bad_calls++;
	kpi_diag(KPI_LOG_ERROR, ctx->area->name, NULL, 0, 0, "%s", what);
	return KPI_EINVAL;
}

static int h_declare(struct kpi_ctx *ctx, const struct kpi_indicator_def *d)
{
	if (ctx->phase != KPI_PHASE_INIT)
		return refuse(ctx, "declare() called outside init");
	if (!d || d->size < offsetof(struct kpi_indicator_def, decimals) +
	                    sizeof d->decimals)
		return refuse(ctx, "declare() with a missing or short definition");
	return kpi_config_declare(ctx->cfg, ctx->area->name, d);
}

/* The declared indicator `local` of this area, or NULL (reported). */
static struct kpi_indicator *target_indicator(struct kpi_ctx *ctx,
                                              const char *local)
{
	char id[256];
	struct kpi_indicator *ind;

	if (!local)
		return NULL;
	snprintf(id, sizeof id, "%s.%s", ctx->area->name, local);
	ind = kpi_config_indicator(ctx->cfg, id);
	if (!ind || !ind->declared) {
		ctx->bad_calls++;
		kpi_diag(KPI_LOG_ERROR, ctx->area->name, NULL, 0, 0,
		         "emitted a result for undeclared indicator '%s'", local);
		return NULL;
	}
	return ind;
}

struct kpi_series *kpi_host_series(struct kpi_indicator *ind,
                                   const char *group)
{
	struct kpi_series *s;

	if (!group)
		return &ind->main;
	for (size_t i = 0; i < ind->n_groups; i++)
		if (strcmp(ind->groups[i].group, group) == 0)
			return &ind->groups[i];
	s = realloc(ind->groups, (ind->n_groups + 1) * sizeof *s);
	if (!s)
		return NULL;
	ind->groups = s;
	s = &ind->groups[ind->n_groups];
	memset(s, 0, sizeof *s);
	s->group = strdup(group);
	if (!s->group)
		return NULL;
	ind->n_groups++;
	return s;
}

static int h_emit(struct kpi_ctx *ctx, const struct kpi_measurement *m)
{
	struct kpi_indicator *ind;
	struct kpi_series *s;
	struct kpi_month *mon;
	int y;
	const char *group = NULL;

	if (ctx->phase != KPI_PHASE_COMPUTE)
		return refuse(ctx, "emit() called outside compute");
	if (!m || m->size < offsetof(struct kpi_measurement, den) + sizeof m->den)
		return refuse(ctx, "emit() with a missing or short measurement");
	if (m->size >= offsetof(struct kpi_measurement, group) + sizeof m->group)
		group = m->group;
	ind = target_indicator(ctx, m->indicator);
	if (!ind)
		return KPI_EINVAL;
	if (m->month < 1 || m->month > 12)
		return refuse(ctx, "emit() with a month outside 1..12");
	if (!isfinite(m->num) || !isfinite(m->den))
		return refuse(ctx, "emit() with a value that is not a finite number");
	/* compared, never subtracted: any int is a year a plugin may send */
	if (m->year == ctx->cfg->year)
		y = 1;
	else if (m->year == ctx->cfg->year - 1)
		y = 0;
	else
		return KPI_OK;      /* outside the two years the report uses */
	s = kpi_host_series(ind, group);
	if (!s)
		return KPI_ENOMEM;
	mon = &s->m[y][m->month - 1];
	mon->num += m->num;
	mon->den += m->den;
	mon->has = 1;
	return KPI_OK;
}

static int h_emit_value(struct kpi_ctx *ctx, const struct kpi_value *v)
{
	struct kpi_indicator *ind;
	struct kpi_value copy;

	if (ctx->phase != KPI_PHASE_COMPUTE)
		return refuse(ctx, "emit_value() called outside compute");
	if (!v || v->size < offsetof(struct kpi_value, forecast) +
	                    sizeof v->forecast)
		return refuse(ctx, "emit_value() with a missing or short value");
	ind = target_indicator(ctx, v->indicator);
	if (!ind)
		return KPI_EINVAL;
	if ((v->has_outcome && !isfinite(v->outcome)) ||
	    (v->has_forecast && !isfinite(v->forecast)))
		return refuse(ctx, "emit_value() with a value that is not a "
		                   "finite number");
	if (v->month_from < 1 || v->month_to > 12 ||
	    v->month_from > v->month_to)
		return refuse(ctx, "emit_value() with months outside 1..12");
	memset(&copy, 0, sizeof copy);
	memcpy(&copy, v, sizeof copy);
	copy.size = sizeof copy;
	copy.indicator = NULL;
	if (v->year == ctx->cfg->year) {
		ind->value = copy;
		ind->has_value = 1;
	} else if (v->year == ctx->cfg->year - 1) {
		ind->prev_value = copy;
		ind->has_prev_value = 1;
	}
	return KPI_OK;
}

static int h_emit_table(struct kpi_ctx *ctx, const struct kpi_table *t)
{
	if (ctx->phase != KPI_PHASE_COMPUTE)
		return refuse(ctx, "emit_table() called outside compute");
	if (!t || t->size < offsetof(struct kpi_table, note_en) +
	                    sizeof t->note_en || !t->id ||
	    (t->n_rows > 0 && t->n_columns > 0 && !t->cells) ||
	    t->n_columns > 64 ||
	    (!t->columns_sv && !t->columns_en))
		return refuse(ctx, "emit_table() with a malformed table");
	return kpi_config_add_table(ctx->cfg, ctx->area->name, t);
}

static int h_csv_open(struct kpi_ctx *ctx, const char *path,
                      struct kpi_csv **out)
{
	char full[4096];
	int n;

	if (ctx->phase != KPI_PHASE_COMPUTE)
		return refuse(ctx, "csv_open() called outside compute");
	if (!path || !*path || !out)
		return refuse(ctx, "csv_open() without a path");
	if (path[0] == '/')
		n = snprintf(full, sizeof full, "%s", path);
	else
		n = snprintf(full, sizeof full, "%s/%s", ctx->cfg->data_dir, path);
	if (n < 0 || (size_t)n >= sizeof full)
		return refuse(ctx, "csv_open() with a path that is too long");
	n = kpi_csv_open(full, full, ctx->area->name, NULL, out);
	if (n == 0)
		kpi_csv_set_decimal_mark(*out, ctx->area->decimal_mark);
	return n;
}

static const struct kpi_host host_table = {
	.size = sizeof(struct kpi_host),
	.abi_major = KPI_ABI_MAJOR,
	.abi_minor = KPI_ABI_MINOR,
	.run_year = h_run_year,
	.run_month = h_run_month,
	.area = h_area,
	.config_get = h_config_get,
	.config_error = h_config_error,
	.log = h_log,
	.declare = h_declare,
	.emit = h_emit,
	.emit_value = h_emit_value,
	.emit_table = h_emit_table,
	.csv_open = h_csv_open,
	.csv_column = kpi_csv_column,
	.csv_next = kpi_csv_next,
	.csv_field = kpi_csv_field,
	.csv_number = kpi_csv_number,
	.csv_date = kpi_csv_date,
	.csv_error = kpi_csv_error,
	.csv_line = kpi_csv_line,
	.csv_close = kpi_csv_close,
	.csv_expected = kpi_csv_expected,
};

const struct kpi_host *kpi_host_table(void)
{
	return &host_table;
}

void kpi_host_ctx_init(struct kpi_ctx *ctx, struct kpi_config *cfg,
                       const struct kpi_area *area)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->cfg = cfg;
	ctx->area = area;
	ctx->phase = KPI_PHASE_INIT;
}
