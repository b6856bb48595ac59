/*
 * history.c - the results history in SQLite: the schema and its
 * migrations, recording a run's evaluated report in one transaction, and
 * reading back baselines, forecast accuracy and --show.  The rules (each
 * table and column, the migration rule, concurrency) are in
 * docs/history.md; the API contract in history.h.
 *
 * Every run opens its own connection in WAL mode with a busy timeout, so
 * two kpirun processes writing one history wait for each other instead of
 * failing; a run's rows go in with BEGIN IMMEDIATE ... COMMIT, so a
 * signal, a crash or a write fault leaves either all of them or none.
 */
#include "history.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "escape.h"
#include "eval.h"
#include "fmt.h"
#include "registry.h"
#include "report.h"

/* write_rows: a failure already printed (reading the config again) */
#define ROWS_PRINTED (-1)

#ifndef KPI_VERSION
#define KPI_VERSION "unknown"
#endif

struct kpi_history {
	char *path;
	sqlite3 *db;             /* NULL: the file does not exist yet */
	int in_tx;               /* a staged run awaits commit */
};

/* ---- the schema ---------------------------------------------------------
 * Version 1 was the first schema kpirun wrote; every later version is
 * version 1 plus the migrations after it, applied in order, so a new
 * history and a migrated one are the same.  A migration only adds (tables,
 * columns, indexes) and fills what it added from what is there; nothing
 * recorded is dropped. */

static const char schema_v1[] =
	"CREATE TABLE run ("
	" id INTEGER PRIMARY KEY,"
	" organisation TEXT NOT NULL,"
	" committee TEXT NOT NULL,"
	" year INTEGER NOT NULL,"
	" period TEXT NOT NULL,"
	" config_hash TEXT NOT NULL,"
	" ran_at TEXT NOT NULL,"
	" UNIQUE (organisation, committee, year, period));"
	"CREATE TABLE result ("
	" run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
	" indicator TEXT NOT NULL,"
	" outcome REAL,"
	" forecast REAL,"
	" forecast_method TEXT NOT NULL,"
	" target TEXT NOT NULL,"
	" council_target TEXT NOT NULL,"
	" assessment TEXT NOT NULL,"
	" PRIMARY KEY (run_id, indicator));"
	"CREATE TABLE month ("
	" run_id INTEGER NOT NULL,"
	" indicator TEXT NOT NULL,"
	" year INTEGER NOT NULL,"
	" month INTEGER NOT NULL,"
	" num REAL NOT NULL,"
	" den REAL NOT NULL,"
	" PRIMARY KEY (run_id, indicator, year, month),"
	" FOREIGN KEY (run_id, indicator) REFERENCES result(run_id, indicator)"
	"  ON DELETE CASCADE);";

/* Version 2: the period as a from/to year-month pair with its kind and
 * label, the version that wrote a run, and each result's area, unit,
 * reason, covered months, baseline, targets as numbers and rule.  Rows of
 * version 1 get their period from the key they have (T1, T2, T3, year,
 * YYYY-MM); the new result columns stay NULL (not recorded then). */
static const char migrate_v2[] =
	"ALTER TABLE run ADD COLUMN period_kind TEXT;"
	"ALTER TABLE run ADD COLUMN period_from TEXT;"
	"ALTER TABLE run ADD COLUMN period_to TEXT;"
	"ALTER TABLE run ADD COLUMN period_label TEXT;"
	"ALTER TABLE run ADD COLUMN kpirun_version TEXT;"
	"UPDATE run SET"
	" period_kind = CASE WHEN period IN ('T1','T2','T3') THEN 'tertial'"
	"  WHEN period = 'year' THEN 'year' ELSE 'month' END,"
	" period_from = printf('%04d-01', year),"
	" period_to = CASE period WHEN 'T1' THEN printf('%04d-04', year)"
	"  WHEN 'T2' THEN printf('%04d-08', year)"
	"  WHEN 'T3' THEN printf('%04d-12', year)"
	"  WHEN 'year' THEN printf('%04d-12', year) ELSE period END,"
	" period_label = period;"
	"ALTER TABLE result ADD COLUMN area TEXT;"
	"ALTER TABLE result ADD COLUMN unit TEXT;"
	"ALTER TABLE result ADD COLUMN outcome_why TEXT;"
	"ALTER TABLE result ADD COLUMN covered_from TEXT;"
	"ALTER TABLE result ADD COLUMN covered_to TEXT;"
	"ALTER TABLE result ADD COLUMN baseline REAL;"
	"ALTER TABLE result ADD COLUMN target_kind TEXT;"
	"ALTER TABLE result ADD COLUMN target_value REAL;"
	"ALTER TABLE result ADD COLUMN target_width REAL;"
	"ALTER TABLE result ADD COLUMN council_kind TEXT;"
	"ALTER TABLE result ADD COLUMN council_value REAL;"
	"ALTER TABLE result ADD COLUMN council_width REAL;"
	"ALTER TABLE result ADD COLUMN rule TEXT;"
	"CREATE INDEX result_indicator ON result(indicator);";

