/*
 * test_period.c - core/period.c: every kind of period parsed from its
 * spelling, the months each covers (worked out from the calendar), the
 * labels in Swedish and English as the seed writes them, month
 * arithmetic, and every refusal with its reason.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "kpi/plugin.h"
#include "limit.h"
#include "model.h"
#include "period.h"

struct want {
	const char *text;
	int kind, fy, fm, ty, tm;
	const char *sv, *en;       /* labels */
};

#define D "\xe2\x80\x93"     /* the en dash of a range */

static const struct want kinds[] = {
	{ "T1", KPI_PERIOD_TERTIAL, 2011, 1, 2011, 4, "Tertial 1 2011", "T1 2011" },
	{ "t2", KPI_PERIOD_TERTIAL, 2011, 1, 2011, 8, "Tertial 2 2011", "T2 2011" },
	{ "T3", KPI_PERIOD_TERTIAL, 2011, 1, 2011, 12, "2011", "2011" },
	{ "Q1", KPI_PERIOD_QUARTER, 2011, 1, 2011, 3, "Kvartal 1 2011", "Q1 2011" },
	{ "q2", KPI_PERIOD_QUARTER, 2011, 4, 2011, 6, "Kvartal 2 2011", "Q2 2011" },
	{ "Q3", KPI_PERIOD_QUARTER, 2011, 7, 2011, 9, "Kvartal 3 2011", "Q3 2011" },
	{ "Q4", KPI_PERIOD_QUARTER, 2011, 10, 2011, 12, "Kvartal 4 2011", "Q4 2011" },
	{ "H1", KPI_PERIOD_HALF, 2011, 1, 2011, 6, "Halvår 1 2011", "H1 2011" },
	{ "h2", KPI_PERIOD_HALF, 2011, 7, 2011, 12, "Halvår 2 2011", "H2 2011" },
	{ "year", KPI_PERIOD_YEAR, 2011, 1, 2011, 12, "2011", "2011" },
	{ "YEAR", KPI_PERIOD_YEAR, 2011, 1, 2011, 12, "2011", "2011" },
	{ "2011-07", KPI_PERIOD_TO_MONTH, 2011, 1, 2011, 7, "jan" D "jul 2011",
	  "Jan" D "Jul 2011" },
	{ "2011-01", KPI_PERIOD_TO_MONTH, 2011, 1, 2011, 1, "jan 2011",
	  "Jan 2011" },
	{ "2011-09", KPI_PERIOD_TO_MONTH, 2011, 1, 2011, 9, "jan" D "sep 2011",
	  "Jan" D "Sep 2011" },
	{ "2011-09..2011-09", KPI_PERIOD_RANGE, 2011, 9, 2011, 9, "sep 2011",
	  "Sep 2011" },
	{ "2011-05..2011-08", KPI_PERIOD_RANGE, 2011, 5, 2011, 8,
	  "maj" D "aug 2011", "May" D "Aug 2011" },
	{ "2010-08..2011-07", KPI_PERIOD_RANGE, 2010, 8, 2011, 7,
	  "aug 2010" D "jul 2011", "Aug 2010" D "Jul 2011" },
	{ "2010-12..2011-01", KPI_PERIOD_RANGE, 2010, 12, 2011, 1,
	  "dec 2010" D "jan 2011", "Dec 2010" D "Jan 2011" },
	{ "2010-01..2011-12", KPI_PERIOD_RANGE, 2010, 1, 2011, 12,
	  "jan 2010" D "dec 2011", "Jan 2010" D "Dec 2011" },
	{ "2011-10..2011-12", KPI_PERIOD_RANGE, 2011, 10, 2011, 12,
	  "Kvartal 4 2011", "Q4 2011" },
};

Test(period, every_kind_its_months_and_labels)
{
	char sv[64], en[64], why_buf[128];
	const char *why;

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		const struct want *w = &kinds[i];
		struct kpi_period p;

		memset(&p, 0x55, sizeof p);
		cr_assert_eq(kpi_period_parse(w->text, 2011, &p, why_buf,
		                              sizeof why_buf, &why), 0,
		             "%s: %s", w->text, why);
		cr_assert_null(why);
		cr_assert_eq(p.kind, w->kind, "%s", w->text);
		cr_assert_eq(p.from_year, w->fy, "%s", w->text);
		cr_assert_eq(p.from_month, w->fm, "%s", w->text);
		cr_assert_eq(p.to_year, w->ty, "%s", w->text);
		cr_assert_eq(p.to_month, w->tm, "%s", w->text);
		cr_assert_str_eq(kpi_period_name(sv, sizeof sv, KPI_LANG_SV, &p),
		                 w->sv);
		cr_assert_str_eq(kpi_period_name(en, sizeof en, KPI_LANG_EN, &p),
		                 w->en);
	}
}

/* Month counts by hand: Q3 = jul, aug, sep; a range across New Year
 * aug 2010..jul 2011 = 5 + 7; the longest allowed is two years. */
