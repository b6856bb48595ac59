/*
 * testhost.c - plugin runs for tests through kpirun's own host (contracts
 * in testhost.h): a config file written from the test's keys, the
 * core's config reader and loader, kpi_sandbox_run_here, and a copy of
 * the core's services table whose declare and emit services call the
 * core's and record what it accepted.
 */
#include "testhost.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "host.h"
#include "ini.h"
#include "loader.h"
#include "sandbox.h"

#define TH_MAX_VALUES 4096
#define TH_MAX_KEYS 64

struct th_meas {
	char *id;
	char *group;
	int year, month;
	double num, den;
};

struct th_kv {
	char *key, *value;
};

struct test_host {
	struct kpi_host host;        /* the core's table, recording */
	char *area;
	int year, month;
	char *data_dir;
	char tmp_dir[64];            /* holds the config file */
	char config[96];
	struct th_kv kv[TH_MAX_KEYS];
	size_t n_kv;
	const struct kpi_plugin *desc;   /* from test_host_load */
	struct kpi_lib *lib;             /* test_host_load's */
	struct kpi_lib *run_lib;         /* test_host_run's */
	struct kpi_config *cfg;
	struct th_meas *meas;
	size_t n_meas, cap_meas;
	struct kpi_value values[TH_MAX_VALUES];
	size_t n_values;
	struct kpi_table tables[32];
	size_t n_tables;
	struct kpi_indicator_def declared[256];
	size_t n_declared;
	char **strings;              /* every copied string, freed at the end */
	size_t n_strings, cap_strings;
	char *diag_buf;
	size_t diag_len;
	char where[512];
	char plugin_path[4096];      /* the file test_host_load opened */
};

/* The host of the run in progress (one at a time in a test worker). */
static struct test_host *current;

/* Keep p (heap memory) until test_host_free. */
static void th_keep(struct test_host *th, void *p)
{
	if (th->n_strings == th->cap_strings) {
		th->cap_strings = th->cap_strings ? 2 * th->cap_strings : 64;
		th->strings = realloc(th->strings,
		                      th->cap_strings * sizeof *th->strings);
		if (!th->strings)
			abort();
	}
	th->strings[th->n_strings++] = p;
}

static char *th_strdup(struct test_host *th, const char *s)
{
	char *c;

	if (!s)
		return NULL;
	c = strdup(s);
	if (!c)
		abort();
	th_keep(th, c);
	return c;
}

/* Keep a deep copy of table t. */
static int keep_table(struct test_host *th, const struct kpi_table *t)
{
	struct kpi_table *c;
	const char **csv_sv, **csv_en;
	struct kpi_cell *cells;
	size_t n = t->n_rows * t->n_columns;

	if (th->n_tables == sizeof th->tables / sizeof th->tables[0])
		return KPI_ENOMEM;
	c = &th->tables[th->n_tables++];
	*c = *t;
	c->id = th_strdup(th, t->id);
	c->title_sv = th_strdup(th, t->title_sv);
	c->title_en = th_strdup(th, t->title_en);
	c->note_sv = th_strdup(th, t->note_sv);
	c->note_en = th_strdup(th, t->note_en);
	csv_sv = calloc(t->n_columns + 1, sizeof *csv_sv);
	csv_en = calloc(t->n_columns + 1, sizeof *csv_en);
	cells = calloc(n + 1, sizeof *cells);
	if (!csv_sv || !csv_en || !cells)
		abort();
	for (size_t i = 0; i < t->n_columns; i++) {
		csv_sv[i] = th_strdup(th, t->columns_sv ? t->columns_sv[i] : NULL);
		csv_en[i] = th_strdup(th, t->columns_en ? t->columns_en[i] : NULL);
	}
	for (size_t i = 0; i < n; i++) {
		cells[i] = t->cells[i];
		cells[i].text = th_strdup(th, t->cells[i].text);
	}
	th_keep(th, csv_sv);
	th_keep(th, csv_en);
	th_keep(th, cells);
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
			en[i].text = th_strdup(th, t->cells_en[i].text);
		}
		th_keep(th, en);
		c->cells_en = en;
	}
	return KPI_OK;
}

/* True if d points into the descriptor's own indicator array: the
 * static indicators kpi_sandbox_run_here declares before init. */
static int is_static(const struct kpi_plugin *p,
                     const struct kpi_indicator_def *d)
{
	const char *a = (const char *)p->indicators, *x = (const char *)d;

	return a && p->n_indicators && x >= a &&
	       x < a + p->n_indicators * p->indicators[0].size;
}

static int rec_declare(struct kpi_ctx *ctx, const struct kpi_indicator_def *d)
{
	struct test_host *th = current;
	int rc = kpi_host_table()->declare(ctx, d);
	struct kpi_indicator_def *c;

	if (rc != KPI_OK || is_static(th->desc, d))
		return rc;
	if (th->n_declared == sizeof th->declared / sizeof th->declared[0])
		abort();
	c = &th->declared[th->n_declared++];
	memset(c, 0, sizeof *c);
	memcpy(c, d, d->size < sizeof *c ? d->size : sizeof *c);
	c->id = th_strdup(th, d->id);
	c->name_sv = th_strdup(th, d->name_sv);
	c->name_en = th_strdup(th, d->name_en);
	c->unit = th_strdup(th, d->unit);
	return rc;
}