/* migrations[v] takes a history from version v to v + 1 */
static const char *const migrations[KPI_HISTORY_SCHEMA_VERSION] = {
	schema_v1,       /* 0 -> 1: a new, empty database */
	migrate_v2,      /* 1 -> 2 */
};

/* ---- errors -------------------------------------------------------------- */

/* Map an SQLite result code to a KPI_E code: KPI_ENOMEM (nothing to
 * print), KPI_ECONFIG (the file is not a usable history) or KPI_EIO. */
static int code_of(int rc)
{
	if (rc == SQLITE_IOERR_NOMEM)
		return KPI_ENOMEM;
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return KPI_ENOMEM;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return KPI_ECONFIG;
	default:
		return KPI_EIO;
	}
}

/* Print what failed with SQLite's message and return the KPI_E code of
 * rc (out of memory is not printed: the run says it once). */
static int fail(const struct kpi_history *h, int rc, const char *what)
{
	int code = code_of(rc);
	const char *msg = h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc);

	if (code == KPI_ENOMEM)
		return code;
	if ((rc & 0xff) == SQLITE_NOTADB)
		kpi_diag(KPI_LOG_ERROR, NULL, h->path, 0, 0,
		         "not a results history: not an SQLite database");
	else if (code == KPI_ECONFIG)
		kpi_diag(KPI_LOG_ERROR, NULL, h->path, 0, 0,
		         "the results history is damaged (%s): %s", msg, what);
	else
		kpi_diag(KPI_LOG_ERROR, NULL, h->path, 0, 0,
		         "cannot %s the results history: %s", what, msg);
	return code;
}

/* Run SQL text without results. */
static int exec(struct kpi_history *h, const char *sql, const char *what)
{
	int rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : fail(h, rc, what);
}

/* One integer from a single-row query (0 when there is no row). */
static int query_int(struct kpi_history *h, const char *sql, long *out,
                     const char *what)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h->db, sql, -1, &st, NULL);

	*out = 0;
	if (rc != SQLITE_OK)
		return fail(h, rc, what);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = (long)sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	if (rc != SQLITE_DONE) {
		rc = fail(h, rc, what);
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(st);
	return 0;
}

/* ---- opening, checking, migrating ----------------------------------------- */

/* The connection's settings: the busy timeout first (everything after it
 * may wait for another writer), foreign keys for the cascades. */
static int configure(struct kpi_history *h)
{
	int rc = sqlite3_busy_timeout(h->db, KPI_HISTORY_BUSY_MS);

	if (rc != SQLITE_OK)
		return fail(h, rc, "open");
	sqlite3_extended_result_codes(h->db, 1);
	return exec(h, "PRAGMA foreign_keys = ON", "open");
}

/* Is this database, at user_version 0, empty (a new file)?  A database of
 * another program has tables but no user_version of ours. */
static int check_unversioned(struct kpi_history *h)
{
	long n;
	int rc = query_int(h, "SELECT count(*) FROM sqlite_schema", &n, "read");

	if (rc != 0)
		return rc;
	if (n != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, h->path, 0, 0, "not a results "
		         "history: an SQLite database without kpirun's schema "
		         "(user_version 0 and %ld tables)", n);
		return KPI_ECONFIG;
	}
	return 0;
}

/* Bring the schema to KPI_HISTORY_SCHEMA_VERSION in one write transaction
 * (created when empty, migrated when older), the version read again inside
 * it since another kpirun may have migrated meanwhile.  A newer version is
 * refused.  WAL is set first: it cannot change inside a transaction. */
