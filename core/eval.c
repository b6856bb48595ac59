/*
 * eval.c - the core's arithmetic: monthly measurements to period values,
 * full-year forecasts, last year's figures and baselines, assessments
 * against targets and the roll-up of goals.  The rules are
 * docs/evaluation.md; change the two together.
 *
 * Months are running numbers (kpi_period_index); a series holds the run's
 * window of months (window.h), so every lookup goes through month_at(),
 * which knows the window's first month and treats a month outside it as
 * one without data.
 */
#include "eval.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "odds.h"
#include "window.h"

/* Two doubles closer than this fraction of the larger (and of 1) are equal:
 * sums of decimal data are never exact in binary. */
#define EVAL_EPS 1e-9
/* Deepest goal nesting kpi_eval_goal follows: config.c refuses deeper
 * goals, so this only guards against a registry built some other way. */
#define EVAL_MAX_DEPTH KPI_MAX_GOAL_DEPTH
/* Months of a rolling-12 value. */
#define ROLLING_MONTHS 12

/* Month `idx` (a running number) of s, whose m[0] is running number
 * `base`; NULL outside the window. */
static const struct kpi_month *month_at(const struct kpi_series *s, int base,
                                        int idx)
{
	long i = (long)idx - base;

	return i >= 0 && i < KPI_WINDOW_MONTHS ? &s->m[i] : NULL;
}

static int has_at(const struct kpi_series *s, int base, int idx)
{
	const struct kpi_month *m = month_at(s, base, idx);

	return m && m->has;
}

static int month_valid(int m)
{
	return m >= 1 && m <= 12;
}

/* The indicator's ratio multiplier; a missing or nonsense scale is 1. */
static double scale_of(const struct kpi_indicator *ind)
{
	return ind->scale > 0 && isfinite(ind->scale) ? ind->scale : 1.0;
}

/* The latest month in lo..hi (running numbers) with data: 0 and *at, or
 * -1 when there is none. */
static int latest_month(const struct kpi_series *s, int base, int lo, int hi,
                        int *at)
{
	for (int i = hi; i >= lo; i--)
		if (has_at(s, base, i)) {
			*at = i;
			return 0;
		}
	return -1;
}

/* Covered months of a result: what struct kpi_result calls from/to. */
struct span {
	int from_year, from_month, to_year, to_month;
};

/*
 * Aggregate s (window from running number base) over months lo..hi by
 * ind->aggregation; rolling12 takes the 12 months ending with the latest
 * month in lo..hi that has data, which may start before lo.  On success
 * stores the value in *out and the months with data it used in *sp and
 * returns 0; on failure leaves *out alone, zeroes *sp, points *why at a
 * static reason and returns KPI_ENOTFOUND (no data, denominator 0),
 * KPI_EDATA (a result that is not finite) or KPI_EINVAL (bad arguments).
 */
static int aggregate(const struct kpi_indicator *ind,
                     const struct kpi_series *s, int base, int lo, int hi,
                     double *out, struct span *sp, const char **why)
{
	double num = 0, den = 0, v;
	int a, b, i, first = -1, last = -1, m;

	memset(sp, 0, sizeof *sp);
	if (lo > hi || hi - lo >= KPI_WINDOW_MONTHS) {
		*why = "invalid period";
		return KPI_EINVAL;
	}

	switch (ind->aggregation) {
	case KPI_AGG_SUM:
	case KPI_AGG_RATIO:
		a = lo;
		b = hi;
		break;
	case KPI_AGG_LAST:
	case KPI_AGG_ROLLING12:
		/* The value ends inside the months asked for: months
		 * without data of their own have no rolling value, however
		 * full the months before. */
		if (latest_month(s, base, lo, hi, &m)) {
			*why = "no data";
			return KPI_ENOTFOUND;
		}
		b = m;
		a = ind->aggregation == KPI_AGG_LAST ? m
		                                     : m - (ROLLING_MONTHS - 1);
		break;
	default:
		*why = "unknown aggregation";
		return KPI_EINVAL;
	}

	for (i = a; i <= b; i++) {
		const struct kpi_month *mm = month_at(s, base, i);

		if (!mm || !mm->has)
			continue;
		if (first < 0)
			first = i;
		last = i;
		num += mm->num;
		den += mm->den;
	}
	if (first < 0) {
		*why = "no data";
		return KPI_ENOTFOUND;
	}

	switch (ind->aggregation) {
	case KPI_AGG_SUM:
		v = num;
		break;
	case KPI_AGG_LAST:
		/* A level: a month without a positive denominator is the
		 * numerator itself. */
		v = num / (den > 0 ? den : 1.0) * scale_of(ind);
		break;
	default:
		if (den == 0) {
			*why = "denominator is 0";
			return KPI_ENOTFOUND;
		}
		v = num / den * scale_of(ind);
		break;
	}
	if (!isfinite(v)) {
		*why = "value is not finite";
		return KPI_EDATA;
	}

	kpi_period_split(first, &sp->from_year, &sp->from_month);
	kpi_period_split(last, &sp->to_year, &sp->to_month);
	*out = v;
	return 0;
}

