/*
 * test_eval.c - the evaluation rules of docs/evaluation.md, number by
 * number: aggregation, forecasts, baselines, assessments, goal roll-up and
 * period labels.  Indicators and goals are built by hand.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "eval.h"

#include "window.h"

#define PREV 0   /* year index: 2010 */
#define RUN 1    /* year index: 2011 */
#define EPS 1e-9

/* The year to date January..m of 2011 (every such period has the same
 * window: its months from February 2009 on). */
#define YTD(m) (&(struct kpi_period){ KPI_PERIOD_TO_MONTH, 2011, 1, 2011, (m) })

/* Month `month` of year index yi (2010 + yi) in a series of a 2011 run. */
static struct kpi_month *cell(struct kpi_indicator *ind, int yi, int month)
{
	int slot = kpi_window_slot(YTD(12), 2010 + yi, month);

	cr_assert(slot >= 0);
	return &ind->main.m[slot];
}

/* No data in year index yi. */
static void clear_year(struct kpi_indicator *ind, int yi)
{
	for (int m = 1; m <= 12; m++)
		memset(cell(ind, yi, m), 0, sizeof (struct kpi_month));
}

/* An indicator with no data, no target, no forecast, run-default
 * tolerance. */
static void ind_init(struct kpi_indicator *ind, int agg, double scale,
                     int dir)
{
	memset(ind, 0, sizeof *ind);
	ind->aggregation = agg;
	ind->scale = scale;
	ind->direction = dir;
	ind->tolerance = -1;
	ind->stated = -1;
	ind->compare = KPI_COMPARE_DEFAULT;
}

static void put(struct kpi_indicator *ind, int yi, int month, double num,
                double den)
{
	cell(ind, yi, month)->num = num;
	cell(ind, yi, month)->den = den;
	cell(ind, yi, month)->has = 1;
}

static void target_number(struct kpi_indicator *ind, double v)
{
	ind->target.kind = KPI_TARGET_NUMBER;
	ind->target.value = v;
}

struct agg_out {
	int rc;
	double v;
	int fy, fm, ty, tm;
	const char *why;
};

static struct agg_out agg(const struct kpi_indicator *ind, int from, int to)
{
	struct agg_out o = { .v = -12345 };

	struct kpi_period months = { KPI_PERIOD_RANGE, 2011, from, 2011, to };
	struct kpi_period cov;

	o.rc = kpi_eval_aggregate(ind, &ind->main, YTD(12), &months, &o.v,
	                          &cov, &o.why);
	o.fy = cov.from_year;
	o.fm = cov.from_month;
	o.ty = cov.to_year;
	o.tm = cov.to_month;
	return o;
}

static const char *label(char *buf, size_t n, int lang,
                         const struct agg_out *o)
{
	return kpi_period_label(buf, n, lang, o->fy, o->fm, o->ty, o->tm);
}

/* ---- aggregation ---- */

Test(aggregate, sum_adds_numerators_of_months_with_data)
{
	struct kpi_indicator ind;
	struct agg_out o;

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 10, 999);   /* den ignored for sums */
	put(&ind, RUN, 2, 20, 0);
	put(&ind, RUN, 3, 30.5, 0);
	put(&ind, RUN, 9, 1000, 0);   /* after the period */
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, 0);
	cr_assert_float_eq(o.v, 60.5, EPS);
	cr_assert_eq(o.fy, 2011);
	cr_assert_eq(o.fm, 1);
	cr_assert_eq(o.ty, 2011);
	cr_assert_eq(o.tm, 3);
	cr_assert_null(o.why);
}

Test(aggregate, covered_months_are_first_to_last_with_data)
{
	struct kpi_indicator ind;
	struct agg_out o;
	char buf[64];

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	put(&ind, RUN, 2, 5, 0);
	put(&ind, RUN, 5, 7, 0);
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, 0);
	cr_assert_float_eq(o.v, 12, EPS);
	cr_assert_eq(o.fm, 2);
	cr_assert_eq(o.tm, 5);
	cr_assert_str_eq(label(buf, sizeof buf, KPI_LANG_SV, &o),
	                 "feb\xe2\x80\x93maj 2011");
}

Test(aggregate, ratio_is_sum_over_sum_not_average_of_ratios)
{
	struct kpi_indicator ind;
	struct agg_out o;

	/* 10/20 = 50 % and 90/100 = 90 %: the average is 70 %, but the
	 * period answered 100 of 120 = 83.33 %. */
	ind_init(&ind, KPI_AGG_RATIO, 100, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 10, 20);
	put(&ind, RUN, 2, 90, 100);
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, 0);
	cr_assert_float_eq(o.v, 100.0 / 120.0 * 100.0, EPS);
	cr_assert(fabs(o.v - 70.0) > 13);
}

Test(aggregate, ratio_without_scale_is_plain_quotient)
{
	struct kpi_indicator ind;
	struct agg_out o;

	ind_init(&ind, KPI_AGG_RATIO, 0, KPI_DIR_HIGHER);  /* 0 = 1 */
	put(&ind, RUN, 1, 3388, 4);
	o = agg(&ind, 1, 4);
	cr_assert_eq(o.rc, 0);
	cr_assert_float_eq(o.v, 847, EPS);
}

Test(aggregate, last_takes_latest_month_in_range)
{
	struct kpi_indicator ind;
	struct agg_out o;

	ind_init(&ind, KPI_AGG_LAST, 1, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 60, 0);
	put(&ind, RUN, 3, 130, 2);     /* 130 / 2 = 65 */
	put(&ind, RUN, 9, 70, 0);      /* after `to` */
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, 0);
	cr_assert_float_eq(o.v, 65, EPS);
	/* a level covers the month it is from */
	cr_assert_eq(o.fy, 2011);
	cr_assert_eq(o.fm, 3);
	cr_assert_eq(o.tm, 3);
}

Test(aggregate, last_denominator_zero_or_negative_counts_as_one)
{
	struct kpi_indicator ind;
	struct agg_out o;

	ind_init(&ind, KPI_AGG_LAST, 100, KPI_DIR_HIGHER);
	put(&ind, RUN, 4, 0.67, 0);
	o = agg(&ind, 1, 4);
	cr_assert_eq(o.rc, 0);
	cr_assert_float_eq(o.v, 67, EPS);

	put(&ind, RUN, 4, 0.67, -5);
	o = agg(&ind, 1, 4);
	cr_assert_float_eq(o.v, 67, EPS);
}

/* Sick leave: 2010 Jan-Jul are 9 %, outside the window; Aug-Dec 2010 are
 * 5 days of 100, 2011 Jan-Jul 41 days of 700.  Window Aug 2010 - Jul 2011:
 * 66 / 1200 = 5.5 %. */
static void sick_leave(struct kpi_indicator *ind)
{
	int m;

	ind_init(ind, KPI_AGG_ROLLING12, 100, KPI_DIR_LOWER);
	for (m = 1; m <= 7; m++)
		put(ind, PREV, m, 9, 100);
	for (m = 8; m <= 12; m++)
		put(ind, PREV, m, 5, 100);
	for (m = 1; m <= 6; m++)
		put(ind, RUN, m, 6, 100);
	put(ind, RUN, 7, 5, 100);
}

Test(aggregate, rolling12_reaches_into_previous_year)
{
	struct kpi_indicator ind;
	struct agg_out o;
	char buf[64];

	sick_leave(&ind);
	o = agg(&ind, 1, 8);           /* T2, data to July */
	cr_assert_eq(o.rc, 0);
	cr_assert_float_eq(o.v, 5.5, EPS);
	cr_assert_eq(o.fy, 2010);
	cr_assert_eq(o.fm, 8);
	cr_assert_eq(o.ty, 2011);
	cr_assert_eq(o.tm, 7);
	cr_assert_str_eq(label(buf, sizeof buf, KPI_LANG_SV, &o),
	                 "aug 2010\xe2\x80\x93jul 2011");
	cr_assert_str_eq(label(buf, sizeof buf, KPI_LANG_EN, &o),
	                 "Aug 2010\xe2\x80\x93Jul 2011");
}