static int upgrade(struct kpi_history *h)
{
	long v;
	char sql[64];
	int rc;

	rc = exec(h, "PRAGMA journal_mode = WAL", "write");
	if (rc == 0)
		rc = exec(h, "BEGIN IMMEDIATE", "write");
	if (rc != 0)
		return rc;
	rc = query_int(h, "PRAGMA user_version", &v, "read");
	if (rc == 0 && v == 0)
		rc = check_unversioned(h);
	for (; rc == 0 && v < KPI_HISTORY_SCHEMA_VERSION; v++) {
		rc = exec(h, migrations[v], "migrate");
		if (rc == 0) {
			snprintf(sql, sizeof sql, "PRAGMA user_version = %ld",
			         v + 1);
			rc = exec(h, sql, "migrate");
		}
	}
	if (rc == 0)
		rc = exec(h, "COMMIT", "write");
	if (rc != 0)
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* A file at user_version 0: empty, or another program's database, or one
 * another kpirun is creating right now.  The version and the tables are
 * read in one read transaction, so both come from the same state of the
 * file (read one after the other, a schema committed in between looked
 * like another program's tables).  *version is the version seen. */
static int check_new(struct kpi_history *h, long *version)
{
	int rc = exec(h, "BEGIN", "read");

	if (rc == 0)
		rc = query_int(h, "PRAGMA user_version", version, "read");
	if (rc == 0 && *version == 0)
		rc = check_unversioned(h);
	else if (rc == 0 && *version > KPI_HISTORY_SCHEMA_VERSION) {
		kpi_diag(KPI_LOG_ERROR, NULL, h->path, 0, 0, "the results history "
		         "has schema version %ld, written by a newer kpirun; "
		         "this kpirun knows versions up to %d", *version,
		         KPI_HISTORY_SCHEMA_VERSION);
		rc = KPI_ECONFIG;
	}
	sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/* Check an existing file before anything is written to it: an SQLite
 * database (a read of its header), undamaged (quick_check), a schema
 * version this kpirun knows.  *version is what it has. */
static int check_existing(struct kpi_history *h, long *version)
{
	sqlite3_stmt *st;
	const char *res;
	int rc;

	rc = query_int(h, "PRAGMA user_version", version, "read");
	if (rc != 0)
		return rc;
	if (*version > KPI_HISTORY_SCHEMA_VERSION) {
		kpi_diag(KPI_LOG_ERROR, NULL, h->path, 0, 0, "the results history "
		         "has schema version %ld, written by a newer kpirun; "
		         "this kpirun knows versions up to %d", *version,
		         KPI_HISTORY_SCHEMA_VERSION);
		return KPI_ECONFIG;
	}
	if (*version < 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, h->path, 0, 0, "not a results "
		         "history: user_version %ld", *version);
		return KPI_ECONFIG;
	}
	rc = sqlite3_prepare_v2(h->db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(h, rc, "check");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		res = (const char *)sqlite3_column_text(st, 0);
		if (!res) {
			sqlite3_finalize(st);
			return KPI_ENOMEM;
		}
		if (strcmp(res, "ok") != 0) {
			kpi_diag(KPI_LOG_ERROR, NULL, h->path, 0, 0,
			         "the results history is damaged: %s", res);
			sqlite3_finalize(st);
			return KPI_ECONFIG;
		}
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(h, rc, "check");
	if (*version == 0)
		return check_new(h, version);
	return 0;
}

/* Open `path` with SQLite's flags into h->db. */
static int connect(struct kpi_history *h, int flags)
{
	int rc = sqlite3_open_v2(h->path, &h->db, flags, NULL);

	if (rc != SQLITE_OK) {
		rc = fail(h, rc, "open");
		sqlite3_close(h->db);
		h->db = NULL;
		return rc;
	}
	return configure(h);
}

int kpi_history_open(const char *path, int read_only,
                     struct kpi_history **out)
{
	struct kpi_history *h;
	struct stat sb;
	long version = 0;
	int rc;

	*out = NULL;
	h = calloc(1, sizeof *h);
	if (!h)
		return KPI_ENOMEM;
	h->path = strdup(path);
	if (!h->path) {
		free(h);
		return KPI_ENOMEM;
	}
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT) {
			*out = h;        /* created when a run is recorded */
			return 0;
		}
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "cannot open the "
		         "results history: %s", strerror(errno));
		kpi_history_close(h);
		return KPI_EIO;
	}
	if (!S_ISREG(sb.st_mode)) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "not a results "
		         "history: not a regular file");
		kpi_history_close(h);
		return KPI_ECONFIG;
	}
	rc = connect(h, read_only ? SQLITE_OPEN_READONLY
	                          : SQLITE_OPEN_READWRITE);
	if (rc == 0)
		rc = check_existing(h, &version);
	if (rc == 0 && !read_only)
		rc = upgrade(h);
	if (rc != 0) {
		kpi_history_close(h);
		return rc;
	}
	*out = h;
	return 0;
}

void kpi_history_close(struct kpi_history *h)
{
	if (!h)
		return;
	if (h->db) {
		if (h->in_tx)
			sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(h->db);
	}
	free(h->path);
	free(h);
}

/* ---- who and when a run is ----------------------------------------------- */

/* The committee: [kpirun] committee, else the Swedish title up to " – "
 * (as the report's organisation line), else the title, else "". */
