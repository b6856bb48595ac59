/*
 * report.h - the evaluated follow-up report: everything any format shows,
 * built once from the evaluated registry by kpi_report_build() and then
 * only rendered by the writers (writer.h).
 *
 * Every figure is here twice: raw (a double and a `has` flag) for
 * programs and charts, and formatted in Swedish and English (fmt.c) for
 * people.  Every text a person reads is a struct kpi_text holding both
 * languages; a writer picks one with KPI_TEXT(t, lang) and never
 * computes, rounds or evaluates anything itself.  Strings are UTF-8 as
 * they came (config text is checked UTF-8; text from data may hold
 * control characters or invalid bytes): writers escape through escape.h.
 *
 * The whole tree is owned by the struct kpi_report and freed by
 * kpi_report_free(); pointers between its parts (a goal's indicators,
 * the other indicators) point into its own arrays.
 */
#ifndef KPI_REPORT_H
#define KPI_REPORT_H

#include <stddef.h>

#include "model.h"

struct kpi_config;

/* A text in both languages; neither is NULL after kpi_report_build (a
 * missing one falls back to the other, else ""). */
struct kpi_text {
	char *s[2];              /* [KPI_LANG_SV], [KPI_LANG_EN] */
};

#define KPI_TEXT(t, lang) ((t).s[(lang) == KPI_LANG_EN])

/* A figure: the raw value and how it is printed.  When has is 0, value
 * is 0 and text/number hold the report's dash ("–"). */
struct kpi_figure {
	int has;
	double value;
	int decimals;            /* places shown */
	struct kpi_text text;    /* with unit: "78,5 %", "1 290 191 kr" */
	struct kpi_text number;  /* grouped number only: "78,5", "1 290 191" */
};

/* Months from_year-from_month .. to_year-to_month (months 1..12);
 * from_year 0 means no months.  label: "Tertial 2 2011", "jan–jul 2011",
 * or "" for none. */
struct kpi_span {
	int from_year, from_month, to_year, to_month;
	struct kpi_text label;
};

/* An assessment with its stable key and its label. */
struct kpi_grade {
	int value;               /* enum kpi_assessment */
	const char *key;         /* "met", "partial", "not_met",
	                            "not_assessed" (static) */
	struct kpi_text label;   /* "uppfylls helt" / "met" ... */
};

/* A committee or council target. */
struct kpi_report_target {
	int kind;                /* enum kpi_target_kind */
	const char *kind_key;    /* "none", "number", "increase", "decrease",
	                            "range", "text" (static) */
	int has_value;           /* NUMBER, RANGE */
	double value;            /* NUMBER: the target; RANGE: the centre */
	int has_width;           /* RANGE */
	double width;            /* RANGE: half-width */
	int decimals;            /* as written in the config */
	struct kpi_text unit;    /* the target's unit (or the indicator's)
	                            in each language; "" for none */
	struct kpi_text number;  /* NUMBER/RANGE: the number alone, "5,1" */
	struct kpi_text text;    /* TEXT: the target's text; else "" */
	struct kpi_text display; /* as the report shows it: "5,1 %",
	                            "75 +/- 5 %", "öka", "–" */
	long line;               /* config line, 0 if none */
};

/* One month of a series; the index in kpi_report_series.m is
 * 0..11 = January..December of year - 1, 12..23 = of the run year. */
struct kpi_report_month {
	int year, month;
	int has;                 /* the plugin emitted this month */
	double num, den;
	int has_value;           /* the month's own value can be computed */
	double value;            /* the month alone by the indicator's
	                            aggregation: sum = num, ratio/rolling12 =
	                            num / den * scale, last = a level */
};

struct kpi_report_series {
	size_t n_with_data;      /* months with has set */
	struct kpi_report_month m[24];
};

/* A sub-period asked for in the config ("subperiods = 1-4, 5-8"),
 * clipped to the period (sub-periods wholly outside it are left out). */
