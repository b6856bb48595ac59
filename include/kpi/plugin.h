/*
 * kpi/plugin.h - the one header a kpirun area plugin includes.
 *
 * A plugin is a shared object that exports exactly one symbol,
 * kpi_plugin_entry(), returning a const descriptor.  Everything the plugin
 * needs from kpirun (config lookup, the CSV reader, diagnostics, emitting
 * results) arrives through the struct kpi_host table passed to its
 * callbacks.  A plugin links nothing from the core.
 *
 * CONTRACT
 *
 * History.  1.0: the first ABI.  1.1: struct kpi_table.cells_en and
 * kpi_host.csv_expected appended.  1.2: the typed config services
 * kpi_host.config_number, config_integer, config_date and config_list
 * appended.  1.3: the month loop, kpi_host.config_file, csv_open_export,
 * csv_month, csv_claim_month and quote appended; the inline helpers
 * kpi_emit and kpi_word_is and the definition macros (KPI_SUM, KPI_RATIO,
 * KPI_PLUGIN, ...) added to this header.
 *
 * Compatibility.  KPI_ABI_MAJOR changes only when an existing field or
 * function changes meaning or position; then every plugin must be rebuilt.
 * KPI_ABI_MINOR grows when fields are appended to a struct (descriptor, host
 * table, measurement, value, table).  The host accepts a plugin whose major
 * equals its own and whose minor is less than or equal to its own, and
 * refuses any other with a message naming both versions.  Every struct that
 * crosses the boundary starts with a `size` member set to sizeof the struct
 * as the writer compiled it; the reader never reads past `size`, so fields
 * are only ever appended, never moved or removed.
 *
 * Lifecycle, per configured area that names the plugin:
 *   1. the host dlopen()s the .so (RTLD_NOW | RTLD_LOCAL) and calls
 *      kpi_plugin_entry() once; the descriptor must stay valid until unload;
 *   2. init(host, ctx, &state): read config (host->config_get), declare
 *      dynamic indicators (host->declare); set *state to private data;
 *   3. compute(host, ctx, state): read exports (host->csv_*), emit results
 *      (host->emit, host->emit_value, host->emit_table);
 *   4. shutdown(state): free what init allocated.  Called after a successful
 *      init even when compute failed.  Never called if init failed (init
 *      cleans up after itself).
 * One plugin may serve several areas: init/compute/shutdown are then called
 * once per area with a different ctx and state.
 *
 * Process.  No plugin code runs in kpirun itself.  Each area gets a child
 * process of its own (fork), the leader of its own process group, under a
 * deadline (the config's plugin_timeout) and resource limits
 * (plugin_memory_limit, plugin_process_limit); in it the plugin file is
 * opened after its whole path was checked, loaded from that descriptor
 * (so its constructors run there), kpi_plugin_entry() is called, the
 * descriptor is checked, and init, compute and shutdown run.  Global or
 * static state a plugin changes is not seen by other areas or by kpirun;
 * a plugin that crashes, calls exit() or hangs, in a constructor as much
 * as in compute, fails only its own area.  When the area ends its whole
 * process group is killed: a process the plugin started does not outlive
 * it.  The plugin is never dlclose()d; the child ends with _exit(), so no
 * atexit handler or destructor of the plugin runs.  What the plugin writes
 * to standard output reaches standard error, prefixed with the area's
 * name (at most 1 MiB of it per area).
 *
 * Threading.  The host calls a plugin from one thread at a time.  Host
 * services may only be called from inside init and compute, on the calling
 * thread.  A plugin must not keep `host` or `ctx` after the callback returns.
 *
 * Ownership.  Every pointer the host passes in (strings, host, ctx, CSV
 * fields) is owned by the host.  Strings returned by config_get live until
 * shutdown; CSV fields live until the next csv_next() or csv_close() on that
 * reader.  Everything a plugin passes to the host (measurements, values,
 * tables, indicator definitions) is copied before the call returns, so the
 * plugin may reuse its buffers immediately.  The descriptor and its
 * indicator array are owned by the plugin and must remain valid while the
 * plugin is loaded.
 *
 * Plain data.  Only plain data crosses the boundary (numbers, strings,
 * arrays of them); no callbacks from host to plugin other than the three
 * lifecycle ones.  That is what lets the boundary be carried over a pipe:
 * the child records each call the host accepted (declare, emit,
 * emit_value, emit_table) and kpirun replays it through the same host
 * functions (core/wire.c).  At most 256 MiB of results travel per area;
 * emits to the same indicator, group and month are summed on the way
 * while no more than a few (KPI_WIRE_PENDING) others come between, so
 * emitting a few indicators per row of an export costs little as long as
 * rows come month by month.  Every struct is read only up to the `size` it
 * declares.
 *
 * Errors.  Callbacks and services return 0 (KPI_OK) or a negative KPI_E*
 * code.  A service that fails has already printed a diagnostic naming the
 * file, line and column; the plugin only passes the code up.  A plugin that
 * detects an error itself reports it with host->log or host->csv_error.
 *
 * Build.  cc -shared -fPIC -fvisibility=hidden $(pkg-config --cflags kpi-plugin) \
 *            -Wl,-z,defs -o myarea.so myarea.c
 */
