/*
 * window.h - the months a run aggregates.
 *
 * A run needs its period, the same months a year earlier, the previous
 * calendar year (seasonal forecasts, the whole-year comparison), January
 * of the period's end year onwards (the full-year forecast) and the
 * eleven months before each of those that a rolling-12 value reads.  All
 * of it is one run of months ending with the period's last month: from
 * the earlier of (the period's first month - 23) and (February two years
 * before the end year), at most KPI_WINDOW_MONTHS long.  Rows of any
 * other month are read and checked like any other but not aggregated.
 * The window is the core's business: plugins emit every row they read and
 * the host keeps what falls inside (host.c), in struct kpi_series.m,
 * indexed from the window's first month (kpi_window_slot).
 */
#ifndef KPI_WINDOW_H
#define KPI_WINDOW_H

struct kpi_config;
struct kpi_period;

/* True if year-month (month 1..12) lies in the run's window.  Any int is
 * accepted (compared, never used as an index). */
int kpi_window_contains(const struct kpi_config *cfg, int year, int month);

/* Running number (kpi_period_index) of the first month of the window of
 * a run of period p. */
int kpi_window_first(const struct kpi_period *p);

/* The slot of year-month in struct kpi_series.m for a run of period p
 * (0..KPI_WINDOW_MONTHS-1), or -1 when it lies outside the window. */
int kpi_window_slot(const struct kpi_period *p, int year, int month);

#endif
