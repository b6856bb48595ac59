/*
 * window.h - the months a run aggregates.
 *
 * A run needs its period, the same months a year earlier, and what the
 * rolling-12 and seasonal forecasts read (the previous year's months);
 * rows of any other month are read and checked like any other but not
 * aggregated.  The window is the core's business: plugins emit every row
 * they read and the host keeps what falls inside (host.c).
 */
#ifndef KPI_WINDOW_H
#define KPI_WINDOW_H

struct kpi_config;

/* True if year-month (month 1..12) lies in the run's window.  Any int is
 * accepted (compared, never used as an index). */
int kpi_window_contains(const struct kpi_config *cfg, int year, int month);

#endif
