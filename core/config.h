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
#include <stdio.h>

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

/* What a period-bound figure of the config is (docs/config.md, "Figures
 * written for a period"). */
enum kpi_bound_kind {
	KPI_BOUND_FORECAST = 0,     /* [indicator ...] forecast = NUMBER */
	KPI_BOUND_STATED = 1,       /* [indicator ...] stated */
	KPI_BOUND_GOAL_STATED = 2,  /* [goal ...] stated */
	KPI_BOUND_AREA_STATED = 3   /* [area ...] stated.<figure> (a plugin's) */
};

/* A figure written for one period: `forecast = 870 @ T2`, `stated = met @
 * 2011-T2`; without '@' the config's own year and period as the file
 * writes them.  A run of another period sets it aside
 * (kpi_config_apply_periods). */
struct kpi_bound {
	int kind;                /* enum kpi_bound_kind */
	struct kpi_indicator *ind;   /* FORECAST, STATED */
	struct kpi_goal *goal;       /* GOAL_STATED */
	const char *section;     /* lowercase, owned by cfg->ini */
	const char *key;         /* lowercase, static or owned by cfg->ini */
	long line;
	struct kpi_period period;    /* the months it was written for */
	int with_at;             /* the period was written ('@') */
	int used;                /* set by kpi_config_apply_periods */
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
	char *organisation;      /* [kpirun] organisation, or NULL */
	char *committee;         /* [kpirun] committee, or NULL */
	double tolerance;
	int tolerance_rel;
	int plugin_timeout;      /* seconds a plugin may run */
	long plugin_memory_mb;   /* an area's address space, MiB; 0 = none */
	long plugin_processes;   /* RLIMIT_NPROC of an area's child; 0 = none */
	long plugin_jobs;        /* areas' children at once; 0 = online CPUs */
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

	/* Period-bound figures in file order. */
	struct kpi_bound *figures;
	size_t n_figures;
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

/* True if a figure written for `year` and last month `month` belongs to
 * the run's period (cfg->year, cfg->period_month): the one place where a
 * written period is compared with the run's. */
int kpi_config_same_period(const struct kpi_config *cfg,
                           const struct kpi_period *p);

/* "T2 2011", "year 2011", "2011-05": the period ending with `month` of
 * `year`, as messages name it, into buf (always terminated). */
void kpi_config_period_name(char *buf, size_t n, const struct kpi_period *p);

/* Call once the run's period is final (after --period).  Every figure
 * written for another period is set aside: the indicator has no manual
 * forecast or stated assessment, the goal no stated assessment, the
 * area's stated.<figure> key reads as absent to its plugin.  Without
 * `list`, each one set aside is a warning naming file:line; with `list`
 * (--check), every figure is listed there instead, with its period and
 * whether this run uses it.  Returns 0, or KPI_EIO if list could not be
 * written (nothing printed). */
int kpi_config_apply_periods(struct kpi_config *cfg, FILE *list);

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
