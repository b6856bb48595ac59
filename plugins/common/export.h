/*
 * export.h - helpers for area plugins that read a CSV export: the `file`
 * key, opening the export with its required columns, reading numbers and
 * the months of a monthly export (of any year, each once), and emitting a
 * measurement.
 */
#ifndef KPI_PC_EXPORT_H
#define KPI_PC_EXPORT_H

/* Compiled into each plugin that uses it (kpi_add_plugin(x x.c
 * ../common/export.c)); the names are hidden by -fvisibility=hidden, so a
 * plugin still exports only kpi_plugin_entry.  Everything goes through the
 * host table: nothing here links against the core. */

#include <stddef.h>

#include "kpi/plugin.h"

/* The months of a monthly export read so far, of any year: a small hash
 * set of year-month -> the line of the row that had it, grown as months
 * appear (a 10-year export holds 120 entries, whatever its size).  Zero it
 * before reading an export; free it with kpi_pc_months_free. */
struct kpi_pc_month_seen {
	int key;                /* year * 12 + month - 1, or -1 for empty */
	long line;
};

struct kpi_pc_months {
	struct kpi_pc_month_seen *slot;
	size_t cap;             /* a power of two, or 0 */
	size_t n;
};

/* Claim month `month` (1..12) of `year` for the row at `line`.  Returns
 * 0 if it is new, the line of the row that claimed it first (> 0), or
 * KPI_ENOMEM. */
long kpi_pc_months_claim(struct kpi_pc_months *seen, int year, int month,
                         long line);

/* Free what kpi_pc_months_claim allocated and zero *seen. */
void kpi_pc_months_free(struct kpi_pc_months *seen);

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
 * Read column col of the current row as a month YYYY-MM, of any year, that
 * no earlier row had, and claim it for this row in *seen.  On success
 * *year and *month (1..12) are the row's.  A month already read
 * ("duplicate month 'YYYY-MM' (first at line N)") is a data error.  Which
 * months the run aggregates is the host's business: every month is
 * returned.  Returns 0 or a negative code (reported; KPI_ENOMEM not).
 */
int kpi_pc_read_month(const struct kpi_host *host, struct kpi_csv *csv,
                      int col, struct kpi_pc_months *seen,
                      int *year, int *month);

/* Emit the measurement num/den of local indicator id for month `month` of
 * `year`, for `group` (NULL = the indicator itself).  The host copies
 * everything.  Returns the host's code. */
int kpi_pc_emit(const struct kpi_host *host, struct kpi_ctx *ctx,
                const char *id, int year, int month, double num, double den,
                const char *group);

/*
 * A monthly export: one row per month, of any years (payroll.csv,
 * invoicing.csv, hr.csv).  The plugin's state starts with a struct
 * kpi_pc_monthly; the driver below reads the `file` key, opens the export
 * with its columns, and for each row reads its month (column 0 of
 * `columns`, a repeated month is an error), hands the row to `row` and
 * then calls `emit` for it: every row is emitted as it is read, so the
 * state holds one month whatever the export's length, and the host keeps
 * the months the run aggregates.  A data error stops the read; the host
 * discards the results of an area that failed.
 */
struct kpi_pc_monthly {
	const char *file;            /* the export, owned by the host */
	struct kpi_pc_months seen;   /* the months read so far */
};

#define KPI_PC_MAX_COLUMNS 16

struct kpi_pc_monthly_ops {
	const char *default_file;
	const char *const *columns;  /* columns[0] is the month */
	int n_columns;               /* at most KPI_PC_MAX_COLUMNS */
	size_t state_size;           /* the plugin's state struct */
	/* Parse the current row into the plugin's month of state.  Returns
	 * 0 or a negative code (reported). */
	int (*row)(const struct kpi_host *host, struct kpi_csv *csv,
	           const int *cols, void *state);
	/* Emit the month `row` parsed as `year`/`month`.  Returns 0 or the
	 * host's code. */
	int (*emit)(const struct kpi_host *host, struct kpi_ctx *ctx,
	            const void *state, int year, int month);
};

/* init: read the `file` key and allocate a zeroed state of
 * ops->state_size bytes into *state (freed with free() at shutdown).
 * Returns 0, KPI_ECONFIG (reported) or KPI_ENOMEM. */
int kpi_pc_monthly_init(const struct kpi_host *host, struct kpi_ctx *ctx,
                        const struct kpi_pc_monthly_ops *ops, void **state);

/* compute: read the whole export, emitting each row's month.  The reader
 * and the months seen are freed on every path.  Returns 0 or a negative
 * code. */
int kpi_pc_monthly_compute(const struct kpi_host *host, struct kpi_ctx *ctx,
                           const struct kpi_pc_monthly_ops *ops, void *state);

#endif /* KPI_PC_EXPORT_H */
