/*
 * host.c - the services a plugin gets: config lookup in its own section,
 * typed config values (confval.c), logging, the CSV reader and the month
 * loop (export.c), declaring indicators and
 * emitting results into the goal registry.  Everything a plugin passes in is checked and copied.
 */
#include "host.h"

#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confval.h"
#include "csv.h"
#include "diag.h"
#include "export.h"
#include "ini.h"
#include "limit.h"
#include "path.h"
#include "window.h"
#include "wire.h"
#include "window.h"

static int h_run_year(struct kpi_ctx *ctx)
{
	return ctx->cfg->year;
}

/* The period's last month: a plugin's run is "year to date through
 * run_month() of run_year()", whatever kind the period is. */
static int h_run_month(struct kpi_ctx *ctx)
{
	return ctx->cfg->period.to_month;
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

/* The plugin's message, whole, at the key's file:line. */
static int h_config_error(struct kpi_ctx *ctx, const char *key,
                          const char *fmt, ...)
{
	char small[512], *msg = small;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		small[0] = '\0';
	else if ((size_t)n >= sizeof small && (msg = malloc((size_t)n + 1))) {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	} else if (!msg) {
		msg = small;    /* out of memory: the message as far as it fits */
	}
	rc = kpi_ini_error(ctx->cfg->ini, ctx->area->section, key, "%s", msg);
	if (msg != small)
		free(msg);
	return rc;
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

/* A full-size copy of a plugin's struct, read no further than the `size`
 * the plugin declares (an older plugin's struct is smaller); members past
 * it stay 0.  Returns 0, or -1 if the struct is missing or shorter than
 * `min` (the members every 1.x plugin has). */
static int copy_struct(void *dst, size_t dst_size, const void *src,
                       size_t min)
{
	size_t given;

	memset(dst, 0, dst_size);
	if (!src)
		return -1;
	memcpy(&given, src, sizeof given);
	if (given < min)
		return -1;
	memcpy(dst, src, given < dst_size ? given : dst_size);
	memcpy(dst, &dst_size, sizeof dst_size);
	return 0;
}

static int h_declare(struct kpi_ctx *ctx, const struct kpi_indicator_def *d)
{
	struct kpi_indicator_def def;
	int rc;

	if (ctx->phase != KPI_PHASE_INIT)
		return refuse(ctx, "declare() called outside init");
	if (copy_struct(&def, sizeof def, d,
	                offsetof(struct kpi_indicator_def, decimals) +
	                sizeof d->decimals) != 0)
		return refuse(ctx, "declare() with a missing or short definition");
	rc = kpi_config_declare(ctx->cfg, ctx->area->name, &def);
	if (rc == 0 && ctx->rec)
		kpi_wire_declare(ctx->rec, &def);
	return rc;
}

/* The declared indicator `local` of this area, or NULL (reported). */
static struct kpi_indicator *target_indicator(struct kpi_ctx *ctx,
                                              const char *local)
{
	char id[KPI_MAX_ID + 1];
	struct kpi_indicator *ind = NULL;
	int n;

	if (!local)
		return NULL;
	/* an id too long for a declaration cannot have been declared */
	n = snprintf(id, sizeof id, "%s.%s", ctx->area->name, local);
	if (n > 0 && (size_t)n < sizeof id)
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
	size_t i;

	if (!group)
		return &ind->main;
	if (kpi_hash_get(&ind->group_index, group, &i))
		return &ind->groups[i];
	if (ind->n_groups == ind->cap_groups) {
		size_t cap = ind->cap_groups ? ind->cap_groups * 2 : 8;

		if (cap > SIZE_MAX / sizeof *s)
			return NULL;
		s = realloc(ind->groups, cap * sizeof *s);
		if (!s)
			return NULL;
		ind->groups = s;
		ind->cap_groups = cap;
	}
	s = &ind->groups[ind->n_groups];
	memset(s, 0, sizeof *s);
	s->group = strdup(group);
	if (!s->group)
		return NULL;
	if (kpi_hash_put(&ind->group_index, s->group, ind->n_groups) != 0) {
		free(s->group);
		s->group = NULL;
		return NULL;
	}
	ind->n_groups++;
	return s;
}

/* 0 for the year before the run's, 1 for the run's, -1 for any other
 * (compared, never subtracted: a plugin may pass any int). */
static int year_slot(const struct kpi_ctx *ctx, int year)
{
	if (year == ctx->cfg->year)
		return 1;
	if (ctx->cfg->year > 0 && year == ctx->cfg->year - 1)
		return 0;
	return -1;
}

/* The window rule (window.h): a result none of whose months year-from..to
 * the run aggregates is accepted but not kept.  A measurement claims the
 * rows the area's reader returned since the previous measurement (csv.c):
 * one row for a plugin that emits per row, the rows of a month for one
 * that emits a month when the next begins; they count as outside when it
 * is dropped.  A value claims no rows (it sums a whole export), and is
 * kept whole when some of its months are in the window (a yearly survey
 * of the run's year covers months after the period).  Returns 1 if the
 * result is to be dropped. */
static int outside_window(struct kpi_ctx *ctx, int year, int from, int to,
                          int claims_rows)
{
	int out = 1;

	for (int m = from; m <= to && out; m++)
		if (kpi_window_contains(ctx->cfg, year, m))
			out = 0;
	if (claims_rows && ctx->last_csv)
		kpi_csv_claim_rows(ctx->last_csv, out);
	return out;
}

static int h_emit(struct kpi_ctx *ctx, const struct kpi_measurement *given)
{
	struct kpi_measurement m;
	struct kpi_indicator *ind;
	struct kpi_series *s;
	struct kpi_month *mon;
	int y;

	if (ctx->phase != KPI_PHASE_COMPUTE)
		return refuse(ctx, "emit() called outside compute");
	if (copy_struct(&m, sizeof m, given,
	                offsetof(struct kpi_measurement, den) + sizeof m.den) != 0)
		return refuse(ctx, "emit() with a missing or short measurement");
	ind = target_indicator(ctx, m.indicator);
	if (!ind)
		return KPI_EINVAL;
	if (m.month < 1 || m.month > 12)
		return refuse(ctx, "emit() with a month outside 1..12");
	if (!isfinite(m.num) || !isfinite(m.den))
		return refuse(ctx, "emit() with a value that is not a finite number");
	if (outside_window(ctx, m.year, m.month, m.month, 1))
		return KPI_OK;
	y = kpi_window_slot(&ctx->cfg->period, m.year, m.month);
	if (y < 0)
		return KPI_OK;      /* outside the months the report uses */
	s = kpi_host_series(ind, m.group);
	if (!s)
		return KPI_ENOMEM;
	mon = &s->m[y];
	mon->num += m.num;
	mon->den += m.den;
	mon->has = 1;
	if (ctx->rec)
		kpi_wire_emit(ctx->rec, &m);
	return KPI_OK;
}

static int h_emit_value(struct kpi_ctx *ctx, const struct kpi_value *given)
{
	struct kpi_indicator *ind;
	struct kpi_value v;
	int y;

	if (ctx->phase != KPI_PHASE_COMPUTE)
		return refuse(ctx, "emit_value() called outside compute");
	if (copy_struct(&v, sizeof v, given,
	                offsetof(struct kpi_value, forecast) +
	                sizeof v.forecast) != 0)
		return refuse(ctx, "emit_value() with a missing or short value");
	ind = target_indicator(ctx, v.indicator);
	if (!ind)
		return KPI_EINVAL;
	if ((v.has_outcome && !isfinite(v.outcome)) ||
	    (v.has_forecast && !isfinite(v.forecast)))
		return refuse(ctx, "emit_value() with a value that is not a "
		                   "finite number");
	if (v.month_from < 1 || v.month_to > 12 || v.month_from > v.month_to)
		return refuse(ctx, "emit_value() with months outside 1..12");
	if (outside_window(ctx, v.year, v.month_from, v.month_to, 0))
		return KPI_OK;
	y = year_slot(ctx, v.year);
	if (y < 0)
		return KPI_OK;
	if (ctx->rec)
		kpi_wire_emit_value(ctx->rec, &v);
	v.indicator = NULL;
	if (y == 1) {
		ind->value = v;
		ind->has_value = 1;
	} else {
		ind->prev_value = v;
		ind->has_prev_value = 1;
	}
	return KPI_OK;
}

/* Check the cells of a table against the limits the report relies on.
 * Returns 0 or KPI_EINVAL (refused, reported). */
static int check_cells(struct kpi_ctx *ctx, const struct kpi_table *t,
                       const struct kpi_cell *cells)
{
	char what[256];

	for (size_t i = 0; cells && i < t->n_rows * t->n_columns; i++) {
		const struct kpi_cell *c = &cells[i];
		size_t len = c->kind == KPI_CELL_TEXT && c->text ?
		             strlen(c->text) : 0;

		if (len > KPI_MAX_CELL_TEXT)
			snprintf(what, sizeof what, "emit_table() '%.40s': the text "
			         "of row %zu column %zu is %zu bytes, limit %d",
			         t->id, i / t->n_columns + 1, i % t->n_columns + 1,
			         len, KPI_MAX_CELL_TEXT);
		else if (c->kind == KPI_CELL_NUMBER && (!isfinite(c->number) ||
		         c->decimals < 0 || c->decimals > KPI_MAX_DECIMALS))
			snprintf(what, sizeof what, "emit_table() '%.40s': row %zu "
			         "column %zu is not a finite number with 0..%d "
			         "decimals", t->id, i / t->n_columns + 1,
			         i % t->n_columns + 1, KPI_MAX_DECIMALS);
		else
			continue;
		return refuse(ctx, what);
	}
	return 0;
}

static int h_emit_table(struct kpi_ctx *ctx, const struct kpi_table *given)
{
	struct kpi_table t;
	char what[256];
	int rc;

	if (ctx->phase != KPI_PHASE_COMPUTE)
		return refuse(ctx, "emit_table() called outside compute");
	if (copy_struct(&t, sizeof t, given,
	                offsetof(struct kpi_table, note_en) +
	                sizeof t.note_en) != 0 || !t.id ||
	    (t.n_rows > 0 && t.n_columns > 0 && !t.cells) ||
	    (t.n_columns && t.n_rows > SIZE_MAX / t.n_columns) ||
	    (!t.columns_sv && !t.columns_en))
		return refuse(ctx, "emit_table() with a malformed table");
	if (t.n_columns > KPI_MAX_TABLE_COLUMNS) {
		snprintf(what, sizeof what, "emit_table() '%.40s' with %zu "
		         "columns, limit %d", t.id, t.n_columns,
		         KPI_MAX_TABLE_COLUMNS);
		return refuse(ctx, what);
	}
	if (check_cells(ctx, &t, t.cells) || check_cells(ctx, &t, t.cells_en))
		return KPI_EINVAL;
	rc = kpi_config_add_table(ctx->cfg, ctx->area->name, &t);
	if (rc == 0 && ctx->rec)
		kpi_wire_emit_table(ctx->rec, &t);
	return rc;
}

/* Report that `path`, which a plugin of ctx's area asked to open, is
 * outside data_dir: at the area's key whose value it is, else at the
 * area's section.  `target` (may be NULL) is where a link leads.  Returns
 * KPI_ECONFIG. */
static int path_refused(struct kpi_ctx *ctx, const char *path,
                        const char *why, const char *target)
{
	const struct kpi_ini *ini = ctx->cfg->ini;
	const char *sec = ctx->area->section, *key = NULL;

	for (size_t i = 0; i < kpi_ini_nkeys(ini, sec) && !key; i++) {
		const char *v = kpi_ini_get(ini, sec, kpi_ini_key(ini, sec, i));

		if (v && strcmp(v, path) == 0)
			key = kpi_ini_key(ini, sec, i);
	}
	return kpi_ini_error(ini, sec, key, "'%s' is outside data_dir '%s' %s%s%s"
	                     "; set allow_exports_outside_data_dir = yes in "
	                     "[kpirun] to read it", path, ctx->cfg->data_dir,
	                     why, target ? ": " : "", target ? target : "");
}

static int h_csv_open(struct kpi_ctx *ctx, const char *path,
                      struct kpi_csv **out)
{
	char *full, *shown;
	const char *why;
	int rc;

	if (ctx->phase != KPI_PHASE_COMPUTE)
		return refuse(ctx, "csv_open() called outside compute");
	if (!path || !*path || !out)
		return refuse(ctx, "csv_open() without a path");
	rc = kpi_path_resolve(ctx->cfg->data_dir, path,
	                      !ctx->cfg->exports_anywhere, &full, &why);
	if (rc == KPI_ECONFIG) {
		rc = path_refused(ctx, path, why, full);
		free(full);
		return rc;
	}
	if (rc != 0)
		return rc;
	/* diagnostics name the path as the config gave it */
	if (path[0] == '/') {
		shown = strdup(path);
	} else {
		size_t n = strlen(ctx->cfg->data_dir) + strlen(path) + 2;

		shown = malloc(n);
		if (shown)
			snprintf(shown, n, "%s/%s", ctx->cfg->data_dir, path);
	}
	rc = shown ? kpi_csv_open(full, shown, ctx->area->name, NULL, out) :
	             KPI_ENOMEM;
	if (rc == 0) {
		kpi_csv_set_decimal_mark(*out, ctx->area->decimal_mark);
		kpi_csv_set_owner(*out, ctx);
	}
	free(shown);
	free(full);
	return rc;
}

/* csv_next, remembering in the opener's context which reader returned
 * the row the next results come from. */
static int h_csv_next(struct kpi_csv *csv)
{
	struct kpi_ctx *ctx = kpi_csv_owner(csv);
	int rc = kpi_csv_next(csv);

	if (ctx && rc == 1)
		ctx->last_csv = csv;
	return rc;
}

/* The first and last month the run aggregates, found through the window
 * predicate alone (it looks no further back than WINDOW_SCAN_YEARS). */
#define WINDOW_SCAN_YEARS 50

static int window_span(const struct kpi_config *cfg, int *first, int *last)
{
	*first = *last = 0;
	for (int y = cfg->year - WINDOW_SCAN_YEARS; y <= cfg->year + 1; y++)
		for (int m = 1; m <= 12; m++)
			if (kpi_window_contains(cfg, y, m)) {
				if (!*first)
					*first = y * 100 + m;
				*last = y * 100 + m;
			}
	return *first != 0;
}

/* csv_close: with -v, how many of the file's rows fell outside the run's
 * months, if any (printed by the area's child, the process that read
 * it, so once). */
static void h_csv_close(struct kpi_csv *csv)
{
	struct kpi_ctx *ctx = kpi_csv_owner(csv);
	unsigned long long outside, rows = kpi_csv_rows(csv, &outside);
	int first, last;

	if (ctx && outside && window_span(ctx->cfg, &first, &last))
		kpi_diag(KPI_LOG_INFO, ctx->area->name, kpi_csv_path(csv), 0, 0,
		         "%llu of %llu rows outside the run's months "
		         "(%04d-%02d..%04d-%02d), not aggregated", outside, rows,
		         first / 100, first % 100, last / 100, last % 100);
	if (ctx && ctx->last_csv == csv)
		ctx->last_csv = NULL;
	kpi_csv_close(csv);
}

/* ---- typed config values (ABI 1.2; confval.c) ----------------------- */

static int h_config_number(struct kpi_ctx *ctx, const char *key, int flags,
                           double *out)
{
	return kpi_host_get_number(kpi_host_table(), ctx, key, flags, out);
}

static int h_config_integer(struct kpi_ctx *ctx, const char *key, int flags,
                            long *out)
{
	return kpi_host_get_integer(kpi_host_table(), ctx, key, flags, out);
}

static int h_config_date(struct kpi_ctx *ctx, const char *key, int flags,
                         struct kpi_date *out)
{
	return kpi_host_get_date(kpi_host_table(), ctx, key, flags, out);
}

static int h_config_list(struct kpi_ctx *ctx, const char *key, size_t *n,
                         const char *const **items)
{
	return kpi_host_get_list(kpi_host_table(), ctx, &ctx->lists, key, n,
	                         items);
}

/* ---- the month loop (ABI 1.3; export.c) ----------------------------- */

static int h_config_file(struct kpi_ctx *ctx, const char *key,
                         const char *fallback, const char **path)
{
	return kpi_export_file(kpi_host_table(), ctx, key, fallback, path);
}

static int h_csv_open_export(struct kpi_ctx *ctx, const char *path,
                             const char *const *names, int n, int *cols,
                             struct kpi_csv **out)
{
	return kpi_export_open(kpi_host_table(), ctx, path, names, n, cols,
	                       out);
}

_Static_assert(KPI_QUOTE_SIZE == KPI_CSV_SHOW_SIZE,
               "quote() writes what the reader's messages quote");

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
	.csv_next = h_csv_next,
	.csv_field = kpi_csv_field,
	.csv_number = kpi_csv_number,
	.csv_date = kpi_csv_date,
	.csv_error = kpi_csv_error,
	.csv_line = kpi_csv_line,
	.csv_close = h_csv_close,
	.csv_expected = kpi_csv_expected,
	.config_number = h_config_number,
	.config_integer = h_config_integer,
	.config_date = h_config_date,
	.config_list = h_config_list,
	.config_file = h_config_file,
	.csv_open_export = h_csv_open_export,
	.csv_month = kpi_export_month,
	.csv_claim_month = kpi_export_claim_month,
	.quote = kpi_csv_show,
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

void kpi_host_ctx_release(struct kpi_ctx *ctx)
{
	kpi_host_lists_free(&ctx->lists);
}