Test(aggregate, rolling12_ignores_from_and_stops_at_to)
{
	struct kpi_indicator ind;
	struct agg_out o;

	sick_leave(&ind);
	put(&ind, RUN, 8, 50, 100);    /* August, after `to` = 7 */
	o = agg(&ind, 5, 7);
	cr_assert_eq(o.rc, 0);
	cr_assert_float_eq(o.v, 5.5, EPS);
	cr_assert_eq(o.tm, 7);
}

Test(aggregate, rolling12_window_is_twelve_calendar_months_despite_gaps)
{
	struct kpi_indicator ind;
	struct agg_out o;

	sick_leave(&ind);
	cell(&ind, PREV, 9)->has = 0;   /* no September 2010 */
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, 0);
	/* still Aug 2010 - Jul 2011, July 2010 not pulled in: 61 / 1100 */
	cr_assert_float_eq(o.v, 61.0 / 1100.0 * 100.0, EPS);
	cr_assert_eq(o.fy, 2010);
	cr_assert_eq(o.fm, 8);

	cell(&ind, PREV, 8)->has = 0;   /* nor August: starts in October */
	o = agg(&ind, 1, 8);
	cr_assert_float_eq(o.v, 56.0 / 1000.0 * 100.0, EPS);
	cr_assert_eq(o.fy, 2010);
	cr_assert_eq(o.fm, 10);
}

Test(aggregate, rolling12_without_previous_year)
{
	struct kpi_indicator ind;
	struct agg_out o;
	char buf[64];

	sick_leave(&ind);
	clear_year(&ind, PREV);
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, 0);
	cr_assert_float_eq(o.v, 41.0 / 700.0 * 100.0, EPS);
	cr_assert_str_eq(label(buf, sizeof buf, KPI_LANG_SV, &o),
	                 "jan\xe2\x80\x93jul 2011");
}

Test(aggregate, rolling12_needs_data_in_run_year)
{
	struct kpi_indicator ind;
	struct agg_out o;

	sick_leave(&ind);
	clear_year(&ind, RUN);
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, KPI_ENOTFOUND);
	cr_assert_str_eq(o.why, "no data");
}

Test(aggregate, no_data)
{
	struct kpi_indicator ind;
	struct agg_out o;
	int kinds[] = { KPI_AGG_SUM, KPI_AGG_RATIO, KPI_AGG_LAST,
	                KPI_AGG_ROLLING12 };
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		ind_init(&ind, kinds[i], 100, KPI_DIR_HIGHER);
		put(&ind, RUN, 9, 1, 1);     /* only after the period */
		put(&ind, PREV, 3, 1, 1);    /* and last year */
		o = agg(&ind, 1, 8);
		cr_assert_eq(o.rc, KPI_ENOTFOUND, "kind %d", kinds[i]);
		cr_assert_str_eq(o.why, "no data");
		cr_assert_float_eq(o.v, -12345, EPS, "out left alone");
		cr_assert_eq(o.fy, 0);
		cr_assert_eq(o.ty, 0);
	}
}

Test(aggregate, zero_denominator)
{
	struct kpi_indicator ind;
	struct agg_out o;

	ind_init(&ind, KPI_AGG_RATIO, 100, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 5, 0);
	put(&ind, RUN, 2, 7, 0);
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, KPI_ENOTFOUND);
	cr_assert_str_eq(o.why, "denominator is 0");

	ind.aggregation = KPI_AGG_ROLLING12;
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, KPI_ENOTFOUND);
	cr_assert_str_eq(o.why, "denominator is 0");
}

Test(aggregate, never_inf_or_nan)
{
	struct kpi_indicator ind;
	struct agg_out o;

	ind_init(&ind, KPI_AGG_RATIO, 100, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 1e308, 1e-300);
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, KPI_EDATA);
	cr_assert_str_eq(o.why, "value is not finite");

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, NAN, 0);
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, KPI_EDATA);
}

Test(aggregate, bad_arguments)
{
	struct kpi_indicator ind;
	struct agg_out o;

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 1, 0);
	o = agg(&ind, 0, 8);
	cr_assert_eq(o.rc, KPI_EINVAL);
	o = agg(&ind, 1, 13);
	cr_assert_eq(o.rc, KPI_EINVAL);
	o = agg(&ind, 5, 4);
	cr_assert_eq(o.rc, KPI_EINVAL);
	ind.aggregation = 99;
	o = agg(&ind, 1, 8);
	cr_assert_eq(o.rc, KPI_EINVAL);
	cr_assert_str_eq(o.why, "unknown aggregation");
}

/* ---- kpi_eval_indicator: outcome ---- */

Test(indicator, outcome_from_series_over_january_to_month)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 100, 0);
	put(&ind, RUN, 4, 50, 0);
	put(&ind, RUN, 5, 1000, 0);    /* after T1 */
	kpi_eval_indicator(&ind, YTD(4), 0.1, 1, 0);
	cr_assert(ind.res.has_outcome);
	cr_assert_float_eq(ind.res.outcome, 150, EPS);
	cr_assert_eq(ind.res.from_year, 2011);
	cr_assert_eq(ind.res.from_month, 1);
	cr_assert_eq(ind.res.to_month, 4);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_NONE);  /* no target */
}

Test(indicator, stated_value_wins_over_series)
{
	struct kpi_indicator ind;

	/* budget.adherence_after: 100 % booked to date, forecast 100 % */
	ind_init(&ind, KPI_AGG_RATIO, 100, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 1, 2);
	ind.forecast_kind = KPI_FORECAST_MANUAL;
	ind.forecast_value = 50;
	ind.has_value = 1;
	ind.value.year = 2011;
	ind.value.month_from = 1;
	ind.value.month_to = 8;
	ind.value.has_outcome = 1;
	ind.value.outcome = 100;
	ind.value.has_forecast = 1;
	ind.value.forecast = 100;
	target_number(&ind, 100);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 100, EPS);
	cr_assert(ind.res.has_forecast);
	cr_assert_float_eq(ind.res.forecast, 100, EPS);
	cr_assert_eq(ind.res.from_month, 1);
	cr_assert_eq(ind.res.to_month, 8);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_MET);
}

/* A yearly survey result stated for January-December 2011 (outcome 68,
 * forecast 70), and monthly figures of the same indicator: 10 in January,
 * 30 in March. */
static void year_value_and_months(struct kpi_indicator *ind)
{
	ind_init(ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	put(ind, RUN, 1, 10, 0);
	put(ind, RUN, 3, 30, 0);
	ind->has_value = 1;
	ind->value.year = 2011;
	ind->value.month_from = 1;
	ind->value.month_to = 12;
	ind->value.has_outcome = 1;
	ind->value.outcome = 68;
	ind->value.has_forecast = 1;
	ind->value.forecast = 70;
}

Test(indicator, value_for_the_year_is_not_a_t1_outcome)
{
	struct kpi_indicator ind;

	/* T1 (January-April): the year's 68 covers months after April, so
	 * it is not used; the outcome is the months' 10 + 30 = 40 for
	 * jan-mar, and the stated forecast goes with the unused value */
	year_value_and_months(&ind);
	cr_assert_not(kpi_eval_value_fits(&ind.value, YTD(4)));
	kpi_eval_indicator(&ind, YTD(4), 0.1, 1, 0);
	cr_assert(ind.res.has_outcome);
	cr_assert_float_eq(ind.res.outcome, 40, EPS);
	cr_assert_eq(ind.res.from_month, 1);
	cr_assert_eq(ind.res.to_month, 3);
	cr_assert_not(ind.res.has_forecast);

	/* without monthly figures there is no T1 outcome at all */
	memset(ind.main.m, 0, sizeof ind.main.m);
	kpi_eval_indicator(&ind, YTD(4), 0.1, 1, 0);
	cr_assert_not(ind.res.has_outcome);
	cr_assert_str_eq(ind.res.why, "no data");
}

Test(indicator, value_for_the_year_is_the_year_outcome)
{
	struct kpi_indicator ind;

	/* the year's report (December): the stated 68 and 70 are used */
	year_value_and_months(&ind);
	cr_assert(kpi_eval_value_fits(&ind.value, YTD(12)));
	kpi_eval_indicator(&ind, YTD(12), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 68, EPS);
	cr_assert_float_eq(ind.res.forecast, 70, EPS);
	cr_assert_eq(ind.res.from_month, 1);
	cr_assert_eq(ind.res.to_month, 12);
}

Test(indicator, value_within_the_period_counts_for_its_months)
{
	struct kpi_indicator ind;

	/* budget booked to date through July in a T2 report: used, and the
	 * period shown is jan-jul, as for monthly data ending in July */
	year_value_and_months(&ind);
	ind.value.month_to = 7;
	cr_assert(kpi_eval_value_fits(&ind.value, YTD(8)));
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 68, EPS);
	cr_assert_eq(ind.res.to_month, 7);
	/* one month past the period: not used */
	ind.value.month_to = 9;
	cr_assert_not(kpi_eval_value_fits(&ind.value, YTD(8)));
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 40, EPS);
}

