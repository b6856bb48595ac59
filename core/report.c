/*
 * report.c - builds the evaluated report (report.h) from the registry
 * once eval has run: every figure raw and formatted in both languages,
 * sub-period values, group rows, the rule behind each assessment, the
 * other indicators, tables, failures and the summary.  Writers render the
 * result; nothing after this file computes.
 */
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "eval.h"
#include "fmt.h"
#include "odds.h"
#include "window.h"

#ifndef KPI_VERSION
#define KPI_VERSION "0"
#endif

#define DASH "\xe2\x80\x93"   /* U+2013, the seed's empty cell */
#define SV KPI_LANG_SV
#define EN KPI_LANG_EN

const char *kpi_assessment_label(int a, int lang)
{
	int en = lang == EN;

	switch (a) {
	case KPI_ASSESS_MET:
		return en ? "met" : "uppfylls helt";
	case KPI_ASSESS_PARTIAL:
		return en ? "partially met" : "uppfylls delvis";
	case KPI_ASSESS_NOT_MET:
		return en ? "not met" : "uppfylls ej";
	default:
		return en ? "not assessed" : "ej bedömd";
	}
}

const char *kpi_assessment_key(int a)
{
	static const char *const k[] = { "not_assessed", "met", "partial",
	                                 "not_met" };

	return k[a & 3];
}

/* The builder's state: the first allocation failure is remembered and
 * everything after it is a no-op, so the build is checked once at the
 * end. */
struct bld {
	const struct kpi_config *cfg;
	const struct kpi_failure *failures;
	size_t n_failures;
	int oom;
};

static void *balloc(struct bld *b, size_t n, size_t size)
{
	void *p;

	if (b->oom)
		return NULL;
	p = calloc(n ? n : 1, size);
	if (!p)
		b->oom = 1;
	return p;
}

static char *bdup(struct bld *b, const char *s)
{
	char *c;

	if (b->oom)
		return NULL;
	c = strdup(s ? s : "");
	if (!c)
		b->oom = 1;
	return c;
}

