/*
 * test_odds.c - the chance of meeting the target, the year-end interval
 * and the pace (docs/evaluation.md sections 10 and 11): a case worked by
 * hand, the guards, and the probability of a ratio checked against a
 * Monte Carlo simulation of the same model written here afresh.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "eval.h"
#include "odds.h"
#include "window.h"

#define PREV 2010
#define RUN 2011

static const struct kpi_period *ytd(int m)
{
	static struct kpi_period p;

	p = (struct kpi_period){ KPI_PERIOD_TO_MONTH, RUN, 1, RUN, m };
	return &p;
}

static void put(struct kpi_indicator *ind, int year, int month, double num,
                double den)
{
	int slot = kpi_window_slot(ytd(12), year, month);

	cr_assert(slot >= 0);
	ind->main.m[slot] = (struct kpi_month){ num, den, 1 };
}

static void ind_init(struct kpi_indicator *ind, int agg, int dir)
{
	memset(ind, 0, sizeof *ind);
	ind->aggregation = agg;
	ind->scale = agg == KPI_AGG_RATIO ? 100 : 1;
	ind->direction = dir;
	ind->tolerance = -1;
	ind->stated = -1;
	ind->compare = KPI_COMPARE_DEFAULT;
}

static void eval(struct kpi_indicator *ind, int month)
{
	kpi_eval_indicator(ind, ytd(month), 0.1, 1, KPI_COMPARE_SAME_PERIOD);
}

/*
 * By hand: a sum, January 100, February 110, March 90, no last year, a
 * linear forecast 300 * 12 / 3 = 1 200.  The flat profile's level is 100,
 * so the deviations are 0, +0,1, -0,1: variance 0,02 / (3 - 1) = 0,01.
 * Each of the nine months to come is expected at (1 200 - 300) / 9 = 100,
 * so the year's variance is 9 * 100^2 * 0,01 = 900, sd 30.  The 80 %
 * interval is 1 200 -/+ 1,28155 * 30 = 1 161,55 .. 1 238,45 (1 161,5535 .. 1 238,4465).  Against a
 * target of 1 230 (higher is better) the chance is Phi(-30 / 30) =
 * Phi(-1) = 0,158655.  The pace by March is 1 230 * 3 / 12 = 307,5
 * against 300: behind.
 */
Test(odds, sum_by_hand)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_SUM, KPI_DIR_HIGHER);
	ind.forecast_kind = KPI_FORECAST_LINEAR;
	ind.target.kind = KPI_TARGET_NUMBER;
	ind.target.value = 1230;
	put(&ind, RUN, 1, 100, 0);
	put(&ind, RUN, 2, 110, 0);
	put(&ind, RUN, 3, 90, 0);
	eval(&ind, 3);
	cr_assert_float_eq(ind.res.forecast, 1200, 1e-9);
	cr_assert(ind.res.has_interval);
	cr_assert_float_eq(ind.res.year_sd, 30, 1e-9);
	cr_assert_float_eq(ind.res.interval_lo, 1161.5535, 1e-3);
	cr_assert_float_eq(ind.res.interval_hi, 1238.4465, 1e-3);
	cr_assert(ind.res.has_chance);
	cr_assert_float_eq(ind.res.chance, 0.158655, 1e-6);
	cr_assert_eq(ind.res.pace, KPI_PACE_BEHIND);
	cr_assert_float_eq(ind.res.pace_expected, 307.5, 1e-9);
	cr_assert_float_eq(ind.res.pace_actual, 300, 1e-9);

	/* lower is better: the chance of staying at most 1 230 is
	 * Phi(1) = 0,841345; the pace 300 <= 307,5 is on track */
	ind.direction = KPI_DIR_LOWER;
	eval(&ind, 3);
	cr_assert_float_eq(ind.res.chance, 0.841345, 1e-6);
	cr_assert_eq(ind.res.pace, KPI_PACE_ON_TRACK);

	/* a range 1 200 +/- 30: Phi(1) - Phi(-1) = 0,682689 */
	ind.target.kind = KPI_TARGET_RANGE;
	ind.target.value = 1200;
	ind.target.width = 30;
	eval(&ind, 3);
	cr_assert_float_eq(ind.res.chance, 0.682689, 1e-6);
	cr_assert_eq(ind.res.pace, KPI_PACE_NONE);   /* not a number target */
}

