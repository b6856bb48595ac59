/*
 * history.h - the results history: every run's evaluated results kept in
 * an SQLite database (--history FILE), and what is read back from it: last
 * year's year-end outcome as a baseline, the forecast accuracy of an
 * indicator (accuracy_of), and --show.  Schema, migration and concurrency
 * rules: docs/history.md.  SQLite is used here and nowhere else.
 *
 * Errors: functions return 0 or a negative KPI_E code after printing one
 * message naming the history file: KPI_ECONFIG when the file is not a
 * history this kpirun can use (not SQLite, damaged, another program's
 * database, a newer schema: exit 2), KPI_EIO when it cannot be written or
 * read (permission, read-only, disk full, locked past the busy timeout:
 * exit 5), KPI_ENOMEM when memory ran out (nothing printed: exit 6).
 */
#ifndef KPI_HISTORY_H
#define KPI_HISTORY_H

#include <stdio.h>

struct kpi_config;
struct kpi_report;
struct kpi_history;

/* The schema version this kpirun writes (PRAGMA user_version). */
#define KPI_HISTORY_SCHEMA_VERSION 2

/* How long a writer waits for another one's transaction (ms). */
#define KPI_HISTORY_BUSY_MS 30000

/* Open the history at `path` for a run: an existing file is checked (an
 * SQLite database with kpirun's schema, undamaged) and migrated to the
 * current schema in one transaction; a missing file is an empty history,
 * created only when a run is recorded.  With read_only set (--check)
 * nothing is written: the file is only checked and read, whatever its
 * version, and kpi_history_stage must not be called.  On success *out is
 * owned by the caller (kpi_history_close).  Returns 0, KPI_ECONFIG,
 * KPI_EIO or KPI_ENOMEM (see the top). */
int kpi_history_open(const char *path, int read_only,
                     struct kpi_history **out);

/* Close the history; a transaction still open is rolled back. */
void kpi_history_close(struct kpi_history *h);

/* Before evaluation: give every indicator with an increase or decrease
 * target and no configured baseline last year's year-end outcome from
 * the history as its baseline (baseline_source KPI_BASELINE_HISTORY).
 * Precedence: config, then history, then last year's value from the
 * exports (eval.c).  h may be NULL (no history: nothing changes).
 * Returns 0, KPI_ECONFIG, KPI_EIO or KPI_ENOMEM. */
int kpi_history_apply(struct kpi_history *h, struct kpi_config *cfg);

/* After the indicators are evaluated (before the goals): compute every
 * accuracy_of indicator, 100 + (F - O) / |O| x 100 %, F the source's
 * forecast at the configured period and O its year-end outcome, both of
 * the run year, from this run when it is that period, else from the
 * history; then evaluate it again (eval.c) so that it is assessed like
 * any other.  Without both figures it has no outcome and says why.
 * h may be NULL.  Returns 0, KPI_ECONFIG, KPI_EIO or KPI_ENOMEM. */
int kpi_history_accuracy(struct kpi_history *h, struct kpi_config *cfg);

/* Record the evaluated report `rep` of the run `cfg`: begin a write
 * transaction (creating the file and the schema when new), replace the
 * rows of the same organisation, committee, year and period, and insert
 * this run's.  Nothing is visible to others until kpi_history_commit;
 * kpi_history_rollback (or a signal, or a crash) leaves the history as it
 * was.  Returns 0, KPI_ECONFIG, KPI_EIO or KPI_ENOMEM (rolled back). */
int kpi_history_stage(struct kpi_history *h, const struct kpi_config *cfg,
                      const struct kpi_report *rep);

/* Commit the staged run.  Returns 0, KPI_EIO or KPI_ENOMEM (rolled
 * back, printed but for KPI_ENOMEM). */
int kpi_history_commit(struct kpi_history *h);

/* Roll back a staged run (nothing if none). */
void kpi_history_rollback(struct kpi_history *h);

/* --show: print indicator `id`'s rows of the history at `path` across
 * periods and years, sorted by organisation, committee, year and period
 * end, as a text table or (json set) a JSON array, to `out`.  The file is
 * only read (a missing one is an error).  Returns 0, KPI_ENOTFOUND (no
 * row for id: printed), KPI_ECONFIG, KPI_EIO or KPI_ENOMEM. */
int kpi_history_show(const char *path, const char *id, int json, FILE *out);

#endif