static char *bprintf(struct bld *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static char *bprintf(struct bld *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	if (b->oom)
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return NULL;
	}
	s = balloc(b, (size_t)n + 1, 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Both languages, each falling back to the other, else "". */
static void text_pick(struct bld *b, struct kpi_text *t, const char *sv,
                      const char *en)
{
	if (!sv || !*sv)
		sv = en;
	if (!en || !*en)
		en = sv;
	t->s[SV] = bdup(b, sv);
	t->s[EN] = bdup(b, en);
}

static void text_same(struct bld *b, struct kpi_text *t, const char *s)
{
	text_pick(b, t, s, s);
}

static void text_free(struct kpi_text *t)
{
	free(t->s[SV]);
	free(t->s[EN]);
}

/* The text in `lang`, else in the other language, else "". */
static const char *pick(int lang, const char *sv, const char *en)
{
	const char *s = lang == EN ? en : sv;

	if (s && *s)
		return s;
	s = lang == EN ? sv : en;
	return s ? s : "";
}

/* A unit as the report writes it in `lang`: Swedish units in the config
 * get their English form ("st" is dropped). */
static const char *unit_in(const char *unit, int lang)
{
	static const char *const en[][2] = {
		{ "st", "" }, { "kWh/kvm", "kWh/m²" }, { "kr", "SEK" },
		{ "mnkr", "SEK m" }, { "kvm", "m²" },
	};

	if (!unit || lang != EN)
		return unit ? unit : "";
	for (size_t i = 0; i < sizeof en / sizeof en[0]; i++)
		if (strcmp(unit, en[i][0]) == 0)
			return en[i][1];
	return unit;
}

static void figure_set(struct bld *b, struct kpi_figure *f, int has,
                       double v, int decimals, const char *unit)
{
	char buf[KPI_MAX_CELL];

	f->has = has && isfinite(v);
	f->value = f->has ? v : 0;
	f->decimals = decimals;
	for (int l = SV; l <= EN; l++) {
		if (f->has) {
			kpi_fmt_value(buf, sizeof buf, v, decimals,
			              unit_in(unit, l), l);
			f->text.s[l] = bdup(b, buf);
			kpi_fmt_number(buf, sizeof buf, v, decimals, l, 1);
			f->number.s[l] = bdup(b, buf);
		} else {
			f->text.s[l] = bdup(b, DASH);
			f->number.s[l] = bdup(b, DASH);
		}
	}
}

static void figure_free(struct kpi_figure *f)
{
	text_free(&f->text);
	text_free(&f->number);
}

static void span_set(struct bld *b, struct kpi_span *sp, int fy, int fm,
                     int ty, int tm)
{
	char buf[64];

	sp->from_year = fy;
	sp->from_month = fm;
	sp->to_year = ty;
	sp->to_month = tm;
	for (int l = SV; l <= EN; l++) {
		kpi_period_label(buf, sizeof buf, l, fy, fm, ty, tm);
		sp->label.s[l] = bdup(b, buf);
	}
}

static void grade_set(struct bld *b, struct kpi_grade *g, int a)
{
	g->value = a;
	g->key = kpi_assessment_key(a);
	for (int l = SV; l <= EN; l++)
		g->label.s[l] = bdup(b, kpi_assessment_label(a, l));
}

/* ---- targets ---------------------------------------------------------- */

static const char *const target_keys[] = { "none", "number", "increase",
                                           "decrease", "range", "text" };

static void target_display(char *buf, size_t n, const struct kpi_target *t,
                           const char *unit, int lang)
{
	char num[KPI_MAX_NUMBER_TEXT];
	char w[KPI_MAX_NUMBER_TEXT + KPI_MAX_CONFIG_LINE];   /* with a unit */

	switch (t->kind) {
	case KPI_TARGET_NUMBER:
		kpi_fmt_value(buf, n, t->value, t->decimals, unit, lang);
		break;
	case KPI_TARGET_RANGE:
		kpi_fmt_number(num, sizeof num, t->value, t->decimals, lang, 1);
		kpi_fmt_value(w, sizeof w, t->width,
		              t->width == floor(t->width) ? 0 : 1, unit, lang);
		snprintf(buf, n, "%s +/- %s", num, w);
		break;
	case KPI_TARGET_INCREASE:
		snprintf(buf, n, "%s", lang == EN ? "increase" : "öka");
		break;
	case KPI_TARGET_DECREASE:
		snprintf(buf, n, "%s", lang == EN ? "decrease" : "minska");
		break;
	case KPI_TARGET_TEXT:
		snprintf(buf, n, "%s", pick(lang, t->text_sv, t->text_en));
		break;
	default:
		snprintf(buf, n, "%s", DASH);
	}
}

static void target_set(struct bld *b, struct kpi_report_target *rt,
                       const struct kpi_target *t,
                       const struct kpi_indicator *ind)
{
	const char *unit = t->unit ? t->unit : ind->unit;
	int kind = t->kind >= 0 && t->kind <= KPI_TARGET_TEXT ? t->kind : 0;
	char buf[KPI_MAX_CELL];

	rt->kind = kind;
	rt->kind_key = target_keys[kind];
	rt->has_value = kind == KPI_TARGET_NUMBER || kind == KPI_TARGET_RANGE;
	rt->value = rt->has_value ? t->value : 0;
	rt->has_width = kind == KPI_TARGET_RANGE;
	rt->width = rt->has_width ? t->width : 0;
	rt->decimals = t->decimals;
	rt->line = t->line;
	for (int l = SV; l <= EN; l++) {
		rt->unit.s[l] = bdup(b, rt->has_value ? unit_in(unit, l) : "");
		if (rt->has_value)
			kpi_fmt_number(buf, sizeof buf, t->value, t->decimals, l, 1);
		else
			buf[0] = '\0';
		rt->number.s[l] = bdup(b, buf);
		target_display(buf, sizeof buf, t, unit_in(unit, l), l);
		rt->display.s[l] = bdup(b, buf);
	}
	if (kind == KPI_TARGET_TEXT)
		text_pick(b, &rt->text, t->text_sv, t->text_en);
	else
		text_same(b, &rt->text, "");
}

static void target_free(struct kpi_report_target *t)
{
	text_free(&t->unit);
	text_free(&t->number);
	text_free(&t->text);
	text_free(&t->display);
}

/* ---- series ----------------------------------------------------------- */

static double scale_of(const struct kpi_indicator *ind)
{
	return ind->scale > 0 && isfinite(ind->scale) ? ind->scale : 1.0;
}

/* The 24 months of the end year - 1 and the end year, from the run's
 * window (a month outside it has no data). */
static void series_set(struct kpi_report_series *rs,
                       const struct kpi_series *s,
                       const struct kpi_indicator *ind,
                       const struct kpi_period *p)
{
	int year = p->to_year;

	memset(rs, 0, sizeof *rs);
	for (int i = 0; i < 24; i++) {
		int slot = kpi_window_slot(p, year - 1 + i / 12, i % 12 + 1);
		const struct kpi_month *m = slot >= 0 ? &s->m[slot] : NULL;
		struct kpi_report_month *o = &rs->m[i];
		double v;

		o->year = year - 1 + i / 12;
		o->month = i % 12 + 1;
		if (!m || !m->has)
			continue;
		o->has = 1;
		o->num = m->num;
		o->den = m->den;
		rs->n_with_data++;
		switch (ind->aggregation) {
		case KPI_AGG_SUM:
			v = m->num;
			break;
		case KPI_AGG_LAST:
			v = m->num / (m->den > 0 ? m->den : 1.0) * scale_of(ind);
			break;
		default:
			if (m->den == 0)
				continue;
			v = m->num / m->den * scale_of(ind);
		}
		if (isfinite(v)) {
			o->has_value = 1;
			o->value = v;
		}
	}
}

/* ---- indicators ------------------------------------------------------- */

/* A static reason from eval in both languages, and its machine key. */
static void why_set(struct bld *b, struct kpi_report_indicator *ri,
                    const char *why)
{
	static const char *const map[][3] = {
		{ "no data", "inga data", "no_data" },
		{ "denominator is 0", "nämnaren är 0", "zero_denominator" },
		{ "value is not finite", "värdet är inte ett tal", "not_finite" },
		{ "invalid period", "ogiltig period", "invalid_period" },
		{ "unknown aggregation", "okänd aggregering",
		  "unknown_aggregation" },
		/* forecast accuracy from the results history (history.c) */
		{ "no results history",
		  "ingen resultathistorik", "no_history" },
		{ "no forecast of that period in the history",
		  "ingen prognos från den perioden i historiken",
		  "no_forecast_in_history" },
		{ "no year-end outcome yet", "inget årsutfall ännu",
		  "no_year_end_outcome" },
		{ "the year-end outcome is 0", "årsutfallet är 0",
		  "zero_year_end_outcome" },
	};

	ri->why_key = NULL;
	if (ri->outcome.has) {
		text_same(b, &ri->why, "");
		return;
	}
	if (!why)
		why = "no data";
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(why, map[i][0]) == 0) {
			text_pick(b, &ri->why, map[i][1], map[i][0]);
			ri->why_key = map[i][2];
			return;
		}
	text_same(b, &ri->why, why);
	ri->why_key = "other";
}

/* The tolerance as a person reads it: "10 % (85 st)" when relative to the
 * reference, "0,5 %" when an amount in the unit. */
static void tolerance_text(char *buf, size_t n,
                           const struct kpi_report_indicator *ri,
                           const struct kpi_result *r, int lang)
{
	char a[KPI_MAX_NUMBER_TEXT], b[KPI_MAX_NUMBER_TEXT + KPI_MAX_UNIT + 2];
	const char *unit = KPI_TEXT(ri->unit, lang);

	int d = ri->decimals;

	/* enough decimals to show the tolerance as it is (0.5, not 1) */
	while (d < 6 && fabs(r->tolerance_abs * pow(10, d) -
	                     round(r->tolerance_abs * pow(10, d))) > 1e-9)
		d++;
	kpi_fmt_value(b, sizeof b, r->tolerance_abs, d, unit, lang);
	if (r->tolerance_relative) {
		double pct = r->tolerance * 100;

		kpi_fmt_number(a, sizeof a, pct, pct == floor(pct) ? 0 : 1, lang,
		               1);
		snprintf(buf, n, "%s %% (%s)", a, b);
	} else {
		snprintf(buf, n, "%s", b);
	}
}

/* The sentence naming the rule that gave the assessment. */
static char *rule_sentence(struct bld *b, const struct kpi_report_indicator *ri,
                           const struct kpi_result *r, int lang)
{
	int en = lang == EN;
	const char *what = ri->assessed_on_forecast ?
	                   (en ? "forecast" : "prognos") :
	                   (en ? "outcome" : "utfall");
	const char *val = ri->assessed_on_forecast ?
	                  KPI_TEXT(ri->forecast.text, lang) :
	                  KPI_TEXT(ri->outcome.text, lang);
	const char *tgt = KPI_TEXT(ri->target.display, lang);
	const char *base = KPI_TEXT(ri->baseline.text, lang);
	char tol[KPI_MAX_CELL];

	tolerance_text(tol, sizeof tol, ri, r, lang);
	switch (r->rule) {
	case KPI_RULE_NO_TARGET:
		return bdup(b, en ? "no target" : "inget mål");
	case KPI_RULE_TEXT_TARGET:
		return bdup(b, en ? "the target is a text: not assessed"
		                  : "målet är en text: bedöms inte");
	case KPI_RULE_NO_BASELINE:
		return bdup(b, en ? "no baseline to compare with"
		                  : "inget jämförelsevärde");
	case KPI_RULE_NOT_FINITE:
		return bdup(b, en ? "the value or the target is not a number"
		                  : "värdet eller målet är inte ett tal");
	case KPI_RULE_HIGHER_MET:
		return bprintf(b, en ? "higher is better: %s %s >= target %s"
		                     : "högre är bättre: %s %s >= mål %s",
		               what, val, tgt);
	case KPI_RULE_HIGHER_TOLERANCE:
		return bprintf(b, en ? "higher is better: %s %s below target %s, "
		                       "within tolerance %s"
		                     : "högre är bättre: %s %s under mål %s, "
		                       "inom toleransen %s", what, val, tgt, tol);
	case KPI_RULE_HIGHER_NOT_MET:
		return bprintf(b, en ? "higher is better: %s %s below target %s "
		                       "by more than tolerance %s"
		                     : "högre är bättre: %s %s under mål %s med "
		                       "mer än toleransen %s", what, val, tgt, tol);
	case KPI_RULE_LOWER_MET:
		return bprintf(b, en ? "lower is better: %s %s <= target %s"
		                     : "lägre är bättre: %s %s <= mål %s",
		               what, val, tgt);
	case KPI_RULE_LOWER_TOLERANCE:
		return bprintf(b, en ? "lower is better: %s %s above target %s, "
		                       "within tolerance %s"
		                     : "lägre är bättre: %s %s över mål %s, "
		                       "inom toleransen %s", what, val, tgt, tol);
	case KPI_RULE_LOWER_NOT_MET:
		return bprintf(b, en ? "lower is better: %s %s above target %s "
		                       "by more than tolerance %s"
		                     : "lägre är bättre: %s %s över mål %s med "
		                       "mer än toleransen %s", what, val, tgt, tol);
	case KPI_RULE_EQUAL_MET:
		return bprintf(b, en ? "on target: %s %s = target %s"
		                     : "på målet: %s %s = mål %s", what, val, tgt);
	case KPI_RULE_EQUAL_TOLERANCE:
		return bprintf(b, en ? "on target: %s %s differs from target %s "
		                       "within tolerance %s"
		                     : "på målet: %s %s avviker från mål %s inom "
		                       "toleransen %s", what, val, tgt, tol);
	case KPI_RULE_EQUAL_NOT_MET:
		return bprintf(b, en ? "on target: %s %s differs from target %s "
		                       "by more than tolerance %s"
		                     : "på målet: %s %s avviker från mål %s med "
		                       "mer än toleransen %s", what, val, tgt, tol);
	case KPI_RULE_INCREASE_MET:
		return bprintf(b, en ? "increase: %s %s > baseline %s"
		                     : "öka: %s %s > jämförelsevärde %s",
		               what, val, base);
	case KPI_RULE_INCREASE_TOLERANCE:
		return bprintf(b, en ? "increase: %s %s not above baseline %s, "
		                       "within tolerance %s"
		                     : "öka: %s %s inte över jämförelsevärde %s, "
		                       "inom toleransen %s", what, val, base, tol);
	case KPI_RULE_INCREASE_NOT_MET:
		return bprintf(b, en ? "increase: %s %s below baseline %s by more "
		                       "than tolerance %s"
		                     : "öka: %s %s under jämförelsevärde %s med "
		                       "mer än toleransen %s", what, val, base, tol);
	case KPI_RULE_DECREASE_MET:
		return bprintf(b, en ? "decrease: %s %s < baseline %s"
		                     : "minska: %s %s < jämförelsevärde %s",
		               what, val, base);
	case KPI_RULE_DECREASE_TOLERANCE:
		return bprintf(b, en ? "decrease: %s %s not below baseline %s, "
		                       "within tolerance %s"
		                     : "minska: %s %s inte under jämförelsevärde "
		                       "%s, inom toleransen %s", what, val, base,
		               tol);
	case KPI_RULE_DECREASE_NOT_MET:
		return bprintf(b, en ? "decrease: %s %s above baseline %s by more "
		                       "than tolerance %s"
		                     : "minska: %s %s över jämförelsevärde %s med "
		                       "mer än toleransen %s", what, val, base, tol);
	case KPI_RULE_RANGE_MET:
		return bprintf(b, en ? "range: %s %s within target %s"
		                     : "intervall: %s %s inom mål %s",
		               what, val, tgt);
	case KPI_RULE_RANGE_TOLERANCE:
		return bprintf(b, en ? "range: %s %s outside target %s, within "
		                       "tolerance %s"
		                     : "intervall: %s %s utanför mål %s, inom "
		                       "toleransen %s", what, val, tgt, tol);
	case KPI_RULE_RANGE_NOT_MET:
		return bprintf(b, en ? "range: %s %s outside target %s by more "
		                       "than tolerance %s"
		                     : "intervall: %s %s utanför mål %s med mer "
		                       "än toleransen %s", what, val, tgt, tol);
	default: /* KPI_RULE_NO_DATA */
		return bprintf(b, en ? "no outcome or forecast (%s)"
		                     : "inget utfall eller prognos (%s)",
		               KPI_TEXT(ri->why, lang));
	}
}

static const char *name_in(const struct kpi_indicator *ind, int lang)
{
	const char *a = lang == EN ? ind->name_en : ind->name_sv;
	const char *o = lang == EN ? ind->name_sv : ind->name_en;

	if (a && *a)
		return a;
	return o && *o ? o : ind->id;
}

/* Sub-period `from`-`to` (months) clipped to period p: its months in
 * the end year, else (a period across New Year) in the year before, as
 * far as they lie in the period.  Returns 0 and sets *out, or -1 when no
 * month of it is in the period. */
static int subperiod_clip(const struct kpi_period *p, int from, int to,
                          struct kpi_period *out)
{
	for (int y = p->to_year; y >= p->to_year - 1; y--) {
		int lo = kpi_period_index(y, from), hi = kpi_period_index(y, to);

		if (lo < kpi_period_first(p))
			lo = kpi_period_first(p);
		if (hi > kpi_period_last(p))
			hi = kpi_period_last(p);
		if (lo > hi)
			continue;
		out->kind = KPI_PERIOD_RANGE;
		kpi_period_split(lo, &out->from_year, &out->from_month);
		kpi_period_split(hi, &out->to_year, &out->to_month);
		return 0;
	}
	return -1;
}

static void subperiods_set(struct bld *b, struct kpi_report_indicator *ri,
                           const struct kpi_indicator *ind,
                           const struct kpi_period *p)
{
	struct kpi_period clip[KPI_MAX_SUBPERIODS];
	size_t n = 0;

	for (int k = 0; k < ind->n_subperiods && k < KPI_MAX_SUBPERIODS; k++)
		if (subperiod_clip(p, ind->subperiods[k][0],
		                   ind->subperiods[k][1], &clip[n]) == 0)
			n++;
	ri->n_subperiods = n;
	ri->subperiods = balloc(b, ri->n_subperiods, sizeof *ri->subperiods);
	if (!ri->subperiods) {
		ri->n_subperiods = 0;
		return;
	}
	for (size_t k = 0; k < ri->n_subperiods; k++) {
		struct kpi_report_subperiod *sp = &ri->subperiods[k];
		struct kpi_period cov;
		const char *why = NULL;
		double v = 0;
		int ok;

		sp->from_month = clip[k].from_month;
		sp->to_month = clip[k].to_month;
		ok = kpi_eval_aggregate(ind, &ind->main, p, &clip[k], &v, &cov,
		                        &why) == 0;
		span_set(b, &sp->asked, clip[k].from_year, clip[k].from_month,
		         clip[k].to_year, clip[k].to_month);
		span_set(b, &sp->covered, ok ? cov.from_year : 0, cov.from_month,
		         cov.to_year, cov.to_month);
		figure_set(b, &sp->value, ok, v, ind->decimals, ind->unit);
		sp->why = ok ? NULL : why;
		for (int l = SV; l <= EN; l++)
			sp->line.s[l] = bprintf(b, "%s, %s: %s", name_in(ind, l),
			                        ok ? sp->covered.label.s[l]
			                           : sp->asked.label.s[l],
			                        sp->value.text.s[l]);
	}
}

static void groups_set(struct bld *b, struct kpi_report_indicator *ri,
                       const struct kpi_indicator *ind,
                       const struct kpi_period *p)
{
	ri->n_groups = ind->n_groups;
	ri->groups = balloc(b, ri->n_groups, sizeof *ri->groups);
	if (!ri->groups) {
		ri->n_groups = 0;
		return;
	}
	for (size_t k = 0; k < ri->n_groups; k++) {
		struct kpi_report_group *g = &ri->groups[k];
		const struct kpi_series *s = &ind->groups[k];
		struct kpi_period cov;
		const char *why = NULL;
		double v = 0;
		int ok;

		g->name = bdup(b, s->group);
		ok = kpi_eval_aggregate(ind, s, p, p, &v, &cov, &why) == 0;
		figure_set(b, &g->outcome, ok, v, ind->decimals, ind->unit);
		span_set(b, &g->covered, ok ? cov.from_year : 0, cov.from_month,
		         cov.to_year, cov.to_month);
		g->why = ok ? NULL : why;
		series_set(&g->series, s, ind, p);
	}
}

static const char *const compare_keys[] = { "same_period",
                                            "previous_year" };

/* The last-year column: the figure, the months compared with and those
 * with data, its heading and its cell ("4,7 % (2010)" when the
 * comparison is a whole previous year, else the figure alone). */
static void last_year_set(struct bld *b, struct kpi_report_indicator *ri,
                          const struct kpi_indicator *ind)
{
	const struct kpi_result *r = &ind->res;
	int whole = r->compare == KPI_COMPARE_PREVIOUS_YEAR;

	figure_set(b, &ri->last_year, r->has_last, r->last, ind->decimals,
	           ind->unit);
	ri->last_year_stated = r->last_stated;
	ri->compare = whole;
	ri->compare_key = compare_keys[whole];
	text_pick(b, &ri->compare_label,
	          whole ? "Föregående år" : "Samma period föregående år",
	          whole ? "Previous year" : "Same period last year");
	span_set(b, &ri->last_year_asked, r->ask_from_year, r->ask_from_month,
	         r->ask_to_year, r->ask_to_month);
	span_set(b, &ri->last_year_covered, r->last_from_year,
	         r->last_from_month, r->last_to_year, r->last_to_month);
	for (int l = SV; l <= EN; l++)
		ri->last_year_cell.s[l] = whole && ri->last_year.has ?
			bprintf(b, "%s (%s)", ri->last_year.text.s[l],
			        ri->last_year_covered.label.s[l]) :
			bdup(b, ri->last_year.text.s[l]);
}

static const char *const method_keys[] = { "none", "manual", "linear",
                                           "seasonal", "stated" };
static const char *const direction_keys[] = { "none", "higher", "lower" };
static const char *const aggregation_keys[] = { "sum", "sum", "ratio",
                                                "last", "rolling12" };

/* A stated assessment is flagged when the computed one is a real
 * assessment that differs from it; "not assessed" (no data yet) is not. */
static int differs(int stated, int computed)
{
	return stated >= 0 && computed != KPI_ASSESS_NONE && stated != computed;
}

/* A static reason from odds.c: its machine key, or "other". */
static const char *odds_key(const char *why)
{
	static const char *const map[][2] = {
		{ "not a sum or a ratio", "not_sum_or_ratio" },
		{ "a value the area stated", "stated_value" },
		{ "no forecast", "no_forecast" },
		{ "too few months", "too_few_months" },
		{ "no month left", "year_complete" },
		{ "the year is complete", "year_complete" },
		{ "no spread", "no_spread" },
		{ "no target to weigh", "no_target" },
		{ "no yearly target", "no_target" },
	};

	if (!why)
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(why, map[i][0]) == 0)
			return map[i][1];
	return "other";
}