Test(indicator, value_without_valid_months_is_not_used)
{
	struct kpi_indicator ind;

	year_value_and_months(&ind);
	ind.value.month_from = 0;
	ind.value.month_to = 0;
	cr_assert_not(kpi_eval_value_fits(&ind.value, YTD(12)));
	ind.value.month_from = 5;
	ind.value.month_to = 4;
	cr_assert_not(kpi_eval_value_fits(&ind.value, YTD(12)));
	kpi_eval_indicator(&ind, YTD(12), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 40, EPS);
}

Test(indicator, no_data_and_zero_denominator_give_reasons)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_RATIO, 100, KPI_DIR_HIGHER);
	target_number(&ind, 85);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_not(ind.res.has_outcome);
	cr_assert_not(ind.res.has_forecast);
	cr_assert_str_eq(ind.res.why, "no data");
	cr_assert_eq(ind.res.from_year, 0);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_NONE);

	put(&ind, RUN, 3, 4, 0);
	ind.forecast_kind = KPI_FORECAST_LINEAR;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_not(ind.res.has_outcome);
	cr_assert_not(ind.res.has_forecast);
	cr_assert_str_eq(ind.res.why, "denominator is 0");
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_NONE);
}

Test(indicator, result_is_reset_on_each_call)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 1, 0);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert(ind.res.has_outcome);
	cell(&ind, RUN, 1)->has = 0;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_not(ind.res.has_outcome);
	cr_assert_eq(ind.res.from_year, 0);
}

/* ---- forecasts ---- */

Test(forecast, none_and_manual)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 100, 0);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_not(ind.res.has_forecast);

	ind.forecast_kind = KPI_FORECAST_MANUAL;
	ind.forecast_value = 870;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert(ind.res.has_forecast);
	cr_assert_float_eq(ind.res.forecast, 870, EPS);

	/* a controller's number stands even without an outcome
	 * (hr.internship_share: 0 % so far, 0,8 % forecast) */
	cell(&ind, RUN, 1)->has = 0;
	ind.forecast_value = 0.8;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_not(ind.res.has_outcome);
	cr_assert(ind.res.has_forecast);
	cr_assert_float_eq(ind.res.forecast, 0.8, EPS);
}

Test(forecast, linear_sum_is_run_rate_over_months_with_data)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	ind.forecast_kind = KPI_FORECAST_LINEAR;
	put(&ind, RUN, 1, 100, 0);
	put(&ind, RUN, 2, 200, 0);
	put(&ind, RUN, 4, 300, 0);     /* March missing: 3 months */
	kpi_eval_indicator(&ind, YTD(4), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 600, EPS);
	cr_assert(ind.res.has_forecast);
	cr_assert_float_eq(ind.res.forecast, 600.0 * 12 / 3, EPS);

	/* data to July in a T2 run: 7 months */
	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	ind.forecast_kind = KPI_FORECAST_LINEAR;
	for (int m = 1; m <= 7; m++)
		put(&ind, RUN, m, 70, 0);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.forecast, 840, EPS);
}

Test(forecast, linear_on_a_stated_sum_uses_its_months)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	ind.forecast_kind = KPI_FORECAST_LINEAR;
	ind.has_value = 1;
	ind.value.year = 2011;
	ind.value.month_from = 1;
	ind.value.month_to = 8;
	ind.value.has_outcome = 1;
	ind.value.outcome = 102.2;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.forecast, 102.2 * 12 / 8, EPS);
}

Test(forecast, linear_ratio_equals_outcome)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_RATIO, 100, KPI_DIR_HIGHER);
	ind.forecast_kind = KPI_FORECAST_LINEAR;
	put(&ind, RUN, 1, 10, 20);
	put(&ind, RUN, 2, 90, 100);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert(ind.res.has_forecast);
	cr_assert_float_eq(ind.res.forecast, ind.res.outcome, EPS);
	cr_assert_float_eq(ind.res.forecast, 100.0 / 120.0 * 100.0, EPS);
}

Test(forecast, linear_and_seasonal_last_and_rolling12_equal_outcome)
{
	struct kpi_indicator ind;
	int kinds[] = { KPI_FORECAST_LINEAR, KPI_FORECAST_SEASONAL };

	for (int i = 0; i < 2; i++) {
		sick_leave(&ind);
		ind.forecast_kind = kinds[i];
		kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
		cr_assert(ind.res.has_forecast);
		cr_assert_float_eq(ind.res.forecast, 5.5, EPS);

		ind_init(&ind, KPI_AGG_LAST, 1, KPI_DIR_HIGHER);
		ind.forecast_kind = kinds[i];
		put(&ind, RUN, 2, 67, 0);
		kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
		cr_assert(ind.res.has_forecast);
		cr_assert_float_eq(ind.res.forecast, 67, EPS);
	}
}

/* Last year: 50 a month in January-August (400), 100 a month in
 * September-December (400): a year is twice its first eight months. */
static void seasonal_sum(struct kpi_indicator *ind)
{
	int m;

	ind_init(ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	ind->forecast_kind = KPI_FORECAST_SEASONAL;
	for (m = 1; m <= 12; m++)
		put(ind, PREV, m, m <= 8 ? 50 : 100, 0);
	for (m = 1; m <= 8; m++)
		put(ind, RUN, m, 60, 0);
}

Test(forecast, seasonal_sum_scales_by_last_years_profile)
{
	struct kpi_indicator ind;

	seasonal_sum(&ind);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 480, EPS);
	cr_assert(ind.res.has_forecast);
	cr_assert_float_eq(ind.res.forecast, 960, EPS);   /* linear: 720 */
}

Test(forecast, seasonal_sum_compares_the_same_months)
{
	struct kpi_indicator ind;

	/* data to July only: 420 x 800 / 350 = 960 */
	seasonal_sum(&ind);
	cell(&ind, RUN, 8)->has = 0;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 420, EPS);
	cr_assert_float_eq(ind.res.forecast, 960, EPS);
}

Test(forecast, seasonal_ratio_scales_numerator_and_denominator_apart)
{
	struct kpi_indicator ind;
	int m;

	/* last year: numerator 10 a month Jan-Aug (80) and 30 Sep-Dec
	 * (120), profile 200 / 80 = 2.5; denominator 100 a month, profile
	 * 1200 / 800 = 1.5.  This year 96 / 800 = 12 %; forecast
	 * (96 x 2.5) / (800 x 1.5) = 240 / 1200 = 20 %. */
	ind_init(&ind, KPI_AGG_RATIO, 100, KPI_DIR_HIGHER);
	ind.forecast_kind = KPI_FORECAST_SEASONAL;
	for (m = 1; m <= 12; m++)
		put(&ind, PREV, m, m <= 8 ? 10 : 30, 100);
	for (m = 1; m <= 8; m++)
		put(&ind, RUN, m, 12, 100);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 12, EPS);
	cr_assert(ind.res.has_forecast);
	cr_assert_float_eq(ind.res.forecast, 20, EPS);
}