Test(period, lengths_and_membership)
{
	struct kpi_period p;
	const char *why;

	cr_assert_eq(kpi_period_parse("Q3", 2011, &p, NULL, 0, &why), 0);
	cr_assert_eq(kpi_period_length(&p), 3);
	cr_assert(kpi_period_contains(&p, 2011, 7));
	cr_assert(kpi_period_contains(&p, 2011, 9));
	cr_assert_not(kpi_period_contains(&p, 2011, 6));
	cr_assert_not(kpi_period_contains(&p, 2011, 10));
	cr_assert_not(kpi_period_contains(&p, 2010, 8));
	cr_assert_not(kpi_period_contains(&p, 2011, 13));

	cr_assert_eq(kpi_period_parse("2010-08..2011-07", 2011, &p, NULL, 0,
	                              &why), 0);
	cr_assert_eq(kpi_period_length(&p), 12);
	cr_assert(kpi_period_contains(&p, 2010, 12));
	cr_assert(kpi_period_contains(&p, 2011, 1));
	cr_assert_not(kpi_period_contains(&p, 2010, 7));
	cr_assert_not(kpi_period_contains(&p, 2011, 8));

	cr_assert_eq(kpi_period_parse("2010-01..2011-12", 2011, &p, NULL, 0,
	                              &why), 0);
	cr_assert_eq(kpi_period_length(&p), KPI_MAX_PERIOD_MONTHS);
	p = kpi_period_ytd(2012, 3);
	cr_assert_eq(p.from_month, 1);
	cr_assert_eq(kpi_period_length(&p), 3);
}

Test(period, month_arithmetic)
{
	int y, m;

	cr_assert_eq(kpi_period_index(2011, 1) - kpi_period_index(2010, 12), 1);
	cr_assert_eq(kpi_period_index(2011, 8) - kpi_period_index(2010, 8), 12);
	kpi_period_split(kpi_period_index(2011, 1) - 1, &y, &m);
	cr_assert_eq(y, 2010);
	cr_assert_eq(m, 12);
	kpi_period_split(kpi_period_index(2011, 3) - 14, &y, &m);
	cr_assert_eq(y, 2010);
	cr_assert_eq(m, 1);
	kpi_period_split(-1, &y, &m);        /* floor, not truncation */
	cr_assert_eq(y, -1);
	cr_assert_eq(m, 12);
}

static void refused(const char *text, const char *reason)
{
	struct kpi_period p = { 0 }, before;
	char why_buf[128];
	const char *why = NULL;

	before = p;
	cr_assert_eq(kpi_period_parse(text, 2011, &p, why_buf, sizeof why_buf,
	                              &why), KPI_ECONFIG, "%s accepted", text);
	cr_assert_str_eq(why, reason, "%s", text);
	cr_assert(memcmp(&p, &before, sizeof p) == 0, "%s: *p changed", text);
}

Test(period, bad_spellings_are_refused_with_a_reason)
{
	static const char expected[] = "expected T1, T2, T3, Q1..Q4, H1, H2, "
	                               "year, YYYY-MM or YYYY-MM..YYYY-MM";

	refused("T4", expected);
	refused("T0", expected);
	refused("Q5", expected);
	refused("H3", expected);
	refused("", expected);
	refused("years", expected);
	refused("2011-3", expected);
	refused("2011-13", expected);
	refused("2011-00", expected);
	refused("11-03", expected);
	refused("2011-03 ", expected);
	refused("2011-03..2011-3", expected);
	refused("2011-03.2011-04", expected);
	refused("2011-03..", expected);
	refused("+011-03", expected);
	refused("2010-03", "it ends in 2010, not in the config's year 2011");
	refused("2011-01..2012-01",
	        "it ends in 2012, not in the config's year 2011");
	refused("2011-05..2011-04", "it ends before it starts");
	refused("2009-12..2011-12", "it is 25 months long, limit 24");
	cr_assert_eq(kpi_period_parse(NULL, 2011, &(struct kpi_period){ 0 },
	                              NULL, 0, &(const char *){ NULL }),
	             KPI_ECONFIG);
}

/* Labels of arbitrary months: the seed's names where they apply, never
 * a cut-off text. */
Test(period, labels_of_months)
{
	char buf[64];

	cr_assert_str_eq(kpi_period_label(buf, sizeof buf, KPI_LANG_SV, 2011, 1,
	                                  2011, 7), "jan" D "jul 2011");
	cr_assert_str_eq(kpi_period_label(buf, sizeof buf, KPI_LANG_SV, 2011, 5,
	                                  2011, 8), "maj" D "aug 2011");
	cr_assert_str_eq(kpi_period_label(buf, sizeof buf, KPI_LANG_EN, 2011, 5,
	                                  2011, 8), "May" D "Aug 2011");
	cr_assert_str_eq(kpi_period_label(buf, sizeof buf, KPI_LANG_SV, 2011, 2,
	                                  2011, 4), "feb" D "apr 2011");
	cr_assert_str_eq(kpi_period_label(buf, sizeof buf, KPI_LANG_SV, 2011, 10,
	                                  2011, 10), "okt 2011");
	cr_assert_str_eq(kpi_period_label(buf, sizeof buf, KPI_LANG_SV, 0, 1,
	                                  2011, 7), "");
	cr_assert_str_eq(kpi_period_label(buf, sizeof buf, KPI_LANG_SV, 2011, 8,
	                                  2011, 7), "");
	cr_assert_str_eq(kpi_period_label(buf, sizeof buf, KPI_LANG_SV, 2011, 1,
	                                  2011, 13), "");
	/* "Kvartal 1 2011" needs 15 bytes: 14 gives nothing, not a stump */
	cr_assert_str_eq(kpi_period_label(buf, 14, KPI_LANG_SV, 2011, 1, 2011,
	                                  3), "");
	cr_assert_str_eq(kpi_period_label(buf, 15, KPI_LANG_SV, 2011, 1, 2011,
	                                  3), "Kvartal 1 2011");
	cr_assert_str_eq(kpi_period_kind_key(KPI_PERIOD_QUARTER), "quarter");
	cr_assert_str_eq(kpi_period_kind_key(99), "range");
}