/* A probability as the table shows it: whole percent, never a certainty
 * the model cannot give ("> 99 %", "< 1 %"). */
static void chance_format(char *buf, size_t n, double p, int lang)
{
	char num[KPI_MAX_NUMBER_TEXT];

	if (p > 0.995) {
		snprintf(buf, n, "> 99 %%");
	} else if (p < 0.005) {
		snprintf(buf, n, "< 1 %%");
	} else {
		kpi_fmt_number(num, sizeof num, p * 100, 0, lang, 1);
		snprintf(buf, n, "%s %%", num);
	}
}

/* The interval, the chance and the pace of ri from ind->res. */
static void odds_set(struct bld *b, struct kpi_report_indicator *ri,
                     const struct kpi_indicator *ind)
{
	const struct kpi_result *r = &ind->res;
	char buf[KPI_MAX_CELL];
	static const char *const pace_keys[] = { "none", "on_track", "behind" };
	static const char *const pace_sv[] = { DASH, "i fas", "efter" };
	static const char *const pace_en[] = { DASH, "on track", "behind" };
	int pace = r->pace >= 0 && r->pace <= KPI_PACE_BEHIND ? r->pace : 0;

	ri->interval_level = KPI_ODDS_LEVEL;
	ri->has_interval = r->has_interval;
	ri->year_sd = r->has_interval ? r->year_sd : 0;
	ri->odds_months = r->has_interval ? r->odds_months : 0;
	figure_set(b, &ri->interval_lo, r->has_interval, r->interval_lo,
	           ri->forecast.decimals, ind->unit);
	figure_set(b, &ri->interval_hi, r->has_interval, r->interval_hi,
	           ri->forecast.decimals, ind->unit);
	ri->has_chance = r->has_chance;
	ri->chance = r->has_chance ? r->chance : 0;
	ri->odds_why_key = odds_key(r->odds_why);
	for (int l = SV; l <= EN; l++) {
		if (r->has_chance)
			chance_format(buf, sizeof buf, r->chance, l);
		else
			snprintf(buf, sizeof buf, "%s", DASH);
		ri->chance_text.s[l] = bdup(b, buf);
		if (!r->has_interval) {
			ri->odds_line.s[l] = bdup(b, "");
			continue;
		}
		ri->odds_line.s[l] = bprintf(b, l == EN ?
			"%s: forecast %s, 80 %% interval for the year "
			"%s" DASH "%s%s%s" :
			"%s: prognos helår %s, 80 %% intervall för helåret "
			"%s" DASH "%s%s%s", name_in(ind, l),
			ri->forecast.text.s[l], ri->interval_lo.number.s[l],
			ri->interval_hi.text.s[l],
			r->has_chance ? (l == EN ? ", chance of meeting the "
			                           "target " :
			                           ", sannolikhet att nå "
			                           "årsmålet ") : "",
			r->has_chance ? ri->chance_text.s[l] : "");
	}

	ri->pace = pace;
	ri->pace_key = pace_keys[pace];
	text_pick(b, &ri->pace_label, pace_sv[pace], pace_en[pace]);
	figure_set(b, &ri->pace_expected, pace != 0, r->pace_expected,
	           ind->decimals, ind->unit);
	figure_set(b, &ri->pace_actual, pace != 0, r->pace_actual,
	           ind->decimals, ind->unit);
	ri->pace_months = r->pace_months;
	ri->pace_why_key = pace ? NULL : odds_key(r->pace_why);
}

