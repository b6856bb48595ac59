/*
 * diag.h - the one place kpirun prints diagnostics.
 *
 * Every message goes through kpi_diag(): it prefixes the plugin's name and
 * "file:line:col:" so a user can jump to the cause.  Format, git-style:
 *   [plugin: ]file:line[:col]: [warning: ]message
 * Messages are lowercase and end without a full stop.
 */
#ifndef KPI_DIAG_H
#define KPI_DIAG_H

#include <stdarg.h>
#include <stdio.h>

#include "kpi/plugin.h"

/* Print a diagnostic.  who: plugin/area name or NULL; file: NULL for none;
 * line/col: 0 to omit.  level: enum kpi_log_level.  Messages above the
 * current verbosity are dropped. */
void kpi_diag(int level, const char *who, const char *file, long line,
              long col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void kpi_diagv(int level, const char *who, const char *file, long line,
               long col, const char *fmt, va_list ap);

/* The out-of-memory policy (docs/errors.md): every allocation failure is
 * passed up as KPI_ENOMEM, and this prints "kpirun: out of memory" the
 * first time it is called in the process, never again (an error path that
 * meets a second failure does not repeat it).  A plain kpi_diag error
 * "out of memory" without plugin or file counts as the same message.
 * Allocates nothing.  Returns KPI_ENOMEM. */
int kpi_diag_nomem(void);

/* Redirect diagnostics (tests); NULL restores stderr. */
void kpi_diag_set_stream(FILE *f);
/* Highest level printed (default KPI_LOG_WARN; KPI_LOG_INFO with -v). */
void kpi_diag_set_verbosity(int level);
/* Number of KPI_LOG_ERROR messages printed since start or the last reset. */
unsigned kpi_diag_errors(void);
/* Also forgets the first error and the out-of-memory message (tests). */
void kpi_diag_reset(void);

/* Longest first error kept (bytes with the NUL); a longer one is cut. */
#define KPI_DIAG_FIRST_ERROR_MAX 512

/* The first KPI_LOG_ERROR message since start or the last reset, printed
 * or not, as "file:line[:col]: message" (or "message" when it names no
 * file), without the plugin's name; NULL when there was none.  Static
 * storage, valid until the next reset. */
const char *kpi_diag_first_error(void);

#endif
