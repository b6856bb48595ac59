/*
 * odds.h - how sure the full-year forecast is: an interval for the
 * year-end value and the chance that the year's target is met, and the
 * pace of the year so far against a yearly target.  The method is
 * docs/evaluation.md, sections 10 and 11.
 *
 * Pure functions over struct kpi_indicator: no I/O, no allocation.
 */
#ifndef KPI_ODDS_H
#define KPI_ODDS_H

#include "model.h"
#include "period.h"

/* Probability the interval holds the year-end value. */
#define KPI_ODDS_LEVEL 0.80
/* Months with data in the end year the spread needs: with fewer, the
 * deviations around the profile say too little (two months give one
 * degree of freedom). */
#define KPI_ODDS_MIN_MONTHS 3
/* Months with data in the end year before a pace verdict: January and
 * February alone are too few to tell a slow start from a bad year. */
#define KPI_PACE_MIN_MONTHS 3

/* Set ind->res's interval, chance and pace for period p (the run's;
 * window.h).  Needs ind->res's outcome, forecast and baseline as
 * kpi_eval_indicator computes them first; leaves every other field
 * alone.  A missing piece leaves has_interval / has_chance 0 with a
 * static reason in odds_why, and pace KPI_PACE_NONE with pace_why. */
void kpi_odds_eval(struct kpi_indicator *ind, const struct kpi_period *p);

/* The standard normal distribution function, Phi(z). */
double kpi_odds_phi(double z);

/* The two-sided quantile of KPI_ODDS_LEVEL: Phi(z) = (1 + level) / 2
 * (1,2816 for 80 %). */
double kpi_odds_z(void);

#endif
