/*
 * config.h - the year's config turned into the goal registry (model.h).
 *
 * kpi_config_load reads [kpirun], [area NAME], [goal ID], [activity ID]
 * and [indicator AREA.NAME] sections, checks every key and value, and
 * fills the goal registry (registry.h) with goals, activities and
 * indicators.  Plugins declare their indicators into the registry later
 * (kpi_config_declare).
 */
#ifndef KPI_CONFIG_H
#define KPI_CONFIG_H

#include <stddef.h>

#include "hash.h"
#include "ini.h"
#include "model.h"
#include "period.h"
#include "registry.h"

/* Defaults of an area's resource limits (docs/config.md). */
#define KPI_DEFAULT_PLUGIN_MEMORY_MB 4096
#define KPI_DEFAULT_PLUGIN_PROCESSES 256

struct kpi_area {
	char *name;              /* "payroll" */
	char *plugin;            /* "payroll" */
	char *section;           /* "area payroll" (lowercase) */
	long line;
	int decimal_mark;        /* enum kpi_csv_decimal of its exports: the
	                            area's decimal_mark, else the run's */
};

struct kpi_config {
	struct kpi_ini *ini;
	char *path;              /* as given */
	char *dir;               /* directory of the config file */
	int year;                /* the period's end year */
	struct kpi_period period;  /* the report's months (period.h): ends
	                              in `year`; its last month is what
	                              plugins' run_month() gives */
	int compare;             /* enum kpi_compare: [kpirun] compare */
	int lang;                /* enum kpi_lang */
	char *data_dir;          /* absolute or relative to cwd */
	char *plugin_dir;        /* NULL if not configured */
	int exports_anywhere;    /* allow_exports_outside_data_dir = yes */
	char *title_sv;
	char *title_en;
	double tolerance;
	int tolerance_rel;
	int plugin_timeout;      /* seconds a plugin may run */
	long plugin_memory_mb;   /* an area's address space, MiB; 0 = none */
	long plugin_processes;   /* RLIMIT_NPROC of an area's child; 0 = none */
	int decimal_mark;        /* enum kpi_csv_decimal: [kpirun] decimal_mark */

	struct kpi_area *areas;
	size_t n_areas;

	/* The goal registry: created, linked and freed only through
	 * registry.h. */
	struct kpi_goal **goals;     /* all goals, file order */
	size_t n_goals;
	struct kpi_indicator **indicators;
	size_t n_indicators;
	struct kpi_hash indicator_index;   /* id -> position in indicators */
	struct kpi_activity **activities;
	size_t n_activities;
	struct kpi_area_table *tables;
	size_t n_tables;
};

/* Load and check `path`.  On success *out is owned by the caller
 * (kpi_config_free).  Returns 0, KPI_ECONFIG (every problem printed as
 * file:line: ...) or KPI_ENOMEM (nothing printed: the caller says it,
 * kpi_diag_nomem). */
int kpi_config_load(const char *path, struct kpi_config **out);
void kpi_config_free(struct kpi_config *cfg);

/* Parse a `compare` value (same_period, previous_year) into an enum
 * kpi_compare.  Returns 0 or KPI_ECONFIG (nothing printed). */
int kpi_config_parse_compare(const char *s, int *compare);

/* Check the keys of [area NAME] against the core's (plugin,
 * decimal_mark) and the descriptor's config_keys.  Returns 0, KPI_ECONFIG
 * or KPI_ENOMEM. */
int kpi_config_check_area_keys(const struct kpi_config *cfg,
                               const struct kpi_area *area,
                               const char *const *config_keys);

/* --check rules on targets: no committee target less ambitious than the
 * council's numeric target in the same direction.  Returns 0 or
 * KPI_ECONFIG. */
int kpi_config_check_targets(const struct kpi_config *cfg);

#endif
