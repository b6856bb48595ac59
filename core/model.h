/*
 * model.h - the goal registry and the run's data, shared by config (which
 * builds it), host (which fills in measurements), eval (which computes
 * results) and report (which prints them).
 *
 * Everything here is owned by struct kpi_config and freed by
 * kpi_config_free(); strings are heap copies.
 */
#ifndef KPI_MODEL_H
#define KPI_MODEL_H

#include <stddef.h>

#include "hash.h"
#include "kpi/plugin.h"
#include "limit.h"

enum kpi_lang { KPI_LANG_SV = 0, KPI_LANG_EN = 1 };

enum kpi_assessment {
	KPI_ASSESS_NONE = 0,     /* not assessed */
	KPI_ASSESS_MET = 1,
	KPI_ASSESS_PARTIAL = 2,
	KPI_ASSESS_NOT_MET = 3
};

enum kpi_target_kind {
	KPI_TARGET_NONE = 0,     /* no target: shown as a dash */
	KPI_TARGET_NUMBER = 1,   /* value, better in the indicator's direction */
	KPI_TARGET_INCREASE = 2, /* better than the baseline (last year) */
	KPI_TARGET_DECREASE = 3,
	KPI_TARGET_RANGE = 4,    /* value +/- width */
	KPI_TARGET_TEXT = 5      /* shown, not assessed */
};

struct kpi_target {
	int kind;                /* enum kpi_target_kind */
	double value;            /* NUMBER: target; RANGE: centre */
	double width;            /* RANGE: half-width */
	int decimals;            /* as written, for display */
	char *unit;              /* unit written after the number, or NULL */
	char *text_sv;           /* TEXT */
	char *text_en;
	int to_be_set;           /* TEXT: set_by_committee, "tas fram av
	                            nämnden": a target still to be decided */
	long line;               /* config line, 0 if not from the config */
};

enum kpi_forecast_kind {
	KPI_FORECAST_NONE = 0,
	KPI_FORECAST_MANUAL = 1, /* a number from the config */
	KPI_FORECAST_LINEAR = 2, /* run rate over the months with data */
	KPI_FORECAST_SEASONAL = 3 /* scaled by the previous year's profile */
};

/* The rule that gave an assessment (kpi_assess_rule in eval.h); the
 * machine ids are kpi_rule_id(). */
enum kpi_rule {
	KPI_RULE_NO_DATA = 0,             /* neither outcome nor forecast */
	KPI_RULE_NO_TARGET,               /* no target: not assessed */
	KPI_RULE_TEXT_TARGET,             /* a text target: shown only */
	KPI_RULE_NO_BASELINE,             /* increase/decrease, no baseline */
	KPI_RULE_NOT_FINITE,              /* value or target not finite */
	KPI_RULE_HIGHER_MET,              /* value >= target */
	KPI_RULE_HIGHER_TOLERANCE,        /* target - tol <= value < target */
	KPI_RULE_HIGHER_NOT_MET,          /* value < target - tol */
	KPI_RULE_LOWER_MET,               /* value <= target */
	KPI_RULE_LOWER_TOLERANCE,         /* target < value <= target + tol */
	KPI_RULE_LOWER_NOT_MET,           /* value > target + tol */
	KPI_RULE_EQUAL_MET,               /* no direction: value == target */
	KPI_RULE_EQUAL_TOLERANCE,         /* |value - target| <= tol */
	KPI_RULE_EQUAL_NOT_MET,
	KPI_RULE_INCREASE_MET,            /* value > baseline */
	KPI_RULE_INCREASE_TOLERANCE,      /* baseline - tol <= value */
	KPI_RULE_INCREASE_NOT_MET,
	KPI_RULE_DECREASE_MET,            /* value < baseline */
	KPI_RULE_DECREASE_TOLERANCE,      /* value <= baseline + tol */
	KPI_RULE_DECREASE_NOT_MET,
	KPI_RULE_RANGE_MET,               /* |value - centre| <= width */
	KPI_RULE_RANGE_TOLERANCE,         /* ... <= width + tol */
	KPI_RULE_RANGE_NOT_MET,
	KPI_RULE_COUNT
};

