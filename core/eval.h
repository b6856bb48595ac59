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
#include "period.h"

/* Aggregate series `s` of `ind`, a series of a run of period `run`
 * (its window, window.h), over the months of `months` according to
 * ind->aggregation (last, rolling12: the value ending with the latest
 * month in `months` that has data; rolling12 reaches 11 months before
 * it).  Only months with data count.  Stores the value in *out and, when
 * covered is not NULL, the months actually used there.  Returns 0, or
 * KPI_ENOTFOUND when there is no data (*why = "no data") or the
 * denominator sums to 0 (*why = "denominator is 0"). */
int kpi_eval_aggregate(const struct kpi_indicator *ind,
                       const struct kpi_series *s,
                       const struct kpi_period *run,
                       const struct kpi_period *months, double *out,
                       struct kpi_period *covered, const char **why);

/* True if a value a plugin stated (kpi_value) is one for period p: its
 * months are valid and lie inside p.  A value that reaches past the
 * period (January-December in a T1 run, January-August in a Q3 run) is
 * not its outcome; kpi_run warns about it. */
int kpi_eval_value_fits(const struct kpi_value *v, const struct kpi_period *p);

/* Compute ind->res for period p: outcome (from a stated kpi_value if the
 * plugin gave one for the period, see kpi_eval_value_fits, else from the
 * monthly series), full-year forecast of the end year (stated value,
 * config number, linear or seasonal from January..the period's end),
 * last year's figure (ind->compare, else default_compare: enum
 * kpi_compare), baseline (config, else last year's figure), and the
 * assessment against ind->target.  default_tol / default_tol_rel apply
 * when ind->tolerance < 0. */
void kpi_eval_indicator(struct kpi_indicator *ind, const struct kpi_period *p,
                        double default_tol, int default_tol_rel,
                        int default_compare);

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

#endif
