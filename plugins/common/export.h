/*
 * export.h - helpers for area plugins that read a CSV export: the `file`
 * key, opening the export with its required columns, reading numbers and
 * the months of the run-year window, and emitting a measurement.
 */
#ifndef KPI_PC_EXPORT_H
#define KPI_PC_EXPORT_H

/* Compiled into each plugin that uses it (kpi_add_plugin(x x.c
 * ../common/export.c)); the names are hidden by -fvisibility=hidden, so a
 * plugin still exports only kpi_plugin_entry.  Everything goes through the
 * host table: nothing here links against the core. */

#include <stddef.h>

#include "kpi/plugin.h"

/* The months of the run-year window read so far: line[0] the year before
 * the run year, line[1] the run year, [.][m - 1] month m.  An entry is the
 * line of the row read for that month, 0 = none yet.  Zero it before
 * reading an export. */
struct kpi_pc_months {
	long line[2][12];
};

/*
 * The area's `file` key into *file: `fallback` when the key is absent, a
 * config error ("expected a file name, found ''") when it is empty.  *file
 * is owned by the host (config values live until shutdown).  Returns 0 or
 * KPI_ECONFIG (reported).
 */
int kpi_pc_file_key(const struct kpi_host *host, struct kpi_ctx *ctx,
                    const char *fallback, const char **file);

/*
 * Open the export `file` and map its required columns names[0..n) into
 * cols[0..n).  Every missing column is reported by the reader, so the user
 * sees all of them at once.  On success *csv is the open reader, which the
 * caller closes with host->csv_close; on error nothing is left open.
 * Returns 0 or the first negative code (reported).
 */
int kpi_pc_open_export(const struct kpi_host *host, struct kpi_ctx *ctx,
                       const char *file, const char *const *names, int n,
                       int *cols, struct kpi_csv **csv);

/* Read the required number in column col of the current row (flags as
 * csv_number) into *out.  Returns 0 or a negative code (reported). */
int kpi_pc_read_number(const struct kpi_host *host, struct kpi_csv *csv,
                       int col, int flags, double *out);

/*
 * Read column col of the current row as a month YYYY-MM of run_year - 1 or
 * run_year that no earlier row had, and claim it for this row in *seen.
 * On success *year_index is 0 (the year before) or 1 (the run year) and
 * *month_index 0..11.  A month outside the window ("expected a month in
 * Y-1..Y, found '...'") or already read ("duplicate month 'YYYY-MM'
 * (first at line N)") is a data error.  Returns 0 or a negative code
 * (reported).
 */
int kpi_pc_read_month(const struct kpi_host *host, struct kpi_csv *csv,
                      int col, int run_year, struct kpi_pc_months *seen,
                      int *year_index, int *month_index);

/* Emit the measurement num/den of local indicator id for month `month` of
 * `year`, for `group` (NULL = the indicator itself).  The host copies
 * everything.  Returns the host's code. */
int kpi_pc_emit(const struct kpi_host *host, struct kpi_ctx *ctx,
                const char *id, int year, int month, double num, double den,
                const char *group);

/*
 * A monthly export: one row per month of the run year and the year before
 * (payroll.csv, invoicing.csv, hr.csv).  The plugin's state starts with a
 * struct kpi_pc_monthly; the driver below reads the `file` key, opens the
 * export with its columns, reads each row's month (column 0 of `columns`,
 * a repeated month is an error), hands the row to `row`, and after a clean
 * read calls `emit` for every month read, oldest first.  A data error
 * emits nothing.
 */
struct kpi_pc_monthly {
	const char *file;            /* the export, owned by the host */
	int run_year;                /* of the compute in progress */
	struct kpi_pc_months seen;   /* the months read so far */
};

#define KPI_PC_MAX_COLUMNS 16

struct kpi_pc_monthly_ops {
	const char *default_file;
	const char *const *columns;  /* columns[0] is the month */
	int n_columns;               /* at most KPI_PC_MAX_COLUMNS */
	size_t state_size;           /* the plugin's state struct */
	/* Parse the current row into month yi (0: year before, 1: run
	 * year), mi (0..11) of state.  Returns 0 or a negative code
	 * (reported). */
	int (*row)(const struct kpi_host *host, struct kpi_csv *csv,
	           const int *cols, void *state, int yi, int mi);
	/* Emit month yi, mi of state as `year`/`month`.  Returns 0 or the
	 * host's code. */
	int (*emit)(const struct kpi_host *host, struct kpi_ctx *ctx,
	            const void *state, int year, int month, int yi, int mi);
};

/* init: read the `file` key and allocate a zeroed state of
 * ops->state_size bytes into *state (freed with free() at shutdown).
 * Returns 0, KPI_ECONFIG (reported) or KPI_ENOMEM. */
int kpi_pc_monthly_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                        const struct kpi_pc_monthly_ops *ops, void **state);

/* compute: read the whole export, then emit every month read.  The
 * reader is closed on every path.  Returns 0 or a negative code. */
int kpi_pc_monthly_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                           const struct kpi_pc_monthly_ops *ops, void *state);

#endif /* KPI_PC_EXPORT_H */