/* True if ind's area is one whose plugin failed. */
static int area_failed(const struct bld *b, const struct kpi_indicator *ind)
{
	for (size_t i = 0; ind->area && i < b->n_failures; i++)
		if (b->failures[i].area &&
		    strcmp(b->failures[i].area, ind->area) == 0)
			return 1;
	return 0;
}

/* Why a row has no real assessment (docs/evaluation.md, "When an
 * indicator is not assessed"), and its assessment label saying so. */
static void state_set(struct bld *b, struct kpi_report_indicator *ri,
                      const struct kpi_indicator *ind)
{
	static const char *const reasons[][3] = {
		{ "plugin_failed", "området kunde inte beräknas",
		  "the area could not be computed" },
		{ "no_target", "inget mål", "no target" },
		{ "target_to_be_set", "målet tas fram", "target to be set" },
		{ "no_data", "inga data", "no data" },
		{ "no_baseline", "inget jämförelsevärde", "no baseline" },
		{ "not_finite", "värdet är inte ett tal", "not a number" },
	};
	const struct kpi_result *r = &ind->res;
	int why = -1;

	ri->state_reason_key = NULL;
	if (r->assessment != KPI_ASSESS_NONE) {
		ri->state_key = "assessed";
		text_same(b, &ri->state_reason, "");
		return;
	}
	if (area_failed(b, ind))
		why = 0;
	else if (ind->target.kind == KPI_TARGET_NONE)
		why = 1;
	else if (ind->target.kind == KPI_TARGET_TEXT && ind->target.to_be_set)
		why = 2;
	else if (ind->target.kind == KPI_TARGET_TEXT)
		why = -1;              /* a text target: shown, by choice */
	else if (r->rule == KPI_RULE_NO_DATA)
		why = 3;
	else if (r->rule == KPI_RULE_NO_BASELINE)
		why = 4;
	else
		why = 5;
	if (why < 0) {
		ri->state_key = "not_assessed";
		text_same(b, &ri->state_reason, "");
		return;
	}
	ri->state_key = "cannot_assess";
	ri->state_reason_key = reasons[why][0];
	text_pick(b, &ri->state_reason, reasons[why][1], reasons[why][2]);
	for (int l = SV; l <= EN; l++) {
		free(ri->assessment.label.s[l]);
		ri->assessment.label.s[l] = bprintf(b, l == EN ?
			"cannot be assessed (%s)" : "kan ej bedömas (%s)",
			reasons[why][l == EN ? 2 : 1]);
	}
}