/* Two months are too few for either; a stated outcome, a level and a
 * year with no month left give no chance. */
Test(odds, guards)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_SUM, KPI_DIR_HIGHER);
	ind.forecast_kind = KPI_FORECAST_LINEAR;
	ind.target.kind = KPI_TARGET_NUMBER;
	ind.target.value = 1000;
	put(&ind, RUN, 1, 100, 0);
	put(&ind, RUN, 2, 110, 0);
	eval(&ind, 2);
	cr_assert(ind.res.has_forecast);
	cr_assert(!ind.res.has_interval && !ind.res.has_chance);
	cr_assert_str_eq(ind.res.odds_why, "too few months");
	cr_assert_eq(ind.res.pace, KPI_PACE_NONE);
	cr_assert_str_eq(ind.res.pace_why, "too few months");

	for (int m = 3; m <= 12; m++)
		put(&ind, RUN, m, 100, 0);
	eval(&ind, 12);
	cr_assert(!ind.res.has_chance);
	cr_assert_str_eq(ind.res.odds_why, "no month left");
	cr_assert_str_eq(ind.res.pace_why, "the year is complete");

	ind.aggregation = KPI_AGG_LAST;
	eval(&ind, 6);
	cr_assert(!ind.res.has_interval);
	cr_assert_str_eq(ind.res.odds_why, "not a sum or a ratio");

	/* no forecast: no interval, but a pace */
	ind.aggregation = KPI_AGG_SUM;
	ind.forecast_kind = KPI_FORECAST_NONE;
	eval(&ind, 6);
	cr_assert_str_eq(ind.res.odds_why, "no forecast");
	/* 600 by June against 1 000 * 6 / 12 = 500: on track */
	cr_assert_eq(ind.res.pace, KPI_PACE_ON_TRACK);
	cr_assert_float_eq(ind.res.pace_expected, 500, 1e-9);
}

/*
 * Pace against last year's profile, a ratio: last year 10 of 100 each
 * month January-June and 30 of 100 July-December, 20 % for the year;
 * January-June was 10 %, half the year's ratio.  A target of 18 % asks
 * 18 * 10 / 20 = 9 % by June; this year's 9,5 % (19 of 200 in two
 * months... here 57 of 600 over six) is on track, 8 % is behind.
 */
Test(odds, pace_ratio_profile)
{
	struct kpi_indicator ind;

	ind_init(&ind, KPI_AGG_RATIO, KPI_DIR_HIGHER);
	ind.target.kind = KPI_TARGET_NUMBER;
	ind.target.value = 18;
	for (int m = 1; m <= 12; m++)
		put(&ind, PREV, m, m <= 6 ? 10 : 30, 100);
	for (int m = 1; m <= 6; m++)
		put(&ind, RUN, m, 9.5, 100);
	eval(&ind, 6);
	cr_assert_float_eq(ind.res.pace_expected, 9, 1e-9);
	cr_assert_float_eq(ind.res.pace_actual, 9.5, 1e-9);
	cr_assert_eq(ind.res.pace, KPI_PACE_ON_TRACK);
	for (int m = 1; m <= 6; m++)
		put(&ind, RUN, m, 8, 100);
	eval(&ind, 6);
	cr_assert_eq(ind.res.pace, KPI_PACE_BEHIND);
}

/* ---- the simulation ---------------------------------------------------- */

static uint64_t rng = 0x2011u;

static double uniform(void)
{
	/* xorshift64*, top 53 bits */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return ((rng * 2685821657736338717ull) >> 11) * (1.0 / 9007199254740992.0);
}

