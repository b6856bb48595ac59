/*
 * eval.h - turning monthly measurements into period values, forecasts and
 * assessments.  The rules are written down in docs/evaluation.md.
 *
 * Pure functions over struct kpi_indicator / kpi_goal: no I/O, no
 * allocation.
 */
#ifndef KPI_EVAL_H
#define KPI_EVAL_H

#include <stddef.h>

#include "model.h"

/* Aggregate series `s` of `ind` over months from..to (1..12) of `year`
 * according to ind->aggregation (rolling12: the 12 months ending with the
 * latest month <= to that has data, reaching into year - 1).  Only months
 * with data count.  Stores the value and the months actually covered.
 * Returns 0, or KPI_ENOTFOUND when there is no data (*why = "no data") or
 * the denominator sums to 0 (*why = "denominator is 0"). */
int kpi_eval_aggregate(const struct kpi_indicator *ind,
                       const struct kpi_series *s, int year, int from, int to,
                       double *out, int *from_year, int *from_month,
                       int *to_year, int *to_month, const char **why);

/* True if a value a plugin stated (kpi_value) is one for a report of
 * January..month: its months are valid and end no later than month.  A
 * value that reaches past the period (January-December in a T1 run) is not
 * used; kpi_run warns about it. */
int kpi_eval_value_fits(const struct kpi_value *v, int month);

/* Compute ind->res for the period January..month of year: outcome (from a
 * stated kpi_value if the plugin gave one for the period, see
 * kpi_eval_value_fits, else from the monthly series),
 * forecast (stated value, config number, linear or seasonal), baseline
 * (config, else the previous year's value or the previous year's
 * aggregate over the whole year), and the assessment against ind->target.
 * default_tol / default_tol_rel apply when ind->tolerance < 0. */
void kpi_eval_indicator(struct kpi_indicator *ind, int year, int month,
                        double default_tol, int default_tol_rel);

/* Assess `value` against target t for an indicator of direction dir with
 * the given tolerance (relative: a fraction of the target value;
 * absolute: in the indicator's unit).  baseline is used by INCREASE and
 * DECREASE (has_baseline 0: not assessed). */
int kpi_assess(const struct kpi_target *t, int dir, double value,
               int has_baseline, double baseline, double tol, int tol_rel);

/* kpi_assess, also storing in *rule the enum kpi_rule that decided and in
 * *tol_abs the tolerance in the indicator's unit (either may be NULL). */
int kpi_assess_rule(const struct kpi_target *t, int dir, double value,
                    int has_baseline, double baseline, double tol,
                    int tol_rel, int *rule, double *tol_abs);

/* The stable machine id of an enum kpi_rule ("higher_met",
 * "lower_within_tolerance", "no_target", ...; static string). */
const char *kpi_rule_id(int rule);

/* Roll a goal's assessment up from its indicators and sub-goals
 * (recursively, children first) and store it in g->assessment. */
int kpi_eval_goal(struct kpi_goal *g);

/* Write the period text for months from_year-from_month ..
 * to_year-to_month: "Tertial 1 2011", "Tertial 2 2011", "2011" (full
 * year), "jan–jul 2011", "aug 2010–jul 2011" (sv) / "T1 2011", "Jan–Jul
 * 2011", "Aug 2010–Jul 2011" (en).  Returns buf. */
char *kpi_period_label(char *buf, size_t n, int lang, int from_year,
                       int from_month, int to_year, int to_month);

#endif