/*
 * Public wrapper of aggregate(): s is a series of a run of period `run`,
 * `months` the months asked for.  covered may be NULL; it is set to the
 * months with data used (kind KPI_PERIOD_RANGE), all 0 on failure, when
 * *out is left alone.
 */
int kpi_eval_aggregate(const struct kpi_indicator *ind,
                       const struct kpi_series *s,
                       const struct kpi_period *run,
                       const struct kpi_period *months, double *out,
                       struct kpi_period *covered, const char **why)
{
	struct span sp;
	const char *w = NULL;
	double v = 0;
	int rc;

	if (!ind || !s || !run || !months || !out) {
		if (why)
			*why = "invalid argument";
		return KPI_EINVAL;
	}
	if (!month_valid(months->from_month) ||
	    !month_valid(months->to_month)) {
		memset(&sp, 0, sizeof sp);
		w = "invalid period";
		rc = KPI_EINVAL;
	} else {
		rc = aggregate(ind, s, kpi_window_first(run),
		               kpi_period_first(months), kpi_period_last(months),
		               &v, &sp, &w);
	}
	if (rc == 0)
		*out = v;
	if (covered) {
		covered->kind = KPI_PERIOD_RANGE;
		covered->from_year = sp.from_year;
		covered->from_month = sp.from_month;
		covered->to_year = sp.to_year;
		covered->to_month = sp.to_month;
	}
	if (why)
		*why = w;
	return rc;
}

/* True if v's months are valid and it is a value of the end year to
 * date: it ends no later than the period's last month of that year.  Its
 * forecast is then the year's (docs/evaluation.md). */
static int value_to_date(const struct kpi_value *v, const struct kpi_period *p)
{
	return v && month_valid(v->month_from) && month_valid(v->month_to) &&
	       v->month_from <= v->month_to && v->year == p->to_year &&
	       v->month_to <= p->to_month;
}

/* Bit m-1 set for each month m of the end year that the year-to-date
 * figure is built from: the months with data in January..the period's
 * last month, or a stated value's range. */
static unsigned ytd_mask(const struct kpi_indicator *ind,
                         const struct kpi_value *stated,
                         const struct kpi_period *p, int base)
{
	unsigned mask = 0;
	int m;

	if (stated) {
		for (m = stated->month_from; m <= stated->month_to; m++)
			mask |= 1u << (m - 1);
		return mask;
	}
	for (m = 1; m <= p->to_month; m++)
		if (has_at(&ind->main, base, kpi_period_index(p->to_year, m)))
			mask |= 1u << (m - 1);
	return mask;
}

static int mask_count(unsigned mask)
{
	int n = 0;

	for (; mask; mask >>= 1)
		n += mask & 1u;
	return n;
}

/*
 * The profile of calendar year `year` for numerators (use_den 0) or
 * denominators: the sum over its 12 months divided by the sum over the
 * months in `mask`.  Needs data in every month of that year and a
 * non-zero sum over the masked months.  Returns 0 and stores the factor,
 * or -1.
 */
