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

#endif /* KPI_PC_EXPORT_H */