/* One month of measurements. */
struct kpi_month {
	double num;
	double den;
	int has;
};

/* The run's months of one indicator or group: m[i] is the month
 * kpi_window_first(period) + i (window.h), the same for every series of a
 * run, so memory does not grow with the years an export holds. */
struct kpi_series {
	char *group;             /* NULL for the indicator itself */
	struct kpi_month m[KPI_WINDOW_MONTHS];
};

/* The pace of the year so far against a yearly target (odds.c). */
enum kpi_pace {
	KPI_PACE_NONE = 0,       /* no verdict (too few months, no target) */
	KPI_PACE_ON_TRACK = 1,   /* at or ahead of the pace the target asks */
	KPI_PACE_BEHIND = 2
};

/* What the last-year column compares with (`compare`). */
enum kpi_compare {
	KPI_COMPARE_DEFAULT = -1,      /* the run's [kpirun] compare */
	KPI_COMPARE_SAME_PERIOD = 0,   /* the period's months a year earlier */
	KPI_COMPARE_PREVIOUS_YEAR = 1  /* January-December before the end
	                                  year */
};

/* What eval computes for an indicator. */
struct kpi_result {
	int has_outcome;
	double outcome;
	int has_forecast;
	double forecast;
	int has_baseline;
	double baseline;
	int baseline_cfg;        /* the baseline is the config's (else the
	                            last-year figure) */
	int compare;             /* enum kpi_compare applied (not DEFAULT) */
	int has_last;            /* the last-year figure */
	double last;
	int last_stated;         /* ... is a plugin's kpi_value */
	/* Months the last-year figure covers (from_year 0 = none) and the
	 * months it was asked for. */
	int last_from_year, last_from_month, last_to_year, last_to_month;
	int ask_from_year, ask_from_month, ask_to_year, ask_to_month;
	/* Months the outcome covers (year, month 1..12); from_year 0 = none. */
	int from_year, from_month, to_year, to_month;
	int assessment;          /* enum kpi_assessment */
	const char *why;         /* static reason when no outcome ("no data",
	                            "denominator is 0"), or NULL */
	int outcome_stated;      /* the outcome is a plugin's kpi_value */
	int forecast_stated;     /* the forecast is a plugin's kpi_value */
	int rule;                /* enum kpi_rule that gave the assessment */
	int assessed_forecast;   /* the rule compared the forecast (1) or
	                            the outcome (0) */
	double tolerance;        /* the tolerance applied, as configured */
	int tolerance_relative;  /* ... a fraction of the reference */
	double tolerance_abs;    /* the tolerance in the indicator's unit */

	/* The year-end value's spread and the chance of meeting the target
	 * (odds.c, docs/evaluation.md section 10). */
	int has_interval;        /* interval_lo..interval_hi holds the year-end
	                            value with KPI_ODDS_LEVEL probability */
	double interval_lo, interval_hi;
	double year_sd;          /* standard deviation of the year-end value */
	int odds_months;         /* months with data the spread came from */
	int has_chance;
	double chance;           /* probability (0..1) the target is met */
	const char *odds_why;    /* static reason when there is no interval or
	                            chance, or NULL */
	/* Pace: the year to date against the target's share by now. */
	int pace;                /* enum kpi_pace */
	double pace_expected;    /* what the target asks by now */
	double pace_actual;      /* the year to date */
	int pace_months;         /* months with data in the year so far */
	const char *pace_why;    /* static reason when no verdict, or NULL */
};

/* Fields of a plugin's declaration the config overrides. */
#define KPI_OVR_NAME_SV   0x01
#define KPI_OVR_NAME_EN   0x02
#define KPI_OVR_UNIT      0x04
#define KPI_OVR_DECIMALS  0x08
#define KPI_OVR_DIRECTION 0x10