Test(forecast, seasonal_needs_a_full_previous_year)
{
	struct kpi_indicator ind;

	seasonal_sum(&ind);
	cell(&ind, PREV, 11)->has = 0;      /* November 2010 missing */
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert(ind.res.has_outcome);
	cr_assert_not(ind.res.has_forecast);

	seasonal_sum(&ind);
	clear_year(&ind, PREV);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_not(ind.res.has_forecast);
}

Test(forecast, seasonal_with_zero_in_the_same_months_gives_none)
{
	struct kpi_indicator ind;
	int m;

	seasonal_sum(&ind);
	for (m = 1; m <= 8; m++)
		cell(&ind, PREV, m)->num = 0;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_not(ind.res.has_forecast);
}

/* ---- baseline ---- */

/* Last year's figure is the period's months a year earlier by default,
 * the whole previous year where asked; it is the baseline unless the
 * config gives one.  2010: January 30, August 5, December 40. */
Test(baseline, config_else_last_year_figure)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	ind.compare = KPI_COMPARE_DEFAULT;
	put(&ind, PREV, 1, 30, 0);
	put(&ind, PREV, 8, 5, 0);
	put(&ind, PREV, 12, 40, 0);
	/* T2: January-August 2010 = 30 + 5 */
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, KPI_COMPARE_SAME_PERIOD);
	cr_assert(ind.res.has_last);
	cr_assert_float_eq(ind.res.last, 35, EPS);
	cr_assert_eq(ind.res.compare, KPI_COMPARE_SAME_PERIOD);
	cr_assert_eq(ind.res.ask_from_year, 2010);
	cr_assert_eq(ind.res.ask_from_month, 1);
	cr_assert_eq(ind.res.ask_to_month, 8);
	cr_assert_eq(ind.res.last_to_month, 8);
	cr_assert(ind.res.has_baseline);
	cr_assert_float_eq(ind.res.baseline, 35, EPS);
	cr_assert_not(ind.res.baseline_cfg);

	/* the run's default: the whole of 2010 = 30 + 5 + 40 */
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, KPI_COMPARE_PREVIOUS_YEAR);
	cr_assert_float_eq(ind.res.last, 75, EPS);
	cr_assert_eq(ind.res.ask_to_month, 12);
	cr_assert_float_eq(ind.res.baseline, 75, EPS);
	/* the indicator's own key wins over the run's */
	ind.compare = KPI_COMPARE_SAME_PERIOD;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, KPI_COMPARE_PREVIOUS_YEAR);
	cr_assert_float_eq(ind.res.last, 35, EPS);

	/* a value the plugin stated for exactly January-August 2010 */
	ind.has_prev_value = 1;
	ind.prev_value.year = 2010;
	ind.prev_value.month_from = 1;
	ind.prev_value.month_to = 8;
	ind.prev_value.has_outcome = 1;
	ind.prev_value.outcome = 67;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.last, 67, EPS);
	cr_assert(ind.res.last_stated);
	/* ... but not one for other months */
	ind.prev_value.month_to = 12;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.last, 35, EPS);
	cr_assert_not(ind.res.last_stated);

	ind.has_baseline_cfg = 1;
	ind.baseline_cfg = 12;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_float_eq(ind.res.baseline, 12, EPS);
	cr_assert(ind.res.baseline_cfg);
	cr_assert_float_eq(ind.res.last, 35, EPS);
}

Test(baseline, previous_value_without_outcome_is_skipped)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_RATIO, 100, KPI_DIR_HIGHER);
	put(&ind, PREV, 3, 1, 4);
	ind.has_prev_value = 1;
	ind.prev_value.has_forecast = 1;
	ind.prev_value.forecast = 99;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert(ind.res.has_baseline);
	cr_assert_float_eq(ind.res.baseline, 25, EPS);
}

Test(baseline, none)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	put(&ind, RUN, 1, 5, 0);
	ind.target.kind = KPI_TARGET_INCREASE;
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, 0);
	cr_assert_not(ind.res.has_baseline);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_NONE);
}

/* ---- kpi_eval_indicator: assessment, seed figures ---- */

/* payroll.payslips_per_admin: Jan-Apr data summing to 847 in a T2 run,
 * forecast 870, target 900. */
static void payroll(struct kpi_indicator *ind)
{
	ind_init(ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	put(ind, RUN, 1, 200, 0);
	put(ind, RUN, 2, 210, 0);
	put(ind, RUN, 3, 220, 0);
	put(ind, RUN, 4, 217, 0);
	ind->forecast_kind = KPI_FORECAST_MANUAL;
	ind->forecast_value = 870;
	target_number(ind, 900);
}

Test(indicator, payroll_forecast_870_against_900_is_partial)
{
	struct kpi_indicator ind;
	char buf[64];

	payroll(&ind);
	kpi_eval_indicator(&ind, YTD(8), 0.10, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 847, EPS);
	cr_assert_float_eq(ind.res.forecast, 870, EPS);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_PARTIAL);
	kpi_period_label(buf, sizeof buf, KPI_LANG_SV, ind.res.from_year,
	                 ind.res.from_month, ind.res.to_year,
	                 ind.res.to_month);
	cr_assert_str_eq(buf, "Tertial 1 2011");
}

Test(indicator, forecast_is_assessed_before_outcome)
{
	struct kpi_indicator ind;

	/* outcome 800 would not be met (< 810); forecast 870 is partial */
	payroll(&ind);
	cell(&ind, RUN, 4)->num = 170;
	kpi_eval_indicator(&ind, YTD(8), 0.10, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 800, EPS);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_PARTIAL);

	ind.forecast_kind = KPI_FORECAST_NONE;
	kpi_eval_indicator(&ind, YTD(8), 0.10, 1, 0);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_NOT_MET);
}

Test(indicator, own_tolerance_overrides_default)
{
	struct kpi_indicator ind;

	payroll(&ind);
	ind.tolerance = 0;                  /* absolute 0: no "partially" */
	ind.tolerance_relative = 0;
	kpi_eval_indicator(&ind, YTD(8), 0.10, 1, 0);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_NOT_MET);

	ind.tolerance = 30;                 /* 870 >= 900 - 30 */
	kpi_eval_indicator(&ind, YTD(8), 0.0, 1, 0);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_PARTIAL);
}

/* A contact centre share: `pct` per cent of 1000 cases in each of
 * January-July. */
static void contact_centre(struct kpi_indicator *ind, double pct,
                           double target)
{
	ind_init(ind, KPI_AGG_RATIO, 100, KPI_DIR_HIGHER);
	for (int m = 1; m <= 7; m++)
		put(ind, RUN, m, pct * 10, 1000);
	target_number(ind, target);
}

Test(indicator, contact_centre_seed_rows)
{
	struct kpi_indicator ind;
	char buf[64];

	contact_centre(&ind, 69, 85);       /* answered within 60 s */
	kpi_eval_indicator(&ind, YTD(8), 0.10, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 69, EPS);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_NOT_MET);
	kpi_period_label(buf, sizeof buf, KPI_LANG_SV, ind.res.from_year,
	                 ind.res.from_month, ind.res.to_year,
	                 ind.res.to_month);
	cr_assert_str_eq(buf, "jan\xe2\x80\x93jul 2011");

	contact_centre(&ind, 88, 70);       /* first contact resolution */
	kpi_eval_indicator(&ind, YTD(8), 0.10, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 88, EPS);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_MET);
}

Test(indicator, sick_leave_against_lower_target)
{
	struct kpi_indicator ind;

	sick_leave(&ind);
	target_number(&ind, 4);             /* 5,5 % against 4 %: 4.4 */
	kpi_eval_indicator(&ind, YTD(8), 0.10, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 5.5, EPS);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_NOT_MET);
}

