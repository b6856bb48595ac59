/*
 * run.h - one kpirun invocation: load the config, the plugins, compute,
 * evaluate, and write the report or check; returns the exit status.
 * main.c only parses the command line into struct kpi_options.
 */
#ifndef KPI_RUN_H
#define KPI_RUN_H

#include <stddef.h>

/* Exit statuses (documented in the README; never renumbered). */
enum kpi_exit {
	KPI_EXIT_OK = 0,       /* success */
	KPI_EXIT_MISSED = 1,   /* targets missed per --fail-on */
	KPI_EXIT_USAGE = 2,    /* usage or config error */
	KPI_EXIT_DATA = 3,     /* input data error */
	KPI_EXIT_PLUGIN = 4,   /* a plugin failed to load or compute */
	KPI_EXIT_OUTPUT = 5,   /* the report could not be written */
	KPI_EXIT_NOMEM = 6     /* out of memory (docs/errors.md) */
};

enum kpi_fail_on { KPI_FAIL_NEVER = 0, KPI_FAIL_NOT_MET = 1,
                   KPI_FAIL_PARTIAL = 2 };

/* One report destination of the run: "-" for standard output or a path
 * (output.h says how each kind is written), and its enum kpi_format. */
struct kpi_output_spec {
	const char *dest;
	int format;
};

struct kpi_options {
	const char *config;
	const char *period;    /* NULL: the config's */
	int lang;              /* -1: the config's */
	int check;             /* validate only, write no report */
	int fail_on;           /* enum kpi_fail_on */
	const struct kpi_output_spec *outputs;  /* at least one */
	size_t n_outputs;
	int keep_going;        /* a bad export makes only its area unknown */
	const char *history;   /* --history FILE, or NULL (history.h) */
};

/* Run kpirun with the options; returns an enum kpi_exit status. */
int kpi_run(const struct kpi_options *o);

/* --list-plugins: list every plugin in the search path (of config, which
 * may be NULL).  Returns an exit status. */
int kpi_run_list_plugins(const char *config);

#endif