/* Where a baseline set before evaluation came from (history.h). */
enum kpi_baseline_source {
	KPI_BASELINE_EXPORTS = 0, /* none set: eval takes last year's value */
	KPI_BASELINE_CONFIG = 1,  /* the config's baseline key */
	KPI_BASELINE_HISTORY = 2  /* last year's year-end outcome, history */
};

struct kpi_indicator {
	char *id;                /* "<area>.<local id>" */
	char *area;
	char *name_sv;
	char *name_en;
	char *unit;
	int aggregation;         /* enum kpi_aggregation */
	double scale;            /* >0 */
	int direction;           /* enum kpi_direction */
	int decimals;
	int declared;            /* some plugin declared it */

	struct kpi_target target;   /* the committee's annual target */
	struct kpi_target council;  /* the council's target */
	int council_citywide;    /* the council's target is for the whole city
	                            ("alla nämnder"): not compared by --check */
	int forecast_kind;       /* enum kpi_forecast_kind */
	double forecast_value;   /* MANUAL */
	int forecast_decimals;   /* MANUAL: decimals as written */
	double tolerance;        /* for "partially met"; <0 = run default */
	int tolerance_relative;  /* tolerance is a fraction of the target */
	int stated;              /* assessment the report stated, -1 = none */
	int has_baseline_cfg;    /* baseline given in the config */
	int compare;             /* enum kpi_compare; DEFAULT = the run's */
	double baseline_cfg;
	char *period_label;      /* config override of the period text */
	int breakdown;           /* the report shows the group rows */
	int subperiods[KPI_MAX_SUBPERIODS][2];  /* extra month ranges (from, to),
	                                           clipped to the period */
	int n_subperiods;
	unsigned overrides;      /* KPI_OVR_* set by the config */
	long line;               /* line of [indicator id], 0 if none */
	long ref_line;           /* first line referring to it (goal list) */
	char *ref_section;       /* section of that reference */
	int baseline_source;     /* enum kpi_baseline_source of baseline_cfg */
	char *accuracy_of;       /* config accuracy_of: the indicator whose
	                            forecast accuracy this is, or NULL */
	int accuracy_month;      /* ... at the period ending this month */

	struct kpi_series main;
	struct kpi_series *groups;  /* breakdowns, in first-emitted order */
	size_t n_groups;
	size_t cap_groups;
	struct kpi_hash group_index;   /* group -> position in groups */

	/* Period values stated by a plugin (kpi_value), run year and the
	 * previous year (baseline). */
	int has_value;
	struct kpi_value value;      /* .indicator is NULL here */
	int has_prev_value;
	struct kpi_value prev_value;

	struct kpi_result res;
};

struct kpi_activity {
	char *goal;              /* goal id */
	char *text_sv;
	char *text_en;
	struct kpi_date start;
	struct kpi_date end;
	char *deviation_sv;
	char *deviation_en;
	long line;
};

enum kpi_goal_kind {
	KPI_GOAL_DIRECTION = 0,  /* the council's directional goal (1, 2, 3) */
	KPI_GOAL_COUNCIL = 1,    /* the council's goal for the area (1.1) */
	KPI_GOAL_COMMITTEE = 2   /* the committee's own goal */
};

struct kpi_goal {
	char *id;
	char *title_sv;
	char *title_en;
	char *text_sv;           /* optional analysis text */
	char *text_en;
	int kind;                /* enum kpi_goal_kind */
	struct kpi_goal *parent;
	struct kpi_goal **children;   /* in config order */
	size_t n_children;
	struct kpi_indicator **indicators;  /* in config order */
	size_t n_indicators;
	struct kpi_activity **activities;
	size_t n_activities;
	int stated;              /* -1 = none */
	int assessment;          /* computed by eval */
	long line;
};

/* A table a plugin emitted, deep-copied into the registry. */
struct kpi_area_table {
	char *area;
	struct kpi_table t;      /* every pointer inside is owned here */
};

#endif