#ifndef KPI_PLUGIN_H
#define KPI_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KPI_ABI_MAJOR 1
#define KPI_ABI_MINOR 3

/* Result codes.  Never renumbered; new ones are appended. */
#define KPI_OK          0
#define KPI_ENOMEM     (-1)  /* out of memory */
#define KPI_ECONFIG    (-2)  /* bad or missing configuration */
#define KPI_EDATA      (-3)  /* bad input data */
#define KPI_EIO        (-4)  /* cannot read or write a file */
#define KPI_EPLUGIN    (-5)  /* plugin failed for a reason of its own */
#define KPI_EINVAL     (-6)  /* bad argument to a service */
#define KPI_ENOTFOUND  (-7)  /* lookup found nothing */
#define KPI_MISSING     1    /* csv_number/csv_date: field empty, allowed;
                                config_*: key absent, allowed */

/* How the core turns monthly measurements into a period value. */
enum kpi_aggregation {
	KPI_AGG_SUM = 1,       /* sum of numerators */
	KPI_AGG_RATIO = 2,     /* sum(num) / sum(den) * scale */
	KPI_AGG_LAST = 3,      /* latest month's num / den * scale (den 0 = 1) */
	KPI_AGG_ROLLING12 = 4  /* ratio over the 12 months ending with the
	                          latest month that has data */
};

/* Which way is better. */
enum kpi_direction {
	KPI_DIR_NONE = 0,
	KPI_DIR_HIGHER = 1,
	KPI_DIR_LOWER = 2
};

enum kpi_log_level {
	KPI_LOG_ERROR = 0,
	KPI_LOG_WARN = 1,
	KPI_LOG_INFO = 2,
	KPI_LOG_DEBUG = 3
};

/* One indicator a plugin computes.  `id` is local to the area: the core
 * names it "<area>.<id>". */
struct kpi_indicator_def {
	size_t size;            /* sizeof(struct kpi_indicator_def) */
	const char *id;         /* [a-z0-9_]+ */
	const char *name_sv;    /* Swedish label */
	const char *name_en;    /* English label */
	const char *unit;       /* "%", "st", "kr", "s", "kWh", ... or "" */
	int aggregation;        /* enum kpi_aggregation */
	double scale;           /* ratio multiplier, e.g. 100 for percent; 0 = 1 */
	int direction;          /* enum kpi_direction */
	int decimals;           /* default display precision */
};

/* A monthly measurement: the core aggregates these over the period. */
struct kpi_measurement {
	size_t size;            /* sizeof(struct kpi_measurement) */
	const char *indicator;  /* local id */
	int year;
	int month;              /* 1..12 */
	double num;
	double den;             /* ratio kinds; ignored for KPI_AGG_SUM */
	const char *group;      /* breakdown key (e.g. a district), or NULL for
	                           the indicator itself */
};