static void committee_of(const struct kpi_config *cfg, const char **s,
                         int *len)
{
	const char *t = cfg->committee, *dash;

	if (t) {
		*s = t;
		*len = (int)strlen(t);
		return;
	}
	t = cfg->title_sv ? cfg->title_sv : cfg->title_en ? cfg->title_en : "";
	dash = strstr(t, " \xe2\x80\x93 ");
	*s = t;
	*len = dash ? (int)(dash - t) : (int)strlen(t);
}

/* The key of period p and its kind, written into key: a year to date is
 * T1, T2, year (T3 is the year) or YYYY-MM, as the first schema had them
 * (so Q1 and H1, the same months, are 2011-03 and 2011-06); any other
 * period is YYYY-MM..YYYY-MM (a quarter or a half after the first, a
 * range). */
static const char *period_key(char *key, size_t n, const struct kpi_period *p)
{
	if (p->from_year == p->to_year && p->from_month == 1) {
		switch (p->to_month) {
		case 4:
			snprintf(key, n, "T1");
			return "tertial";
		case 8:
			snprintf(key, n, "T2");
			return "tertial";
		case 12:
			snprintf(key, n, "year");
			return "year";
		default:
			snprintf(key, n, "%04d-%02d", p->to_year, p->to_month);
			return "month";
		}
	}
	snprintf(key, n, "%04d-%02d..%04d-%02d", p->from_year, p->from_month,
	         p->to_year, p->to_month);
	return kpi_period_kind_key(p->kind);
}

/* 64-bit FNV-1a of the config file's bytes, as 16 hex digits: which
 * config produced a row (not a security measure).  Returns 0 or KPI_EIO /
 * KPI_ENOMEM. */
static int config_hash(const char *path, char hex[17])
{
	unsigned char buf[4096];
	unsigned long long hash = 0xcbf29ce484222325ULL;
	size_t n;
	FILE *f;

	errno = 0;
	f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOMEM)
			return KPI_ENOMEM;
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "cannot read the "
		         "config again for the results history: %s",
		         strerror(errno));
		return KPI_EIO;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		for (size_t i = 0; i < n; i++) {
			hash ^= buf[i];
			hash *= 0x100000001b3ULL;
		}
	if (ferror(f)) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "cannot read the "
		         "config again for the results history");
		fclose(f);
		return KPI_EIO;
	}
	fclose(f);
	snprintf(hex, 17, "%016llx", hash);
	return 0;
}

/* ---- recording -------------------------------------------------------------- */

static const char sql_delete[] =
	"DELETE FROM run WHERE organisation = ?1 AND committee = ?2 AND "
	"year = ?3 AND period = ?4";
static const char sql_run[] =
	"INSERT INTO run (organisation, committee, year, period, config_hash,"
	" ran_at, period_kind, period_from, period_to, period_label,"
	" kpirun_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_result[] =
	"INSERT INTO result (run_id, indicator, outcome, forecast,"
	" forecast_method, target, council_target, assessment, area, unit,"
	" outcome_why, covered_from, covered_to, baseline, target_kind,"
	" target_value, target_width, council_kind, council_value,"
	" council_width, rule) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	" ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";
static const char sql_month[] =
	"INSERT INTO month (run_id, indicator, year, month, num, den)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/* Bind a double, or NULL when has is 0 or the value is not finite. */
static int bind_num(sqlite3_stmt *st, int i, int has, double v)
{
	if (!has || !isfinite(v))
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_double(st, i, v);
}

/* Bind a text (NULL stays NULL). */
static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
	         : sqlite3_bind_null(st, i);
}

/* Bind "YYYY-MM" of a year and month (NULL when year is 0). */
static int bind_ym(sqlite3_stmt *st, int i, int year, int month)
{
	char ym[16];

	if (year == 0)
		return sqlite3_bind_null(st, i);
	snprintf(ym, sizeof ym, "%04d-%02d", year, month);
	return sqlite3_bind_text(st, i, ym, -1, SQLITE_TRANSIENT);
}

/* Step an INSERT/DELETE once and reset it for the next row. */
static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Insert the run row; *run_id is its id. */
static int insert_run(struct kpi_history *h, sqlite3_stmt *st,
                      const struct kpi_config *cfg,
                      const struct kpi_report *rep, sqlite3_int64 *run_id)
{
	const char *org = cfg->organisation ? cfg->organisation : "";
	const char *com, *kind;
	char key[32], hash[17], when[32];
	time_t now = time(NULL);
	struct tm tm;
	int len, rc;

	rc = config_hash(cfg->path, hash);
	if (rc != 0)
		return rc == KPI_ENOMEM ? SQLITE_NOMEM : ROWS_PRINTED;
	if (!gmtime_r(&now, &tm) ||
	    !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(when, sizeof when, "1970-01-01T00:00:00Z");
	committee_of(cfg, &com, &len);
	kind = period_key(key, sizeof key, &cfg->period);
	rc = sqlite3_bind_text(st, 1, org, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, com, len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 3, cfg->year);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 4, key, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 5, hash, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 6, when, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 7, kind, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = bind_ym(st, 8, rep->period.from_year, rep->period.from_month);
	if (rc == SQLITE_OK)
		rc = bind_ym(st, 9, rep->period.to_year, rep->period.to_month);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 10, KPI_TEXT(rep->period.label, rep->lang));
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 11, KPI_VERSION, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = step_done(st);
	*run_id = sqlite3_last_insert_rowid(h->db);
	return rc;
}