static int rec_emit(struct kpi_ctx *ctx, const struct kpi_measurement *m)
{
	struct test_host *th = current;
	int rc = kpi_host_table()->emit(ctx, m);
	struct th_meas *c;

	if (rc != KPI_OK)
		return rc;
	if (th->n_meas == th->cap_meas) {
		th->cap_meas = th->cap_meas ? 2 * th->cap_meas : 256;
		th->meas = realloc(th->meas, th->cap_meas * sizeof *th->meas);
		if (!th->meas)
			abort();
	}
	c = &th->meas[th->n_meas++];
	c->id = th_strdup(th, m->indicator);
	c->group = m->size > offsetof(struct kpi_measurement, group) ?
	           th_strdup(th, m->group) : NULL;
	c->year = m->year;
	c->month = m->month;
	c->num = m->num;
	c->den = m->den;
	return rc;
}

static int rec_emit_value(struct kpi_ctx *ctx, const struct kpi_value *v)
{
	struct test_host *th = current;
	int rc = kpi_host_table()->emit_value(ctx, v);
	struct kpi_value *c;

	if (rc != KPI_OK)
		return rc;
	if (th->n_values == TH_MAX_VALUES)
		abort();
	c = &th->values[th->n_values++];
	memset(c, 0, sizeof *c);
	memcpy(c, v, v->size < sizeof *c ? v->size : sizeof *c);
	c->indicator = th_strdup(th, v->indicator);
	return rc;
}

static int rec_emit_table(struct kpi_ctx *ctx, const struct kpi_table *t)
{
	int rc = kpi_host_table()->emit_table(ctx, t);

	if (rc != KPI_OK)
		return rc;
	return keep_table(current, t);
}

struct test_host *test_host_new(const char *area, int year, int month,
                                const char *data_dir)
{
	struct test_host *th = calloc(1, sizeof *th);

	if (!th)
		abort();
	snprintf(th->tmp_dir, sizeof th->tmp_dir, "/tmp/kpi_test_%.20s_XXXXXX",
	         area);
	if (!mkdtemp(th->tmp_dir))
		abort();
	snprintf(th->config, sizeof th->config, "%s/kpirun.ini", th->tmp_dir);
	th->area = strdup(area);
	th->data_dir = strdup(data_dir ? data_dir : th->tmp_dir);
	if (!th->area || !th->data_dir)
		abort();
	th->year = year;
	th->month = month;
	th->host = *kpi_host_table();
	th->host.declare = rec_declare;
	th->host.emit = rec_emit;
	th->host.emit_value = rec_emit_value;
	th->host.emit_table = rec_emit_table;
	return th;
}

void test_host_free(struct test_host *th)
{
	if (!th)
		return;
	for (size_t i = 0; i < th->n_kv; i++) {
		free(th->kv[i].key);
		free(th->kv[i].value);
	}
	for (size_t i = 0; i < th->n_strings; i++)
		free(th->strings[i]);
	free(th->strings);
	free(th->meas);
	free(th->area);
	free(th->data_dir);
	free(th->diag_buf);
	kpi_config_free(th->cfg);
	kpi_loader_close(th->run_lib);
	kpi_loader_close(th->lib);
	unlink(th->config);
	rmdir(th->tmp_dir);
	free(th);
}

void test_host_set(struct test_host *th, const char *key, const char *value)
{
	for (size_t i = 0; i < th->n_kv; i++)
		if (strcmp(th->kv[i].key, key) == 0) {
			free(th->kv[i].value);
			th->kv[i].value = strdup(value);
			return;
		}
	if (th->n_kv == TH_MAX_KEYS)
		abort();
	th->kv[th->n_kv].key = strdup(key);
	th->kv[th->n_kv].value = strdup(value);
	th->n_kv++;
}

const struct kpi_plugin *test_host_load(struct test_host *th,
                                        const char *name)
{
	return test_host_load_from(th, KPI_PLUGIN_BUILD_DIR, name);
}

const struct kpi_plugin *test_host_load_from(struct test_host *th,
                                             const char *dir,
                                             const char *name)
{
	char *path = th->plugin_path;

	snprintf(path, sizeof th->plugin_path, "%s/%s.so", dir, name);
	kpi_loader_close(th->lib);
	th->lib = NULL;
	th->desc = NULL;
	if (kpi_loader_open(path, name, &th->lib) != 0)
		return NULL;
	th->desc = th->lib->desc;
	return th->desc;
}

/* A value as the config file says it: quoted when the INI reader would
 * otherwise trim it or take part of it for a comment. */
static void write_value(FILE *f, const char *v)
{
	size_t n = strlen(v);

	if (n && (v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' ||
	          v[n - 1] == '\t' || strpbrk(v, ";#")))
		fprintf(f, "\"%s\"\n", v);
	else
		fprintf(f, "%s\n", v);
}