static void indicator_set(struct bld *b, struct kpi_report_indicator *ri,
                          const struct kpi_indicator *ind)
{
	const struct kpi_config *cfg = b->cfg;
	const struct kpi_result *r = &ind->res;
	int fdec;

	ri->id = bdup(b, ind->id);
	ri->area = bdup(b, ind->area);
	text_pick(b, &ri->name, name_in(ind, SV), name_in(ind, EN));
	for (int l = SV; l <= EN; l++)
		ri->unit.s[l] = bdup(b, unit_in(ind->unit, l));
	ri->unit_raw = bdup(b, ind->unit);
	ri->decimals = ind->decimals;
	ri->direction = ind->direction;
	ri->direction_key = direction_keys[(unsigned)ind->direction % 3];
	ri->aggregation = ind->aggregation;
	ri->aggregation_key = aggregation_keys[(unsigned)ind->aggregation % 5];
	ri->scale = scale_of(ind);
	ri->declared = ind->declared;
	ri->line = ind->line;

	figure_set(b, &ri->outcome, r->has_outcome, r->outcome, ind->decimals,
	           ind->unit);
	ri->outcome_stated = r->outcome_stated;
	why_set(b, ri, r->has_outcome ? NULL : r->why);
	fdec = ind->forecast_kind == KPI_FORECAST_MANUAL &&
	       ind->forecast_decimals > ind->decimals ? ind->forecast_decimals
	                                              : ind->decimals;
	figure_set(b, &ri->forecast, r->has_forecast, r->forecast, fdec,
	           ind->unit);
	if (r->forecast_stated)
		ri->forecast_method = KPI_METHOD_STATED;
	else if (r->has_forecast)
		ri->forecast_method = ind->forecast_kind;
	else
		ri->forecast_method = KPI_METHOD_NONE;
	if (ri->forecast_method < 0 || ri->forecast_method > KPI_METHOD_STATED)
		ri->forecast_method = KPI_METHOD_NONE;
	ri->forecast_method_key = method_keys[ri->forecast_method];
	figure_set(b, &ri->baseline, r->has_baseline, r->baseline,
	           ind->decimals, ind->unit);
	target_set(b, &ri->target, &ind->target, ind);
	target_set(b, &ri->council, &ind->council, ind);
	ri->council_citywide = ind->council_citywide;
	ri->tolerance = r->tolerance;
	ri->tolerance_relative = r->tolerance_relative;

	span_set(b, &ri->covered, r->from_year, r->from_month, r->to_year,
	         r->to_month);
	for (int l = SV; l <= EN; l++) {
		if (ind->period_label)
			ri->period.s[l] = bdup(b, ind->period_label);
		else if (r->from_year)
			ri->period.s[l] = bdup(b, ri->covered.label.s[l]);
		else
			ri->period.s[l] = bprintf(b, "%d", cfg->year);
	}

	series_set(&ri->series, &ind->main, ind, &cfg->period);
	subperiods_set(b, ri, ind, &cfg->period);
	ri->breakdown = ind->breakdown;
	groups_set(b, ri, ind, &cfg->period);
	last_year_set(b, ri, ind);
	ri->baseline_configured = r->baseline_cfg;

	grade_set(b, &ri->assessment, r->assessment);
	state_set(b, ri, ind);
	odds_set(b, ri, ind);
	ri->has_stated = ind->stated >= 0;
	grade_set(b, &ri->stated, ri->has_stated ? ind->stated : KPI_ASSESS_NONE);
	ri->differs = differs(ind->stated, r->assessment);
	for (int l = SV; l <= EN; l++)
		ri->note.s[l] = ri->differs ?
			bprintf(b, l == EN ? "%s: stated assessment \"%s\", "
			                     "computed \"%s\""
			                   : "%s: angiven bedömning \"%s\", "
			                     "beräknad \"%s\"",
			        name_in(ind, l), ri->stated.label.s[l],
			        ri->assessment.label.s[l]) : bdup(b, "");
	ri->assessed_on_forecast = r->assessed_forecast;
	ri->rule.value = r->rule;
	ri->rule.id = kpi_rule_id(r->rule);
	if (!b->oom)
		for (int l = SV; l <= EN; l++)
			ri->rule.text.s[l] = rule_sentence(b, ri, r, l);
}