struct kpi_report_subperiod {
	int from_month, to_month;      /* the months, clipped to the period */
	struct kpi_span asked;         /* the months, with their years */
	struct kpi_span covered;       /* months with data; from_year 0 =
	                                  none */
	struct kpi_figure value;
	const char *why;               /* static reason when !value.has */
	struct kpi_text line;          /* the report's sentence: "Andel ...,
	                                  Tertial 1 2011: 76,8 %" */
};

/* A group breakdown row (a plugin's kpi_emit with a group). */
struct kpi_report_group {
	char *name;                    /* the group key as emitted (data) */
	struct kpi_figure outcome;     /* over the report's period */
	struct kpi_span covered;
	const char *why;               /* static reason when no outcome */
	struct kpi_report_series series;
};

/* The rule that gave an indicator's assessment. */
struct kpi_report_rule {
	int value;               /* enum kpi_rule */
	const char *id;          /* "higher_met", "lower_within_tolerance",
	                            "no_target", "no_data" ... (static) */
	struct kpi_text text;    /* "higher is better: forecast 870 >= target
	                            850" */
};

/* How the forecast was made. */
enum kpi_report_forecast_method {
	KPI_METHOD_NONE = 0, KPI_METHOD_MANUAL = 1, KPI_METHOD_LINEAR = 2,
	KPI_METHOD_SEASONAL = 3, KPI_METHOD_STATED = 4 /* by the plugin */
};

struct kpi_report_indicator {
	char *id;                      /* "payroll.payslips_per_admin" */
	char *area;
	struct kpi_text name;          /* the id when no name is given */
	struct kpi_text unit;          /* as shown in each language ("st"
	                                  in Swedish, "" in English) */
	char *unit_raw;                /* the declared/configured unit */
	int decimals;
	int direction;                 /* enum kpi_direction */
	const char *direction_key;     /* "none", "higher", "lower" */
	int aggregation;               /* enum kpi_aggregation */
	const char *aggregation_key;   /* "sum", "ratio", "last", "rolling12" */
	double scale;
	int declared;                  /* a plugin declared it */

	struct kpi_figure outcome;
	int outcome_stated;            /* the plugin stated the outcome */
	struct kpi_text why;           /* why there is no outcome ("no
	                                  data" / "inga data"); "" if has */
	const char *why_key;           /* static machine reason, or NULL */
	struct kpi_figure forecast;
	int forecast_method;           /* enum kpi_report_forecast_method */
	const char *forecast_method_key; /* "none", "manual", "linear",
	                                    "seasonal", "stated" */
	struct kpi_figure baseline;
	int baseline_configured;       /* the baseline is the config's, else
	                                  it is last_year */
	/* Last year's figure from the same exports (`compare`): the
	 * period's months a year earlier, or the whole previous year. */
	struct kpi_figure last_year;
	int last_year_stated;          /* the plugin stated it */
	int compare;                   /* enum kpi_compare (not DEFAULT) */
	const char *compare_key;       /* "same_period", "previous_year" */
	struct kpi_text compare_label; /* "Samma period föregående år" /
	                                  "Same period last year",
	                                  "Föregående år" / "Previous year" */
	struct kpi_span last_year_asked;    /* the months compared with */
	struct kpi_span last_year_covered;  /* those with data (from_year 0:
	                                       none) */
	struct kpi_text last_year_cell;     /* the table's cell: the figure,
	                                       and for previous_year its
	                                       months: "4,7 % (2010)" */
	struct kpi_report_target target;
	struct kpi_report_target council;
	int council_citywide;          /* the council target is city-wide */
	double tolerance;              /* as applied: a fraction (relative)
	                                  or an amount in the unit */
	int tolerance_relative;

	struct kpi_span covered;       /* the months the outcome covers */
	struct kpi_text period;        /* the Period column: the config's
	                                  period_label, else covered.label,
	                                  else the year */