static int season_factor(const struct kpi_series *s, int base, int year,
                         unsigned mask, int use_den, double *factor)
{
	double all = 0, same = 0, f;
	int m;

	for (m = 0; m < 12; m++) {
		const struct kpi_month *mm =
			month_at(s, base, kpi_period_index(year, m + 1));
		double x;

		if (!mm || !mm->has)
			return -1;
		x = use_den ? mm->den : mm->num;
		all += x;
		if (mask & (1u << m))
			same += x;
	}
	if (same == 0)
		return -1;
	f = all / same;
	if (!isfinite(f))
		return -1;
	*factor = f;
	return 0;
}

/*
 * The full-year forecast of ind when it is computed (linear, seasonal):
 * for the period's end year, from its months January..the period's last
 * month, whatever the period's kind.  `stated` is the plugin's value the
 * outcome came from, or NULL.  Returns 0 and stores the forecast, or -1
 * when there is none.
 */
static int derived_forecast(const struct kpi_indicator *ind,
                            const struct kpi_value *stated,
                            const struct kpi_period *p, int base, double *fc)
{
	double ytd, fn, fd, v;
	struct span sp;
	const char *why;
	unsigned mask;
	int n;

	if (!ind->res.has_outcome)
		return -1;
	/* Levels and rolling values already speak for a whole year. */
	if (ind->aggregation == KPI_AGG_LAST ||
	    ind->aggregation == KPI_AGG_ROLLING12) {
		*fc = ind->res.outcome;
		return 0;
	}
	if (stated) {
		/* A stated outcome forecasts the year only if it is one of
		 * the year to date. */
		if (stated->month_from != 1 || !value_to_date(stated, p))
			return -1;
		ytd = ind->res.outcome;
	} else if (aggregate(ind, &ind->main, base,
	                     kpi_period_index(p->to_year, 1),
	                     kpi_period_last(p), &ytd, &sp, &why) != 0) {
		return -1;
	}
	mask = ytd_mask(ind, stated, p, base);
	n = mask_count(mask);
	if (n == 0)
		return -1;

	if (ind->forecast_kind == KPI_FORECAST_LINEAR) {
		/* A ratio's numerator and denominator both grow by 12 / n,
		 * which leaves the ratio as it is. */
		v = ind->aggregation == KPI_AGG_SUM ? ytd * 12.0 / n : ytd;
	} else {
		if (season_factor(&ind->main, base, p->to_year - 1, mask, 0,
		                  &fn))
			return -1;
		if (ind->aggregation == KPI_AGG_SUM) {
			v = ytd * fn;
		} else {
			/* (sum num * fn) / (sum den * fd) * scale
			 * = ytd * fn / fd */
			if (season_factor(&ind->main, base, p->to_year - 1, mask,
			                  1, &fd) || fd == 0)
				return -1;
			v = ytd * fn / fd;
		}
	}
	if (!isfinite(v))
		return -1;
	*fc = v;
	return 0;
}

/* See eval.h.  A value counts for the months it says and no others: one
 * for January-December is the outcome of the year, not of T1. */
int kpi_eval_value_fits(const struct kpi_value *v, const struct kpi_period *p)
{
	return v && p && month_valid(v->month_from) &&
	       month_valid(v->month_to) && v->month_from <= v->month_to &&
	       kpi_period_index(v->year, v->month_from) >= kpi_period_first(p) &&
	       kpi_period_index(v->year, v->month_to) <= kpi_period_last(p);
}

/* The end year's stated value of ind, if it is one for the period
 * (kpi_eval_value_fits), else NULL. */
static const struct kpi_value *stated_value(const struct kpi_indicator *ind,
                                            const struct kpi_period *p)
{
	if (!ind->has_value || !kpi_eval_value_fits(&ind->value, p))
		return NULL;
	return &ind->value;
}

