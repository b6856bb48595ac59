/*
 * eval.c - the core's arithmetic: monthly measurements to period values,
 * full-year forecasts, baselines, assessments against targets, the roll-up
 * of goals and the text naming the months a value covers.  The rules are
 * docs/evaluation.md; change the two together.
 */
#include "eval.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Two doubles closer than this fraction of the larger (and of 1) are equal:
 * sums of decimal data are never exact in binary. */
#define EVAL_EPS 1e-9
/* Deepest goal nesting kpi_eval_goal follows: config.c refuses deeper
 * goals, so this only guards against a registry built some other way. */
#define EVAL_MAX_DEPTH KPI_MAX_GOAL_DEPTH

/* The months of a series, numbered 0..23: index i is s->m[i / 12][i % 12],
 * so 0..11 is the previous year and 12..23 the run year. */
#define IDX(yi, month) ((yi) * 12 + (month) - 1)

static const struct kpi_month *month_at(const struct kpi_series *s, int idx)
{
	return &s->m[idx / 12][idx % 12];
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

/* The latest month in from..to of year index yi that has data, or 0. */
static int latest_month(const struct kpi_series *s, int yi, int from, int to)
{
	int m;

	for (m = to; m >= from; m--)
		if (s->m[yi][m - 1].has)
			return m;
	return 0;
}

/* Covered months of a result: what struct kpi_result calls from/to. */
struct span {
	int from_year, from_month, to_year, to_month;
};

/*
 * Aggregate year index yi of s (calendar year `year`) over months from..to
 * by ind->aggregation; rolling12 may reach into index yi - 1 when yi is 1.
 * On success stores the value in *out and the months with data it used in
 * *sp and returns 0; on failure leaves *out alone, zeroes *sp, points *why
 * at a static reason and returns KPI_ENOTFOUND (no data, denominator 0),
 * KPI_EDATA (a result that is not finite) or KPI_EINVAL (bad arguments).
 */
static int aggregate(const struct kpi_indicator *ind,
                     const struct kpi_series *s, int yi, int year, int from,
                     int to, double *out, struct span *sp, const char **why)
{
	double num = 0, den = 0, v;
	int lo, hi, i, first = -1, last = -1, m;

	memset(sp, 0, sizeof *sp);
	if (!month_valid(from) || !month_valid(to) || from > to) {
		*why = "invalid period";
		return KPI_EINVAL;
	}

	switch (ind->aggregation) {
	case KPI_AGG_SUM:
	case KPI_AGG_RATIO:
		lo = IDX(yi, from);
		hi = IDX(yi, to);
		break;
	case KPI_AGG_LAST:
		m = latest_month(s, yi, from, to);
		if (!m) {
			*why = "no data";
			return KPI_ENOTFOUND;
		}
		lo = hi = IDX(yi, m);
		break;
	case KPI_AGG_ROLLING12:
		/* The window ends in the run year: a year without data of
		 * its own has no rolling value, however full the year
		 * before. */
		m = latest_month(s, yi, 1, to);
		if (!m) {
			*why = "no data";
			return KPI_ENOTFOUND;
		}
		hi = IDX(yi, m);
		lo = hi - 11 < 0 ? 0 : hi - 11;
		break;
	default:
		*why = "unknown aggregation";
		return KPI_EINVAL;
	}

	for (i = lo; i <= hi; i++) {
		const struct kpi_month *mm = month_at(s, i);

		if (!mm->has)
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

	sp->from_year = year - yi + first / 12;
	sp->from_month = first % 12 + 1;
	sp->to_year = year - yi + last / 12;
	sp->to_month = last % 12 + 1;
	*out = v;
	return 0;
}

/*
 * Public wrapper of aggregate() for the run year: s->m[1] is `year`,
 * s->m[0] the year before.  The out pointers other than `out` may be NULL.
 * On failure *out is left alone and the covered months are set to 0.
 */
int kpi_eval_aggregate(const struct kpi_indicator *ind,
                       const struct kpi_series *s, int year, int from, int to,
                       double *out, int *from_year, int *from_month,
                       int *to_year, int *to_month, const char **why)
{
	struct span sp;
	const char *w = NULL;
	double v = 0;
	int rc;

	if (!ind || !s || !out) {
		if (why)
			*why = "invalid argument";
		return KPI_EINVAL;
	}
	rc = aggregate(ind, s, 1, year, from, to, &v, &sp, &w);
	if (rc == 0)
		*out = v;
	if (from_year)
		*from_year = sp.from_year;
	if (from_month)
		*from_month = sp.from_month;
	if (to_year)
		*to_year = sp.to_year;
	if (to_month)
		*to_month = sp.to_month;
	if (why)
		*why = w;
	return rc;
}

/* Bit m-1 set for each month m of the run year that the outcome is built
 * from: the months with data in 1..month, or a stated value's range.  Call
 * only when ind->res has an outcome (then month is 1..12). */
static unsigned outcome_mask(const struct kpi_indicator *ind, int stated,
                             int month)
{
	unsigned mask = 0;
	int m;

	if (stated) {
		for (m = ind->res.from_month; m <= ind->res.to_month; m++)
			mask |= 1u << (m - 1);
		return mask;
	}
	for (m = 1; m <= month; m++)
		if (ind->main.m[1][m - 1].has)
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
 * The previous year's profile for numerators (use_den 0) or denominators:
 * the sum over all 12 months divided by the sum over the months in `mask`.
 * Needs data in every month of the previous year and a non-zero sum over
 * the masked months.  Returns 0 and stores the factor, or -1.
 */
static int season_factor(const struct kpi_series *s, unsigned mask,
                         int use_den, double *factor)
{
	double all = 0, same = 0, f;
	int m;

	for (m = 0; m < 12; m++) {
		const struct kpi_month *mm = &s->m[0][m];
		double x = use_den ? mm->den : mm->num;

		if (!mm->has)
			return -1;
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
 * The full-year forecast of ind when it is computed from the outcome
 * (linear, seasonal).  ind->res holds the outcome and its months; `stated`
 * says the outcome came from a stated value.  Returns 0 and stores the
 * forecast, or -1 when there is none.
 */
static int derived_forecast(const struct kpi_indicator *ind, int stated,
                            int month, double *fc)
{
	double outcome = ind->res.outcome, fn, fd, v;
	unsigned mask;
	int n;

	if (!ind->res.has_outcome)
		return -1;
	mask = outcome_mask(ind, stated, month);
	n = mask_count(mask);
	if (n == 0)
		return -1;
	/* Levels and rolling values already speak for a whole year. */
	if (ind->aggregation == KPI_AGG_LAST ||
	    ind->aggregation == KPI_AGG_ROLLING12) {
		*fc = outcome;
		return 0;
	}

	if (ind->forecast_kind == KPI_FORECAST_LINEAR) {
		/* A ratio's numerator and denominator both grow by 12 / n,
		 * which leaves the ratio as it is. */
		v = ind->aggregation == KPI_AGG_SUM ? outcome * 12.0 / n
		                                    : outcome;
	} else {
		if (season_factor(&ind->main, mask, 0, &fn))
			return -1;
		if (ind->aggregation == KPI_AGG_SUM) {
			v = outcome * fn;
		} else {
			/* (sum num * fn) / (sum den * fd) * scale
			 * = outcome * fn / fd */
			if (season_factor(&ind->main, mask, 1, &fd) || fd == 0)
				return -1;
			v = outcome * fn / fd;
		}
	}
	if (!isfinite(v))
		return -1;
	*fc = v;
	return 0;
}

/* See eval.h.  A value counts for the months it says and no others: one
 * for January-December is the outcome of the year, not of T1. */
int kpi_eval_value_fits(const struct kpi_value *v, int month)
{
	return v && month_valid(v->month_from) && month_valid(v->month_to) &&
	       v->month_from <= v->month_to && month_valid(month) &&
	       v->month_to <= month;
}

/* The run year's stated value of ind, if it is one for the period
 * January..month (kpi_eval_value_fits), else NULL. */
static const struct kpi_value *stated_value(const struct kpi_indicator *ind,
                                            int month)
{
	if (!ind->has_value || !kpi_eval_value_fits(&ind->value, month))
		return NULL;
	return &ind->value;
}

/* Set ind->res's outcome and covered months; returns 1 if the outcome is
 * a value the plugin stated, 0 if it comes from the monthly series. */
static int eval_outcome(struct kpi_indicator *ind, int year, int month)
{
	struct kpi_result *r = &ind->res;
	const struct kpi_value *val = stated_value(ind, month);
	struct span sp;
	double v = 0;

	if (val && val->has_outcome) {
		if (!isfinite(val->outcome)) {
			r->why = "value is not finite";
			return 1;
		}
		r->has_outcome = 1;
		r->outcome = val->outcome;
		r->from_year = r->to_year = val->year;
		r->from_month = val->month_from;
		r->to_month = val->month_to;
		return 1;
	}

	if (aggregate(ind, &ind->main, 1, year, 1, month, &v, &sp,
	              &r->why) == 0) {
		r->has_outcome = 1;
		r->outcome = v;
		r->from_year = sp.from_year;
		r->from_month = sp.from_month;
		r->to_year = sp.to_year;
		r->to_month = sp.to_month;
	}
	return 0;
}

/* Set ind->res's forecast (stated, config, linear or seasonal). */
static void eval_forecast(struct kpi_indicator *ind, int stated, int month)
{
	struct kpi_result *r = &ind->res;
	const struct kpi_value *val = stated_value(ind, month);
	double fc;

	if (val && val->has_forecast) {
		if (isfinite(val->forecast)) {
			r->has_forecast = 1;
			r->forecast = val->forecast;
		}
		return;
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
		if (derived_forecast(ind, stated, month, &fc) == 0) {
			r->has_forecast = 1;
			r->forecast = fc;
		}
		break;
	default:
		break;
	}
}

/* Set ind->res's baseline: config, else last year's stated value, else
 * last year's aggregate over its twelve months. */
static void eval_baseline(struct kpi_indicator *ind, int year)
{
	struct kpi_result *r = &ind->res;
	struct span sp;
	const char *why;
	double v;

	if (ind->has_baseline_cfg && isfinite(ind->baseline_cfg)) {
		r->has_baseline = 1;
		r->baseline = ind->baseline_cfg;
	} else if (ind->has_prev_value && ind->prev_value.has_outcome &&
	           isfinite(ind->prev_value.outcome)) {
		r->has_baseline = 1;
		r->baseline = ind->prev_value.outcome;
	} else if (aggregate(ind, &ind->main, 0, year - 1, 1, 12, &v, &sp,
	                     &why) == 0) {
		r->has_baseline = 1;
		r->baseline = v;
	}
}

/*
 * Compute ind->res for January..month of year (rules: docs/evaluation.md).
 * Everything in ind->res is overwritten; why is a static string.  Reads
 * only ind's own fields; allocates nothing.
 */
void kpi_eval_indicator(struct kpi_indicator *ind, int year, int month,
                        double default_tol, int default_tol_rel)
{
	struct kpi_result *r;
	double tol, v;
	int tol_rel, stated;

	if (!ind)
		return;
	r = &ind->res;
	memset(r, 0, sizeof *r);
	r->assessment = KPI_ASSESS_NONE;

	stated = eval_outcome(ind, year, month);
	r->outcome_stated = stated && r->has_outcome;
	eval_forecast(ind, stated, month);
	r->forecast_stated = r->has_forecast && stated_value(ind, month) &&
	                     ind->value.has_forecast;
	eval_baseline(ind, year);

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

static const char *const month_sv[12] = {
	"jan", "feb", "mar", "apr", "maj", "jun",
	"jul", "aug", "sep", "okt", "nov", "dec"
};
static const char *const month_en[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

#define EN_DASH "\xe2\x80\x93"  /* U+2013, between the ends of a range */

/*
 * Write the period text into buf (rules and examples in eval.h and
 * docs/evaluation.md), always NUL-terminated when n > 0.  Empty for
 * from_year 0, for months outside 1..12, for a range that ends before it
 * starts, and when the text does not fit (never a cut-off text).  Returns
 * buf.
 */
char *kpi_period_label(char *buf, size_t n, int lang, int from_year,
                       int from_month, int to_year, int to_month)
{
	const char *const *mon = lang == KPI_LANG_EN ? month_en : month_sv;
	int len;

	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	if (from_year == 0 || !month_valid(from_month) ||
	    !month_valid(to_month) || to_year < from_year ||
	    (to_year == from_year && to_month < from_month))
		return buf;

	if (from_year != to_year)
		len = snprintf(buf, n, "%s %d" EN_DASH "%s %d",
		               mon[from_month - 1], from_year,
		               mon[to_month - 1], to_year);
	else if (from_month == 1 && (to_month == 4 || to_month == 8))
		len = snprintf(buf, n, lang == KPI_LANG_EN ? "T%d %d"
		                                           : "Tertial %d %d",
		               to_month / 4, from_year);
	else if (from_month == 1 && to_month == 12)
		len = snprintf(buf, n, "%d", from_year);
	else if (from_month == to_month)
		len = snprintf(buf, n, "%s %d", mon[from_month - 1],
		               from_year);
	else
		len = snprintf(buf, n, "%s" EN_DASH "%s %d",
		               mon[from_month - 1], mon[to_month - 1],
		               from_year);

	if (len < 0 || (size_t)len >= n)
		buf[0] = '\0';
	return buf;
}