static double gauss(void)
{
	double u = uniform(), v = uniform();

	if (u < 1e-300)
		u = 1e-300;
	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/*
 * A ratio with a seasonal forecast: last year's months give the profile;
 * this year's five months deviate from it.  The test works out the
 * model's parameters itself - the deviations of numerator and
 * denominator from the profile scaled to the five months, their
 * covariance over 4 degrees of freedom - then draws the seven months to
 * come as (what the forecast leaves for each) * (1 + e), e bivariate
 * normal with that covariance, and counts the years whose ratio
 * Sum num / Sum den * 100 reaches the target.  The code's normal
 * approximation must agree within one percentage point.
 */
Test(odds, ratio_against_simulation)
{
	static const double pn[12] = { 50, 48, 55, 52, 54, 60, 40, 45, 56,
	                               58, 57, 62 };
	static const double pd[12] = { 100, 98, 104, 101, 103, 110, 90, 95,
	                               105, 108, 107, 112 };
	static const double cn[5] = { 56, 50, 60, 55, 61 };
	static const double cd[5] = { 104, 99, 107, 103, 108 };
	struct kpi_indicator ind;
	double sn = 0, sd = 0, tn = 0, td = 0, wn[12], wd[12], wsn = 0, wsd = 0;
	double e[2][5], c00 = 0, c11 = 0, c01 = 0, totd, totn, f, target;
	double l00, l10, l11, mun[12], mud[12], rn = 0, rd = 0;
	long hits = 0, draws = 400000;

	ind_init(&ind, KPI_AGG_RATIO, KPI_DIR_HIGHER);
	ind.forecast_kind = KPI_FORECAST_SEASONAL;
	ind.target.kind = KPI_TARGET_NUMBER;
	for (int m = 0; m < 12; m++)
		put(&ind, PREV, m + 1, pn[m], pd[m]);
	for (int m = 0; m < 5; m++)
		put(&ind, RUN, m + 1, cn[m], cd[m]);

	/* the model, worked out here */
	for (int m = 0; m < 12; m++) {
		tn += pn[m];
		td += pd[m];
	}
	for (int m = 0; m < 12; m++) {
		wn[m] = pn[m] / tn;
		wd[m] = pd[m] / td;
	}
	for (int m = 0; m < 5; m++) {
		sn += cn[m];
		sd += cd[m];
		wsn += wn[m];
		wsd += wd[m];
	}
	for (int m = 0; m < 5; m++) {
		e[0][m] = cn[m] / (sn * wn[m] / wsn) - 1;
		e[1][m] = cd[m] / (sd * wd[m] / wsd) - 1;
		c00 += e[0][m] * e[0][m] / 4;
		c11 += e[1][m] * e[1][m] / 4;
		c01 += e[0][m] * e[1][m] / 4;
	}
	totn = sn / wsn;
	totd = sd / wsd;
	f = totn / totd * 100;
	target = f + 0.35;               /* a close call: about 9 % */
	ind.target.value = target;
	for (int m = 5; m < 12; m++) {
		rn += wn[m];
		rd += wd[m];
	}
	for (int m = 5; m < 12; m++) {
		mun[m] = (totn - sn) * wn[m] / rn;
		mud[m] = (totd - sd) * wd[m] / rd;
	}
	/* Cholesky of the 2 x 2 covariance */
	l00 = sqrt(c00);
	l10 = c01 / l00;
	l11 = sqrt(c11 - l10 * l10);

	for (long i = 0; i < draws; i++) {
		double n = sn, d = sd;

		for (int m = 5; m < 12; m++) {
			double z0 = gauss(), z1 = gauss();

			n += mun[m] * (1 + l00 * z0);
			d += mud[m] * (1 + l10 * z0 + l11 * z1);
		}
		hits += n / d * 100 >= target;
	}

	eval(&ind, 5);
	cr_assert_float_eq(ind.res.forecast, f, 1e-9);
	cr_assert(ind.res.has_chance, "%s", ind.res.odds_why);
	cr_assert(fabs(ind.res.chance - (double)hits / draws) < 0.01,
	          "code %.4f, simulation %.4f", ind.res.chance,
	          (double)hits / draws);
	/* and the chance is no foregone conclusion */
	cr_assert(ind.res.chance > 0.02 && ind.res.chance < 0.98, "%.4f",
	          ind.res.chance);
}