/* Set ind->res's outcome and covered months; returns the stated value
 * the outcome is, or NULL when it comes from the monthly series. */
static const struct kpi_value *eval_outcome(struct kpi_indicator *ind,
                                            const struct kpi_period *p,
                                            int base)
{
	struct kpi_result *r = &ind->res;
	const struct kpi_value *val = stated_value(ind, p);
	struct span sp;
	double v = 0;

	if (val && val->has_outcome) {
		if (!isfinite(val->outcome)) {
			r->why = "value is not finite";
			return val;
		}
		r->has_outcome = 1;
		r->outcome = val->outcome;
		r->from_year = r->to_year = val->year;
		r->from_month = val->month_from;
		r->to_month = val->month_to;
		return val;
	}

	if (aggregate(ind, &ind->main, base, kpi_period_first(p),
	              kpi_period_last(p), &v, &sp, &r->why) == 0) {
		r->has_outcome = 1;
		r->outcome = v;
		r->from_year = sp.from_year;
		r->from_month = sp.from_month;
		r->to_year = sp.to_year;
		r->to_month = sp.to_month;
	}
	return NULL;
}

/* Set ind->res's forecast (stated, config, linear or seasonal); returns 1
 * if it is the plugin's. */
static int eval_forecast(struct kpi_indicator *ind,
                         const struct kpi_value *stated,
                         const struct kpi_period *p, int base)
{
	struct kpi_result *r = &ind->res;
	double fc;

	if (ind->has_value && ind->value.has_forecast &&
	    value_to_date(&ind->value, p)) {
		if (isfinite(ind->value.forecast)) {
			r->has_forecast = 1;
			r->forecast = ind->value.forecast;
		}
		return r->has_forecast;
	}
	switch (ind->forecast_kind) {
	case KPI_FORECAST_MANUAL:
		if (isfinite(ind->forecast_value)) {
			r->has_forecast = 1;
			r->forecast = ind->forecast_value;
		}
		break;
	case KPI_FORECAST_LINEAR:
	case KPI_FORECAST_SEASONAL:
		if (derived_forecast(ind, stated, p, base, &fc) == 0) {
			r->has_forecast = 1;
			r->forecast = fc;
		}
		break;
	default:
		break;
	}
	return 0;
}

/* Set ind->res's last-year figure (call after the outcome): by `compare`
 * (enum kpi_compare) the months the outcome covers a year earlier (the
 * period's months when there is no outcome), or January-December of the
 * year before the end year; a value the plugin stated for exactly those
 * months, else the monthly series aggregated over them. */
static void eval_last(struct kpi_indicator *ind, const struct kpi_period *p,
                      int base, int compare)
{
	struct kpi_result *r = &ind->res;
	const struct kpi_value *pv = &ind->prev_value;
	struct span sp;
	const char *why;
	int lo, hi;
	double v;

	if (compare == KPI_COMPARE_PREVIOUS_YEAR) {
		lo = kpi_period_index(p->to_year - 1, 1);
		hi = kpi_period_index(p->to_year - 1, 12);
	} else if (r->has_outcome && month_valid(r->from_month) &&
	           month_valid(r->to_month)) {
		/* The months the outcome covers: an area whose data end in
		 * April is compared with January-April, not the period's
		 * January-August. */
		compare = KPI_COMPARE_SAME_PERIOD;
		lo = kpi_period_index(r->from_year, r->from_month) - 12;
		hi = kpi_period_index(r->to_year, r->to_month) - 12;
	} else {
		compare = KPI_COMPARE_SAME_PERIOD;
		lo = kpi_period_first(p) - 12;
		hi = kpi_period_last(p) - 12;
	}
	r->compare = compare;
	kpi_period_split(lo, &r->ask_from_year, &r->ask_from_month);
	kpi_period_split(hi, &r->ask_to_year, &r->ask_to_month);

	if (ind->has_prev_value && pv->has_outcome && isfinite(pv->outcome) &&
	    month_valid(pv->month_from) && month_valid(pv->month_to) &&
	    kpi_period_index(pv->year, pv->month_from) == lo &&
	    kpi_period_index(pv->year, pv->month_to) == hi) {
		r->has_last = 1;
		r->last = pv->outcome;
		r->last_stated = 1;
		r->last_from_year = r->ask_from_year;
		r->last_from_month = r->ask_from_month;
		r->last_to_year = r->ask_to_year;
		r->last_to_month = r->ask_to_month;
	} else if (aggregate(ind, &ind->main, base, lo, hi, &v, &sp,
	                     &why) == 0) {
		r->has_last = 1;
		r->last = v;
		r->last_from_year = sp.from_year;
		r->last_from_month = sp.from_month;
		r->last_to_year = sp.to_year;
		r->last_to_month = sp.to_month;
	}
}