Test(indicator, increase_against_previous_value)
{
	struct kpi_indicator ind;

	/* NMI in the year's report: 2010 gave 67; 68 this year is an
	 * increase (the yearly value is no outcome of a T1 or T2 report) */
	ind_init(&ind, KPI_AGG_LAST, 1, KPI_DIR_HIGHER);
	ind.target.kind = KPI_TARGET_INCREASE;
	ind.has_value = 1;
	ind.value.year = 2011;
	ind.value.month_from = 1;
	ind.value.month_to = 12;
	ind.value.has_outcome = 1;
	ind.value.outcome = 68;
	ind.has_prev_value = 1;
	ind.prev_value.year = 2010;
	ind.prev_value.month_from = 1;
	ind.prev_value.month_to = 12;
	ind.prev_value.has_outcome = 1;
	ind.prev_value.outcome = 67;
	kpi_eval_indicator(&ind, YTD(12), 0.10, 1, 0);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_MET);
	ind.value.outcome = 66;             /* within 10 % of 67 */
	kpi_eval_indicator(&ind, YTD(12), 0.10, 1, 0);
	cr_assert_eq(ind.res.assessment, KPI_ASSESS_PARTIAL);
}

/* ---- kpi_assess ---- */

static int assess_num(double target, int dir, double v, double tol,
                      int rel)
{
	struct kpi_target t = { .kind = KPI_TARGET_NUMBER, .value = target };

	return kpi_assess(&t, dir, v, 0, 0, tol, rel);
}

Test(assess, number_higher_relative)
{
	/* 900 with 10 %: met from 900, partial from 810 */
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 950, 0.1, 1),
	             KPI_ASSESS_MET);
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 900, 0.1, 1),
	             KPI_ASSESS_MET);
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 899.99, 0.1, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 870, 0.1, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 810, 0.1, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 809.99, 0.1, 1),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_num(85, KPI_DIR_HIGHER, 69, 0.1, 1),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_num(70, KPI_DIR_HIGHER, 88, 0.1, 1),
	             KPI_ASSESS_MET);
}

Test(assess, number_higher_absolute)
{
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 850, 50, 0),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 849.99, 50, 0),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 899, 0, 0),
	             KPI_ASSESS_NOT_MET);
}

