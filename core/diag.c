/*
 * diag.c - diagnostics: one formatter for every error, warning and note,
 * so that each names its plugin and file:line:col the same way.
 */
#include "diag.h"

#include <stdio.h>
#include <string.h>

static FILE *diag_stream;
static int diag_verbosity = KPI_LOG_WARN;
static unsigned diag_error_count;
/* The first error since start or the last reset, as printed but without
 * the "who: " prefix; "" for none.  A failed area's child sends it as the
 * area's reason (sandbox.c), so the report names the real cause. */
static char diag_first_error[KPI_DIAG_FIRST_ERROR_MAX];
static int diag_nomem_said;

void kpi_diag_set_stream(FILE *f)
{
	diag_stream = f;
}

void kpi_diag_set_verbosity(int level)
{
	diag_verbosity = level;
}

unsigned kpi_diag_errors(void)
{
	return diag_error_count;
}

void kpi_diag_reset(void)
{
	diag_error_count = 0;
	diag_first_error[0] = '\0';
	diag_nomem_said = 0;
}

/* See diag.h.  The message is fixed text: formatting it cannot allocate,
 * and it names no file because the failure is the process's, not the
 * input's. */
int kpi_diag_nomem(void)
{
	kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
	return KPI_ENOMEM;
}

const char *kpi_diag_first_error(void)
{
	return diag_first_error[0] ? diag_first_error : NULL;
}

/* Remember an error as "file:line:col: message" (what follows "who: "). */
static void remember_first(const char *file, long line, long col,
                           const char *fmt, va_list ap)
{
	size_t n = sizeof diag_first_error;
	int k = 0;

	if (file && line > 0 && col > 0)
		k = snprintf(diag_first_error, n, "%s:%ld:%ld: ", file, line, col);
	else if (file && line > 0)
		k = snprintf(diag_first_error, n, "%s:%ld: ", file, line);
	else if (file)
		k = snprintf(diag_first_error, n, "%s: ", file);
	if (k < 0 || (size_t)k >= n)
		k = 0;
	vsnprintf(diag_first_error + k, n - (size_t)k, fmt, ap);
	if (!diag_first_error[0])
		snprintf(diag_first_error, n, "%s", "error");
}

void kpi_diagv(int level, const char *who, const char *file, long line,
               long col, const char *fmt, va_list ap)
{
	FILE *out = diag_stream ? diag_stream : stderr;

	/* "out of memory" is said once per process, whoever says it (modules
	 * that print it themselves count as kpi_diag_nomem) */
	if (level == KPI_LOG_ERROR && !who && !file &&
	    strcmp(fmt, "out of memory") == 0) {
		if (diag_nomem_said)
			return;
		diag_nomem_said = 1;
	}
	if (level == KPI_LOG_ERROR) {
		if (!diag_first_error[0]) {
			va_list copy;

			va_copy(copy, ap);
			remember_first(file, line, col, fmt, copy);
			va_end(copy);
		}
		diag_error_count++;
	}
	if (level > diag_verbosity)
		return;
	if (who)
		fprintf(out, "%s: ", who);
	else if (!file)
		fputs("kpirun: ", out);
	if (file) {
		fputs(file, out);
		if (line > 0)
			fprintf(out, ":%ld", line);
		if (line > 0 && col > 0)
			fprintf(out, ":%ld", col);
		fputs(": ", out);
	}
	if (level == KPI_LOG_WARN)
		fputs("warning: ", out);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	fflush(out);
}

void kpi_diag(int level, const char *who, const char *file, long line,
              long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kpi_diagv(level, who, file, line, col, fmt, ap);
	va_end(ap);
}