/* Set ind->res's baseline: the config's, else the last-year figure. */
static void eval_baseline(struct kpi_indicator *ind)
{
	struct kpi_result *r = &ind->res;

	if (ind->has_baseline_cfg && isfinite(ind->baseline_cfg)) {
		r->has_baseline = 1;
		r->baseline = ind->baseline_cfg;
		r->baseline_cfg = 1;
	} else if (r->has_last) {
		r->has_baseline = 1;
		r->baseline = r->last;
	}
}

/*
 * Compute ind->res for period p (rules: docs/evaluation.md).  Everything
 * in ind->res is overwritten; why is a static string.  Reads only ind's
 * own fields; allocates nothing.
 */
void kpi_eval_indicator(struct kpi_indicator *ind, const struct kpi_period *p,
                        double default_tol, int default_tol_rel,
                        int default_compare)
{
	const struct kpi_value *stated;
	struct kpi_result *r;
	double tol, v;
	int tol_rel, base;

	if (!ind)
		return;
	r = &ind->res;
	memset(r, 0, sizeof *r);
	r->assessment = KPI_ASSESS_NONE;
	if (!p || !month_valid(p->from_month) || !month_valid(p->to_month) ||
	    kpi_period_length(p) < 1 ||
	    kpi_period_length(p) > KPI_MAX_PERIOD_MONTHS) {
		r->why = "invalid period";
		r->rule = KPI_RULE_NO_DATA;
		return;
	}
	base = kpi_window_first(p);

	stated = eval_outcome(ind, p, base);
	r->outcome_stated = stated && r->has_outcome;
	r->forecast_stated = eval_forecast(ind, r->outcome_stated ? stated
	                                                          : NULL,
	                                   p, base);
	eval_last(ind, p, base, ind->compare >= 0 ? ind->compare
	                                          : default_compare);
	eval_baseline(ind);
	kpi_odds_eval(ind, p);

	if (ind->tolerance >= 0) {
		tol = ind->tolerance;
		tol_rel = ind->tolerance_relative;
	} else {
		tol = default_tol;
		tol_rel = default_tol_rel;
	}
	r->tolerance = tol;
	r->tolerance_relative = tol_rel;
	r->rule = KPI_RULE_NO_DATA;
	if (r->has_forecast) {
		v = r->forecast;
		r->assessed_forecast = 1;
	} else if (r->has_outcome) {
		v = r->outcome;
	} else {
		return;
	}
	r->assessment = kpi_assess_rule(&ind->target, ind->direction, v,
	                                r->has_baseline, r->baseline, tol,
	                                tol_rel, &r->rule, &r->tolerance_abs);
}

/* The comparison margin for a and b: EVAL_EPS of the larger, at least of 1. */
static double eps_of(double a, double b)
{
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	return EVAL_EPS * (m > 1.0 ? m : 1.0);
}

/* a >= b, and a <= b, allowing for rounding noise. */
static int ge(double a, double b)
{
	return a >= b - eps_of(a, b);
}

static int le(double a, double b)
{
	return a <= b + eps_of(a, b);
}

/* met / partial / not met from two predicates on the value. */
static int grade(int met, int partial)
{
	if (met)
		return KPI_ASSESS_MET;
	return partial ? KPI_ASSESS_PARTIAL : KPI_ASSESS_NOT_MET;
}

