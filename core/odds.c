/*
 * odds.c - the chance of meeting a yearly target and the pace of the year
 * so far.  The rules are docs/evaluation.md, sections 10 and 11; change
 * the two together.
 *
 * The model: month m of a year is its year's total times the profile's
 * share w[m] (last year's months over last year's total, or 1/12), times
 * (1 + e), e a relative deviation with mean 0.  The deviations of the
 * months seen so far give the spread of e (numerator and denominator
 * together, with their covariance); the months still to come are drawn
 * around what the forecast leaves for them, and the year-end value is
 * taken as normal around the forecast (its variance linearised for a
 * ratio).  Pure code: no I/O, no allocation.
 */
#include "odds.h"

#include <math.h>
#include <string.h>

#include "eval.h"
#include "window.h"

/* Two doubles closer than this fraction of the larger (and of 1) are
 * equal, as in eval.c. */
#define ODDS_EPS 1e-9
/* Numerator and denominator. */
#define NUM 0
#define DEN 1

/* Twelve months of one calendar year of the indicator's own series. */
struct year12 {
	double x[2][12];         /* [NUM] and [DEN], January = 0 */
	int has[12];
};

static void year_of(const struct kpi_indicator *ind,
                    const struct kpi_period *p, int year, struct year12 *y)
{
	memset(y, 0, sizeof *y);
	for (int m = 0; m < 12; m++) {
		int slot = kpi_window_slot(p, year, m + 1);
		const struct kpi_month *mm = slot >= 0 ? &ind->main.m[slot] : NULL;

		if (!mm || !mm->has)
			continue;
		y->has[m] = 1;
		y->x[NUM][m] = mm->num;
		y->x[DEN][m] = mm->den;
	}
}

static int count(unsigned mask)
{
	int n = 0;

	for (; mask; mask >>= 1)
		n += mask & 1u;
	return n;
}

/* The profile w[k][m] of the `nk` series (numerator, and denominator for
 * a ratio): last year's share of each month when use_prev and last year
 * has every month with a positive total, else 1/12.  Returns 1 when it is
 * last year's. */
static int profile_of(const struct year12 *prev, int use_prev, int nk,
                      double w[2][12])
{
	int ok = use_prev;

	for (int m = 0; ok && m < 12; m++)
		ok = prev->has[m];
	for (int k = 0; ok && k < nk; k++) {
		double all = 0;

		for (int m = 0; m < 12; m++)
			all += prev->x[k][m];
		if (!(all > 0) || !isfinite(all)) {
			ok = 0;
			break;
		}
		for (int m = 0; m < 12; m++)
			w[k][m] = prev->x[k][m] / all;
	}
	if (ok)
		return 1;
	for (int k = 0; k < 2; k++)
		for (int m = 0; m < 12; m++)
			w[k][m] = 1.0 / 12;
	return 0;
}

/* Sums over the months in mask: of the data (xs) and of the profile
 * (ws). */
static void sums(const struct year12 *y, double w[2][12], unsigned mask,
                 double xs[2], double ws[2])
{
	xs[0] = xs[1] = ws[0] = ws[1] = 0;
	for (int m = 0; m < 12; m++)
		if (mask & (1u << m))
			for (int k = 0; k < 2; k++) {
				xs[k] += y->x[k][m];
				ws[k] += w[k][m];
			}
}

/* The deviations' products summed: c[0] num*num, c[1] den*den, c[2]
 * num*den, over dof degrees of freedom. */
struct spread {
	double c[3];
	int dof;
	int months;
};

/*
 * Add the relative deviations of y's months in mask from the profile
 * scaled to those months, x[m] / (sum x * w[m] / sum w) - 1, for the nk
 * series.  A month whose expected value is 0 tells nothing and is left
 * out; the months used give (their number - 1) degrees of freedom, one
 * being spent on the level.
 */
static void add_deviations(const struct year12 *y, double w[2][12],
                           unsigned mask, int nk, struct spread *sp)
{
	double xs[2], ws[2], e[2][12];
	unsigned used = 0;
	int n;

	sums(y, w, mask, xs, ws);
	for (int m = 0; m < 12; m++) {
		int ok = (mask & (1u << m)) != 0;

		for (int k = 0; ok && k < nk; k++) {
			double expect = ws[k] > 0 ? xs[k] * w[k][m] / ws[k] : 0;

			ok = expect != 0 && isfinite(expect);
			if (ok)
				e[k][m] = y->x[k][m] / expect - 1;
		}
		if (ok)
			used |= 1u << m;
	}
	n = count(used);
	if (n < 2)
		return;
	for (int m = 0; m < 12; m++) {
		if (!(used & (1u << m)))
			continue;
		sp->c[0] += e[NUM][m] * e[NUM][m];
		if (nk > 1) {
			sp->c[1] += e[DEN][m] * e[DEN][m];
			sp->c[2] += e[NUM][m] * e[DEN][m];
		}
	}
	sp->dof += n - 1;
	sp->months += n;
}