static void indicator_free(struct kpi_report_indicator *ri)
{
	free(ri->id);
	free(ri->area);
	text_free(&ri->name);
	text_free(&ri->unit);
	free(ri->unit_raw);
	figure_free(&ri->outcome);
	text_free(&ri->why);
	figure_free(&ri->forecast);
	figure_free(&ri->baseline);
	figure_free(&ri->last_year);
	text_free(&ri->compare_label);
	text_free(&ri->last_year_asked.label);
	text_free(&ri->last_year_covered.label);
	text_free(&ri->last_year_cell);
	target_free(&ri->target);
	target_free(&ri->council);
	text_free(&ri->covered.label);
	text_free(&ri->period);
	for (size_t k = 0; k < ri->n_subperiods; k++) {
		text_free(&ri->subperiods[k].asked.label);
		text_free(&ri->subperiods[k].covered.label);
		figure_free(&ri->subperiods[k].value);
		text_free(&ri->subperiods[k].line);
	}
	free(ri->subperiods);
	for (size_t k = 0; k < ri->n_groups; k++) {
		free(ri->groups[k].name);
		figure_free(&ri->groups[k].outcome);
		text_free(&ri->groups[k].covered.label);
	}
	free(ri->groups);
	text_free(&ri->assessment.label);
	text_free(&ri->stated.label);
	text_free(&ri->note);
	text_free(&ri->rule.text);
	text_free(&ri->state_reason);
	figure_free(&ri->interval_lo);
	figure_free(&ri->interval_hi);
	text_free(&ri->chance_text);
	text_free(&ri->odds_line);
	text_free(&ri->pace_label);
	figure_free(&ri->pace_expected);
	figure_free(&ri->pace_actual);
}

/* ---- goals ------------------------------------------------------------ */

static const char *kind_label(int kind, int lang)
{
	int en = lang == EN;

	switch (kind) {
	case KPI_GOAL_DIRECTION:
		return en ? "Council's directional goal" : "KF:s inriktningsmål";
	case KPI_GOAL_COUNCIL:
		return en ? "Council's goal for the area"
		          : "KF:s mål för verksamhetsområdet";
	default:
		return en ? "Committee goal" : "Nämndmål";
	}
}

static size_t goal_index(const struct kpi_config *cfg,
                         const struct kpi_goal *g)
{
	for (size_t i = 0; i < cfg->n_goals; i++)
		if (cfg->goals[i] == g)
			return i;
	return 0;
}

static size_t indicator_index(const struct kpi_config *cfg,
                              const struct kpi_indicator *ind)
{
	for (size_t i = 0; i < cfg->n_indicators; i++)
		if (cfg->indicators[i] == ind)
			return i;
	return 0;
}

static void activity_set(struct bld *b, struct kpi_report_activity *ra,
                         const struct kpi_activity *a)
{
	text_pick(b, &ra->text, a->text_sv, a->text_en);
	ra->start = a->start;
	ra->end = a->end;
	snprintf(ra->start_text, sizeof ra->start_text, "%04d-%02d-%02d",
	         a->start.year, a->start.month, a->start.day);
	snprintf(ra->end_text, sizeof ra->end_text, "%04d-%02d-%02d",
	         a->end.year, a->end.month, a->end.day);
	text_pick(b, &ra->deviation, a->deviation_sv, a->deviation_en);
	ra->line = a->line;
}

