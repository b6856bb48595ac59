/*
 * export.c - the helpers of export.h, shared by the area plugins that read
 * a CSV export through the host's reader (contracts in export.h).
 */
#include "export.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* See export.h. */
int kpi_pc_file_key(const struct kpi_host *host, struct kpi_ctx *ctx,
                    const char *fallback, const char **file)
{
	const char *v = host->config_get(ctx, "file");

	if (!v)
		v = fallback;
	else if (!*v)
		return host->config_error(ctx, "file",
		                          "expected a file name, found ''");
	*file = v;
	return KPI_OK;
}

/* See export.h.  Every column is looked up even after one is missing, so
 * each missing one gets its own message. */
int kpi_pc_open_export(const struct kpi_host *host, struct kpi_ctx *ctx,
                       const char *file, const char *const *names, int n,
                       int *cols, struct kpi_csv **csv)
{
	int rc;

	*csv = NULL;
	rc = host->csv_open(ctx, file, csv);
	if (rc)
		return rc;
	for (int i = 0; i < n; i++) {
		cols[i] = host->csv_column(*csv, names[i], 1);
		if (cols[i] < 0 && rc == KPI_OK)
			rc = cols[i];
	}
	if (rc) {
		host->csv_close(*csv);
		*csv = NULL;
	}
	return rc;
}

/* See export.h.  csv_number returns KPI_MISSING only for an optional
 * field; it is a data error here all the same. */
int kpi_pc_read_number(const struct kpi_host *host, struct kpi_csv *csv,
                       int col, int flags, double *out)
{
	int rc = host->csv_number(csv, col, flags, out);

	return rc > 0 ? KPI_EDATA : rc;
}

#define MONTHS_FIRST_CAP 32

/* The slot of key in a table of cap slots (cap a power of two): its own,
 * or the empty one where it would go. */
static struct kpi_pc_month_seen *month_slot(struct kpi_pc_month_seen *slot,
                                            size_t cap, int key)
{
	size_t i = ((unsigned)key * 2654435761u) & (cap - 1);

	while (slot[i].key != -1 && slot[i].key != key)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

/* Double the table (or make the first one).  Returns 0 or KPI_ENOMEM. */
static int months_grow(struct kpi_pc_months *seen)
{
	size_t cap = seen->cap ? seen->cap * 2 : MONTHS_FIRST_CAP;
	struct kpi_pc_month_seen *slot;

	if (cap > SIZE_MAX / sizeof *slot)
		return KPI_ENOMEM;
	slot = malloc(cap * sizeof *slot);
	if (!slot)
		return KPI_ENOMEM;
	for (size_t i = 0; i < cap; i++)
		slot[i].key = -1;
	for (size_t i = 0; i < seen->cap; i++)
		if (seen->slot[i].key != -1)
			*month_slot(slot, cap, seen->slot[i].key) = seen->slot[i];
	free(seen->slot);
	seen->slot = slot;
	seen->cap = cap;
	return KPI_OK;
}

/* See export.h.  Keys are non-negative: years are 1900..2999 (csv_date). */
long kpi_pc_months_claim(struct kpi_pc_months *seen, int year, int month,
                         long line)
{
	int key = year * 12 + month - 1;
	struct kpi_pc_month_seen *s;

	if (seen->n + 1 > seen->cap / 2 && months_grow(seen) != KPI_OK)
		return KPI_ENOMEM;
	s = month_slot(seen->slot, seen->cap, key);
	if (s->key == key)
		return s->line > 0 ? s->line : 1;
	s->key = key;
	s->line = line;
	seen->n++;
	return 0;
}

/* See export.h. */
void kpi_pc_months_free(struct kpi_pc_months *seen)
{
	free(seen->slot);
	memset(seen, 0, sizeof *seen);
}

/* See export.h. */
int kpi_pc_read_month(const struct kpi_host *host, struct kpi_csv *csv,
                      int col, struct kpi_pc_months *seen,
                      int *year, int *month)
{
	struct kpi_date d;
	long first;
	int rc;

	rc = host->csv_date(csv, col, KPI_DATE_MONTH, &d);
	if (rc != KPI_OK)
		return rc < 0 ? rc : KPI_EDATA;
	first = kpi_pc_months_claim(seen, d.year, d.month,
	                            host->csv_line(csv));
	if (first < 0)
		return (int)first;
	if (first)
		return host->csv_error(csv, col,
		                       "duplicate month '%04d-%02d' "
		                       "(first at line %ld)",
		                       d.year, d.month, first);
	*year = d.year;
	*month = d.month;
	return KPI_OK;
}

/* See export.h. */
int kpi_pc_emit(const struct kpi_host *host, struct kpi_ctx *ctx,
                const char *id, int year, int month, double num, double den,
                const char *group)
{
	struct kpi_measurement m = {
		.size = sizeof m,
		.indicator = id,
		.year = year,
		.month = month,
		.num = num,
		.den = den,
		.group = group,
	};

	return host->emit(ctx, &m);
}

/* See export.h. */
int kpi_pc_monthly_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                        const struct kpi_pc_monthly_ops *ops, void **state)
{
	struct kpi_pc_monthly *m;
	const char *file = NULL;
	int rc = kpi_pc_file_key(host, ctx, ops->default_file, &file);

	if (rc)
		return rc;
	m = calloc(1, ops->state_size);
	if (!m)
		return KPI_ENOMEM;
	m->file = file;
	*state = m;
	return KPI_OK;
}

/* See export.h. */
int kpi_pc_monthly_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                           const struct kpi_pc_monthly_ops *ops, void *state)
{
	struct kpi_pc_monthly *m = state;
	struct kpi_csv *csv = NULL;
	int cols[KPI_PC_MAX_COLUMNS];
	int rc, year = 0, month = 0;

	if (ops->n_columns < 1 || ops->n_columns > KPI_PC_MAX_COLUMNS)
		return KPI_EPLUGIN;
	kpi_pc_months_free(&m->seen);
	rc = kpi_pc_open_export(host, ctx, m->file, ops->columns,
	                        ops->n_columns, cols, &csv);
	if (rc)
		return rc;
	while ((rc = host->csv_next(csv)) == 1) {
		rc = kpi_pc_read_month(host, csv, cols[0], &m->seen, &year,
		                       &month);
		if (!rc)
			rc = ops->row(host, csv, cols, state);
		if (!rc)
			rc = ops->emit(host, ctx, state, year, month);
		if (rc)
			break;
	}
	host->csv_close(csv);
	kpi_pc_months_free(&m->seen);
	return rc;
}
