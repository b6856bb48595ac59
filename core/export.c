/*
 * export.c - the month loop services of ABI 1.3 (contracts in plugin.h
 * and export.h).  What every plugin reading an export did for itself is
 * done here once: the `file` key with its default, every missing column
 * reported at once, and a month column read with the months of earlier
 * rows remembered by the reader (months.c), so a repeated month is an
 * error with the line of its first row.
 */
#include "export.h"

#include "csv.h"
#include "months.h"

/* The month loop's own group of a reader's months (csv_claim_month's
 * other groups are the plugin's). */
#define EXPORT_MONTH_GROUP 0

/* See export.h. */
int kpi_export_file(const struct kpi_host *h, struct kpi_ctx *ctx,
                    const char *key, const char *fallback, const char **path)
{
	const char *v;

	if (!key || !path)
		return KPI_EINVAL;
	v = h->config_get(ctx, key);
	if (!v && !fallback)
		return h->config_error(ctx, key, "missing required key");
	if (!v)
		v = fallback;
	else if (!*v)
		return h->config_error(ctx, key,
		                       "expected a file name, found ''");
	*path = v;
	return KPI_OK;
}

/* See export.h.  Every column is looked up even after one is missing, so
 * each missing one gets its own message. */
int kpi_export_open(const struct kpi_host *h, struct kpi_ctx *ctx,
                    const char *path, const char *const *names, int n,
                    int *cols, struct kpi_csv **out)
{
	int rc;

	if (!out)
		return KPI_EINVAL;
	*out = NULL;
	if (n < 0 || (n > 0 && (!names || !cols)))
		return KPI_EINVAL;
	rc = h->csv_open(ctx, path, out);
	if (rc)
		return rc;
	for (int i = 0; i < n; i++) {
		cols[i] = h->csv_column(*out, names[i], 1);
		if (cols[i] < 0 && rc == KPI_OK)
			rc = cols[i];
	}
	if (rc) {
		h->csv_close(*out);
		*out = NULL;
	}
	return rc;
}

/* See export.h. */
int kpi_export_month(struct kpi_csv *csv, int col, int flags, int *year,
                     int *month)
{
	struct kpi_date d;
	long first;
	int rc;

	if (!csv || !year || !month || (flags & ~KPI_MONTH_UNIQUE))
		return KPI_EINVAL;
	rc = kpi_csv_date(csv, col, KPI_DATE_MONTH, &d);
	if (rc != KPI_OK)
		return rc < 0 ? rc : KPI_EDATA;
	if (flags & KPI_MONTH_UNIQUE) {
		first = kpi_months_claim(kpi_csv_months(csv),
		                         EXPORT_MONTH_GROUP, d.year, d.month,
		                         kpi_csv_line(csv));
		if (first < 0)
			return (int)first;
		if (first)
			return kpi_csv_error(csv, col, "duplicate month "
			                     "'%04d-%02d' (first at line %ld)",
			                     d.year, d.month, first);
	}
	*year = d.year;
	*month = d.month;
	return KPI_OK;
}

/* See export.h. */
long kpi_export_claim_month(struct kpi_csv *csv, int group, int year,
                            int month)
{
	if (!csv)
		return KPI_EINVAL;
	return kpi_months_claim(kpi_csv_months(csv), group, year, month,
	                        kpi_csv_line(csv));
}
