/*
 * limit.h - every fixed limit of the core, in one place, with the reason
 * for its value.  Reaching one is always reported (an error naming
 * file:line where there is one), never a silent cut or drop; docs/config.md
 * ("Limits") lists them for users, the plugins' own limits beside them.
 */
#ifndef KPI_LIMIT_H
#define KPI_LIMIT_H

/* ---- the config file (core/ini.c) ---- */

/* Bytes of a config file.  Real configs are a few tens of KiB. */
#define KPI_MAX_CONFIG_BYTES (1024L * 1024L)
/* Bytes of a config line, continuation lines joined: iniparser 4.1 reads
 * lines with fgets into 1024 bytes, which must also hold '\n' and NUL. */
#define KPI_MAX_CONFIG_LINE 1022
/* Bytes of "section:key": iniparser_getstring lowercases it into a
 * 1025-byte buffer and silently cuts longer names. */
#define KPI_MAX_CONFIG_NAME 1024
/* Sections plus keys: iniparser 4.1 searches its dictionary linearly, so
 * loading n entries takes O(n^2) time.  Real configs have a few hundred. */
#define KPI_MAX_CONFIG_ENTRIES 10000
/* Config problems printed; the rest are counted in a last line. */
#define KPI_MAX_CONFIG_ERRORS 100

/* ---- names in the goal registry (core/config.c) ---- */

/* Bytes of an area's name (also the first part of its indicators' ids). */
#define KPI_MAX_NAME 127
/* Bytes of an indicator's full id, "area.name". */
#define KPI_MAX_ID 255
/* Bytes of an indicator's unit ("kWh/kvm"), from the config or a plugin. */
#define KPI_MAX_UNIT 64
/* Levels of goals under a directional goal (parent chains). */
#define KPI_MAX_GOAL_DEPTH 64
/* Sub-periods an indicator shows (`subperiods = 1-4, 5-8`). */
#define KPI_MAX_SUBPERIODS 6
/* Months of a period (`period = 2010-01..2011-12`): two years, what a
 * follow-up compares at most; the month window (core/window.c) and so
 * every series is sized from it. */
#define KPI_MAX_PERIOD_MONTHS 24
/* Months of the run's window: the longest period and the 23 months before
 * it that last year's rolling-12 comparison reads (core/window.h). */
#define KPI_WINDOW_MONTHS (KPI_MAX_PERIOD_MONTHS + 23)
/* Decimals an indicator is shown with. */
#define KPI_MAX_DECIMALS 6

/* ---- what plugins hand over (core/host.c) ---- */

/* Columns of a table a plugin emits. */
#define KPI_MAX_TABLE_COLUMNS 64
/* Bytes of a text cell of a plugin's table. */
#define KPI_MAX_CELL_TEXT 1022

/* ---- the report (core/report.c) ---- */

/* Bytes of the longest number the formatter writes, NUL included: 309
 * integer digits and a carry, 103 group separators, sign, decimal mark,
 * 15 decimals. */
#define KPI_MAX_NUMBER_TEXT 512
/* Bytes of one formatted cell: any config value (a line), a number of up
 * to 309 digits with its groups, decimals and unit, or a range target
 * ("a +/- b unit"), and the NUL. */
#define KPI_MAX_CELL 4096

/* ---- exports (core/csv.c, core/num.c) ---- */

/* Default caps of a CSV field and record (struct kpi_csv_limits). */
#define KPI_MAX_CSV_FIELD ((size_t)64 << 10)
#define KPI_MAX_CSV_RECORD ((size_t)1 << 20)
/* Digits (integer plus fraction, leading zeros included) of a number:
 * every number the report's formatter writes parses back (a double's 309
 * integer digits, one more for a carry in rounding, and up to 15
 * decimals: core/fmt.c checks this at compile time). */
#define KPI_MAX_NUMBER_DIGITS 325

#endif