/* The probability that a year-end value ~ N(f, sd) meets ind's target
 * (the "met" of docs/evaluation.md section 4); -1 when the target is
 * none the model can weigh. */
static double chance_of(const struct kpi_indicator *ind, double f, double sd)
{
	const struct kpi_target *t = &ind->target;
	const struct kpi_result *r = &ind->res;
	double lo = -INFINITY, hi = INFINITY;

	switch (t->kind) {
	case KPI_TARGET_NUMBER:
		if (ind->direction == KPI_DIR_HIGHER)
			lo = t->value;
		else if (ind->direction == KPI_DIR_LOWER)
			hi = t->value;
		else
			return -1;
		break;
	case KPI_TARGET_RANGE:
		lo = t->value - fabs(t->width);
		hi = t->value + fabs(t->width);
		break;
	case KPI_TARGET_INCREASE:
	case KPI_TARGET_DECREASE:
		if (!r->has_baseline)
			return -1;
		if (t->kind == KPI_TARGET_INCREASE)
			lo = r->baseline;
		else
			hi = r->baseline;
		break;
	default:
		return -1;
	}
	if (!isfinite(lo) && !isfinite(hi))
		return -1;
	if (sd <= 0)
		/* a year with no spread: the forecast is the year-end value */
		return kpi_assess(t, ind->direction, f, r->has_baseline,
		                  r->baseline, 0, 0) == KPI_ASSESS_MET ? 1.0 : 0.0;
	return kpi_odds_phi((hi - f) / sd) - kpi_odds_phi((lo - f) / sd);
}

/* The interval and chance of ind->res (see odds.h); y is the end year,
 * prev the year before, so the months so far (mask), n of them. */
static void odds_eval(struct kpi_indicator *ind, const struct year12 *y,
                      const struct year12 *prev, unsigned mask, int n)
{
	struct kpi_result *r = &ind->res;
	int ratio = ind->aggregation == KPI_AGG_RATIO;
	int nk = ratio ? 2 : 1, flat;
	double w[2][12], xs[2], ws[2], wr[2] = { 0, 0 }, total[2], mu[2][12];
	double scale = ind->scale > 0 && isfinite(ind->scale) ? ind->scale : 1;
	double f = r->forecast, v, a = 0, b = 0, ab = 0, g = 0, sd, ch;
	unsigned rest = 0xFFFu & ~mask;
	struct spread sp;

	if (ind->aggregation != KPI_AGG_SUM && !ratio) {
		r->odds_why = "not a sum or a ratio";
		return;
	}
	if (r->outcome_stated || r->forecast_stated) {
		r->odds_why = "a value the area stated";
		return;
	}
	if (!r->has_forecast || !isfinite(f)) {
		r->odds_why = "no forecast";
		return;
	}
	if (n < KPI_ODDS_MIN_MONTHS) {
		r->odds_why = "too few months";
		return;
	}
	if (!rest) {
		r->odds_why = "no month left";
		return;
	}

	/* The forecast's profile: a linear forecast is flat; any other
	 * follows last year's months when last year is complete. */
	flat = !profile_of(prev, ind->forecast_kind != KPI_FORECAST_LINEAR, nk,
	                   w);
	memset(&sp, 0, sizeof sp);
	add_deviations(y, w, mask, nk, &sp);
	if (flat) {
		/* Last year's months vary around their own flat level too;
		 * with last year's profile they are that profile and vary
		 * not at all, so they enter through this year's months. */
		unsigned pm = 0;

		for (int m = 0; m < 12; m++)
			if (prev->has[m])
				pm |= 1u << m;
		add_deviations(prev, w, pm, nk, &sp);
	}
	if (sp.dof < 1) {
		r->odds_why = "no spread";
		return;
	}

	/* The year's totals the forecast stands for: a sum's is the
	 * forecast; a ratio's denominator follows its profile and the
	 * numerator is the forecast times it. */
	sums(y, w, mask, xs, ws);
	for (int m = 0; m < 12; m++)
		if (rest & (1u << m))
			for (int k = 0; k < 2; k++)
				wr[k] += w[k][m];
	if (ratio) {
		if (!(ws[DEN] > 0) || !(xs[DEN] > 0)) {
			r->odds_why = "no spread";
			return;
		}
		total[DEN] = xs[DEN] / ws[DEN];
		total[NUM] = f / scale * total[DEN];
		g = total[NUM] / total[DEN];
	} else {
		total[NUM] = f;
		total[DEN] = 0;
	}
	/* What the forecast leaves for each month to come, by the
	 * profile. */
	for (int k = 0; k < nk; k++)
		for (int m = 0; m < 12; m++)
			mu[k][m] = (rest & (1u << m)) && wr[k] > 0 ?
				(total[k] - xs[k]) * w[k][m] / wr[k] : 0;

	for (int m = 0; m < 12; m++) {
		a += mu[NUM][m] * mu[NUM][m];
		if (ratio) {
			b += mu[DEN][m] * mu[DEN][m];
			ab += mu[NUM][m] * mu[DEN][m];
		}
	}
	v = a * sp.c[0] / sp.dof;
	if (ratio)
		/* G = scale * N / D linearised at the totals: dG = scale / D
		 * * (dN - g dD) */
		v = scale * scale / (total[DEN] * total[DEN]) *
		    (v - 2 * g * ab * sp.c[2] / sp.dof +
		     g * g * b * sp.c[1] / sp.dof);
	if (!isfinite(v)) {
		r->odds_why = "no spread";
		return;
	}
	sd = v > 0 ? sqrt(v) : 0;
	r->has_interval = 1;
	r->year_sd = sd;
	r->interval_lo = f - kpi_odds_z() * sd;
	r->interval_hi = f + kpi_odds_z() * sd;
	r->odds_months = sp.months;
	ch = chance_of(ind, f, sd);
	if (ch < 0) {
		r->odds_why = "no target to weigh";
		return;
	}
	r->has_chance = 1;
	r->chance = ch < 0 ? 0 : ch > 1 ? 1 : ch;
}