	struct kpi_report_series series;   /* the indicator itself */
	struct kpi_report_subperiod *subperiods;
	size_t n_subperiods;
	int breakdown;                 /* the config asks to show groups */
	struct kpi_report_group *groups;   /* in first-emitted order; kept
	                                      even when breakdown is 0 */
	size_t n_groups;

	struct kpi_grade assessment;   /* computed */
	int has_stated;
	struct kpi_grade stated;       /* as stated in the config */
	int differs;                   /* stated and a real computed one
	                                  differ: marked "!" */
	struct kpi_text note;          /* the stated-vs-computed sentence when
	                                  differs, else "" */
	struct kpi_report_rule rule;
	int assessed_on_forecast;      /* the rule compared the forecast (1)
	                                  or the outcome (0) */

	/* Whether the row has a real assessment: "assessed", or
	 * "not_assessed" by choice (a text target), or "cannot_assess"
	 * with its reason: "no_data", "no_target", "target_to_be_set",
	 * "plugin_failed", "no_baseline", "not_finite" (static; NULL when
	 * assessed or not assessed by choice).  assessment.label says it:
	 * "kan ej bedömas (inga data)". */
	const char *state_key;
	const char *state_reason_key;
	struct kpi_text state_reason;  /* "inga data" / "no data", or "" */

	/* The year-end interval and the chance of meeting the target
	 * (odds.c; docs/evaluation.md section 10). */
	int has_interval;
	double interval_level;         /* KPI_ODDS_LEVEL (0.8) */
	struct kpi_figure interval_lo, interval_hi;
	double year_sd;                /* the year-end value's spread */
	int odds_months;               /* months the spread came from */
	int has_chance;
	double chance;                 /* probability 0..1 */
	struct kpi_text chance_text;   /* the table's cell: "52 %", "> 99 %",
	                                  "< 1 %", or the dash */
	const char *odds_why_key;      /* why there is none (static), or
	                                  NULL */
	struct kpi_text odds_line;     /* the sentence under the table:
	                                  "Name: 80 % intervall för helåret
	                                  4 210–4 390", or "" */
	/* The pace of the year so far (section 11). */
	int pace;                      /* enum kpi_pace */
	const char *pace_key;          /* "on_track", "behind", "none" */
	struct kpi_text pace_label;    /* "i fas" / "on track", "efter" /
	                                  "behind", or the dash */
	struct kpi_figure pace_expected, pace_actual;
	int pace_months;
	const char *pace_why_key;      /* why no verdict (static), or NULL */

	int listed;                    /* some goal lists it */
	long line;                     /* [indicator id] line, 0 if none */
};

struct kpi_report_activity {
	struct kpi_text text;
	struct kpi_date start, end;
	char start_text[40], end_text[40];   /* "2011-01-01" */
	struct kpi_text deviation;
	long line;
};

struct kpi_report_goal {
	char *id;
	int kind;                      /* enum kpi_goal_kind */
	const char *kind_key;          /* "direction", "council", "committee" */
	struct kpi_text kind_label;    /* "KF:s inriktningsmål" ... */
	struct kpi_text heading;       /* "KF:s inriktningsmål 1: Stockholm
	                                  ska ..." / "Nämndmål: ..." */
	struct kpi_text title;
	struct kpi_text text;          /* analysis text, "" if none */
	int depth;                     /* 0 for a goal without parent */
	struct kpi_report_goal *parent;
	struct kpi_report_goal **children;
	size_t n_children;
	struct kpi_report_indicator **indicators;
	size_t n_indicators;
	struct kpi_report_activity *activities;
	size_t n_activities;
	struct kpi_grade assessment;   /* computed roll-up */
	int has_stated;
	struct kpi_grade stated;
	int differs;
	struct kpi_text note;          /* " ! angiven: ..." sentence, or "" */
	long line;
};

/* A plugin's table, cells in each language (the plugin may give English
 * row labels; numbers are formatted per language). */