static void goal_set(struct bld *b, struct kpi_report *rep,
                     struct kpi_report_goal *rg, const struct kpi_goal *g)
{
	const struct kpi_config *cfg = b->cfg;
	int kind = g->kind >= 0 && g->kind <= KPI_GOAL_COMMITTEE ? g->kind : 2;
	static const char *const kinds[] = { "direction", "council",
	                                     "committee" };

	rg->id = bdup(b, g->id);
	rg->kind = kind;
	rg->kind_key = kinds[kind];
	text_pick(b, &rg->kind_label, kind_label(kind, SV), kind_label(kind, EN));
	text_pick(b, &rg->title, g->title_sv, g->title_en);
	text_pick(b, &rg->text, g->text_sv, g->text_en);
	for (int l = SV; l <= EN; l++)
		rg->heading.s[l] = kind == KPI_GOAL_COMMITTEE ?
			bprintf(b, "%s: %s", kind_label(kind, l),
			        rg->title.s[l] ? rg->title.s[l] : "") :
			bprintf(b, "%s %s: %s", kind_label(kind, l), g->id,
			        rg->title.s[l] ? rg->title.s[l] : "");
	rg->line = g->line;
	grade_set(b, &rg->assessment, g->assessment);
	rg->has_stated = g->stated >= 0;
	grade_set(b, &rg->stated, rg->has_stated ? g->stated : KPI_ASSESS_NONE);
	rg->differs = differs(g->stated, g->assessment);
	for (int l = SV; l <= EN; l++)
		rg->note.s[l] = rg->differs ?
			bprintf(b, l == EN ? "stated: %s" : "angiven: %s",
			        rg->stated.label.s[l]) : bdup(b, "");

	rg->parent = g->parent ? &rep->goals[goal_index(cfg, g->parent)] : NULL;
	rg->children = balloc(b, g->n_children, sizeof *rg->children);
	rg->indicators = balloc(b, g->n_indicators, sizeof *rg->indicators);
	rg->activities = balloc(b, g->n_activities, sizeof *rg->activities);
	if (b->oom)
		return;
	rg->n_children = g->n_children;
	for (size_t i = 0; i < g->n_children; i++)
		rg->children[i] = &rep->goals[goal_index(cfg, g->children[i])];
	rg->n_indicators = g->n_indicators;
	for (size_t i = 0; i < g->n_indicators; i++) {
		size_t k = indicator_index(cfg, g->indicators[i]);

		rg->indicators[i] = &rep->indicators[k];
		rep->indicators[k].listed = 1;
	}
	rg->n_activities = g->n_activities;
	for (size_t i = 0; i < g->n_activities; i++)
		activity_set(b, &rg->activities[i], g->activities[i]);
}

static void set_depth(struct kpi_report_goal *g, int depth)
{
	g->depth = depth;
	for (size_t i = 0; i < g->n_children; i++)
		if (depth < 64)
			set_depth(g->children[i], depth + 1);
}

static void goal_free(struct kpi_report_goal *g)
{
	free(g->id);
	text_free(&g->kind_label);
	text_free(&g->heading);
	text_free(&g->title);
	text_free(&g->text);
	free(g->children);
	free(g->indicators);
	for (size_t i = 0; i < g->n_activities; i++) {
		text_free(&g->activities[i].text);
		text_free(&g->activities[i].deviation);
	}
	free(g->activities);
	text_free(&g->assessment.label);
	text_free(&g->stated.label);
	text_free(&g->note);
}

/* ---- tables, failures, summary ------------------------------------------ */

static void table_set(struct bld *b, struct kpi_report_table *rt,
                      const struct kpi_area_table *at)
{
	const struct kpi_table *t = &at->t;
	size_t nc = t->n_columns, ncells = t->n_rows * t->n_columns;
	char buf[600];

	rt->area = bdup(b, at->area);
	rt->id = bdup(b, t->id);
	text_pick(b, &rt->title, t->title_sv, t->title_en);
	text_pick(b, &rt->note, t->note_sv, t->note_en);
	rt->columns = balloc(b, nc, sizeof *rt->columns);
	rt->cells[SV] = balloc(b, ncells, sizeof *rt->cells[SV]);
	rt->cells[EN] = balloc(b, ncells, sizeof *rt->cells[EN]);
	if (b->oom)
		return;
	rt->n_columns = nc;
	rt->n_rows = t->n_rows;
	for (size_t c = 0; c < nc; c++)
		text_pick(b, &rt->columns[c],
		          t->columns_sv ? t->columns_sv[c] : NULL,
		          t->columns_en ? t->columns_en[c] : NULL);
	for (int l = SV; l <= EN; l++) {
		const struct kpi_cell *src = l == EN && t->cells_en ? t->cells_en
		                                                    : t->cells;

		for (size_t i = 0; i < ncells; i++) {
			struct kpi_report_cell *o = &rt->cells[l][i];

			o->kind = src[i].kind;
			if (src[i].kind == KPI_CELL_NUMBER) {
				o->number = src[i].number;
				o->decimals = src[i].decimals;
				kpi_fmt_number(buf, sizeof buf, o->number,
				               o->decimals, l, 1);
				o->text = bdup(b, buf);
			} else if (src[i].kind == KPI_CELL_TEXT) {
				o->text = bdup(b, src[i].text);
			} else {
				o->kind = KPI_CELL_EMPTY;
				o->text = bdup(b, "");
			}
		}
	}
}

static void table_free(struct kpi_report_table *t)
{
	free(t->area);
	free(t->id);
	text_free(&t->title);
	text_free(&t->note);
	for (size_t c = 0; c < t->n_columns; c++)
		text_free(&t->columns[c]);
	free(t->columns);
	for (int l = SV; l <= EN; l++) {
		for (size_t i = 0; t->cells[l] && i < t->n_rows * t->n_columns; i++)
			free(t->cells[l][i].text);
		free(t->cells[l]);
	}
}

static void summary_set(struct bld *b, struct kpi_report *rep)
{
	struct kpi_report_summary *s = &rep->summary;

	for (size_t i = 0; i < rep->n_indicators; i++) {
		const struct kpi_report_indicator *ri = &rep->indicators[i];

		if (!ri->listed && !ri->declared)
			continue;
		s->total++;
		switch (ri->assessment.value) {
		case KPI_ASSESS_MET: s->met++; break;
		case KPI_ASSESS_PARTIAL: s->partial++; break;
		case KPI_ASSESS_NOT_MET: s->not_met++; break;
		default: s->not_assessed++;
		}
		s->differ += ri->differs != 0;
	}
	s->text.s[SV] = bprintf(b, "Indikatorer: %zu uppfylls helt, %zu uppfylls "
	                           "delvis, %zu uppfylls ej, %zu ej bedömda",
	                        s->met, s->partial, s->not_met, s->not_assessed);
	s->text.s[EN] = bprintf(b, "Indicators: %zu met, %zu partially met, %zu "
	                           "not met, %zu not assessed",
	                        s->met, s->partial, s->not_met, s->not_assessed);
	if (s->differ) {
		s->differ_text.s[SV] = bprintf(b, "Beräknad bedömning skiljer sig "
		                                  "från den angivna för %zu "
		                                  "indikatorer (!)", s->differ);
		s->differ_text.s[EN] = bprintf(b, "Computed assessment differs "
		                                  "from the stated one for %zu "
		                                  "indicators (!)", s->differ);
	} else {
		text_same(b, &s->differ_text, "");
	}
}