/* Write the run's config: [kpirun] with the year, the period (January
 * to th->month) and data_dir, [area NAME] with the plugin and the
 * test's keys.  Exports named by absolute paths (temporary files) are
 * allowed. */
static void write_config(const struct test_host *th, const char *plugin)
{
	FILE *f = fopen(th->config, "w");

	if (!f)
		abort();
	fprintf(f, "[kpirun]\nyear = %d\nperiod = %d-%02d\ndata_dir = %s\n"
	        "allow_exports_outside_data_dir = yes\n\n"
	        "[area %s]\nplugin = %s\n", th->year, th->year, th->month,
	        th->data_dir, th->area, plugin);
	for (size_t i = 0; i < th->n_kv; i++) {
		fprintf(f, "%s = ", th->kv[i].key);
		write_value(f, th->kv[i].value);
	}
	if (fclose(f) != 0)
		abort();
}

/* The area of the run's config. */
static const struct kpi_area *run_area(const struct test_host *th)
{
	for (size_t i = 0; i < th->cfg->n_areas; i++)
		if (strcmp(th->cfg->areas[i].name, th->area) == 0)
			return &th->cfg->areas[i];
	abort();
}

/* The code of an area that failed without a code of the plugin's. */
static int failure_code(int failed)
{
	switch (failed) {
	case 0: return KPI_OK;
	case 2: return KPI_ECONFIG;    /* KPI_EXIT_USAGE */
	case 3: return KPI_EDATA;      /* KPI_EXIT_DATA */
	default: return KPI_EPLUGIN;
	}
}

int test_host_run(struct test_host *th, const struct kpi_plugin *p)
{
	struct kpi_area_result res;
	FILE *mem;
	int rc;

	free(th->diag_buf);
	th->diag_buf = NULL;
	kpi_config_free(th->cfg);
	th->cfg = NULL;
	kpi_loader_close(th->run_lib);
	th->run_lib = NULL;
	write_config(th, p->name);
	mem = open_memstream(&th->diag_buf, &th->diag_len);
	if (!mem)
		abort();
	kpi_diag_reset();
	kpi_diag_set_stream(mem);
	rc = kpi_config_load(th->config, &th->cfg);
	if (rc == 0)
		rc = kpi_config_apply_periods(th->cfg, NULL);
	if (rc == 0) {
		current = th;
		th->desc = p;
		kpi_sandbox_run_here(th->cfg, run_area(th), th->plugin_path,
		                     &th->host,
		                     NULL, &th->run_lib, &res);
		current = NULL;
		rc = res.code ? res.code : failure_code(res.failed);
	}
	kpi_diag_set_stream(NULL);
	fclose(mem);
	return rc;
}

int test_host_sum(const struct test_host *th, const char *id,
                  const char *group, int year, int from, int to,
                  double *num, double *den)
{
	int n = 0;

	*num = 0;
	*den = 0;
	for (size_t i = 0; i < th->n_meas; i++) {
		const struct th_meas *m = &th->meas[i];

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

int test_host_last_month(const struct test_host *th, const char *id,
                         int year)
{
	int last = 0;

	for (size_t i = 0; i < th->n_meas; i++)
		if (strcmp(th->meas[i].id, id) == 0 &&
		    th->meas[i].year == year && th->meas[i].month > last)
			last = th->meas[i].month;
	return last;
}

const struct kpi_value *test_host_value(const struct test_host *th,
                                        const char *id, int year)
{
	for (size_t i = 0; i < th->n_values; i++)
		if (strcmp(th->values[i].indicator, id) == 0 &&
		    th->values[i].year == year)
			return &th->values[i];
	return NULL;
}

const struct kpi_table *test_host_table(const struct test_host *th,
                                        const char *id)
{
	for (size_t i = 0; i < th->n_tables; i++)
		if (strcmp(th->tables[i].id, id) == 0)
			return &th->tables[i];
	return NULL;
}

size_t test_host_ndeclared(const struct test_host *th)
{
	return th->n_declared;
}

const struct kpi_indicator_def *test_host_declared(const struct test_host *th,
                                                   size_t i)
{
	return i < th->n_declared ? &th->declared[i] : NULL;
}

const char *test_host_area(const struct test_host *th)
{
	return th->area;
}

const char *test_host_diag(const struct test_host *th)
{
	return th->diag_buf ? th->diag_buf : "";
}

const char *test_host_where(struct test_host *th, const char *key)
{
	char sec[128];
	long line;

	snprintf(sec, sizeof sec, "area %s", th->area);
	/* as kpi_ini_error names it: the key's line, else its section's */
	line = th->cfg ? kpi_ini_line(th->cfg->ini, sec, key) : 0;
	if (!line && th->cfg)
		line = kpi_ini_line(th->cfg->ini, sec, NULL);
	snprintf(th->where, sizeof th->where, "%s:%ld: [area %s] %s",
	         th->config, line, th->area, key);
	return th->where;
}
