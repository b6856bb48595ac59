/*
 * export.c - the helpers of export.h, shared by the area plugins that read
 * a CSV export through the host's reader (contracts in export.h).
 */
#include "export.h"

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
