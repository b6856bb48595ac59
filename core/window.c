/*
 * window.c - the months a run aggregates: see window.h.
 */
#include "window.h"

#include "config.h"

int kpi_window_contains(const struct kpi_config *cfg, int year, int month)
{
	if (month < 1 || month > 12 || cfg->year <= 0)
		return 0;
	if (year == cfg->year - 1)
		return 1;
	return year == cfg->year && month <= cfg->period_month;
}