/* The organisation is the title's part before " – " ("Servicenämnden"). */
static void title_set(struct bld *b, struct kpi_report *rep)
{
	const struct kpi_config *cfg = b->cfg;

	text_pick(b, &rep->title, cfg->title_sv, cfg->title_en);
	for (int l = SV; l <= EN; l++) {
		const char *t = rep->title.s[l], *sep;

		if (t && !*t) {
			free(rep->title.s[l]);
			rep->title.s[l] = bdup(b, l == EN ? "Follow-up"
			                                  : "Uppföljning");
			t = NULL;
		}
		sep = t ? strstr(t, " " DASH " ") : NULL;
		rep->organisation.s[l] = sep ? bprintf(b, "%.*s", (int)(sep - t), t)
		                             : bdup(b, "");
	}
}

void kpi_report_free(struct kpi_report *r)
{
	if (!r)
		return;
	text_free(&r->title);
	text_free(&r->organisation);
	text_free(&r->period.label);
	for (size_t i = 0; r->goals && i < r->n_goals; i++)
		goal_free(&r->goals[i]);
	free(r->goals);
	free(r->roots);
	for (size_t i = 0; r->indicators && i < r->n_indicators; i++)
		indicator_free(&r->indicators[i]);
	free(r->indicators);
	free(r->other);
	text_free(&r->other_heading);
	for (size_t i = 0; r->tables && i < r->n_tables; i++)
		table_free(&r->tables[i]);
	free(r->tables);
	for (size_t i = 0; r->failures && i < r->n_failures; i++) {
		free(r->failures[i].area);
		free(r->failures[i].plugin);
		free(r->failures[i].config);
		free(r->failures[i].reason);
		text_free(&r->failures[i].text);
	}
	free(r->failures);
	text_free(&r->summary.text);
	text_free(&r->summary.differ_text);
	free(r);
}

int kpi_report_build(const struct kpi_config *cfg, int lang,
                     const struct kpi_failure *failures, size_t n_failures,
                     struct kpi_report **out)
{
	struct bld b = { .cfg = cfg, .failures = failures,
	                 .n_failures = n_failures, .oom = 0 };
	struct kpi_report *rep;

	*out = NULL;
	rep = balloc(&b, 1, sizeof *rep);
	if (!rep)
		return KPI_ENOMEM;
	rep->schema_version = KPI_REPORT_SCHEMA_VERSION;
	rep->generator = "kpirun";
	rep->version = KPI_VERSION;
	rep->lang = lang == EN ? EN : SV;
	rep->year = cfg->year;
	title_set(&b, rep);
	span_set(&b, &rep->period, cfg->period.from_year, cfg->period.from_month,
	         cfg->period.to_year, cfg->period.to_month);
	rep->period_kind = kpi_period_kind_key(cfg->period.kind);

	rep->indicators = balloc(&b, cfg->n_indicators, sizeof *rep->indicators);
	rep->goals = balloc(&b, cfg->n_goals, sizeof *rep->goals);
	rep->roots = balloc(&b, cfg->n_goals, sizeof *rep->roots);
	rep->other = balloc(&b, cfg->n_indicators, sizeof *rep->other);
	rep->tables = balloc(&b, cfg->n_tables, sizeof *rep->tables);
	rep->failures = balloc(&b, n_failures, sizeof *rep->failures);
	if (b.oom)
		goto out_free;
	rep->n_indicators = cfg->n_indicators;
	for (size_t i = 0; i < cfg->n_indicators; i++)
		indicator_set(&b, &rep->indicators[i], cfg->indicators[i]);
	rep->n_goals = cfg->n_goals;
	for (size_t i = 0; i < cfg->n_goals; i++) {
		goal_set(&b, rep, &rep->goals[i], cfg->goals[i]);
		if (!cfg->goals[i]->parent)
			rep->roots[rep->n_roots++] = &rep->goals[i];
	}
	for (size_t i = 0; !b.oom && i < rep->n_roots; i++)
		set_depth(rep->roots[i], 0);
	text_pick(&b, &rep->other_heading, "Övriga indikatorer",
	          "Other indicators");
	for (size_t i = 0; i < rep->n_indicators; i++) {
		struct kpi_report_indicator *ri = &rep->indicators[i];

		if (ri->listed || !ri->declared)
			continue;
		rep->other[rep->n_other++] = ri;
		kpi_diag(KPI_LOG_WARN, NULL, cfg->path, ri->line, 0,
		         "indicator '%s' is listed by no goal: shown under "
		         "\"%s\"", ri->id, "Other indicators");
	}
	rep->n_tables = cfg->n_tables;
	for (size_t i = 0; i < cfg->n_tables; i++)
		table_set(&b, &rep->tables[i], &cfg->tables[i]);
	rep->n_failures = n_failures;
	for (size_t i = 0; i < n_failures; i++) {
		struct kpi_report_failure *f = &rep->failures[i];

		f->area = bdup(&b, failures[i].area);
		f->plugin = bdup(&b, failures[i].plugin ? failures[i].plugin
		                                        : "");
		f->config = bdup(&b, cfg->path);
		f->line = failures[i].line;
		f->reason = bdup(&b, failures[i].reason);
		f->status = failures[i].status;
		f->text.s[SV] = bprintf(&b, "FEL: området %s kunde inte beräknas: "
		                            "%s", failures[i].area,
		                        failures[i].reason);
		f->text.s[EN] = bprintf(&b, "ERROR: area %s could not be "
		                            "computed: %s", failures[i].area,
		                        failures[i].reason);
	}
	summary_set(&b, rep);
	if (b.oom)
		goto out_free;
	*out = rep;
	return 0;
out_free:
	kpi_report_free(rep);
	kpi_diag(KPI_LOG_ERROR, NULL, NULL, 0, 0, "out of memory");
	return KPI_ENOMEM;
}