/* Bind a target's kind, value and width at columns i, i+1, i+2. */
static int bind_target(sqlite3_stmt *st, int i,
                       const struct kpi_report_target *t)
{
	int rc = sqlite3_bind_text(st, i, t->kind_key, -1, SQLITE_STATIC);

	if (rc == SQLITE_OK)
		rc = bind_num(st, i + 1, t->has_value, t->value);
	if (rc == SQLITE_OK)
		rc = bind_num(st, i + 2, t->has_width, t->width);
	return rc;
}

/* Insert one indicator's result row and its months with data. */
static int insert_result(sqlite3_stmt *res, sqlite3_stmt *mon,
                         sqlite3_int64 run_id, int lang,
                         const struct kpi_report_indicator *ri)
{
	int rc = sqlite3_bind_int64(res, 1, run_id);

	if (rc == SQLITE_OK)
		rc = bind_text(res, 2, ri->id);
	if (rc == SQLITE_OK)
		rc = bind_num(res, 3, ri->outcome.has, ri->outcome.value);
	if (rc == SQLITE_OK)
		rc = bind_num(res, 4, ri->forecast.has, ri->forecast.value);
	if (rc == SQLITE_OK)
		rc = bind_text(res, 5, ri->forecast_method_key);
	if (rc == SQLITE_OK)
		rc = bind_text(res, 6, KPI_TEXT(ri->target.display, lang));
	if (rc == SQLITE_OK)
		rc = bind_text(res, 7, KPI_TEXT(ri->council.display, lang));
	if (rc == SQLITE_OK)
		rc = bind_text(res, 8, ri->assessment.key);
	if (rc == SQLITE_OK)
		rc = bind_text(res, 9, ri->area);
	if (rc == SQLITE_OK)
		rc = bind_text(res, 10, ri->unit_raw);
	if (rc == SQLITE_OK)
		rc = bind_text(res, 11, ri->outcome.has ? NULL : ri->why_key);
	if (rc == SQLITE_OK)
		rc = bind_ym(res, 12, ri->covered.from_year,
		             ri->covered.from_month);
	if (rc == SQLITE_OK)
		rc = bind_ym(res, 13, ri->covered.to_year, ri->covered.to_month);
	if (rc == SQLITE_OK)
		rc = bind_num(res, 14, ri->baseline.has, ri->baseline.value);
	if (rc == SQLITE_OK)
		rc = bind_target(res, 15, &ri->target);
	if (rc == SQLITE_OK)
		rc = bind_target(res, 18, &ri->council);
	if (rc == SQLITE_OK)
		rc = bind_text(res, 21, ri->rule.id);
	if (rc == SQLITE_OK)
		rc = step_done(res);
	for (size_t k = 0; k < 24 && rc == SQLITE_OK; k++) {
		const struct kpi_report_month *m = &ri->series.m[k];

		if (!m->has)
			continue;
		rc = sqlite3_bind_int64(mon, 1, run_id);
		if (rc == SQLITE_OK)
			rc = bind_text(mon, 2, ri->id);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int(mon, 3, m->year);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int(mon, 4, m->month);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_double(mon, 5, isfinite(m->num) ? m->num
			                                                  : 0);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_double(mon, 6, isfinite(m->den) ? m->den
			                                                  : 0);
		if (rc == SQLITE_OK)
			rc = step_done(mon);
	}
	return rc;
}

/* Delete the same run's rows and insert this run's (inside the open
 * transaction).  Returns an SQLite code, or ROWS_PRINTED. */
