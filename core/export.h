/*
 * export.h - the month loop services of ABI 1.3 (plugin.h: config_file,
 * csv_open_export, csv_month, csv_claim_month): the export an area's key
 * names, opening it with its required columns, and the months of a
 * monthly export, each once.
 */
#ifndef KPI_EXPORT_H
#define KPI_EXPORT_H

#include "kpi/plugin.h"

/* config_file and csv_open_export of plugin.h, on top of h->config_get
 * and h->config_error / h->csv_open, h->csv_column and h->csv_close for
 * ctx, with the codes and messages plugin.h gives: any host table (the
 * core's, a test's) offers the same rules. */
int kpi_export_file(const struct kpi_host *h, struct kpi_ctx *ctx,
                    const char *key, const char *fallback, const char **path);
int kpi_export_open(const struct kpi_host *h, struct kpi_ctx *ctx,
                    const char *path, const char *const *names, int n,
                    int *cols, struct kpi_csv **out);

/* csv_month and csv_claim_month of plugin.h on the core reader (the
 * months kept in kpi_csv_months(csv), freed by kpi_csv_close). */
int kpi_export_month(struct kpi_csv *csv, int col, int flags, int *year,
                     int *month);
long kpi_export_claim_month(struct kpi_csv *csv, int group, int year,
                            int month);

#endif
