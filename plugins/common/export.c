/*
 * export.c - the helpers of export.h, shared by the area plugins that read
 * a CSV export through the host's reader (contracts in export.h).
 */
#include "export.h"

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

/* See export.h. */
int kpi_pc_read_month(const struct kpi_host *host, struct kpi_csv *csv,
                      int col, int run_year, struct kpi_pc_months *seen,
                      int *year_index, int *month_index)
{
	struct kpi_date d;
	long *line;
	int rc;

	rc = host->csv_date(csv, col, KPI_DATE_MONTH, &d);
	if (rc != KPI_OK)
		return rc < 0 ? rc : KPI_EDATA;
	if (d.year < run_year - 1 || d.year > run_year)
		return host->csv_expected(csv, col,
		                          "expected a month in %d..%d",
		                          run_year - 1, run_year);
	line = &seen->line[d.year - run_year + 1][d.month - 1];
	if (*line)
		return host->csv_error(csv, col,
		                       "duplicate month '%04d-%02d' "
		                       "(first at line %ld)",
		                       d.year, d.month, *line);
	*line = host->csv_line(csv);
	*year_index = d.year - run_year + 1;
	*month_index = d.month - 1;
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
	int rc, yi, mi;

	if (ops->n_columns < 1 || ops->n_columns > KPI_PC_MAX_COLUMNS)
		return KPI_EPLUGIN;
	memset(&m->seen, 0, sizeof m->seen);
	m->run_year = host->run_year(ctx);
	rc = kpi_pc_open_export(host, ctx, m->file, ops->columns,
	                        ops->n_columns, cols, &csv);
	if (rc)
		return rc;
	while ((rc = host->csv_next(csv)) == 1) {
		rc = kpi_pc_read_month(host, csv, cols[0], m->run_year,
		                       &m->seen, &yi, &mi);
		if (!rc)
			rc = ops->row(host, csv, cols, state, yi, mi);
		if (rc)
			break;
	}
	host->csv_close(csv);
	for (yi = 0; yi < 2 && rc == 0; yi++)
		for (mi = 0; mi < 12 && rc == 0; mi++)
			if (m->seen.line[yi][mi])
				rc = ops->emit(host, ctx, state,
				               m->run_year - 1 + yi, mi + 1, yi, mi);
	return rc;
}
