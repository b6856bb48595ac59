/*
 * test_history.c - the results history's API (core/history.c) without the
 * kpirun binary: tests/history/fin.ini loaded, its figures put in by hand
 * (as a plugin would have), evaluated, reported, staged, committed or
 * rolled back, and read back with SQLite's own API; the forecast accuracy
 * and the baseline taken from it.  The end-to-end tests are
 * tests/history/history_test.sh.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "eval.h"
#include "history.h"
#include "window.h"
#include "registry.h"
#include "report.h"

#define FIN KPI_SOURCE_DIR "/tests/history/fin.ini"

/* A history path of this test's own (Criterion runs tests in parallel). */
static void temp_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "/tmp/kpi-test-history-%ld-%s.db", (long)getpid(),
	         name);
	unlink(buf);
}

static void cleanup(const char *path)
{
	char side[512];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* fin.ini for the period ending in `month`, fin.net_cost given 100 a
 * month January-August and 110, 100, 105, 97 after (data/fin.csv), and
 * every indicator evaluated as kpi_run does (accuracy from h). */
static struct kpi_config *fin_run(int month, struct kpi_history *h)
{
	static const double cost[12] = { 100, 100, 100, 100, 100, 100, 100,
	                                 100, 110, 100, 105, 97 };
	struct kpi_config *cfg = NULL;
	struct kpi_indicator *ind;

	cr_assert_eq(kpi_config_load(FIN, &cfg), 0);
	cfg->period = kpi_period_ytd(cfg->year, month);
	ind = kpi_config_indicator(cfg, "fin.net_cost");
	cr_assert_not_null(ind);
	ind->declared = 1;
	for (int m = 0; m < 12; m++) {
		/* as the host stores them: only the months of the run */
		int slot = kpi_window_slot(&cfg->period, cfg->year, m + 1);

		if (slot < 0)
			continue;
		ind->main.m[slot].num = cost[m];
		ind->main.m[slot].den = 1;
		ind->main.m[slot].has = 1;
	}
	for (size_t i = 0; i < cfg->n_indicators; i++)
		kpi_eval_indicator(cfg->indicators[i], &cfg->period,
		                   cfg->tolerance, cfg->tolerance_rel,
		                   cfg->compare);
	cr_assert_eq(kpi_history_accuracy(h, cfg), 0);
	return cfg;
}

/* Stage the run of cfg in h (its report built here). */
static int stage(struct kpi_history *h, struct kpi_config *cfg)
{
	struct kpi_report *rep = NULL;
	int rc;

	cr_assert_eq(kpi_report_build(cfg, KPI_LANG_SV, NULL, 0, &rep), 0);
	rc = kpi_history_stage(h, cfg, rep);
	kpi_report_free(rep);
	return rc;
}

/* count(*) of a query, read with SQLite itself. */
static long count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long n = -1;

	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
	             SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
	             "%s", sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static const struct kpi_indicator *accuracy(const struct kpi_config *cfg)
{
	return kpi_config_indicator(cfg, "fin.forecast_accuracy");
}

Test(history, missing_file_is_empty_until_recorded)
{
	char path[256];
	struct kpi_history *h = NULL;
	struct kpi_config *cfg;

	temp_path(path, sizeof path, "empty");
	cr_assert_eq(kpi_history_open(path, 0, &h), 0);
	cr_assert_neq(access(path, F_OK), 0, "opening created the file");
	cfg = fin_run(8, h);
	/* T2 run, no year end anywhere */
	cr_assert_eq(accuracy(cfg)->res.has_outcome, 0);
	cr_assert_str_eq(accuracy(cfg)->res.why, "no year-end outcome yet");
	kpi_config_free(cfg);
	kpi_history_close(h);
	cr_assert_neq(access(path, F_OK), 0, "closing created the file");
}

Test(history, rollback_leaves_nothing_commit_all)
{
	char path[256];
	struct kpi_history *h = NULL;
	struct kpi_config *cfg;

	temp_path(path, sizeof path, "tx");
	cr_assert_eq(kpi_history_open(path, 0, &h), 0);
	cfg = fin_run(8, h);
	cr_assert_eq(stage(h, cfg), 0);
	kpi_history_rollback(h);
	cr_assert_eq(count(path, "SELECT count(*) FROM result"), 0);
	cr_assert_eq(count(path, "SELECT count(*) FROM month"), 0);
	cr_assert_eq(stage(h, cfg), 0);
	cr_assert_eq(kpi_history_commit(h), 0);
	/* three indicators; fin.net_cost's months of 2011 through August
	 * (the T2 run's window ends there) */
	cr_assert_eq(count(path, "SELECT count(*) FROM result"), 3);
	cr_assert_eq(count(path, "SELECT count(*) FROM month WHERE indicator "
	                         "= 'fin.net_cost'"), 8);
	cr_assert_eq(count(path, "SELECT sum(num) FROM month WHERE indicator "
	                         "= 'fin.net_cost' AND month <= 8"), 800);
	kpi_config_free(cfg);
	kpi_history_close(h);
	cleanup(path);
}

Test(history, accuracy_from_the_t2_run)
{
	char path[256];
	struct kpi_history *h = NULL;
	struct kpi_config *cfg;
	const struct kpi_indicator *acc;

	temp_path(path, sizeof path, "acc");
	cr_assert_eq(kpi_history_open(path, 0, &h), 0);
	cfg = fin_run(8, h);
	/* linear forecast at T2: 800 / 8 x 12 */
	cr_assert_float_eq(kpi_config_indicator(cfg, "fin.net_cost")
	                   ->res.forecast, 1200, 1e-9);
	cr_assert_eq(stage(h, cfg), 0);
	cr_assert_eq(kpi_history_commit(h), 0);
	kpi_config_free(cfg);
	/* the year end: 100 + (1200 - 1212) / 1212 x 100 */
	cfg = fin_run(12, h);
	acc = accuracy(cfg);
	cr_assert(acc->res.has_outcome);
	cr_assert_float_eq(acc->res.outcome, 100.0 - 1200.0 / 1212.0, 1e-9);
	cr_assert_eq(acc->res.assessment, KPI_ASSESS_MET);
	cr_assert_eq(acc->res.rule, KPI_RULE_RANGE_MET);
	kpi_config_free(cfg);
	kpi_history_close(h);
	cleanup(path);
}

Test(history, no_history_and_read_only)
{
	char path[256];
	struct kpi_history *h = NULL;
	struct kpi_config *cfg = fin_run(12, NULL);

	cr_assert_str_eq(accuracy(cfg)->res.why, "no results history");
	kpi_config_free(cfg);
	/* read-only open of a missing file, then of a recorded one */
	temp_path(path, sizeof path, "ro");
	cr_assert_eq(kpi_history_open(path, 1, &h), 0);
	kpi_history_close(h);
	cr_assert_neq(access(path, F_OK), 0);
	cr_assert_eq(kpi_history_open(path, 0, &h), 0);
	cfg = fin_run(12, h);
	cr_assert_eq(stage(h, cfg), 0);
	cr_assert_eq(kpi_history_commit(h), 0);
	kpi_history_close(h);
	kpi_config_free(cfg);
	cr_assert_eq(kpi_history_open(path, 1, &h), 0);
	cfg = fin_run(12, h);
	/* the year end recorded, no T2 run */
	cr_assert_str_eq(accuracy(cfg)->res.why,
	                 "no forecast of that period in the history");
	kpi_config_free(cfg);
	kpi_history_close(h);
	cleanup(path);
}

Test(history, not_a_database)
{
	char path[256];
	struct kpi_history *h = NULL;
	FILE *f, *null;

	temp_path(path, sizeof path, "text");
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("not a database, a text file of some length...\n", f);
	fclose(f);
	null = fopen("/dev/null", "w");
	cr_assert_not_null(null);
	kpi_diag_set_stream(null);
	cr_assert_eq(kpi_history_open(path, 0, &h), KPI_ECONFIG);
	cr_assert_null(h);
	cr_assert_eq(kpi_history_show(path, "fin.net_cost", 0, stdout),
	             KPI_ECONFIG);
	kpi_diag_set_stream(NULL);
	fclose(null);
	unlink(path);
}