/* A value stated for a whole period, for exports that are not monthly
 * (budget follow-up, yearly surveys).  A value whose year is the run's
 * year - 1 is the baseline for increase/decrease targets. */
struct kpi_value {
	size_t size;            /* sizeof(struct kpi_value) */
	const char *indicator;  /* local id */
	int year;
	int month_from;         /* months the value covers, 1..12 */
	int month_to;
	int has_outcome;
	double outcome;
	int has_forecast;
	double forecast;        /* full-year forecast */
};

/* A cell of a free-form report table (budget, balance check). */
enum kpi_cell_kind {
	KPI_CELL_EMPTY = 0,
	KPI_CELL_TEXT = 1,
	KPI_CELL_NUMBER = 2
};

struct kpi_cell {
	int kind;               /* enum kpi_cell_kind */
	const char *text;       /* KPI_CELL_TEXT */
	double number;          /* KPI_CELL_NUMBER */
	int decimals;           /* KPI_CELL_NUMBER display precision */
};

/* A table the report prints after the goals.  Cells are row-major:
 * cells[r * n_columns + c].  Text is used as given in both languages unless
 * a column or title has both _sv and _en. */
struct kpi_table {
	size_t size;            /* sizeof(struct kpi_table) */
	const char *id;         /* local id, e.g. "operating_budget" */
	const char *title_sv;
	const char *title_en;
	size_t n_columns;
	const char *const *columns_sv;
	const char *const *columns_en;
	size_t n_rows;
	const struct kpi_cell *cells;
	const char *note_sv;    /* optional text under the table, or NULL */
	const char *note_en;
	/* Since ABI 1.1: the cells of the English report, same shape as
	 * `cells` (row labels in English), or NULL to use `cells`. */
	const struct kpi_cell *cells_en;
};

/* Calendar date (and time) as the CSV reader parses it.  day is 0 for a
 * month ("YYYY-MM"); hour/min/sec are 0 for a date. */
struct kpi_date {
	int year, month, day;
	int hour, min, sec;
};

/* csv_number and config_number flags (config_integer: OPTIONAL, NONNEG) */
#define KPI_NUM_OPTIONAL  0x1  /* empty field returns KPI_MISSING */
#define KPI_NUM_NONNEG    0x2  /* negative is a data error */
#define KPI_NUM_INTEGER   0x4  /* a fractional part is a data error */
/* csv_date and config_date flags (config_date: OPTIONAL, MONTH) */
#define KPI_DATE_OPTIONAL 0x1  /* empty field returns KPI_MISSING */
#define KPI_DATE_MONTH    0x2  /* accept YYYY-MM (day = 0) */
#define KPI_DATE_TIME     0x4  /* accept YYYY-MM-DD[ T]HH:MM:SS */
/* csv_month flags (since ABI 1.3) */
#define KPI_MONTH_UNIQUE  0x1  /* a month an earlier row had is an error */

/* The size of the buffer host->quote writes (since ABI 1.3): at most 40
 * characters quoted, an escaped one taking up to 4 bytes. */
#define KPI_QUOTE_SIZE (4 * 40 + 8)

struct kpi_ctx;   /* the host's per-area context, opaque */
struct kpi_csv;   /* an open CSV reader, opaque */

/* The services the host offers.  Call only the functions that exist in the
 * table you were given: a function appended in a later minor is present only
 * if `size` covers it (use KPI_HOST_HAS). */
struct kpi_host {
	size_t size;            /* sizeof(struct kpi_host) as the host built it */
	unsigned abi_major;
	unsigned abi_minor;