static int write_rows(struct kpi_history *h, const struct kpi_config *cfg,
                      const struct kpi_report *rep)
{
	sqlite3_stmt *del = NULL, *run = NULL, *res = NULL, *mon = NULL;
	sqlite3_int64 run_id = 0;
	const char *com;
	char key[32];
	int len, rc;

	rc = sqlite3_prepare_v2(h->db, sql_delete, -1, &del, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(h->db, sql_run, -1, &run, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(h->db, sql_result, -1, &res, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(h->db, sql_month, -1, &mon, NULL);
	committee_of(cfg, &com, &len);
	period_key(key, sizeof key, &cfg->period);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(del, 1, cfg->organisation ?
		                       cfg->organisation : "", -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(del, 2, com, len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(del, 3, cfg->year);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(del, 4, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = step_done(del);
	if (rc == SQLITE_OK)
		rc = insert_run(h, run, cfg, rep, &run_id);
	for (size_t i = 0; i < rep->n_indicators && rc == SQLITE_OK; i++)
		rc = insert_result(res, mon, run_id, rep->lang,
		                   &rep->indicators[i]);
	sqlite3_finalize(del);
	sqlite3_finalize(run);
	sqlite3_finalize(res);
	sqlite3_finalize(mon);
	return rc;
}

int kpi_history_stage(struct kpi_history *h, const struct kpi_config *cfg,
                      const struct kpi_report *rep)
{
	int rc;

	if (!h->db) {
		rc = connect(h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
		if (rc == 0)
			rc = upgrade(h);
		if (rc != 0)
			return rc;
	}
	rc = exec(h, "BEGIN IMMEDIATE", "write");
	if (rc != 0)
		return rc;
	h->in_tx = 1;
	rc = write_rows(h, cfg, rep);
	if (rc == SQLITE_NOMEM) {
		kpi_history_rollback(h);
		return KPI_ENOMEM;
	}
	if (rc == ROWS_PRINTED) {
		kpi_history_rollback(h);     /* the config: printed */
		return KPI_EIO;
	}
	if (rc != SQLITE_OK) {
		rc = fail(h, rc, "write");
		kpi_history_rollback(h);
		return rc;
	}
	return 0;
}

int kpi_history_commit(struct kpi_history *h)
{
	int rc;

	if (!h->in_tx)
		return 0;
	rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = fail(h, rc, "write");
		kpi_history_rollback(h);
		return rc;
	}
	h->in_tx = 0;
	return 0;
}

void kpi_history_rollback(struct kpi_history *h)
{
	if (!h || !h->in_tx)
		return;
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	h->in_tx = 0;
}

/* ---- reading back ------------------------------------------------------- */

static const char sql_value[] =
	"SELECT r.outcome, r.forecast FROM result r JOIN run u ON u.id = r.run_id"
	" WHERE u.organisation = ?1 AND u.committee = ?2 AND u.year = ?3 AND"
	" u.period = ?4 AND r.indicator = ?5";

/* The recorded outcome (column 0) or forecast (1) of indicator `id` in the
 * run of `year` and the period ending in `month`: *has 0 when there is
 * none. */
static int recorded(struct kpi_history *h, sqlite3_stmt *st,
                    const struct kpi_config *cfg, int year, int month,
                    const char *id, int column, int *has, double *v)
{
	const char *com;
	char key[32];
	int len, rc;

	*has = 0;
	committee_of(cfg, &com, &len);
	{
		struct kpi_period ytd = kpi_period_ytd(year, month);

		period_key(key, sizeof key, &ytd);
	}
	rc = sqlite3_bind_text(st, 1, cfg->organisation ? cfg->organisation
	                                                : "", -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, com, len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 3, year);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 4, key, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 5, id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			if (sqlite3_column_type(st, column) != SQLITE_NULL) {
				*has = 1;
				*v = sqlite3_column_double(st, column);
			}
			rc = SQLITE_DONE;
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_OK ? 0 : fail(h, rc, "read");
}

int kpi_history_apply(struct kpi_history *h, struct kpi_config *cfg)
{
	sqlite3_stmt *st;
	int rc = 0, has;
	double v;

	if (!h || !h->db)
		return 0;
	rc = sqlite3_prepare_v2(h->db, sql_value, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(h, rc, "read");
	for (size_t i = 0; i < cfg->n_indicators && rc == 0; i++) {
		struct kpi_indicator *ind = cfg->indicators[i];
		int kind = ind->target.kind;

		if (ind->has_baseline_cfg || (kind != KPI_TARGET_INCREASE &&
		                              kind != KPI_TARGET_DECREASE))
			continue;
		rc = recorded(h, st, cfg, cfg->year - 1, 12, ind->id, 0, &has,
		              &v);
		if (rc == 0 && has && isfinite(v)) {
			ind->has_baseline_cfg = 1;
			ind->baseline_cfg = v;
			ind->baseline_source = KPI_BASELINE_HISTORY;
			kpi_diag(KPI_LOG_INFO, NULL, h->path, 0, 0, "baseline of "
			         "'%s': %g, the %d year-end outcome", ind->id, v,
			         cfg->year - 1);
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* The source's forecast at the accuracy's period and its year-end
 * outcome: from this run when it is that period, else from the history.
 * Returns 0 or a KPI_E code. */
/* True if p is January..month of year. */
static int is_ytd(const struct kpi_period *p, int year, int month)
{
	return p->from_year == year && p->from_month == 1 &&
	       p->to_year == year && p->to_month == month;
}

static int accuracy_inputs(struct kpi_history *h, sqlite3_stmt *st,
                           const struct kpi_config *cfg,
                           const struct kpi_indicator *ind, int *has_f,
                           double *f, int *has_o, double *o)
{
	const struct kpi_indicator *src = kpi_config_indicator(cfg,
	                                                       ind->accuracy_of);
	int rc = 0;

	*has_f = *has_o = 0;
	if (is_ytd(&cfg->period, cfg->year, ind->accuracy_month)) {
		if (src && src->res.has_forecast) {
			*has_f = 1;
			*f = src->res.forecast;
		}
	} else if (st) {
		rc = recorded(h, st, cfg, cfg->year, ind->accuracy_month,
		              ind->accuracy_of, 1, has_f, f);
	}
	if (rc != 0)
		return rc;
	if (is_ytd(&cfg->period, cfg->year, 12)) {
		if (src && src->res.has_outcome) {
			*has_o = 1;
			*o = src->res.outcome;
		}
	} else if (st) {
		rc = recorded(h, st, cfg, cfg->year, 12, ind->accuracy_of, 0,
		              has_o, o);
	}
	return rc;
}

int kpi_history_accuracy(struct kpi_history *h, struct kpi_config *cfg)
{
	sqlite3_stmt *st = NULL;
	int rc = 0, has_f, has_o;
	double f = 0, o = 0;

	if (h && h->db) {
		rc = sqlite3_prepare_v2(h->db, sql_value, -1, &st, NULL);
		if (rc != SQLITE_OK)
			return fail(h, rc, "read");
	}
	for (size_t i = 0; i < cfg->n_indicators && rc == 0; i++) {
		struct kpi_indicator *ind = cfg->indicators[i];
		const char *why = NULL;

		if (!ind->accuracy_of)
			continue;
		rc = accuracy_inputs(h, st, cfg, ind, &has_f, &f, &has_o, &o);
		if (rc != 0)
			break;
		ind->has_value = 0;
		if (!h)
			why = "no results history";
		else if (!has_f || !isfinite(f))
			why = "no forecast of that period in the history";
		else if (!has_o || !isfinite(o))
			why = "no year-end outcome yet";
		else if (o == 0)
			why = "the year-end outcome is 0";
		else {
			memset(&ind->value, 0, sizeof ind->value);
			ind->value.size = sizeof ind->value;
			ind->value.year = cfg->year;
			ind->value.month_from = 1;
			ind->value.month_to = cfg->period.to_month;
			ind->value.has_outcome = 1;
			ind->value.outcome = 100.0 + (f - o) / fabs(o) * 100.0;
			ind->has_value = 1;
		}
		kpi_eval_indicator(ind, &cfg->period, cfg->tolerance,
		                   cfg->tolerance_rel, cfg->compare);
		if (why)
			ind->res.why = why;
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- --show ----------------------------------------------------------------- */

static const char sql_show[] =
	"SELECT u.organisation, u.committee, u.year, u.period,"
	" coalesce(u.period_from, ''), coalesce(u.period_to, ''),"
	" r.outcome, r.forecast, r.forecast_method, r.target, r.council_target,"
	" r.assessment, coalesce(r.unit, ''), u.ran_at, u.config_hash"
	" FROM result r JOIN run u ON u.id = r.run_id WHERE r.indicator = ?1"
	" ORDER BY u.organisation, u.committee, u.year, u.period_to, u.period";

/* Column i as text ("" for NULL; NULL only when memory ran out). */
static const char *col_text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	if (s || sqlite3_column_type(st, i) == SQLITE_NULL)
		return s ? s : "";
	return NULL;
}

/* A number column for people ("–" for NULL) or programs ("null"). */
static void col_num(char *buf, size_t n, sqlite3_stmt *st, int i, int json)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		snprintf(buf, n, "%s", json ? "null" : "\xe2\x80\x93");
	else if (json)
		kpi_fmt_roundtrip(buf, n, sqlite3_column_double(st, i));
	else
		snprintf(buf, n, "%.6g", sqlite3_column_double(st, i));
}

/* Text column widths of --show: year, period, from, to, outcome,
 * forecast, method, target, council target, assessment. */
static const int show_widths[] = { 4, 7, 7, 7, 12, 12, 8, 14, 14, 12 };

/* Print s made safe for a terminal, padded to `width` columns (numbers
 * right-aligned), then two spaces. */
static void show_cell(FILE *out, const char *s, int width, int right)
{
	size_t w = kpi_escape_term_width(s);
	int pad = w < (size_t)width ? width - (int)w : 0;

	if (right)
		fprintf(out, "%*s", pad, "");
	kpi_escape(out, KPI_ESC_TERM, s);
	if (!right)
		fprintf(out, "%*s", pad, "");
	fputs("  ", out);
}

static const char *const show_keys[] = {
	"organisation", "committee", "year", "period", "from", "to",
	"outcome", "forecast", "forecast_method", "target", "council_target",
	"assessment", "unit", "ran_at", "config_hash"
};

/* One row of --show. */
static int show_row(FILE *out, sqlite3_stmt *st, int json, int first)
{
	char out_s[64], fc_s[64];
	const char *t[15];

	for (int i = 0; i < 15; i++) {
		t[i] = i == 2 || i == 6 || i == 7 ? "" : col_text(st, i);
		if (!t[i])
			return KPI_ENOMEM;
	}
	col_num(out_s, sizeof out_s, st, 6, json);
	col_num(fc_s, sizeof fc_s, st, 7, json);
	if (!json) {
		const char *cells[10] = { (const char *)sqlite3_column_text(st, 2),
		                          t[3], t[4], t[5], out_s, fc_s, t[8],
		                          t[9], t[10], t[11] };

		for (int i = 0; i < 10; i++)
			show_cell(out, cells[i] ? cells[i] : "", show_widths[i],
			          i == 4 || i == 5);
		kpi_escape(out, KPI_ESC_TERM, t[0]);
		fputs(" / ", out);
		kpi_escape(out, KPI_ESC_TERM, t[1]);
		fputc('\n', out);
		return 0;
	}
	fprintf(out, "%s\n  {", first ? "" : ",");
	for (int i = 0; i < 15; i++) {
		fprintf(out, "%s\"%s\": ", i ? ", " : "", show_keys[i]);
		if (i == 2)
			fprintf(out, "%d", sqlite3_column_int(st, 2));
		else if (i == 6 || i == 7)
			fputs(i == 6 ? out_s : fc_s, out);
		else {
			fputc('"', out);
			kpi_escape(out, KPI_ESC_JSON, t[i]);
			fputc('"', out);
		}
	}
	fputc('}', out);
	return 0;
}

int kpi_history_show(const char *path, const char *id, int json, FILE *out)
{
	struct kpi_history h = { (char *)path, NULL, 0 };
	sqlite3_stmt *st = NULL;
	long version;
	size_t n = 0;
	int rc;

	if (access(path, F_OK) != 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "cannot open the "
		         "results history: %s", strerror(errno));
		return KPI_ECONFIG;
	}
	rc = connect(&h, SQLITE_OPEN_READONLY);
	if (rc == 0)
		rc = check_existing(&h, &version);
	if (rc == 0 && version < KPI_HISTORY_SCHEMA_VERSION) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "the results history "
		         "has schema version %ld: record a run in it to migrate it "
		         "to version %d", version, KPI_HISTORY_SCHEMA_VERSION);
		rc = KPI_ECONFIG;
	}
	if (rc == 0) {
		rc = sqlite3_prepare_v2(h.db, sql_show, -1, &st, NULL);
		rc = rc == SQLITE_OK ? 0 : fail(&h, rc, "read");
	}
	if (rc == 0)
		rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) == SQLITE_OK
		     ? 0 : KPI_ENOMEM;
	if (rc == 0 && json)
		fputc('[', out);
	else if (rc == 0) {
		static const char *const head[10] = {
			"year", "period", "from", "to", "outcome", "forecast",
			"method", "target", "council", "assessment"
		};

		kpi_escape(out, KPI_ESC_TERM, id);
		fputc('\n', out);
		for (int i = 0; i < 10; i++)
			show_cell(out, head[i], show_widths[i], i == 4 || i == 5);
		fputs("organisation / committee\n", out);
	}
	while (rc == 0) {
		int s = sqlite3_step(st);

		if (s == SQLITE_DONE)
			break;
		if (s != SQLITE_ROW) {
			rc = fail(&h, s, "read");
			break;
		}
		rc = show_row(out, st, json, n == 0);
		n++;
	}
	if (rc == 0 && json)
		fputs(n ? "\n]\n" : "]\n", out);
	if (rc == 0 && n == 0) {
		kpi_diag(KPI_LOG_ERROR, NULL, path, 0, 0, "no results of '%s' in "
		         "the history", id);
		rc = KPI_ENOTFOUND;
	}
	sqlite3_finalize(st);
	sqlite3_close(h.db);
	return rc;
}
