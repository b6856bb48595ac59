/*
 * host.h - the services table the core hands to plugins, and the per-area
 * context behind it.  Emitted measurements land in the config's indicators
 * (model.h); the CSV services are the core reader's.
 */
#ifndef KPI_HOST_H
#define KPI_HOST_H

#include "config.h"
#include "kpi/plugin.h"

struct kpi_wire_out;
struct kpi_host_list;

enum kpi_phase { KPI_PHASE_INIT = 0, KPI_PHASE_COMPUTE = 1, KPI_PHASE_DONE = 2 };

struct kpi_ctx {
	struct kpi_config *cfg;
	const struct kpi_area *area;
	int phase;               /* enum kpi_phase */
	int bad_calls;           /* services refused (wrong phase, bad data) */
	struct kpi_wire_out *rec;  /* in an area's child: where accepted
	                              calls are recorded (wire.h), or NULL */
	struct kpi_csv *last_csv;  /* the reader that last returned a row,
	                              open, or NULL: results outside the
	                              run's window count against its row */
	struct kpi_host_list *lists;  /* config_list results, owned here until
	                                 kpi_host_ctx_release */
};

/* The host table (static, lives for the process). */
const struct kpi_host *kpi_host_table(void);

/* The series of `ind` for `group` (NULL: the indicator's own), created
 * empty if new.  Owned by ind; NULL if out of memory. */
struct kpi_series *kpi_host_series(struct kpi_indicator *ind,
                                   const char *group);

/* Make a context for `area` of cfg (no allocation). */
void kpi_host_ctx_init(struct kpi_ctx *ctx, struct kpi_config *cfg,
                       const struct kpi_area *area);

/* Free what the services allocated for ctx (config_list's lists); call
 * after the plugin's shutdown.  ctx may be reused after kpi_host_ctx_init. */
void kpi_host_ctx_release(struct kpi_ctx *ctx);


#endif