Test(assess, number_lower_relative_and_absolute)
{
	/* sick leave 4 %: 10 % of 4 is 0.4 */
	cr_assert_eq(assess_num(4, KPI_DIR_LOWER, 3.2, 0.1, 1),
	             KPI_ASSESS_MET);
	cr_assert_eq(assess_num(4, KPI_DIR_LOWER, 4, 0.1, 1),
	             KPI_ASSESS_MET);
	cr_assert_eq(assess_num(4, KPI_DIR_LOWER, 4.4, 0.1, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_num(4, KPI_DIR_LOWER, 4.41, 0.1, 1),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_num(4, KPI_DIR_LOWER, 5.5, 0.1, 1),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_num(4, KPI_DIR_LOWER, 4.5, 0.5, 0),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_num(4, KPI_DIR_LOWER, 4.51, 0.5, 0),
	             KPI_ASSESS_NOT_MET);
}

Test(assess, relative_tolerance_uses_magnitude_of_negative_target)
{
	/* -2 with 10 %: 0.2 either way */
	cr_assert_eq(assess_num(-2, KPI_DIR_HIGHER, -2.2, 0.1, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_num(-2, KPI_DIR_HIGHER, -2.21, 0.1, 1),
	             KPI_ASSESS_NOT_MET);
}

Test(assess, rounding_noise_counts_as_equal)
{
	cr_assert_eq(assess_num(100, KPI_DIR_HIGHER, 99.9999999999, 0, 0),
	             KPI_ASSESS_MET);
	cr_assert_eq(assess_num(100, KPI_DIR_LOWER, 100.0000000001, 0, 0),
	             KPI_ASSESS_MET);
	cr_assert_eq(assess_num(100, KPI_DIR_NONE, 100.0000000001, 0, 0),
	             KPI_ASSESS_MET);
	/* 0.1 + 0.2 is not 0.3 in binary */
	cr_assert_eq(assess_num(0.3, KPI_DIR_HIGHER, 0.1 + 0.2 - 1e-17, 0,
	                        0), KPI_ASSESS_MET);
	/* but a real difference is not noise */
	cr_assert_eq(assess_num(100, KPI_DIR_LOWER, 100.00001, 0, 0),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_num(0, KPI_DIR_LOWER, 0.001, 0, 0),
	             KPI_ASSESS_NOT_MET);
}

Test(assess, number_without_direction)
{
	cr_assert_eq(assess_num(100, KPI_DIR_NONE, 100, 2, 0),
	             KPI_ASSESS_MET);
	cr_assert_eq(assess_num(100, KPI_DIR_NONE, 102, 2, 0),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_num(100, KPI_DIR_NONE, 98, 2, 0),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_num(100, KPI_DIR_NONE, 102.1, 2, 0),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_num(100, KPI_DIR_NONE, 95, 0.05, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_num(100, KPI_DIR_NONE, 94.9, 0.05, 1),
	             KPI_ASSESS_NOT_MET);
}

static int assess_base(int kind, double v, int has_base, double base,
                       double tol, int rel)
{
	struct kpi_target t = { .kind = kind };

	return kpi_assess(&t, KPI_DIR_HIGHER, v, has_base, base, tol, rel);
}

Test(assess, increase)
{
	/* baseline 67, 10 % of it is 6.7 */
	cr_assert_eq(assess_base(KPI_TARGET_INCREASE, 67.1, 1, 67, 0.1, 1),
	             KPI_ASSESS_MET);
	cr_assert_eq(assess_base(KPI_TARGET_INCREASE, 67, 1, 67, 0.1, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_base(KPI_TARGET_INCREASE, 67.0000000001, 1, 67,
	                         0.1, 1), KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_base(KPI_TARGET_INCREASE, 60.3, 1, 67, 0.1, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_base(KPI_TARGET_INCREASE, 60.2, 1, 67, 0.1, 1),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_base(KPI_TARGET_INCREASE, 66, 1, 67, 1, 0),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_base(KPI_TARGET_INCREASE, 65.9, 1, 67, 1, 0),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_base(KPI_TARGET_INCREASE, 100, 0, 0, 0.1, 1),
	             KPI_ASSESS_NONE);
}

Test(assess, decrease)
{
	/* baseline 10 incidents, 10 % of it is 1 */
	cr_assert_eq(assess_base(KPI_TARGET_DECREASE, 9, 1, 10, 0.1, 1),
	             KPI_ASSESS_MET);
	cr_assert_eq(assess_base(KPI_TARGET_DECREASE, 10, 1, 10, 0.1, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_base(KPI_TARGET_DECREASE, 11, 1, 10, 0.1, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_base(KPI_TARGET_DECREASE, 11.1, 1, 10, 0.1, 1),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_base(KPI_TARGET_DECREASE, 10.5, 1, 10, 0.5, 0),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_base(KPI_TARGET_DECREASE, 10.6, 1, 10, 0.5, 0),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_base(KPI_TARGET_DECREASE, 1, 0, 10, 0.1, 1),
	             KPI_ASSESS_NONE);
}

static int assess_range(double c, double w, double v, double tol, int rel)
{
	struct kpi_target t = { .kind = KPI_TARGET_RANGE, .value = c,
	                        .width = w };

	return kpi_assess(&t, KPI_DIR_NONE, v, 0, 0, tol, rel);
}

Test(assess, range)
{
	/* forecast accuracy 100 +/- 1 */
	cr_assert_eq(assess_range(100, 1, 100, 0.5, 0), KPI_ASSESS_MET);
	cr_assert_eq(assess_range(100, 1, 101, 0.5, 0), KPI_ASSESS_MET);
	cr_assert_eq(assess_range(100, 1, 99, 0.5, 0), KPI_ASSESS_MET);
	cr_assert_eq(assess_range(100, 1, 101.0000000001, 0, 0),
	             KPI_ASSESS_MET);
	cr_assert_eq(assess_range(100, 1, 101.5, 0.5, 0),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_range(100, 1, 98.5, 0.5, 0),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_range(100, 1, 101.6, 0.5, 0),
	             KPI_ASSESS_NOT_MET);
	/* relative: 1 % of the centre 100 */
	cr_assert_eq(assess_range(100, 1, 102, 0.01, 1),
	             KPI_ASSESS_PARTIAL);
	cr_assert_eq(assess_range(100, 1, 97.9, 0.01, 1),
	             KPI_ASSESS_NOT_MET);
}

Test(assess, not_assessed)
{
	struct kpi_target t = { .kind = KPI_TARGET_TEXT, .value = 1 };

	cr_assert_eq(kpi_assess(&t, KPI_DIR_HIGHER, 1, 1, 1, 0.1, 1),
	             KPI_ASSESS_NONE);
	t.kind = KPI_TARGET_NONE;
	cr_assert_eq(kpi_assess(&t, KPI_DIR_HIGHER, 1, 1, 1, 0.1, 1),
	             KPI_ASSESS_NONE);
	t.kind = KPI_TARGET_NUMBER;
	cr_assert_eq(kpi_assess(&t, KPI_DIR_HIGHER, NAN, 0, 0, 0.1, 1),
	             KPI_ASSESS_NONE);
	cr_assert_eq(kpi_assess(&t, KPI_DIR_HIGHER, INFINITY, 0, 0, 0.1, 1),
	             KPI_ASSESS_NONE);
	cr_assert_eq(kpi_assess(NULL, KPI_DIR_HIGHER, 1, 0, 0, 0.1, 1),
	             KPI_ASSESS_NONE);
}

Test(assess, negative_tolerance_is_zero)
{
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 899, -5, 0),
	             KPI_ASSESS_NOT_MET);
	cr_assert_eq(assess_num(900, KPI_DIR_HIGHER, 899, NAN, 0),
	             KPI_ASSESS_NOT_MET);
}

/* ---- goal roll-up ---- */

static struct kpi_indicator *assessed(struct kpi_indicator *ind, int a)
{
	ind_init(ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	ind->res.assessment = a;
	return ind;
}

static void goal_init(struct kpi_goal *g, struct kpi_indicator **inds,
                      size_t n_inds, struct kpi_goal **kids, size_t n_kids)
{
	memset(g, 0, sizeof *g);
	g->indicators = inds;
	g->n_indicators = n_inds;
	g->children = kids;
	g->n_children = n_kids;
	g->stated = -1;
	g->assessment = -1;
}

static int roll(int a, int b)
{
	struct kpi_indicator i1, i2;
	struct kpi_indicator *inds[] = { assessed(&i1, a), assessed(&i2, b) };
	struct kpi_goal g;

	goal_init(&g, inds, 2, NULL, 0);
	return kpi_eval_goal(&g);
}

Test(goal, pairs)
{
	enum { N = KPI_ASSESS_NONE, M = KPI_ASSESS_MET,
	       P = KPI_ASSESS_PARTIAL, X = KPI_ASSESS_NOT_MET };

	cr_assert_eq(roll(M, M), M);
	cr_assert_eq(roll(X, X), X);
	cr_assert_eq(roll(M, X), P);
	cr_assert_eq(roll(M, P), P);
	cr_assert_eq(roll(P, X), P);
	cr_assert_eq(roll(P, P), P);   /* none met, but not "not met" */
	cr_assert_eq(roll(M, N), M);   /* not assessed does not count */
	cr_assert_eq(roll(X, N), X);
	cr_assert_eq(roll(N, N), N);
}

Test(goal, nested_children_first)
{
	struct kpi_indicator a, b, c, d, e;
	struct kpi_indicator *pay[] = { assessed(&a, KPI_ASSESS_PARTIAL) };
	struct kpi_indicator *cc[] = { assessed(&b, KPI_ASSESS_MET),
	                               assessed(&c, KPI_ASSESS_NOT_MET) };
	struct kpi_indicator *fin[] = { assessed(&d, KPI_ASSESS_NOT_MET),
	                                assessed(&e, KPI_ASSESS_NONE) };
	struct kpi_goal g3, g_pay, g_cc, g_fin, g_empty, g31;
	struct kpi_goal *kids31[] = { &g_pay, &g_cc };
	struct kpi_goal *kids3[] = { &g31, &g_fin, &g_empty };

	goal_init(&g_pay, pay, 1, NULL, 0);
	goal_init(&g_cc, cc, 2, NULL, 0);
	goal_init(&g_fin, fin, 2, NULL, 0);
	goal_init(&g_empty, NULL, 0, NULL, 0);
	goal_init(&g31, NULL, 0, kids31, 2);
	goal_init(&g3, NULL, 0, kids3, 3);

	cr_assert_eq(kpi_eval_goal(&g3), KPI_ASSESS_PARTIAL);
	cr_assert_eq(g3.assessment, KPI_ASSESS_PARTIAL);
	cr_assert_eq(g31.assessment, KPI_ASSESS_PARTIAL);
	cr_assert_eq(g_pay.assessment, KPI_ASSESS_PARTIAL);
	cr_assert_eq(g_cc.assessment, KPI_ASSESS_PARTIAL);
	cr_assert_eq(g_fin.assessment, KPI_ASSESS_NOT_MET);
	cr_assert_eq(g_empty.assessment, KPI_ASSESS_NONE);
}

Test(goal, sub_goals_and_indicators_together)
{
	struct kpi_indicator a, b;
	struct kpi_indicator *own[] = { assessed(&a, KPI_ASSESS_MET) };
	struct kpi_indicator *sub_inds[] = { assessed(&b, KPI_ASSESS_MET) };
	struct kpi_goal g, sub;
	struct kpi_goal *kids[] = { &sub };

	goal_init(&sub, sub_inds, 1, NULL, 0);
	goal_init(&g, own, 1, kids, 1);
	cr_assert_eq(kpi_eval_goal(&g), KPI_ASSESS_MET);

	b.res.assessment = KPI_ASSESS_NOT_MET;
	cr_assert_eq(kpi_eval_goal(&g), KPI_ASSESS_PARTIAL);
	cr_assert_eq(sub.assessment, KPI_ASSESS_NOT_MET);

	a.res.assessment = KPI_ASSESS_NONE;
	cr_assert_eq(kpi_eval_goal(&g), KPI_ASSESS_NOT_MET);
	cr_assert_eq(kpi_eval_goal(NULL), KPI_ASSESS_NONE);
}

Test(goal, after_eval_indicator)
{
	struct kpi_indicator pay, cc_60, cc_fcr;
	struct kpi_indicator *inds[] = { &pay, &cc_60, &cc_fcr };
	struct kpi_goal g;

	payroll(&pay);
	contact_centre(&cc_60, 69, 85);
	contact_centre(&cc_fcr, 88, 70);
	kpi_eval_indicator(&pay, YTD(8), 0.1, 1, 0);
	kpi_eval_indicator(&cc_60, YTD(8), 0.1, 1, 0);
	kpi_eval_indicator(&cc_fcr, YTD(8), 0.1, 1, 0);
	goal_init(&g, inds, 3, NULL, 0);
	cr_assert_eq(kpi_eval_goal(&g), KPI_ASSESS_PARTIAL);
}

/* ---- period labels ---- */

static const char *lbl(int lang, int fy, int fm, int ty, int tm)
{
	static char buf[64];

	return kpi_period_label(buf, sizeof buf, lang, fy, fm, ty, tm);
}

Test(label, swedish)
{
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 1, 2011, 4), "Tertial 1 2011");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 1, 2011, 8), "Tertial 2 2011");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 1, 2011, 12), "2011");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 7, 2011, 7), "jul 2011");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 1, 2011, 7),
	                 "jan\xe2\x80\x93jul 2011");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 5, 2011, 8),
	                 "maj\xe2\x80\x93" "aug 2011");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 9, 2011, 12),
	                 "sep\xe2\x80\x93" "dec 2011");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2010, 8, 2011, 7),
	                 "aug 2010\xe2\x80\x93jul 2011");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2010, 10, 2011, 10),
	                 "okt 2010\xe2\x80\x93okt 2011");
}

