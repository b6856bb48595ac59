/*
 * fakehost.c - a host table for plugin tests: config from the test, CSV
 * through the core reader, every emission recorded for the test to inspect.
 */
#include "fakehost.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confval.h"
#include "csv.h"
#include "diag.h"
#include "export.h"

#define FH_MAX 4096

struct fh_meas {
	char *id;
	char *group;
	int year, month;
	double num, den;
};

struct fh_kv {
	char *key, *value;
};

struct kpi_ctx {
	struct fake_host *fh;
};

struct fake_host {
	struct kpi_ctx ctx;
	struct kpi_host host;
	struct kpi_host_list *lists;    /* config_list's, freed with fh */
	char *area;
	int year, month;
	char *data_dir;
	struct fh_kv kv[64];
	size_t n_kv;
	struct fh_meas *meas;
	size_t n_meas, cap_meas;
	struct kpi_value values[FH_MAX];
	size_t n_values;
	struct kpi_table tables[32];
	size_t n_tables;
	struct kpi_indicator_def declared[256];
	size_t n_declared;
	char **strings;              /* every copied string, freed at the end */
	size_t n_strings, cap_strings;
	void *handle;
	char *diag_buf;
	size_t diag_len;
};

/* Keep p (heap memory) until fake_host_free. */
static void fh_keep(struct fake_host *fh, void *p)
{
	if (fh->n_strings == fh->cap_strings) {
		fh->cap_strings = fh->cap_strings ? 2 * fh->cap_strings : 64;
		fh->strings = realloc(fh->strings,
		                      fh->cap_strings * sizeof *fh->strings);
		if (!fh->strings)
			abort();
	}
	fh->strings[fh->n_strings++] = p;
}

static char *fh_strdup(struct fake_host *fh, const char *s)
{
	char *c;

	if (!s)
		return NULL;
	c = strdup(s);
	if (!c)
		abort();
	fh_keep(fh, c);
	return c;
}


static int fh_run_year(struct kpi_ctx *ctx) { return ctx->fh->year; }
static int fh_run_month(struct kpi_ctx *ctx) { return ctx->fh->month; }
static const char *fh_area(struct kpi_ctx *ctx) { return ctx->fh->area; }

static const char *fh_config_get(struct kpi_ctx *ctx, const char *key)
{
	struct fake_host *fh = ctx->fh;

	for (size_t i = 0; i < fh->n_kv; i++)
		if (strcmp(fh->kv[i].key, key) == 0)
			return fh->kv[i].value;
	return NULL;
}

static int fh_config_error(struct kpi_ctx *ctx, const char *key,
                           const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	kpi_diag(KPI_LOG_ERROR, ctx->fh->area, "fake.ini", 1, 0, "%s: %s",
	         key, msg);
	return KPI_ECONFIG;
}

/* The typed config services: the core's, on this table's config_get and
 * config_error. */
static int fh_config_number(struct kpi_ctx *ctx, const char *key, int flags,
                            double *out)
{
	return kpi_host_get_number(&ctx->fh->host, ctx, key, flags, out);
}

static int fh_config_integer(struct kpi_ctx *ctx, const char *key, int flags,
                             long *out)
{
	return kpi_host_get_integer(&ctx->fh->host, ctx, key, flags, out);
}

static int fh_config_date(struct kpi_ctx *ctx, const char *key, int flags,
                          struct kpi_date *out)
{
	return kpi_host_get_date(&ctx->fh->host, ctx, key, flags, out);
}

static int fh_config_list(struct kpi_ctx *ctx, const char *key, size_t *n,
                          const char *const **items)
{
	return kpi_host_get_list(&ctx->fh->host, ctx, &ctx->fh->lists, key, n,
	                         items);
}

/* The month loop services: the core's, on this table. */
static int fh_config_file(struct kpi_ctx *ctx, const char *key,
                          const char *fallback, const char **path)
{
	return kpi_export_file(&ctx->fh->host, ctx, key, fallback, path);
}

static int fh_csv_open_export(struct kpi_ctx *ctx, const char *path,
                              const char *const *names, int n, int *cols,
                              struct kpi_csv **out)
{
	return kpi_export_open(&ctx->fh->host, ctx, path, names, n, cols, out);
}