	/* The run: year and last month of the period (e.g. 2011 and 8 for T2).
	 * Not a filter: emit every row of every year an export holds; the
	 * host keeps the months the run aggregates and drops the others
	 * (accepted, counted per file, reported by -v).  Use the run's year
	 * only where it gives data a meaning (the run's columns of a budget,
	 * the cases open at the end of each month of the run's year). */
	int (*run_year)(struct kpi_ctx *ctx);
	int (*run_month)(struct kpi_ctx *ctx);
	/* The configured area name ("payroll"); owned by the host. */
	const char *(*area)(struct kpi_ctx *ctx);

	/* Value of `key` in this area's config section, or NULL if absent
	 * (typed values: config_number and the others below, since 1.2).
	 * Keys must be listed in the descriptor's config_keys.  A key named
	 * "stated.<figure>" is a figure a report of one period stated: its
	 * "@ PERIOD" suffix is cut off, and in a run of another period it
	 * reads as absent (docs/config.md, "Figures written for a period"). */
	const char *(*config_get)(struct kpi_ctx *ctx, const char *key);
	/* Report a config error about `key` of this area, naming its file:line.
	 * Returns KPI_ECONFIG. */
	int (*config_error)(struct kpi_ctx *ctx, const char *key,
	                    const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
	/* Log a message prefixed with the plugin's name. */
	void (*log)(struct kpi_ctx *ctx, int level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

	/* Declare an indicator at init time (in addition to the descriptor's). */
	int (*declare)(struct kpi_ctx *ctx, const struct kpi_indicator_def *def);
	/* Emit results (compute only).  All data is copied.  A result outside
	 * the months the run aggregates is accepted (KPI_OK) and dropped; a
	 * value is kept when any of its months is inside. */
	int (*emit)(struct kpi_ctx *ctx, const struct kpi_measurement *m);
	int (*emit_value)(struct kpi_ctx *ctx, const struct kpi_value *v);
	int (*emit_table)(struct kpi_ctx *ctx, const struct kpi_table *t);

	/* CSV reader (the rules of docs/inputs.md).  `path` is relative to
	 * the run's data directory.  It must lie inside it (no absolute path, no ".." or
	 * symbolic link out of it) unless the config allows exports outside
	 * data_dir; a path refused is reported at the config key that names
	 * it and returns KPI_ECONFIG.  Opening reads the header. */
	int (*csv_open)(struct kpi_ctx *ctx, const char *path,
	                struct kpi_csv **out);
	/* Index of a column by name (case-insensitive).  If required and
	 * missing, reports "file:1: missing required column 'name'" and
	 * returns KPI_EDATA; if optional and missing returns KPI_ENOTFOUND. */
	int (*csv_column)(struct kpi_csv *csv, const char *name, int required);
	/* Advance: 1 = a row is ready, 0 = end of file, < 0 = error (reported). */
	int (*csv_next)(struct kpi_csv *csv);
	/* Field of the current row, NUL-terminated, length in *len if not
	 * NULL.  Valid until the next csv_next/csv_close. */
	const char *(*csv_field)(struct kpi_csv *csv, int col, size_t *len);
	/* Parse a number (Swedish forms accepted) / a date from a field.
	 * Errors are reported as file:line:col with the field quoted. */
	int (*csv_number)(struct kpi_csv *csv, int col, int flags, double *out);
	int (*csv_date)(struct kpi_csv *csv, int col, int flags,
	                struct kpi_date *out);
	/* Report a data error at the current row and column (col < 0: line
	 * only).  Returns KPI_EDATA. */
	int (*csv_error)(struct kpi_csv *csv, int col, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
	/* Current physical line number (1 = header). */
	long (*csv_line)(struct kpi_csv *csv);
	/* Close the reader and free it. */
	void (*csv_close)(struct kpi_csv *csv);

	/* Since ABI 1.1.  Report "<message>, found '<field>'" at the current
	 * row's column col, the field quoted (shortened, control characters
	 * escaped) as the reader's own messages quote it; e.g.
	 * csv_expected(csv, col, "expected at most %s (%.0f)", "cases", n).
	 * Returns KPI_EDATA. */
	int (*csv_expected)(struct kpi_csv *csv, int col, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

	/* Since ABI 1.2: typed config values of this area's section, read
	 * with the CSV reader's rules (docs/inputs.md).  An absent key
	 * returns KPI_MISSING if the flags say *_OPTIONAL, else is reported
	 * as "missing required key"; a bad value is reported at the key's
	 * file:line ("conf/x.ini:12: [area budget] fund_in: expected a
	 * number, found 'x'").  Both return KPI_ECONFIG; *out is only
	 * written on success.
	 * config_number: a number in the Swedish or English form ("5,5",
	 * "1 290 191", "0.5", "-2,0"), flags KPI_NUM_*.  A value such as
	 * "1,234" whose mark could be either is refused. */
	int (*config_number)(struct kpi_ctx *ctx, const char *key, int flags,
	                     double *out);
	/* config_integer: a whole number ("12", "1 290 191"), flags
	 * KPI_NUM_OPTIONAL and KPI_NUM_NONNEG. */
	int (*config_integer)(struct kpi_ctx *ctx, const char *key, int flags,
	                      long *out);
	/* config_date: YYYY-MM-DD, or YYYY-MM (day 0) with KPI_DATE_MONTH;
	 * flags KPI_DATE_OPTIONAL and KPI_DATE_MONTH. */
	int (*config_date)(struct kpi_ctx *ctx, const char *key, int flags,
	                   struct kpi_date *out);
	/* config_list: a comma-separated list ("a, b, c") into *n items,
	 * each trimmed of spaces and tabs; an empty item (",," or a value of
	 * nothing) is an error.  The array and its strings are owned by the
	 * host until shutdown.  An absent key returns KPI_MISSING with *n 0
	 * and *items NULL.  KPI_ENOMEM is not reported. */
	int (*config_list)(struct kpi_ctx *ctx, const char *key, size_t *n,
	                   const char *const **items);

	/* Since ABI 1.3: the month loop.  A plugin reading a monthly export
	 * writes it as (docs/plugins.md, "The smallest plugin"):
	 *   init:    config_file(ctx, "file", "x.csv", &file)
	 *   compute: csv_open_export(ctx, file, names, n, cols, &csv)
	 *            while csv_next(csv) == 1:
	 *                csv_month(csv, cols[0], KPI_MONTH_UNIQUE, &y, &m),
	 *                csv_number(...), emit(...)
	 *            csv_close(csv)
	 * emitting every month of every year the export holds.
	 *
	 * config_file: the export the area's `key` names, into *path (owned
	 * by the host until shutdown): `fallback` when the key is absent (a
	 * NULL fallback makes it required: "missing required key"), an empty
	 * value reported as "expected a file name, found ''".  Returns 0,
	 * KPI_ECONFIG (reported) or KPI_EINVAL (a NULL key or path, not
	 * reported); *path is only written on success. */
	int (*config_file)(struct kpi_ctx *ctx, const char *key,
	                   const char *fallback, const char **path);
	/* csv_open_export: csv_open(ctx, path), then the index of each
	 * required column names[0..n) into cols[0..n).  Every missing column
	 * is reported ("file:1: missing required column 'name'"), so the
	 * user sees all of them at once.  On success *out is the open reader
	 * (close it with csv_close); on error nothing is left open, *out is
	 * NULL and the first code is returned (reported). */
	int (*csv_open_export)(struct kpi_ctx *ctx, const char *path,
	                       const char *const *names, int n, int *cols,
	                       struct kpi_csv **out);
	/* csv_month: column col of the current row as a month YYYY-MM, of
	 * any year, into *year and *month (1..12).  With KPI_MONTH_UNIQUE a
	 * month that an earlier row of this reader claimed the same way is
	 * reported as "duplicate month 'YYYY-MM' (first at line N)" at the
	 * field; the months are kept by the reader (as csv_claim_month's
	 * group 0) and freed by csv_close.  Returns 0 or a negative code
	 * (reported, except KPI_ENOMEM). */
	int (*csv_month)(struct kpi_csv *csv, int col, int flags, int *year,
	                 int *month);
	/* csv_claim_month: claim month `month` (1..12) of `year` for `group`
	 * (>= 0, e.g. the index of an indicator) for the current row of csv.
	 * Returns 0 if no earlier row of this reader claimed it, else the
	 * line of the row that did (> 0), for the plugin's own message;
	 * KPI_EINVAL for a bad argument, KPI_ENOMEM (neither reported).
	 * Kept by the reader until csv_close: memory grows with the months
	 * and groups seen, not with the rows. */
	long (*csv_claim_month)(struct kpi_csv *csv, int group, int year,
	                        int month);
	/* quote: s[0..len) written into out (KPI_QUOTE_SIZE bytes, the
	 * caller's) as the host quotes a field in its own messages: control
	 * characters escaped (\n, \r, \t, others '?'), a value longer than
	 * 40 characters cut to 37 and "...".  For what csv_expected cannot
	 * quote: part of a field, a config value.  Returns out. */
	const char *(*quote)(const char *s, size_t len, char *out);
};

/* True if the host table `h` has member `m` (appended in some minor). */
#define KPI_HOST_HAS(h, m) \
	((h)->size >= offsetof(struct kpi_host, m) + sizeof((h)->m) && (h)->m)

/* The plugin descriptor. */
struct kpi_plugin {
	size_t size;            /* sizeof(struct kpi_plugin) */
	unsigned abi_major;     /* KPI_ABI_MAJOR the plugin was built with */
	unsigned abi_minor;     /* KPI_ABI_MINOR the plugin was built with */
	const char *name;       /* mandatory, equals the .so's base name */
	const char *version;    /* mandatory, e.g. "1.0.0" */
	const char *license;    /* mandatory, SPDX id */
	const char *description;

	/* Static indicators.  The host steps through the array by
	 * indicators[0].size, so the array stays readable when
	 * kpi_indicator_def grows in a later minor. */
	const struct kpi_indicator_def *indicators;
	size_t n_indicators;
	/* NULL-terminated list of keys the plugin reads from its area section
	 * (besides "plugin").  A trailing '*' matches any suffix; a leading
	 * "*." matches any "<word>." prefix.  The core rejects other keys. */
	const char *const *config_keys;

	int (*init)(const struct kpi_host *host, struct kpi_ctx *ctx,
	            void **state);
	int (*compute)(const struct kpi_host *host, struct kpi_ctx *ctx,
	               void *state);
	void (*shutdown)(void *state);
};

#define KPI_PLUGIN_ENTRY_SYMBOL "kpi_plugin_entry"

#if defined(__GNUC__)
#define KPI_EXPORT __attribute__((visibility("default")))
#else
#define KPI_EXPORT
#endif

/* The one symbol a plugin exports. */
KPI_EXPORT const struct kpi_plugin *kpi_plugin_entry(void);

/* Fill the ABI fields of a descriptor:
 *   static const struct kpi_plugin desc = { KPI_PLUGIN_HEADER, .name = ... }; */
#define KPI_PLUGIN_HEADER \
	.size = sizeof(struct kpi_plugin), \
	.abi_major = KPI_ABI_MAJOR, .abi_minor = KPI_ABI_MINOR

/*
 * Since ABI 1.3: definitions without the boilerplate.  Every macro is a
 * designated initialiser, so a field it does not set can be given too.
 *
 *   static const struct kpi_indicator_def my_indicators[] = {
 *       KPI_SUM("visits", "Besök", "Visits", "st", KPI_DIR_HIGHER, 0),
 *       KPI_RATIO("answered", "Andel besvarade", "Share answered", "%",
 *                 100, KPI_DIR_HIGHER, 1),
 *       KPI_INDICATOR(.id = "talk", ..., .aggregation = KPI_AGG_LAST),
 *   };
 *   KPI_PLUGIN(my_indicators, .name = "myarea", .version = "1.0.0",
 *              .license = "MIT", .config_keys = my_keys,
 *              .init = my_init, .compute = my_compute);
 */

/* An indicator definition of the fields given (size set). */
#define KPI_INDICATOR(...) \
	{ .size = sizeof(struct kpi_indicator_def), __VA_ARGS__ }

/* A KPI_AGG_SUM indicator: the sum of the months' numerators. */
#define KPI_SUM(id_, sv_, en_, unit_, dir_, decimals_) \
	KPI_INDICATOR(.id = (id_), .name_sv = (sv_), .name_en = (en_), \
	              .unit = (unit_), .aggregation = KPI_AGG_SUM, \
	              .direction = (dir_), .decimals = (decimals_))

/* A KPI_AGG_RATIO indicator: sum(num) / sum(den) * scale. */
#define KPI_RATIO(id_, sv_, en_, unit_, scale_, dir_, decimals_) \
	KPI_INDICATOR(.id = (id_), .name_sv = (sv_), .name_en = (en_), \
	              .unit = (unit_), .aggregation = KPI_AGG_RATIO, \
	              .scale = (scale_), .direction = (dir_), \
	              .decimals = (decimals_))

/* A KPI_AGG_LAST indicator: the latest month's num / den * scale. */
#define KPI_LAST(id_, sv_, en_, unit_, scale_, dir_, decimals_) \
	KPI_INDICATOR(.id = (id_), .name_sv = (sv_), .name_en = (en_), \
	              .unit = (unit_), .aggregation = KPI_AGG_LAST, \
	              .scale = (scale_), .direction = (dir_), \
	              .decimals = (decimals_))

/* A KPI_AGG_ROLLING12 indicator: the ratio over twelve months. */
#define KPI_ROLLING12(id_, sv_, en_, unit_, scale_, dir_, decimals_) \
	KPI_INDICATOR(.id = (id_), .name_sv = (sv_), .name_en = (en_), \
	              .unit = (unit_), .aggregation = KPI_AGG_ROLLING12, \
	              .scale = (scale_), .direction = (dir_), \
	              .decimals = (decimals_))

/* The number of elements of array a. */
#define KPI_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The descriptor of the fields given (KPI_PLUGIN_HEADER set) and the
 * kpi_plugin_entry() returning it; for a plugin whose indicators are all
 * declared at init (no .indicators). */
#define KPI_PLUGIN_DEFINE(...) \
	static const struct kpi_plugin kpi_plugin_descriptor_ = { \
		KPI_PLUGIN_HEADER, __VA_ARGS__ \
	}; \
	KPI_EXPORT const struct kpi_plugin *kpi_plugin_entry(void) \
	{ \
		return &kpi_plugin_descriptor_; \
	}

/* KPI_PLUGIN_DEFINE with the static indicators of the array `inds`. */
#define KPI_PLUGIN(inds, ...) \
	KPI_PLUGIN_DEFINE(.indicators = (inds), \
	                  .n_indicators = KPI_COUNT(inds), __VA_ARGS__)

/* Since ABI 1.3: small helpers, inline here so they link nothing. */

/* Emit num/den of local indicator `id` for month `month` (1..12) of
 * `year`, for `group` (NULL: the indicator itself).  Returns emit's code. */
static inline int kpi_emit(const struct kpi_host *host, struct kpi_ctx *ctx,
                           const char *id, int year, int month, double num,
                           double den, const char *group)
{
	struct kpi_measurement m = {
		sizeof m, id, year, month, num, den, group
	};

	return host->emit(ctx, &m);
}

/* True if s[0..len) equals the lowercase ASCII word w, ignoring the ASCII
 * case of s. */
static inline int kpi_word_is(const char *s, size_t len, const char *w)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (w[i] == '\0' || c != (unsigned char)w[i])
			return 0;
	}
	return w[len] == '\0';
}

#ifdef __cplusplus
}
#endif
#endif /* KPI_PLUGIN_H */