/* The rule of a grade, given the rules for met, partial and not met in
 * that order (consecutive in enum kpi_rule). */
static int rule_of(int assessment, int met_rule)
{
	if (assessment == KPI_ASSESS_MET)
		return met_rule;
	return assessment == KPI_ASSESS_PARTIAL ? met_rule + 1 : met_rule + 2;
}

/*
 * Assess value against t (rules: docs/evaluation.md).  tol is a fraction
 * of the reference (target, baseline or range centre) when tol_rel is set,
 * else an amount in the indicator's unit; a negative or non-finite tol is
 * 0.  Returns an enum kpi_assessment; KPI_ASSESS_NONE for text and missing
 * targets, a missing baseline, or a value or target that is not finite.
 * *rule (enum kpi_rule) and *tol_abs (the tolerance in the unit) are set
 * when not NULL.
 */
int kpi_assess_rule(const struct kpi_target *t, int dir, double value,
                    int has_baseline, double baseline, double tol,
                    int tol_rel, int *rule, double *tol_abs_out)
{
	double ref, tol_abs, d, w;
	int a, r;

	if (rule)
		*rule = KPI_RULE_NOT_FINITE;
	if (tol_abs_out)
		*tol_abs_out = 0;
	if (!t || !isfinite(value))
		return KPI_ASSESS_NONE;
	if (!isfinite(tol) || tol < 0)
		tol = 0;

	switch (t->kind) {
	case KPI_TARGET_NUMBER:
	case KPI_TARGET_RANGE:
		ref = t->value;
		break;
	case KPI_TARGET_INCREASE:
	case KPI_TARGET_DECREASE:
		if (!has_baseline) {
			if (rule)
				*rule = KPI_RULE_NO_BASELINE;
			return KPI_ASSESS_NONE;
		}
		ref = baseline;
		break;
	case KPI_TARGET_TEXT:
		if (rule)
			*rule = KPI_RULE_TEXT_TARGET;
		return KPI_ASSESS_NONE;
	default:
		if (rule)
			*rule = KPI_RULE_NO_TARGET;
		return KPI_ASSESS_NONE;
	}
	if (!isfinite(ref))
		return KPI_ASSESS_NONE;
	tol_abs = tol_rel ? tol * fabs(ref) : tol;

	switch (t->kind) {
	case KPI_TARGET_NUMBER:
		if (dir == KPI_DIR_HIGHER) {
			a = grade(ge(value, ref), ge(value, ref - tol_abs));
			r = KPI_RULE_HIGHER_MET;
		} else if (dir == KPI_DIR_LOWER) {
			a = grade(le(value, ref), le(value, ref + tol_abs));
			r = KPI_RULE_LOWER_MET;
		} else {
			d = fabs(value - ref);
			a = grade(d <= eps_of(value, ref),
			          d <= tol_abs + eps_of(value, ref));
			r = KPI_RULE_EQUAL_MET;
		}
		break;
	case KPI_TARGET_INCREASE:
		a = grade(value > ref + eps_of(value, ref),
		          ge(value, ref - tol_abs));
		r = KPI_RULE_INCREASE_MET;
		break;
	case KPI_TARGET_DECREASE:
		a = grade(value < ref - eps_of(value, ref),
		          le(value, ref + tol_abs));
		r = KPI_RULE_DECREASE_MET;
		break;
	default: /* KPI_TARGET_RANGE */
		w = fabs(t->width);
		if (!isfinite(w))
			return KPI_ASSESS_NONE;
		d = fabs(value - ref);
		a = grade(d <= w + eps_of(value, ref),
		          d <= w + tol_abs + eps_of(value, ref));
		r = KPI_RULE_RANGE_MET;
		break;
	}
	if (rule)
		*rule = rule_of(a, r);
	if (tol_abs_out)
		*tol_abs_out = tol_abs;
	return a;
}