static void fh_log(struct kpi_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kpi_diagv(level, ctx->fh->area, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

static int fh_declare(struct kpi_ctx *ctx, const struct kpi_indicator_def *d)
{
	struct fake_host *fh = ctx->fh;
	struct kpi_indicator_def *c;

	if (fh->n_declared == sizeof fh->declared / sizeof fh->declared[0])
		return KPI_ENOMEM;
	c = &fh->declared[fh->n_declared++];
	*c = *d;
	c->id = fh_strdup(fh, d->id);
	c->name_sv = fh_strdup(fh, d->name_sv);
	c->name_en = fh_strdup(fh, d->name_en);
	c->unit = fh_strdup(fh, d->unit);
	return KPI_OK;
}

static int fh_emit(struct kpi_ctx *ctx, const struct kpi_measurement *m)
{
	struct fake_host *fh = ctx->fh;
	struct fh_meas *c;

	if (!m || !m->indicator || m->month < 1 || m->month > 12)
		return KPI_EINVAL;
	if (fh->n_meas == fh->cap_meas) {
		fh->cap_meas = fh->cap_meas ? 2 * fh->cap_meas : 256;
		fh->meas = realloc(fh->meas, fh->cap_meas * sizeof *fh->meas);
		if (!fh->meas)
			abort();
	}
	c = &fh->meas[fh->n_meas++];
	c->id = fh_strdup(fh, m->indicator);
	c->group = fh_strdup(fh, m->group);
	c->year = m->year;
	c->month = m->month;
	c->num = m->num;
	c->den = m->den;
	return KPI_OK;
}

static int fh_emit_value(struct kpi_ctx *ctx, const struct kpi_value *v)
{
	struct fake_host *fh = ctx->fh;
	struct kpi_value *c;

	if (fh->n_values == FH_MAX)
		return KPI_ENOMEM;
	c = &fh->values[fh->n_values++];
	*c = *v;
	c->indicator = fh_strdup(fh, v->indicator);
	return KPI_OK;
}

static int fh_emit_table(struct kpi_ctx *ctx, const struct kpi_table *t)
{
	struct fake_host *fh = ctx->fh;
	struct kpi_table *c;
	const char **csv_sv, **csv_en;
	struct kpi_cell *cells;
	size_t n = t->n_rows * t->n_columns;

	if (fh->n_tables == sizeof fh->tables / sizeof fh->tables[0])
		return KPI_ENOMEM;
	c = &fh->tables[fh->n_tables++];
	*c = *t;
	c->id = fh_strdup(fh, t->id);
	c->title_sv = fh_strdup(fh, t->title_sv);
	c->title_en = fh_strdup(fh, t->title_en);
	c->note_sv = fh_strdup(fh, t->note_sv);
	c->note_en = fh_strdup(fh, t->note_en);
	csv_sv = calloc(t->n_columns + 1, sizeof *csv_sv);
	csv_en = calloc(t->n_columns + 1, sizeof *csv_en);
	cells = calloc(n + 1, sizeof *cells);
	if (!csv_sv || !csv_en || !cells)
		abort();
	for (size_t i = 0; i < t->n_columns; i++) {
		csv_sv[i] = fh_strdup(fh, t->columns_sv ? t->columns_sv[i] : NULL);
		csv_en[i] = fh_strdup(fh, t->columns_en ? t->columns_en[i] : NULL);
	}
	for (size_t i = 0; i < n; i++) {
		cells[i] = t->cells[i];
		cells[i].text = fh_strdup(fh, t->cells[i].text);
	}
	fh_keep(fh, csv_sv);
	fh_keep(fh, csv_en);
	fh_keep(fh, cells);
	c->columns_sv = csv_sv;
	c->columns_en = csv_en;
	c->cells = cells;
	c->cells_en = NULL;
	if (t->size >= offsetof(struct kpi_table, cells_en) +
	               sizeof t->cells_en && t->cells_en) {
		struct kpi_cell *en = calloc(n + 1, sizeof *en);

		if (!en)
			abort();
		for (size_t i = 0; i < n; i++) {
			en[i] = t->cells_en[i];
			en[i].text = fh_strdup(fh, t->cells_en[i].text);
		}
		fh_keep(fh, en);
		c->cells_en = en;
	}
	return KPI_OK;
}

static int fh_csv_open(struct kpi_ctx *ctx, const char *path,
                       struct kpi_csv **out)
{
	struct fake_host *fh = ctx->fh;
	char full[4096];

	if (path[0] == '/' || !fh->data_dir)
		snprintf(full, sizeof full, "%s", path);
	else
		snprintf(full, sizeof full, "%s/%s", fh->data_dir, path);
	return kpi_csv_open(full, full, fh->area, NULL, out);
}

struct fake_host *fake_host_new(const char *area, int year, int month,
                                const char *data_dir)
{
	struct fake_host *fh = calloc(1, sizeof *fh);

	if (!fh)
		abort();
	fh->ctx.fh = fh;
	fh->area = strdup(area);
	fh->data_dir = data_dir ? strdup(data_dir) : NULL;
	fh->year = year;
	fh->month = month;
	fh->host = (struct kpi_host){
		.size = sizeof(struct kpi_host),
		.abi_major = KPI_ABI_MAJOR,
		.abi_minor = KPI_ABI_MINOR,
		.run_year = fh_run_year,
		.run_month = fh_run_month,
		.area = fh_area,
		.config_get = fh_config_get,
		.config_error = fh_config_error,
		.log = fh_log,
		.declare = fh_declare,
		.emit = fh_emit,
		.emit_value = fh_emit_value,
		.emit_table = fh_emit_table,
		.csv_open = fh_csv_open,
		.csv_column = kpi_csv_column,
		.csv_next = kpi_csv_next,
		.csv_field = kpi_csv_field,
		.csv_number = kpi_csv_number,
		.csv_date = kpi_csv_date,
		.csv_error = kpi_csv_error,
		.csv_line = kpi_csv_line,
		.csv_close = kpi_csv_close,
		.csv_expected = kpi_csv_expected,
		.config_number = fh_config_number,
		.config_integer = fh_config_integer,
		.config_date = fh_config_date,
		.config_list = fh_config_list,
		.config_file = fh_config_file,
		.csv_open_export = fh_csv_open_export,
		.csv_month = kpi_export_month,
		.csv_claim_month = kpi_export_claim_month,
		.quote = kpi_csv_show,
	};
	return fh;
}

void fake_host_free(struct fake_host *fh)
{
	if (!fh)
		return;
	for (size_t i = 0; i < fh->n_kv; i++) {
		free(fh->kv[i].key);
		free(fh->kv[i].value);
	}
	for (size_t i = 0; i < fh->n_strings; i++)
		free(fh->strings[i]);
	free(fh->strings);
	free(fh->meas);
	free(fh->area);
	free(fh->data_dir);
	free(fh->diag_buf);
	if (fh->handle)
		dlclose(fh->handle);
	kpi_host_lists_free(&fh->lists);
	free(fh);
}

void fake_host_set(struct fake_host *fh, const char *key, const char *value)
{
	for (size_t i = 0; i < fh->n_kv; i++)
		if (strcmp(fh->kv[i].key, key) == 0) {
			free(fh->kv[i].value);
			fh->kv[i].value = strdup(value);
			return;
		}
	if (fh->n_kv == sizeof fh->kv / sizeof fh->kv[0])
		abort();
	fh->kv[fh->n_kv].key = strdup(key);
	fh->kv[fh->n_kv].value = strdup(value);
	fh->n_kv++;
}

const struct kpi_plugin *fake_host_load(struct fake_host *fh,
                                        const char *name)
{
	char path[4096];
	const struct kpi_plugin *(*entry)(void);
	void *sym;

	snprintf(path, sizeof path, "%s/%s.so", KPI_PLUGIN_BUILD_DIR, name);
	fh->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!fh->handle) {
		fprintf(stderr, "fake_host_load: %s\n", dlerror());
		return NULL;
	}
	sym = dlsym(fh->handle, KPI_PLUGIN_ENTRY_SYMBOL);
	if (!sym)
		return NULL;
	memcpy(&entry, &sym, sizeof entry);
	return entry();
}

int fake_host_run(struct fake_host *fh, const struct kpi_plugin *p)
{
	void *state = NULL;
	FILE *mem;
	int rc;

	free(fh->diag_buf);
	fh->diag_buf = NULL;
	mem = open_memstream(&fh->diag_buf, &fh->diag_len);
	kpi_diag_set_stream(mem);
	rc = p->init(&fh->host, &fh->ctx, &state);
	if (rc == 0) {
		rc = p->compute(&fh->host, &fh->ctx, state);
		if (p->shutdown)
			p->shutdown(state);
	}
	kpi_diag_set_stream(NULL);
	fclose(mem);
	return rc;
}

int fake_host_sum(const struct fake_host *fh, const char *id,
                  const char *group, int year, int from, int to,
                  double *num, double *den)
{
	int n = 0;

	*num = 0;
	*den = 0;
	for (size_t i = 0; i < fh->n_meas; i++) {
		const struct fh_meas *m = &fh->meas[i];

		if (strcmp(m->id, id) != 0 || m->year != year ||
		    m->month < from || m->month > to)
			continue;
		if ((group == NULL) != (m->group == NULL))
			continue;
		if (group && strcmp(group, m->group) != 0)
			continue;
		*num += m->num;
		*den += m->den;
		n++;
	}
	return n;
}

int fake_host_last_month(const struct fake_host *fh, const char *id, int year)
{
	int last = 0;

	for (size_t i = 0; i < fh->n_meas; i++)
		if (strcmp(fh->meas[i].id, id) == 0 &&
		    fh->meas[i].year == year && fh->meas[i].month > last)
			last = fh->meas[i].month;
	return last;
}

const struct kpi_value *fake_host_value(const struct fake_host *fh,
                                        const char *id, int year)
{
	for (size_t i = 0; i < fh->n_values; i++)
		if (strcmp(fh->values[i].indicator, id) == 0 &&
		    fh->values[i].year == year)
			return &fh->values[i];
	return NULL;
}

const struct kpi_table *fake_host_table(const struct fake_host *fh,
                                        const char *id)
{
	for (size_t i = 0; i < fh->n_tables; i++)
		if (strcmp(fh->tables[i].id, id) == 0)
			return &fh->tables[i];
	return NULL;
}

size_t fake_host_ndeclared(const struct fake_host *fh)
{
	return fh->n_declared;
}

const struct kpi_indicator_def *fake_host_declared(const struct fake_host *fh,
                                                   size_t i)
{
	return i < fh->n_declared ? &fh->declared[i] : NULL;
}

const char *fake_host_diag(const struct fake_host *fh)
{
	return fh->diag_buf ? fh->diag_buf : "";
}