Test(label, english)
{
	cr_assert_str_eq(lbl(KPI_LANG_EN, 2011, 1, 2011, 4), "T1 2011");
	cr_assert_str_eq(lbl(KPI_LANG_EN, 2011, 1, 2011, 8), "T2 2011");
	cr_assert_str_eq(lbl(KPI_LANG_EN, 2011, 1, 2011, 12), "2011");
	cr_assert_str_eq(lbl(KPI_LANG_EN, 2011, 5, 2011, 5), "May 2011");
	cr_assert_str_eq(lbl(KPI_LANG_EN, 2011, 1, 2011, 7),
	                 "Jan\xe2\x80\x93Jul 2011");
	cr_assert_str_eq(lbl(KPI_LANG_EN, 2010, 8, 2011, 7),
	                 "Aug 2010\xe2\x80\x93Jul 2011");
	cr_assert_str_eq(lbl(KPI_LANG_EN, 2010, 12, 2011, 1),
	                 "Dec 2010\xe2\x80\x93Jan 2011");
}

Test(label, empty_or_invalid)
{
	char buf[16];

	cr_assert_str_eq(lbl(KPI_LANG_SV, 0, 0, 0, 0), "");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 0, 1, 2011, 8), "");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 0, 2011, 8), "");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 1, 2011, 13), "");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 8, 2011, 7), "");
	cr_assert_str_eq(lbl(KPI_LANG_SV, 2011, 1, 2010, 12), "");

	/* never cut short: "Tertial 2 2011" needs 15 bytes */
	memset(buf, 'x', sizeof buf);
	cr_assert_str_eq(kpi_period_label(buf, 14, KPI_LANG_SV, 2011, 1,
	                                  2011, 8), "");
	cr_assert_str_eq(kpi_period_label(buf, 15, KPI_LANG_SV, 2011, 1,
	                                  2011, 8), "Tertial 2 2011");
	buf[0] = 'x';
	kpi_period_label(buf, 0, KPI_LANG_SV, 2011, 1, 2011, 8);
	cr_assert_eq(buf[0], 'x');
}

/* The rule behind each grade, on docs/evaluation.md's worked example:
 * payslips per administrator, target 900, tolerance 10 % = 90, so met
 * from 900, partially met down to 810, not met below. */
Test(rule, higher_is_better_names_the_band_and_the_tolerance)
{
	struct kpi_target t = { .kind = KPI_TARGET_NUMBER, .value = 900 };
	int rule = -1;
	double tol = -1;

	cr_assert_eq(kpi_assess_rule(&t, KPI_DIR_HIGHER, 870, 0, 0, 0.10, 1,
	                             &rule, &tol), KPI_ASSESS_PARTIAL);
	cr_assert_eq(rule, KPI_RULE_HIGHER_TOLERANCE);
	cr_assert_float_eq(tol, 90, EPS);
	cr_assert_str_eq(kpi_rule_id(rule), "higher_within_tolerance");
	kpi_assess_rule(&t, KPI_DIR_HIGHER, 900, 0, 0, 0.10, 1, &rule, NULL);
	cr_assert_str_eq(kpi_rule_id(rule), "higher_met");
	kpi_assess_rule(&t, KPI_DIR_HIGHER, 809.99, 0, 0, 0.10, 1, &rule, NULL);
	cr_assert_str_eq(kpi_rule_id(rule), "higher_not_met");
}

Test(rule, each_target_kind_has_its_rule)
{
	struct kpi_target none = { .kind = KPI_TARGET_NONE };
	struct kpi_target text = { .kind = KPI_TARGET_TEXT };
	struct kpi_target inc = { .kind = KPI_TARGET_INCREASE };
	struct kpi_target range = { .kind = KPI_TARGET_RANGE, .value = 100,
	                            .width = 1 };
	struct kpi_target num = { .kind = KPI_TARGET_NUMBER, .value = 4 };
	int rule = -1;

	/* sick leave 5,5 % against 4 %, lower is better: 4 * 1.1 = 4.4 */
	cr_assert_eq(kpi_assess_rule(&num, KPI_DIR_LOWER, 5.5, 0, 0, 0.1, 1,
	                             &rule, NULL), KPI_ASSESS_NOT_MET);
	cr_assert_str_eq(kpi_rule_id(rule), "lower_not_met");
	kpi_assess_rule(&num, KPI_DIR_NONE, 4.3, 0, 0, 0.1, 1, &rule, NULL);
	cr_assert_str_eq(kpi_rule_id(rule), "equal_within_tolerance");
	kpi_assess_rule(&none, KPI_DIR_HIGHER, 1, 0, 0, 0.1, 1, &rule, NULL);
	cr_assert_str_eq(kpi_rule_id(rule), "no_target");
	kpi_assess_rule(&text, KPI_DIR_HIGHER, 1, 0, 0, 0.1, 1, &rule, NULL);
	cr_assert_str_eq(kpi_rule_id(rule), "text_target");
	kpi_assess_rule(&inc, KPI_DIR_HIGHER, 1, 0, 0, 0.1, 1, &rule, NULL);
	cr_assert_str_eq(kpi_rule_id(rule), "no_baseline");
	/* 0,8 % against last year's 0,5 %: above, so met */
	kpi_assess_rule(&inc, KPI_DIR_HIGHER, 0.8, 1, 0.5, 0.1, 1, &rule, NULL);
	cr_assert_str_eq(kpi_rule_id(rule), "increase_met");
	/* 102 against 100 +/- 1 with 1 % tolerance: 2 <= 1 + 1 */
	kpi_assess_rule(&range, KPI_DIR_NONE, 102, 0, 0, 0.01, 1, &rule, NULL);
	cr_assert_str_eq(kpi_rule_id(rule), "range_within_tolerance");
	kpi_assess_rule(&num, KPI_DIR_LOWER, NAN, 0, 0, 0.1, 1, &rule, NULL);
	cr_assert_str_eq(kpi_rule_id(rule), "not_finite");
	cr_assert_str_eq(kpi_rule_id(999), "no_data");
}

/* kpi_eval_indicator records which figure the rule compared. */
Test(rule, the_forecast_is_compared_when_there_is_one)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	target_number(&ind, 900);
	put(&ind, RUN, 1, 800, 0);      /* 800 < 900 - 90 */
	kpi_eval_indicator(&ind, YTD(4), 0.10, 1, 0);
	cr_assert_eq(ind.res.rule, KPI_RULE_HIGHER_NOT_MET);
	cr_assert_eq(ind.res.assessed_forecast, 0);
	ind.forecast_kind = KPI_FORECAST_MANUAL;
	ind.forecast_value = 870;
	kpi_eval_indicator(&ind, YTD(4), 0.10, 1, 0);
	cr_assert_eq(ind.res.rule, KPI_RULE_HIGHER_TOLERANCE);
	cr_assert_eq(ind.res.assessed_forecast, 1);
	cr_assert_float_eq(ind.res.tolerance_abs, 90, EPS);
	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	kpi_eval_indicator(&ind, YTD(4), 0.10, 1, 0);
	cr_assert_eq(ind.res.rule, KPI_RULE_NO_DATA);
}

/* ---- periods other than a year to date, and the month window ---- */

/* The window of a T2 2011 run starts 23 months before January 2011
 * (February 2009: last year's rolling 12 months) and ends with August
 * 2011; a two-year range 2010-01..2011-12 uses every slot. */