struct kpi_report_cell {
	int kind;                      /* enum kpi_cell_kind */
	double number;                 /* KPI_CELL_NUMBER */
	int decimals;
	char *text;                    /* formatted number, or the text as
	                                  the plugin gave it (data), or "" */
};

struct kpi_report_table {
	char *area;
	char *id;
	struct kpi_text title;
	struct kpi_text note;
	size_t n_columns, n_rows;
	struct kpi_text *columns;      /* n_columns headings */
	struct kpi_report_cell *cells[2];  /* [lang][row * n_columns + col] */
};

/* An area whose plugin failed; its indicators show no data. */
struct kpi_report_failure {
	char *area;
	char *plugin;                  /* the plugin the area names */
	char *config;                  /* the config file (as given) */
	long line;                     /* its [area NAME] line, 0 if none */
	char *reason;                  /* as the sandbox/loader gave it: the
	                                  first error printed, which names
	                                  file:line:col for a data error */
	int status;                    /* enum kpi_exit of the failure */
	struct kpi_text text;          /* "FEL: området X kunde inte
	                                  beräknas: ..." */
};

struct kpi_report_summary {
	size_t met, partial, not_met, not_assessed;   /* over indicators */
	size_t total;                  /* each indicator once */
	size_t differ;                 /* stated differs from computed */
	struct kpi_text text;          /* "Indikatorer: 3 uppfylls helt, ..." */
	struct kpi_text differ_text;   /* "" when differ is 0 */
};

struct kpi_report {
	int schema_version;            /* KPI_REPORT_SCHEMA_VERSION */
	const char *generator;         /* "kpirun" */
	const char *version;           /* KPI_VERSION */
	int lang;                      /* the run's language (config/--lang) */
	int year;
	struct kpi_text title;         /* never "": "Uppföljning" by default */
	struct kpi_text organisation;  /* the committee: title up to " – " */
	struct kpi_span period;        /* the run's period (period.h), from
	                                  its first to its last month */
	const char *period_kind;       /* "tertial", "quarter", "half",
	                                  "year", "to_month", "range"
	                                  (static) */

	struct kpi_report_goal *goals; /* every goal, config order */
	size_t n_goals;
	struct kpi_report_goal **roots;    /* goals without parent, in order */
	size_t n_roots;
	struct kpi_report_indicator *indicators;  /* every indicator, in the
	                                             registry's order */
	size_t n_indicators;
	struct kpi_report_indicator **other;  /* declared, listed by no goal */
	size_t n_other;
	struct kpi_text other_heading; /* "Övriga indikatorer" / "Other
	                                  indicators" */
	struct kpi_report_table *tables;
	size_t n_tables;
	struct kpi_report_failure *failures;
	size_t n_failures;
	struct kpi_report_summary summary;
};

#define KPI_REPORT_SCHEMA_VERSION 1

/* An area's failure as the run knows it (input to kpi_report_build). */
struct kpi_failure {
	const char *area;
	const char *plugin;
	long line;               /* the area's section line in the config */
	const char *reason;
	int status;              /* enum kpi_exit */
};

/* Build the report of an evaluated registry (kpi_eval_* must have run)
 * in language `lang` (enum kpi_lang, the default writers use).  Copies
 * everything it needs: cfg and failures may be freed afterwards.  Prints
 * a warning for each declared indicator no goal lists.  On success
 * *out is owned by the caller (kpi_report_free).  Returns 0 or
 * KPI_ENOMEM. */
int kpi_report_build(const struct kpi_config *cfg, int lang,
                     const struct kpi_failure *failures, size_t n_failures,
                     struct kpi_report **out);

void kpi_report_free(struct kpi_report *r);

/* Label of an assessment in a language (static strings). */
const char *kpi_assessment_label(int assessment, int lang);

/* Stable key of an assessment: "met", "partial", "not_met",
 * "not_assessed" (static strings). */
const char *kpi_assessment_key(int assessment);

#endif
