/*
 * test_diag.c - the diagnostics module (core/diag.c): the message format,
 * and "out of memory" said once per process (docs/errors.md).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static char *buf;
static size_t len;
static FILE *mem;

static void start(void)
{
	mem = open_memstream(&buf, &len);
	cr_assert_not_null(mem);
	kpi_diag_set_stream(mem);
	kpi_diag_reset();
}

/* Everything printed since start(); the caller frees. */
static char *printed(void)
{
	kpi_diag_set_stream(NULL);
	cr_assert_eq(fclose(mem), 0);
	return buf;
}

Test(diag, format_names_plugin_file_line_and_column)
{
	char *out;

	start();
	kpi_diag(KPI_LOG_ERROR, "site", "data.csv", 3, 18, "expected a %s",
	         "number");
	kpi_diag(KPI_LOG_WARN, NULL, "c.ini", 7, 0, "unused");
	kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "plain");
	out = printed();
	cr_assert_str_eq(out, "site: data.csv:3:18: expected a number\n"
	                      "c.ini:7: warning: unused\n"
	                      "kpirun: plain\n");
	cr_assert_eq(kpi_diag_errors(), 2);
	free(out);
}

Test(diag, out_of_memory_is_said_once)
{
	char *out;

	start();
	cr_assert_eq(kpi_diag_nomem(), KPI_ENOMEM);
	cr_assert_eq(kpi_diag_nomem(), KPI_ENOMEM);
	/* a module printing the same words itself counts as saying it */
	kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
	/* with a file or a plugin it is another message */
	kpi_diag(KPI_LOG_ERROR, "site", "data.csv", 0, 0, "out of memory");
	out = printed();
	cr_assert_str_eq(out, "kpirun: out of memory\n"
	                      "site: data.csv: out of memory\n");
	free(out);

	start();                        /* kpi_diag_reset starts afresh */
	kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
	kpi_diag_nomem();
	out = printed();
	cr_assert_str_eq(out, "kpirun: out of memory\n");
	free(out);
}