Test(window, slots_of_a_year_to_date_and_of_the_longest_range)
{
	struct kpi_period t2 = { KPI_PERIOD_TERTIAL, 2011, 1, 2011, 8 };
	struct kpi_period two = { KPI_PERIOD_RANGE, 2010, 1, 2011, 12 };
	struct kpi_period q1 = { KPI_PERIOD_QUARTER, 2012, 1, 2012, 3 };

	cr_assert_eq(kpi_window_slot(&t2, 2009, 2), 0);
	cr_assert_eq(kpi_window_slot(&t2, 2009, 1), -1);
	cr_assert_eq(kpi_window_slot(&t2, 2010, 1), 11);
	cr_assert_eq(kpi_window_slot(&t2, 2011, 8), 30);
	cr_assert_eq(kpi_window_slot(&t2, 2011, 9), -1);
	cr_assert_eq(kpi_window_slot(&t2, 2011, 0), -1);
	cr_assert_eq(kpi_window_slot(&t2, 2011, 13), -1);
	cr_assert_eq(kpi_window_slot(&t2, -2147483647, 1), -1);
	cr_assert_eq(kpi_window_slot(&t2, 2147483647, 1), -1);
	/* February 2008 .. December 2011: 47 months */
	cr_assert_eq(kpi_window_slot(&two, 2008, 2), 0);
	cr_assert_eq(kpi_window_slot(&two, 2008, 1), -1);
	cr_assert_eq(kpi_window_slot(&two, 2011, 12), KPI_WINDOW_MONTHS - 1);
	/* Q1 2012: February 2010 .. March 2012; April 2012 is outside */
	cr_assert_eq(kpi_window_slot(&q1, 2010, 2), 0);
	cr_assert_eq(kpi_window_slot(&q1, 2012, 3), 25);
	cr_assert_eq(kpi_window_slot(&q1, 2012, 4), -1);
}

/* Q3 2011 (July-September) over seasonal_sum: 2010 is 50 a month to
 * August, 100 after; 2011 is 60 a month January-August.  The outcome is
 * July and August alone (120); the forecast is of 2011 from January to
 * September, whatever the period (480 * 800 / 400 = 960, linear 480 * 12 /
 * 8 = 720); last year is July-August 2010 (50 + 50). */
Test(period, quarter_outcome_year_forecast_and_last_year)
{
	struct kpi_period q3 = { KPI_PERIOD_QUARTER, 2011, 7, 2011, 9 };
	struct kpi_indicator ind;

	seasonal_sum(&ind);
	kpi_eval_indicator(&ind, &q3, 0.1, 1, KPI_COMPARE_SAME_PERIOD);
	cr_assert(ind.res.has_outcome);
	cr_assert_float_eq(ind.res.outcome, 120, EPS);
	cr_assert_eq(ind.res.from_month, 7);
	cr_assert_eq(ind.res.to_month, 8);
	cr_assert(ind.res.has_forecast);
	cr_assert_float_eq(ind.res.forecast, 960, EPS);
	cr_assert(ind.res.has_last);
	cr_assert_float_eq(ind.res.last, 100, EPS);
	cr_assert_eq(ind.res.last_from_year, 2010);
	cr_assert_eq(ind.res.last_from_month, 7);
	cr_assert_eq(ind.res.last_to_month, 8);

	ind.forecast_kind = KPI_FORECAST_LINEAR;
	kpi_eval_indicator(&ind, &q3, 0.1, 1, KPI_COMPARE_SAME_PERIOD);
	cr_assert_float_eq(ind.res.forecast, 720, EPS);

	/* the whole previous year: 8 * 50 + 4 * 100 */
	kpi_eval_indicator(&ind, &q3, 0.1, 1, KPI_COMPARE_PREVIOUS_YEAR);
	cr_assert_float_eq(ind.res.last, 800, EPS);
	cr_assert_eq(ind.res.last_from_month, 1);
	cr_assert_eq(ind.res.last_to_month, 12);
}

/* A value stated for January-August is no outcome of Q3 (it starts before
 * July) but its full-year forecast is the year's. */
Test(period, stated_year_to_date_value_in_a_quarter)
{
	struct kpi_period q3 = { KPI_PERIOD_QUARTER, 2011, 7, 2011, 9 };
	struct kpi_indicator ind;

	seasonal_sum(&ind);
	ind.has_value = 1;
	ind.value.year = 2011;
	ind.value.month_from = 1;
	ind.value.month_to = 8;
	ind.value.has_outcome = 1;
	ind.value.outcome = 500;
	ind.value.has_forecast = 1;
	ind.value.forecast = 900;
	cr_assert_not(kpi_eval_value_fits(&ind.value, &q3));
	cr_assert(kpi_eval_value_fits(&ind.value, YTD(8)));
	kpi_eval_indicator(&ind, &q3, 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 120, EPS);
	cr_assert_not(ind.res.outcome_stated);
	cr_assert_float_eq(ind.res.forecast, 900, EPS);
	cr_assert(ind.res.forecast_stated);
	/* one for July-September is Q3's outcome */
	ind.value.month_from = 7;
	ind.value.month_to = 9;
	cr_assert(kpi_eval_value_fits(&ind.value, &q3));
	kpi_eval_indicator(&ind, &q3, 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 500, EPS);
	cr_assert(ind.res.outcome_stated);
}

/* Rolling 12 months, last year: the outcome covers Aug 2010 - Jul 2011,
 * so last year's value is the 12 months ending July 2010, of which the
 * window holds January-July 2010 (9 / 100 each): 63 / 700 = 9 %.  The
 * whole of 2010: (7 * 9 + 5 * 5) / 1200 = 7,33 %. */
Test(period, rolling12_last_year)
{
	struct kpi_indicator ind;

	sick_leave(&ind);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, KPI_COMPARE_SAME_PERIOD);
	cr_assert_eq(ind.res.from_year, 2010);
	cr_assert_eq(ind.res.from_month, 8);
	cr_assert(ind.res.has_last);
	cr_assert_float_eq(ind.res.last, 9.0, EPS);
	cr_assert_eq(ind.res.last_from_year, 2010);
	cr_assert_eq(ind.res.last_from_month, 1);
	cr_assert_eq(ind.res.last_to_month, 7);
	kpi_eval_indicator(&ind, YTD(8), 0.1, 1, KPI_COMPARE_PREVIOUS_YEAR);
	cr_assert_float_eq(ind.res.last, 88.0 / 1200.0 * 100.0, EPS);
}

/* A range across New Year, November 2010 - February 2011, sums its four
 * months; a period longer than the limit is refused by eval as well. */
Test(period, range_across_new_year)
{
	struct kpi_period r = { KPI_PERIOD_RANGE, 2010, 11, 2011, 2 };
	struct kpi_period longer = { KPI_PERIOD_RANGE, 2009, 1, 2011, 2 };
	struct kpi_indicator ind;

	/* this period's window starts in December 2008, not February 2009 as
	 * a year to date's: the slots are its own */
	static const int data[][3] = { { 2010, 10, 1000 }, { 2010, 11, 1 },
	                               { 2010, 12, 2 }, { 2011, 1, 4 },
	                               { 2011, 2, 8 } };

	ind_init(&ind, KPI_AGG_SUM, 1, KPI_DIR_HIGHER);
	cr_assert_eq(kpi_window_first(&r), kpi_period_index(2008, 12));
	for (size_t k = 0; k < sizeof data / sizeof data[0]; k++) {
		struct kpi_month *m = &ind.main.m[kpi_window_slot(&r, data[k][0],
		                                                  data[k][1])];

		m->num = data[k][2];
		m->has = 1;
	}
	/* March 2011 lies after the period: no slot */
	cr_assert_eq(kpi_window_slot(&r, 2011, 3), -1);
	kpi_eval_indicator(&ind, &r, 0.1, 1, 0);
	cr_assert_float_eq(ind.res.outcome, 15, EPS);
	cr_assert_eq(ind.res.from_year, 2010);
	cr_assert_eq(ind.res.from_month, 11);
	cr_assert_eq(ind.res.to_year, 2011);
	cr_assert_eq(ind.res.to_month, 2);
	kpi_eval_indicator(&ind, &longer, 0.1, 1, 0);
	cr_assert_not(ind.res.has_outcome);
	cr_assert_str_eq(ind.res.why, "invalid period");
}