int kpi_assess(const struct kpi_target *t, int dir, double value,
               int has_baseline, double baseline, double tol, int tol_rel)
{
	return kpi_assess_rule(t, dir, value, has_baseline, baseline, tol,
	                       tol_rel, NULL, NULL);
}

const char *kpi_rule_id(int rule)
{
	static const char *const ids[KPI_RULE_COUNT] = {
		[KPI_RULE_NO_DATA] = "no_data",
		[KPI_RULE_NO_TARGET] = "no_target",
		[KPI_RULE_TEXT_TARGET] = "text_target",
		[KPI_RULE_NO_BASELINE] = "no_baseline",
		[KPI_RULE_NOT_FINITE] = "not_finite",
		[KPI_RULE_HIGHER_MET] = "higher_met",
		[KPI_RULE_HIGHER_TOLERANCE] = "higher_within_tolerance",
		[KPI_RULE_HIGHER_NOT_MET] = "higher_not_met",
		[KPI_RULE_LOWER_MET] = "lower_met",
		[KPI_RULE_LOWER_TOLERANCE] = "lower_within_tolerance",
		[KPI_RULE_LOWER_NOT_MET] = "lower_not_met",
		[KPI_RULE_EQUAL_MET] = "equal_met",
		[KPI_RULE_EQUAL_TOLERANCE] = "equal_within_tolerance",
		[KPI_RULE_EQUAL_NOT_MET] = "equal_not_met",
		[KPI_RULE_INCREASE_MET] = "increase_met",
		[KPI_RULE_INCREASE_TOLERANCE] = "increase_within_tolerance",
		[KPI_RULE_INCREASE_NOT_MET] = "increase_not_met",
		[KPI_RULE_DECREASE_MET] = "decrease_met",
		[KPI_RULE_DECREASE_TOLERANCE] = "decrease_within_tolerance",
		[KPI_RULE_DECREASE_NOT_MET] = "decrease_not_met",
		[KPI_RULE_RANGE_MET] = "range_met",
		[KPI_RULE_RANGE_TOLERANCE] = "range_within_tolerance",
		[KPI_RULE_RANGE_NOT_MET] = "range_not_met",
	};

	return rule >= 0 && rule < KPI_RULE_COUNT ? ids[rule] : "no_data";
}

/* Roll-up of kpi_eval_goal, `depth` levels below the goal it was called
 * on. */
static int eval_goal(struct kpi_goal *g, int depth)
{
	int met = 0, partial = 0, not_met = 0, a;
	size_t i;

	for (i = 0; i < g->n_children; i++) {
		if (!g->children[i])
			continue;
		a = depth < EVAL_MAX_DEPTH ? eval_goal(g->children[i], depth + 1)
		                           : KPI_ASSESS_NONE;
		met += a == KPI_ASSESS_MET;
		partial += a == KPI_ASSESS_PARTIAL;
		not_met += a == KPI_ASSESS_NOT_MET;
	}
	for (i = 0; i < g->n_indicators; i++) {
		if (!g->indicators[i])
			continue;
		a = g->indicators[i]->res.assessment;
		met += a == KPI_ASSESS_MET;
		partial += a == KPI_ASSESS_PARTIAL;
		not_met += a == KPI_ASSESS_NOT_MET;
	}

	if (met + partial + not_met == 0)
		g->assessment = KPI_ASSESS_NONE;
	else if (partial + not_met == 0)
		g->assessment = KPI_ASSESS_MET;
	else if (met + partial == 0)
		g->assessment = KPI_ASSESS_NOT_MET;
	else
		g->assessment = KPI_ASSESS_PARTIAL;
	return g->assessment;
}

/*
 * Compute g->assessment and that of every goal below it, sub-goals first,
 * from the indicators' res.assessment (which kpi_eval_indicator must have
 * set).  Not-assessed children do not count.  Returns g->assessment, or
 * KPI_ASSESS_NONE for a NULL goal.
 */
int kpi_eval_goal(struct kpi_goal *g)
{
	if (!g)
		return KPI_ASSESS_NONE;
	return eval_goal(g, 0);
}
