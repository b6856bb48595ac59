/*
 * window.c - the months a run aggregates: see window.h.  The figures
 * that need each month are docs/evaluation.md ("The month window").
 */
#include "window.h"

#include <limits.h>

#include "config.h"
#include "limit.h"
#include "period.h"

/* Back from the first month a rolling-12 value of the same period a year
 * earlier reads: 12 months back, then 11 more. */
#define WINDOW_BEFORE_PERIOD 23

int kpi_window_first(const struct kpi_period *p)
{
	int a = kpi_period_first(p) - WINDOW_BEFORE_PERIOD;
	/* January of the year before the end year, less 11 months: the
	 * rolling-12 value of the previous calendar year. */
	int b = kpi_period_index(p->to_year - 1, 1) - 11;

	return a < b ? a : b;
}

int kpi_window_slot(const struct kpi_period *p, int year, int month)
{
	long i;

	/* Plugins pass any int: compare in long, never overflow. */
	if (!p || month < 1 || month > 12 || year < 1 || year > INT_MAX / 12 - 1)
		return -1;
	i = (long)kpi_period_index(year, month) - kpi_window_first(p);
	if (i < 0 || i >= KPI_WINDOW_MONTHS ||
	    (long)kpi_period_index(year, month) > kpi_period_last(p))
		return -1;
	return (int)i;
}

int kpi_window_contains(const struct kpi_config *cfg, int year, int month)
{
	if (!cfg || cfg->year <= 0)
		return 0;
	return kpi_window_slot(&cfg->period, year, month) >= 0;
}
