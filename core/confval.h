/*
 * confval.h - typed config values for plugins (ABI 1.2): numbers in the
 * Swedish and English forms, whole numbers, dates and comma lists, read
 * from a host table's config_get and reported through its config_error.
 */
#ifndef KPI_CONFVAL_H
#define KPI_CONFVAL_H

#include <stddef.h>

#include "kpi/plugin.h"

/* The items config_list returned, kept until kpi_host_lists_free. */
struct kpi_host_list;

/* The services of plugin.h (config_number, config_integer, config_date,
 * config_list) on top of h->config_get and h->config_error for ctx, with
 * the codes and messages plugin.h gives.  kpi_host_get_list keeps the
 * items it returns in *lists (the caller's, starting NULL): they are owned
 * there until kpi_host_lists_free(lists), which frees every list and
 * sets *lists to NULL. */
int kpi_host_get_number(const struct kpi_host *h, struct kpi_ctx *ctx,
                        const char *key, int flags, double *out);
int kpi_host_get_integer(const struct kpi_host *h, struct kpi_ctx *ctx,
                         const char *key, int flags, long *out);
int kpi_host_get_date(const struct kpi_host *h, struct kpi_ctx *ctx,
                      const char *key, int flags, struct kpi_date *out);
int kpi_host_get_list(const struct kpi_host *h, struct kpi_ctx *ctx,
                      struct kpi_host_list **lists, const char *key,
                      size_t *n, const char *const **items);
void kpi_host_lists_free(struct kpi_host_list **lists);

#endif