/* The pace of ind->res (see odds.h), from the same months. */
static void pace_eval(struct kpi_indicator *ind, const struct year12 *y,
                      const struct year12 *prev, unsigned mask, int n,
                      int last_month)
{
	struct kpi_result *r = &ind->res;
	int ratio = ind->aggregation == KPI_AGG_RATIO;
	double w[2][12], xs[2], ws[2], t = ind->target.value, e, act;
	double scale = ind->scale > 0 && isfinite(ind->scale) ? ind->scale : 1;
	double eps;

	r->pace_months = n;
	if (ind->target.kind != KPI_TARGET_NUMBER ||
	    (ind->direction != KPI_DIR_HIGHER &&
	     ind->direction != KPI_DIR_LOWER) || !isfinite(t)) {
		r->pace_why = "no yearly target";
		return;
	}
	if (ind->aggregation != KPI_AGG_SUM && !ratio) {
		r->pace_why = "not a sum or a ratio";
		return;
	}
	if (r->outcome_stated) {
		r->pace_why = "a value the area stated";
		return;
	}
	if (last_month >= 12) {
		r->pace_why = "the year is complete";
		return;
	}
	if (n < KPI_PACE_MIN_MONTHS) {
		r->pace_why = "too few months";
		return;
	}
	profile_of(prev, 1, ratio ? 2 : 1, w);
	sums(y, w, mask, xs, ws);
	if (ratio) {
		/* the target's ratio scaled by last year's ratio of these
		 * months to its whole year's (1 with a flat profile) */
		if (!(xs[DEN] > 0) || !(ws[DEN] > 0)) {
			r->pace_why = "too few months";
			return;
		}
		e = t * ws[NUM] / ws[DEN];
		act = xs[NUM] / xs[DEN] * scale;
	} else {
		e = t * ws[NUM];
		act = xs[NUM];
	}
	if (!isfinite(e) || !isfinite(act)) {
		r->pace_why = "too few months";
		return;
	}
	r->pace_expected = e;
	r->pace_actual = act;
	eps = ODDS_EPS * (fabs(e) > fabs(act) ? fabs(e) : fabs(act));
	if (eps < ODDS_EPS)
		eps = ODDS_EPS;
	if (ind->direction == KPI_DIR_HIGHER)
		r->pace = act >= e - eps ? KPI_PACE_ON_TRACK : KPI_PACE_BEHIND;
	else
		r->pace = act <= e + eps ? KPI_PACE_ON_TRACK : KPI_PACE_BEHIND;
}

void kpi_odds_eval(struct kpi_indicator *ind, const struct kpi_period *p)
{
	struct kpi_result *r;
	struct year12 y, prev;
	unsigned mask = 0;
	int n;

	if (!ind || !p)
		return;
	r = &ind->res;
	r->has_interval = r->has_chance = 0;
	r->odds_why = r->pace_why = NULL;
	r->pace = KPI_PACE_NONE;
	if (p->to_month < 1 || p->to_month > 12) {
		r->odds_why = r->pace_why = "too few months";
		return;
	}
	year_of(ind, p, p->to_year, &y);
	year_of(ind, p, p->to_year - 1, &prev);
	/* The months so far: January..the period's last month of the end
	 * year, those with data, as the forecast counts them. */
	for (int m = 0; m < p->to_month; m++)
		if (y.has[m])
			mask |= 1u << m;
	n = count(mask);
	odds_eval(ind, &y, &prev, mask, n);
	pace_eval(ind, &y, &prev, mask, n, p->to_month);
}

double kpi_odds_phi(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

double kpi_odds_z(void)
{
	/* Phi(1.2815515655446004) = 0.9, so 80 % lies within +/- z */
	return 1.2815515655446004;
}
