-- A results history as kpirun wrote it with schema version 1 (the first):
-- the 2010 year-end run of fin2010.ini.  history_test.sh migrate opens it
-- with this kpirun, which must migrate it to the current version and keep
-- these rows.
CREATE TABLE run (
 id INTEGER PRIMARY KEY,
 organisation TEXT NOT NULL,
 committee TEXT NOT NULL,
 year INTEGER NOT NULL,
 period TEXT NOT NULL,
 config_hash TEXT NOT NULL,
 ran_at TEXT NOT NULL,
 UNIQUE (organisation, committee, year, period));
CREATE TABLE result (
 run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
 indicator TEXT NOT NULL,
 outcome REAL,
 forecast REAL,
 forecast_method TEXT NOT NULL,
 target TEXT NOT NULL,
 council_target TEXT NOT NULL,
 assessment TEXT NOT NULL,
 PRIMARY KEY (run_id, indicator));
CREATE TABLE month (
 run_id INTEGER NOT NULL,
 indicator TEXT NOT NULL,
 year INTEGER NOT NULL,
 month INTEGER NOT NULL,
 num REAL NOT NULL,
 den REAL NOT NULL,
 PRIMARY KEY (run_id, indicator, year, month),
 FOREIGN KEY (run_id, indicator) REFERENCES result(run_id, indicator)
  ON DELETE CASCADE);
INSERT INTO run VALUES (1, 'Testkommunen', 'Testnämnden', 2010, 'year',
 '0123456789abcdef', '2011-01-20T09:00:00Z');
INSERT INTO result VALUES (1, 'fin.net_cost', 1080, 1080, 'linear',
 '1 300 mnkr', '–', 'met');
INSERT INTO result VALUES (1, 'fin.visits', 150, NULL, 'none', 'öka', '–',
 'not_assessed');
INSERT INTO month VALUES (1, 'fin.visits', 2010, 1, 75, 1);
INSERT INTO month VALUES (1, 'fin.visits', 2010, 2, 75, 1);
PRAGMA user_version = 1;
